"""INGEST: read OCR page dumps (folder, files, zip, stdin) into a :class:`Document`.

Public functions:

* :func:`load_inputs` - folder / file list / ``.zip`` / ``-`` (stdin, pages separated by ``\\f``);
* :func:`document_from_texts` - ``[(source, text), ...]`` for tests and benchmarks.

Every page goes through the same code: bytes are checked (binary? too big?), decoded
(UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp1252, latin-1), sniffed (plain text, ALTO, hOCR,
PAGE XML), split into lines and repaired for mojibake with ftfy, each repair recorded as an edit.

``Page.raw`` is the decoded text exactly (line endings untouched). For XML formats it is the
text layer, one raw line per OCR line, a blank line between blocks/regions, and
``page.info["lines"]`` holds one dict of geometry per raw line.

Bad input never stops the batch: per-file problems become one-line messages in
``doc.problems`` (``"<source>: <what happened> (<what to do>)"``); only a missing input path
(:class:`InputError`) or no page at all (:class:`NoPagesError`) raise.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import statistics
import sys
import zipfile
from collections import Counter
from typing import BinaryIO, Callable, Iterable, Iterator

from .chars import SURROGATE as _SURROGATE
from .errors import InputError, NoPagesError
from .model import Document, Page

__all__ = ["load_inputs", "document_from_texts", "decode_bytes", "natural_key", "sniff_format",
           "repair_mojibake", "BinaryContent"]

Progress = Callable[[int, "int | None", str], None]

# extensions that are obviously not OCR page text (skipped in folders and archives with a note)
NON_PAGE_EXT = {
    ".json", ".jsonl", ".md", ".markdown", ".rst", ".yml", ".yaml", ".toml", ".ini", ".cfg",
    ".csv", ".tsv", ".py", ".sh", ".js", ".css", ".log",
    ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".jp2", ".j2k", ".webp", ".bmp", ".svg",
    ".pdf", ".djvu", ".epub", ".ps", ".zip", ".gz", ".bz2", ".xz", ".7z", ".rar", ".tar",
    ".doc", ".docx", ".odt", ".db", ".sqlite", ".exe", ".dll", ".so",
}
NON_PAGE_NAMES = re.compile(r"^(readme|license|licence|changelog|manifest|checksums?|md5sums?|sha\d*sums?)(\.|$)", re.I)

# binary magic numbers -> (what it is, what to do)
MAGIC: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "a PDF file, not OCR text", "extract its text layer first, e.g. with pdftotext"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not OCR text", "run OCR on it first"),
    (b"\xff\xd8\xff", "a JPEG image, not OCR text", "run OCR on it first"),
    (b"GIF87a", "a GIF image, not OCR text", "run OCR on it first"),
    (b"GIF89a", "a GIF image, not OCR text", "run OCR on it first"),
    (b"II*\x00", "a TIFF image, not OCR text", "run OCR on it first"),
    (b"MM\x00*", "a TIFF image, not OCR text", "run OCR on it first"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image, not OCR text", "run OCR on it first"),
    (b"RIFF", "a RIFF (WebP/AVI/WAV) file, not OCR text", "remove it from the input"),
    (b"PK\x03\x04", "a ZIP archive inside the input", "unpack it or pass it as its own input"),
    (b"PK\x05\x06", "an empty ZIP archive", "remove it from the input"),
    (b"\x1f\x8b", "a gzip file", "decompress it first"),
    (b"BZh", "a bzip2 file", "decompress it first"),
    (b"\xfd7zXZ\x00", "an xz file", "decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first"),
    (b"\x7fELF", "an executable file", "remove it from the input"),
    (b"MZ", "a Windows executable", "remove it from the input"),
    (b"SQLite format 3\x00", "an SQLite database", "remove it from the input"),
    (b"AT&TFORM", "a DjVu file, not OCR text", "extract its text layer first, e.g. with djvutxt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office file", "save it as plain text"),
]

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_FTFY_CONFIG = None
FTFY_MAX_LINE = 100_000  # longer lines are not checked for mojibake (recorded as a problem)


class BinaryContent(ValueError):
    """Raised by :func:`decode_bytes` for content that is not text: ``(what, todo)``."""

    def __init__(self, what: str, todo: str):
        super().__init__(what)
        self.what = what
        self.todo = todo


# ----------------------------------------------------------------------------------------------
# small helpers


def natural_key(name: str) -> tuple:
    """Sort key: ``page2`` before ``page10`` (case-insensitive, ties broken by the name)."""
    parts = re.split(r"(\d+)", name)
    return tuple((0, int(p), "") if i % 2 else (1, 0, p.casefold()) for i, p in enumerate(parts)), name


def _one_line(text: str) -> str:
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))  # undecodable file names
    return " ".join(text.split())


def _problem(doc: Document, source: str, what: str, todo: str) -> None:
    doc.problems.append(_one_line(f"{source}: {what} ({todo})"))


def _fmt_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)  # pragma: no cover


def _non_page_reason(name: str) -> str | None:
    base = name.rsplit("/", 1)[-1]
    ext = os.path.splitext(base)[1].lower()
    if ext in NON_PAGE_EXT:
        return ext
    if NON_PAGE_NAMES.match(base):
        return base
    return None


def _display_name(doc: Document, name: str) -> str:
    """``name`` as a str that any output can hold; a file name that is not valid UTF-8 is reported.

    ``os.listdir`` gives such names with lone surrogates (``surrogateescape``); they become
    ``\\xNN`` escapes in the page's ``source`` and one problem line says which file it is.
    """
    if not _SURROGATE.search(name):
        return name
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    shown = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)
    _problem(doc, shown, "file name is not valid UTF-8; read, and shown with \\xNN escapes",
             "rename the file with a UTF-8 name")
    return shown


def _hidden(name: str) -> bool:
    parts = [p for p in re.split(r"[/\\]", name) if p]
    return any(p.startswith(".") or p == "__MACOSX" or p == "Thumbs.db" for p in parts)


# ----------------------------------------------------------------------------------------------
# decoding


def _check_magic(data: bytes) -> None:
    head = data[:16]
    for magic, what, todo in MAGIC:
        if head.startswith(magic):
            if magic in (b"MZ", b"BZh") and b"\x00" not in data[:64] and b"1AY&SY" not in data[:10]:
                continue  # "MZ..." / "BZh..." are plausible starts of plain text
            if magic == b"RIFF" and data[8:12] not in (b"WEBP", b"AVI ", b"WAVE"):
                continue
            raise BinaryContent(what, todo)


def _too_many_controls(text: str) -> bool:
    sample = text[:200_000]
    if not sample:
        return False
    n = len(_CONTROL.findall(sample))
    return n > max(8, len(sample) // 20)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes -> ``(text, encoding)``; raise :class:`BinaryContent` for non-text.

    Order: UTF-16 with BOM, UTF-8 with BOM (``utf-8-sig``), a ``declared`` encoding (from an
    XML/HTML declaration) when it decodes, UTF-8, cp1252 (when bytes 0x80-0x9F are used and
    are valid cp1252), latin-1.
    """
    _check_magic(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise BinaryContent("starts with a UTF-16 byte order mark but is not valid UTF-16",
                                "save it as UTF-8 text") from None
        enc = "utf-16"
    elif b"\x00" in data:
        raise BinaryContent("contains NUL bytes: binary data or UTF-16 without a byte order mark",
                            "if it is text, save it as UTF-8")
    elif data.startswith(codecs.BOM_UTF8):
        try:
            text, enc = data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            text, enc = _decode_8bit(data)  # keep the (broken) BOM bytes: raw stays faithful
    else:
        text = enc = None
        if declared:
            try:
                info = codecs.lookup(declared)
                name = {"iso8859-1": "latin-1"}.get(info.name, info.name)
                if (getattr(info, "_is_text_encoding", True) and name not in ("utf-8", "ascii", "undefined")
                        and not name.startswith(("utf-16", "utf-32", "utf-7"))):
                    text, enc = data.decode(name), name
                    if _SURROGATE.search(text):
                        text = enc = None  # escape codecs can make lone surrogates: not page text
            except Exception:  # unknown or broken codec (LookupError, UnicodeError, ...): guess below
                text = enc = None
        if text is None:
            try:
                text, enc = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, enc = _decode_8bit(data)
    if _too_many_controls(text):
        raise BinaryContent("looks binary (many control characters)", "remove it or save it as plain text")
    return text, enc


def _decode_8bit(data: bytes) -> tuple[str, str]:
    if re.search(rb"[\x80-\x9f]", data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


_DECL_ENC = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_ENC = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


def _declared_encoding(data: bytes) -> str | None:
    head = data[:4096]
    if not head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        return None
    m = _DECL_ENC.search(head) or _META_ENC.search(head)
    return m.group(1).decode("ascii") if m else None


# ----------------------------------------------------------------------------------------------
# format sniffing

# the DOCTYPE's internal subset may hold "]>" inside quoted entity values or comments
_PROLOG = re.compile(r"""\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!(?i:DOCTYPE)(?:"[^"]*"|'[^']*'|[^\['">])*"""
                     r"""(?:\[(?:"[^"]*"|'[^']*'|<!--.*?-->|[^\]"'<]|<(?!--))*\]\s*)?>|<![^>]*>)\s*)*""", re.S)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_HOCR_MARK = re.compile(r"""class\s*=\s*["'][^"']*\b(?:ocr_page|ocr_line|ocrx_word|ocr_carea|ocr_par)\b""")


def _root_name(text: str) -> str:
    s = text.lstrip("\ufeff \t\r\n")[:65536]
    m = _PROLOG.match(s)
    r = _ROOT.match(s[m.end():] if m else s)
    return r.group(1) if r else "?"


def sniff_format(text: str) -> str:
    """``"text"``, ``"alto"``, ``"hocr"``, ``"page"`` or ``"xml"`` (markup of another kind)."""
    s = text.lstrip("\ufeff \t\r\n")
    if not s.startswith("<"):
        return "text"
    head = s[:65536]
    m = _PROLOG.match(head)
    rest = head[m.end():] if m else head
    r = _ROOT.match(rest)
    if not r:
        return "text"
    local = r.group(1).rsplit(":", 1)[-1]
    if local.lower() == "alto":
        return "alto"
    if local == "PcGts":
        return "page"
    if _HOCR_MARK.search(head) or (len(s) > 65536 and _HOCR_MARK.search(s)):
        return "hocr"
    if s.startswith(("<?xml", "<!DOCTYPE", "<!doctype")) or local.lower() == "html":
        return "xml"
    # text that merely starts with "<" (an OCR line such as "<The Editor>") stays text unless
    # the whole page is well-formed XML
    if s.rstrip().endswith(">"):
        try:
            _xml_root(s)
            return "xml"
        except BrokenMarkup:
            pass
    return "text"


# ----------------------------------------------------------------------------------------------
# mojibake repair


def _ftfy_config():
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        import ftfy

        # only repair encoding errors: never touch quotes, ligatures, widths, entities,
        # control characters or Unicode normalisation of faithful text
        _FTFY_CONFIG = ftfy.TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
            restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
            fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
            uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
            remove_control_chars=False, normalization=None, explain=True)
    return _FTFY_CONFIG


def _diff_regions(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Minimal differing regions [(a0, a1, b0, b1)]; adjacent operations are merged."""
    from rapidfuzz.distance import Levenshtein

    regions: list[list[int]] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        if regions and op.src_start == regions[-1][1]:
            regions[-1][1] = op.src_end
            regions[-1][3] = op.dest_end
        else:
            regions.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [tuple(r) for r in regions]  # type: ignore[misc]


def _rule_name(explanation) -> str:
    parts = []
    for step in explanation or ():
        action, param = step[0], step[1]
        parts.append(param if action == "apply" else f"{action}:{param}")
    return "ftfy:" + ("+".join(parts) or "fix_text")


def repair_mojibake(doc: Document, page: Page) -> int:
    """Run ftfy on each non-ASCII line of ``page``; record each repaired region as an edit."""
    import ftfy

    cfg = _ftfy_config()
    n = 0
    for line in page.lines:
        s = line.str
        if s.isascii() or not s:
            continue
        if len(s) > FTFY_MAX_LINE:
            _problem(doc, page.source, f"line {line.no + 1} has {len(s)} characters, not checked for mojibake",
                     "split the text into lines")
            continue
        res = ftfy.fix_and_explain(s, config=cfg)
        if res.text == s:
            continue
        rule = _rule_name(res.explanation)
        conf = 0.9 if any(step[0] in ("encode", "decode", "transcode") for step in res.explanation or ()) else 0.95
        for a0, a1, b0, b1 in reversed(_diff_regions(s, res.text)):
            if line.text.replace(doc, a0, a1, res.text[b0:b1], stage="ingest", rule=rule,
                                 confidence=conf, note="mojibake repaired") is not None:
                n += 1
    return n


# ----------------------------------------------------------------------------------------------
# pages


def _add_page(doc: Document, source: str, raw: str, encoding: str, info: dict) -> Page:
    page = Page(index=len(doc.pages), source=source, raw=raw, encoding=encoding)
    page.info.update(info)
    page.lines = page.split_lines()
    doc.pages.append(page)
    if not raw.strip():
        _problem(doc, source, "empty page, no text" if not raw else "empty page, only white space",
                 "kept as a blank page so page numbering stays right; check the OCR output")
    repair_mojibake(doc, page)
    return page


def _add_from_text(doc: Document, source: str, text: str, encoding: str) -> int:
    """Add the page(s) of one decoded file; returns the number of pages added."""
    fmt = sniff_format(text)
    if fmt == "text":
        _add_page(doc, source, text, encoding, {"format": "text"})
        return 1
    if fmt == "xml":
        _problem(doc, source, f"markup with root <{_root_name(text)}> that is neither ALTO, hOCR nor PAGE XML",
                 "export the OCR as plain text, ALTO, hOCR or PAGE XML")
        return 0
    try:
        pages = PARSERS[fmt](text)
    except BrokenMarkup as exc:
        label = {"alto": "ALTO XML", "page": "PAGE XML", "hocr": "hOCR"}[fmt]
        _problem(doc, source, f"broken {label}: {exc}", "repair or re-export the file")
        return 0
    if not pages:
        label = {"alto": "ALTO XML", "page": "PAGE XML", "hocr": "hOCR"}[fmt]
        _problem(doc, source, f"{label} without any page", "check the OCR export")
        return 0
    for k, (lines, info) in enumerate(pages):
        src = source if len(pages) == 1 else f"{source}#{k + 1}"
        raw = "\n".join(t for t, _ in lines)
        # one dict per raw line: an empty page still has one (blank) line
        info = dict(info, format=fmt, lines=[d for _, d in lines] or [{"block": None, "blank": True}])
        _add_page(doc, src, raw, encoding, info)
    return len(pages)


def _add_from_bytes(doc: Document, source: str, data: bytes) -> int:
    try:
        text, enc = decode_bytes(data, _declared_encoding(data))
    except BinaryContent as exc:
        _problem(doc, source, exc.what, exc.todo)
        return 0
    return _add_from_text(doc, source, text, enc)


# ----------------------------------------------------------------------------------------------
# OCR XML formats: ALTO, hOCR, PAGE. Each parser returns [(lines, info)] per physical page, where
# lines is [(text, geometry dict)] including the blank separator lines between blocks.


class BrokenMarkup(ValueError):
    pass


_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_LINEBREAKS = re.compile(r"[\r\n\f\v\x1c-\x1e\x85\u2028\u2029]+")
_WS = re.compile(r"[ \t\r\n\f\v]+")


def _strip_decl(text: str) -> str:
    # lxml refuses str input with an encoding declaration; the declaration sits on line 1,
    # so removing it keeps the line numbers of error messages right
    return _XML_DECL.sub("", text, count=1).lstrip("\ufeff")


def _xml_root(text: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(_strip_decl(text), parser)
    except etree.XMLSyntaxError as exc:
        line, col = (exc.position or (exc.lineno, 0))
        msg = re.sub(r",? line \d+, column \d+\s*$", "", _one_line(exc.msg))
        raise BrokenMarkup(f"line {line}, column {col}: {msg}") from None
    _inline_entities(root, len(text))
    return root


MAX_ENTITY_GROWTH = 1_000_000  # characters custom entities may add to a file (beyond its own size)


def _inline_entities(root, size: int) -> None:
    """Replace references to the document's own entities by their text, one level only.

    Entities are never resolved by the parser (no external or recursive expansion); a reference
    to an entity declared in the internal subset as plain text becomes that text, any other one
    stays visible as ``&name;``. Without this, text after a custom entity was silently lost.
    """
    from lxml import etree

    ents = list(root.iter(etree.Entity))
    if not ents:
        return
    decl: dict[str, str] = {}
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for e in dtd.iterentities():
            if e.content is not None and "&" not in e.content and "<" not in e.content and e.name not in decl:
                decl[e.name] = e.content
    budget = MAX_ENTITY_GROWTH + size
    for ent in ents:
        val = decl.get(ent.name, ent.text)
        budget -= len(val)
        if budget < 0:
            raise BrokenMarkup(f"its custom entities expand to over {_fmt_size(MAX_ENTITY_GROWTH + size)} of text; refused")
        parent, prev = ent.getparent(), ent.getprevious()
        add = val + (ent.tail or "")
        if prev is not None:
            prev.tail = (prev.tail or "") + add
        else:
            parent.text = (parent.text or "") + add
        parent.remove(ent)


def _check_nesting(root, kind_of, fmt: str) -> None:
    """Refuse a page element inside another of its kind (a <Page> in a <Page>, an ocr_line in an
    ocr_line): no OCR format allows it, and each level would repeat the text below it."""
    from lxml import etree

    open_kinds: list = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        k = kind_of(el)
        if event == "start":
            if k is not None and k in open_kinds:
                line = getattr(el, "sourceline", None)
                raise BrokenMarkup(f"{'line ' + str(line) + ': ' if line else ''}{k} inside another {k}, "
                                   f"which {fmt} does not allow; refused")
            open_kinds.append(k)
        else:
            open_kinds.pop()


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _num(v) -> float | int | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (ValueError, TypeError):
        return None
    if f.is_integer():
        return int(f)
    if f != f or f in (_INF, -_INF):
        return None
    return round(f, 3)


_INF = float("inf")


def _clean_line(text: str) -> str:
    return _LINEBREAKS.sub(" ", text).strip(" \t")


def _assemble(blocks: list[list[tuple[str, dict]]]) -> list[tuple[str, dict]]:
    """Join blocks of lines with one blank line between non-empty blocks."""
    out: list[tuple[str, dict]] = []
    for blk in blocks:
        lines = [(t, d) for t, d in blk if t.strip()]
        if not lines:
            continue
        if out:
            out.append(("", {"block": None, "blank": True}))
        out.extend(lines)
    return out


def _finish_sizes(lines: list[tuple[str, dict]], fallback_key: str = "h") -> str:
    """Set each line's ``font_size``: the style size when every line has one, else line height."""
    body = [d for t, d in lines if not d.get("blank")]
    if body and all(d.get("_style") is not None for d in body):
        src = "style"
        for d in body:
            d["font_size"] = d.pop("_style")
    else:
        src = "line-height"
        for d in body:
            d.pop("_style", None)
            d["font_size"] = d.pop("_height", None) if "_height" in d else d.get(fallback_key)
    for d in body:
        d.pop("_height", None)
    return src


def _bbox_union(boxes: list[tuple]) -> tuple | None:
    boxes = [b for b in boxes if b and None not in b]
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def _geom(x, y, w, h) -> dict:
    return {"x": _num(x), "y": _num(y), "w": _num(w), "h": _num(h)}


# -- ALTO

_ALTO_MARGINS = {"TopMargin": "top-margin", "BottomMargin": "bottom-margin", "LeftMargin": "left-margin",
                 "RightMargin": "right-margin", "PrintSpace": "print-space"}


_ALTO_NESTED = {"Page": "<Page>", "PrintSpace": "<PrintSpace>", "TextBlock": "<TextBlock>",
                "TextLine": "<TextLine>", "String": "<String>"}
_PAGE_NESTED = {"Page": "<Page>", "TextLine": "<TextLine>", "Word": "<Word>", "Glyph": "<Glyph>"}


def _parse_alto(text: str) -> list[tuple[list[tuple[str, dict]], dict]]:
    root = _xml_root(text)
    _check_nesting(root, lambda el: _ALTO_NESTED.get(_local(el)), "ALTO")
    styles: dict[str, float] = {}
    unit = None
    page_els = []
    # "{*}X" matches X in any namespace or none (ALTO v1-v4, namespaced or not)
    for el in root.iter("{*}TextStyle", "{*}MeasurementUnit", "{*}Page"):
        ln = _local(el)
        if ln == "TextStyle":
            size = _num(el.get("FONTSIZE"))
            if el.get("ID") and size is not None:
                styles[el.get("ID")] = size
        elif ln == "MeasurementUnit":
            unit = (el.text or "").strip() or None
        else:
            page_els.append(el)

    def style_size(refs: str | None):
        if refs:
            for ref in refs.split():
                if ref in styles:
                    return styles[ref]
        return None

    out = []
    for pg in page_els or [root]:
        blocks = []
        for bi, blk in enumerate(pg.iter("{*}TextBlock")):
            region = None
            for anc in blk.iterancestors():
                region = _ALTO_MARGINS.get(_local(anc))
                if region:
                    break
            bid = blk.get("ID") or f"block{bi + 1}"
            bsize = style_size(blk.get("STYLEREFS"))
            lines = []
            for tl in blk.iter("{*}TextLine"):
                parts: list[str] = []
                sizes: Counter = Counter()
                strings = []
                hyp = False
                for ch in tl.iter("{*}String", "{*}HYP"):
                    if ch.tag.endswith("HYP"):
                        hyp = True
                        continue
                    strings.append(ch)
                    c = ch.get("CONTENT")
                    if c:
                        c = _clean_line(c)
                        if c:
                            parts.append(c)
                            if styles:
                                size = style_size(ch.get("STYLEREFS"))
                                if size is not None:
                                    sizes[size] += len(c)
                line_text = " ".join(parts) + ("-" if hyp and parts else "")
                g = tl.get
                box = (_num(g("HPOS")), _num(g("VPOS")), _num(g("WIDTH")), _num(g("HEIGHT")))
                if None in box:
                    box = _bbox_union([(_num(c.get("HPOS")), _num(c.get("VPOS")), _num(c.get("WIDTH")),
                                        _num(c.get("HEIGHT"))) for c in strings]) or box
                d = _geom(*box)
                d["block"] = bid
                if region:
                    d["region"] = region
                if hyp:
                    d["hyphen"] = True
                lsize = style_size(tl.get("STYLEREFS"))
                if lsize is None and sizes:
                    lsize = sizes.most_common(1)[0][0]
                d["_style"] = lsize if lsize is not None else bsize
                lines.append((line_text, d))
            blocks.append(lines)
        lines = _assemble(blocks)
        info: dict = {"font_size_source": _finish_sizes(lines)}
        w, h = _num(pg.get("WIDTH")), _num(pg.get("HEIGHT"))
        if w is None or h is None:
            for ps in pg.iter("{*}PrintSpace"):
                w, h = _num(ps.get("WIDTH")), _num(ps.get("HEIGHT"))
                break
        info["width"], info["height"] = w, h
        if unit:
            info["units"] = unit
        printed = pg.get("PRINTED_IMG_NR")
        if printed:
            info["printed_number"] = printed
        out.append((lines, info))
    return out


# -- hOCR

_HOCR_LINES = {"ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


def _title_props(title: str | None) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for part in (title or "").split(";"):
        bits = part.split()
        if bits:
            props[bits[0]] = bits[1:]
    return props


def _hocr_bbox(props: dict) -> tuple | None:
    b = props.get("bbox")
    if not b or len(b) < 4:
        return None
    x0, y0, x1, y1 = (_num(v) for v in b[:4])
    if None in (x0, y0, x1, y1):
        return None
    return x0, y0, x1 - x0, y1 - y0


def _hocr_word_text(el) -> str:
    t = el.text if not len(el) else None
    if t is None:
        t = "".join(el.itertext())
    if t.isprintable():
        return t.strip(" ")
    return _clean_line(_WS.sub(" ", t))


def _hocr_kind(el) -> str | None:
    c = el.get("class") if isinstance(el.tag, str) else None
    if not c or "ocr" not in c:
        return None
    cls = set(c.split())
    for kind in ("ocr_page", "ocr_carea", "ocr_par", "ocrx_word"):
        if kind in cls:
            return kind
    return "ocr_line" if not cls.isdisjoint(_HOCR_LINES) else None


def _classes(el) -> set[str]:
    c = el.get("class")
    return set(c.split()) if c else set()


def _parse_hocr(text: str) -> list[tuple[list[tuple[str, dict]], dict]]:
    from lxml import etree

    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(_strip_decl(text), parser)
    except etree.XMLSyntaxError as exc:  # pragma: no cover - the HTML parser is lenient
        raise BrokenMarkup(f"line {exc.lineno}: {_one_line(exc.msg)}") from None
    if root is None:
        raise BrokenMarkup("no HTML content")
    _check_nesting(root, _hocr_kind, "hOCR")
    page_els = [el for el in root.iter() if "ocr_page" in (el.get("class") or "").split()]
    out = []
    for pg in page_els or [root]:
        blocks: list[list[tuple[str, dict]]] = []
        cur_block = object()
        n_blocks = 0
        for ln in pg.iter():
            c = ln.get("class")
            if not c or "ocr" not in c:
                continue
            cls = set(c.split())
            if cls.isdisjoint(_HOCR_LINES):
                continue
            block_el = None
            for anc in ln.iterancestors():
                acls = _classes(anc)
                if "ocr_par" in acls:
                    block_el = anc
                    break
                if "ocr_carea" in acls and block_el is None:
                    block_el = anc
                if "ocr_page" in acls:
                    break
            if block_el is not cur_block or not blocks:
                cur_block = block_el
                n_blocks += 1
                blocks.append([])
            words = [el for el in ln.iter() if "ocrx_word" in (el.get("class") or "").split()]
            if words:
                line_text = " ".join(w for w in map(_hocr_word_text, words) if w)
            else:
                line_text = _clean_line(_WS.sub(" ", "".join(ln.itertext())))
            props = _title_props(ln.get("title"))
            box = _hocr_bbox(props) or (None, None, None, None)
            d = _geom(*box)
            d["block"] = (block_el.get("id") if block_el is not None else None) or f"block{n_blocks}"
            kind = next(iter(sorted(cls & _HOCR_LINES)))
            if kind != "ocr_line":
                d["region"] = kind[4:] if kind.startswith("ocr_") else kind
            fsizes = [_num(_title_props(w.get("title")).get("x_fsize", [None])[0]) for w in words
                      if "x_fsize" in (w.get("title") or "")]
            fsizes = [f for f in fsizes if f is not None]
            line_fs = _num((props.get("x_fsize") or [None])[0])
            d["_style"] = statistics.median(fsizes) if fsizes else line_fs
            xs = _num((props.get("x_size") or [None])[0])
            d["_height"] = xs if xs is not None else d["h"]
            blocks[-1].append((line_text, d))
        lines = _assemble(blocks)
        info: dict = {"font_size_source": _finish_sizes(lines)}
        pbox = _hocr_bbox(_title_props(pg.get("title")))
        info["width"], info["height"] = (pbox[2], pbox[3]) if pbox else (None, None)
        out.append((lines, info))
    return out


# -- PAGE XML


def _page_points(el) -> tuple | None:
    xs: list[float] = []
    ys: list[float] = []
    for c in el:
        if _local(c) != "Coords":
            continue
        pts = c.get("points")
        if pts:
            for pair in pts.split():
                xy = pair.split(",")
                if len(xy) == 2 and _num(xy[0]) is not None and _num(xy[1]) is not None:
                    xs.append(_num(xy[0]))
                    ys.append(_num(xy[1]))
        for p in c:
            if _local(p) == "Point" and _num(p.get("x")) is not None and _num(p.get("y")) is not None:
                xs.append(_num(p.get("x")))
                ys.append(_num(p.get("y")))
        break
    if not xs:
        return None
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _page_text(el) -> str | None:
    """Text of the best direct TextEquiv child (lowest @index) of ``el``."""
    best = None
    best_idx = None
    for te in el:
        if _local(te) != "TextEquiv":
            continue
        idx = _num(te.get("index"))
        idx = idx if idx is not None else 10**9
        if best is None or idx < best_idx:
            best, best_idx = te, idx
    if best is None:
        return None
    for u in best:
        if _local(u) == "Unicode":
            return u.text or ""
    return None


def _page_font(el) -> float | None:
    for c in el:
        if _local(c) == "TextStyle":
            return _num(c.get("fontSize"))
    return None


_CUSTOM_TYPE = re.compile(r"structure\s*\{[^}]*\btype\s*:\s*([\w-]+)")


def _parse_page(text: str) -> list[tuple[list[tuple[str, dict]], dict]]:
    root = _xml_root(text)
    _check_nesting(root, lambda el: _PAGE_NESTED.get(_local(el)), "PAGE XML")
    page_els = list(root.iter("{*}Page"))
    out = []
    for pg in page_els:
        regions = list(pg.iter("{*}TextRegion"))
        by_id = {r.get("id"): r for r in regions if r.get("id")}
        ordered: list = []
        seen: set[int] = set()

        def walk(group):
            kids = [c for c in group if _local(c)]
            if any(c.get("index") is not None for c in kids):
                kids.sort(key=lambda c: (_num(c.get("index")) if _num(c.get("index")) is not None else 10**9))
            for c in kids:
                ref = c.get("regionRef")
                if ref in by_id and id(by_id[ref]) not in seen:
                    seen.add(id(by_id[ref]))
                    ordered.append(by_id[ref])
                walk(c)

        for ro in pg:
            if _local(ro) == "ReadingOrder":
                walk(ro)
        ordered += [r for r in regions if id(r) not in seen]
        blocks = []
        for ri, reg in enumerate(ordered):
            bid = reg.get("id") or f"region{ri + 1}"
            rtype = reg.get("type")
            m = _CUSTOM_TYPE.search(reg.get("custom") or "")
            if m:
                rtype = m.group(1)
            rsize = _page_font(reg)
            lines = []
            tls = [c for c in reg if _local(c) == "TextLine"]
            for tl in tls:
                t = _page_text(tl)
                if t is None:
                    words = [_page_text(w) for w in tl if _local(w) == "Word"]
                    t = " ".join(w.strip() for w in words if w and w.strip())
                box = _page_points(tl) or (None, None, None, None)
                d = _geom(*box)
                d["block"] = bid
                if rtype:
                    d["region"] = rtype
                lsize = _page_font(tl)
                d["_style"] = lsize if lsize is not None else rsize
                lines.append((_clean_line(t), d))
            if not tls:
                t = _page_text(reg)
                for part in re.split(r"\r\n|\r|\n", t or ""):
                    d = {"x": None, "y": None, "w": None, "h": None, "block": bid, "_style": rsize}
                    if rtype:
                        d["region"] = rtype
                    lines.append((_clean_line(part), d))
            blocks.append(lines)
        lines = _assemble(blocks)
        info: dict = {"font_size_source": _finish_sizes(lines),
                      "width": _num(pg.get("imageWidth")), "height": _num(pg.get("imageHeight"))}
        out.append((lines, info))
    return out


PARSERS = {"alto": _parse_alto, "hocr": _parse_hocr, "page": _parse_page}


# ----------------------------------------------------------------------------------------------
# inputs: folders, files, zip archives, stdin

_UNSAFE_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_member(name: str) -> bool:
    if not name or "\x00" in name or name.startswith(("/", "\\")) or _UNSAFE_DRIVE.match(name):
        return True
    return any(p == ".." for p in re.split(r"[/\\]", name))


def _skip_note(where: str, skipped: Counter) -> str:
    n = sum(skipped.values())
    kinds = ", ".join(f"{k} x{v}" if v > 1 else k for k, v in sorted(skipped.items()))
    return _one_line(f"{where}: skipped {n} file{'s' if n != 1 else ''} that are not page text ({kinds}) "
                     f"(pass page files only to silence this note)")


class _Job:
    __slots__ = ("kind", "source", "path", "zf", "info", "folder", "nofollow")

    def __init__(self, kind, source, path=None, zf=None, info=None, folder=False):
        self.kind, self.source, self.path, self.zf, self.info = kind, source, path, zf, info
        self.folder = folder
        self.nofollow = False  # a file of a folder: refuse a link planted after the listing


def _is_zip_path(path: str) -> bool:
    if path.lower().endswith(".zip"):
        return True
    if not os.path.isfile(path):
        return False  # never consume a pipe just to sniff it
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _expand(doc: Document, arg: str, notes: list[str], open_zips: list,
            several: bool = False, follow_symlinks: bool = False) -> tuple[list[_Job], str | None]:
    """Jobs for one input argument, and a reason string when it holds no page file."""
    if arg == "-":
        return [_Job("stdin", "<stdin>")], None
    if not os.path.exists(arg):
        raise InputError("input not found", path=arg, hint="check the path; use - to read standard input")
    if os.path.isdir(arg):
        try:
            names = os.listdir(arg)
        except OSError as exc:
            _problem(doc, arg, f"folder cannot be read: {exc.strerror or exc}", "check its permissions")
            return [], "unreadable"
        skipped: Counter = Counter()
        subdirs = []
        jobs = []
        for name in sorted(names, key=natural_key):
            path = os.path.join(arg, name)
            if _hidden(name):
                continue
            if os.path.islink(path) and not follow_symlinks:
                _problem(doc, _display_name(doc, path if several else name),
                         "symbolic link inside an input folder, refused and not read",
                         "pass --follow-symlinks to read links, or name the file itself")
                continue
            if os.path.isdir(path):
                subdirs.append(name)
                continue
            reason = _non_page_reason(name)
            if reason:
                skipped[reason] += 1
                continue
            job = _Job("file", _display_name(doc, path if several else name), path, folder=True)
            job.nofollow = not follow_symlinks
            jobs.append(job)
        if skipped:
            notes.append(_skip_note(arg, skipped))
        if not jobs:
            hint = f"it has subfolders: {', '.join(subdirs[:5])}; point at the one with the pages" if subdirs else None
            return [], hint or ""
        return jobs, None
    if _is_zip_path(arg):
        try:
            zf = zipfile.ZipFile(arg)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            _problem(doc, arg, f"not a readable ZIP archive ({_one_line(exc)})", "re-create the archive")
            return [], "unreadable"
        open_zips.append(zf)
        skipped = Counter()
        members = []
        for zi in zf.infolist():
            name = zi.filename
            if _unsafe_member(name):
                _problem(doc, f"{arg}:{name}", "unsafe member name (absolute path or '..'), refused and not read",
                         "re-create the archive with relative member names")
                continue
            if zi.is_dir() or _hidden(name):
                continue
            if stat.S_ISLNK(zi.external_attr >> 16):
                _problem(doc, f"{arg}:{name}", "symbolic link inside the archive, refused and not read",
                         "re-create the archive without links")
                continue
            reason = _non_page_reason(name)
            if reason:
                skipped[reason] += 1
                continue
            members.append(zi)
        if skipped:
            notes.append(_skip_note(arg, skipped))
        members.sort(key=lambda zi: natural_key(zi.filename))
        return [_Job("zip", f"{arg}:{zi.filename}", arg, zf, zi) for zi in members], (None if members else "")
    return [_Job("file", _display_name(doc, arg), arg)], None


def _too_big(doc: Document, source: str, size: int, limit: int) -> None:
    _problem(doc, source, f"page is {_fmt_size(size)}, over the limit of {_fmt_size(limit)}; refused",
             "split it into pages or raise max_page_bytes")


def _run_file(doc: Document, job: _Job, limit: int) -> int:
    try:
        fd = os.open(job.path, os.O_RDONLY | (getattr(os, "O_NOFOLLOW", 0) if job.nofollow else 0)
                     | (getattr(os, "O_NONBLOCK", 0) if job.folder else 0))
        st = os.fstat(fd)
        size = st.st_size
        regular = stat.S_ISREG(st.st_mode)
        if size > limit or (not regular and job.folder):
            os.close(fd)
            if size > limit:
                _too_big(doc, job.source, size, limit)
            else:
                _problem(doc, job.source, "not a regular file", "keep only page files in the folder")
            return 0
        with open(fd, "rb") as f:
            # +1: notices a file that grew past the limit; pipes and devices have no size
            data = f.read((min(size, limit) if regular else limit) + 1)
    except OSError as exc:
        if job.nofollow and exc.errno == getattr(__import__("errno"), "ELOOP", -1):
            _problem(doc, job.source, "symbolic link inside an input folder, refused and not read",
                     "pass --follow-symlinks to read links, or name the file itself")
            return 0
        _problem(doc, job.source, f"cannot be read: {exc.strerror or _one_line(exc)}", "check the file and its permissions")
        return 0
    if len(data) > limit:
        _too_big(doc, job.source, len(data), limit)
        return 0
    return _add_from_bytes(doc, job.source, data)


def _run_zip_member(doc: Document, job: _Job, limit: int) -> int:
    zi: zipfile.ZipInfo = job.info
    if zi.flag_bits & 0x1:
        _problem(doc, job.source, "member is encrypted", "re-create the archive without a password")
        return 0
    if zi.file_size > limit:
        _too_big(doc, job.source, zi.file_size, limit)
        return 0
    try:
        with job.zf.open(zi) as f:  # read in memory only: members are never extracted to disk
            data = f.read(min(zi.file_size, limit) + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        _problem(doc, job.source, f"member cannot be read ({_one_line(exc)})", "re-create the archive")
        return 0
    except Exception as exc:  # zlib.error and other decompressor failures
        _problem(doc, job.source, f"member cannot be decompressed ({type(exc).__name__}: {_one_line(exc)})",
                 "re-create the archive")
        return 0
    if len(data) > limit:
        _too_big(doc, job.source, len(data), limit)
        return 0
    return _add_from_bytes(doc, job.source, data)


def _stdin_pages(stream: BinaryIO, limit: int, chunk_size: int = 1 << 20) -> Iterator[tuple[int, bytes | None, int]]:
    """Yield ``(n, bytes, size)`` per form-feed separated page; bytes is None when over ``limit``.

    Reads in chunks, so an oversize page is counted but never held in memory.
    """
    buf = bytearray()
    size = 0
    over = False
    n = 0
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        parts = chunk.split(b"\f")
        for i, part in enumerate(parts):
            size += len(part)
            if not over:
                if size > limit:
                    over = True
                    buf = bytearray()
                else:
                    buf += part
            if i < len(parts) - 1:  # a form feed ends this page
                n += 1
                yield n, (None if over else bytes(buf)), size
                buf, size, over = bytearray(), 0, False
    # a trailing form feed (or one followed by white space only) does not start a new page
    if over or bytes(buf).strip() or (n == 0 and size):
        yield n + 1, (None if over else bytes(buf)), size


def _run_stdin(doc: Document, stream: BinaryIO, limit: int, progress: Progress | None, done: int) -> int:
    added = 0
    for n, data, size in _stdin_pages(stream, limit):
        source = f"<stdin>:{n}"
        if data is None:
            _too_big(doc, source, size, limit)
        else:
            added += _add_from_bytes(doc, source, data)
        done += 1
        if progress:
            progress(done, None, source)
    return added


def load_inputs(inputs: "list[str] | str", *, max_page_bytes: int = 20_000_000,
                progress: Progress | None = None, notes: list[str] | None = None,
                stdin: BinaryIO | None = None, follow_symlinks: bool = False) -> Document:
    """Load OCR pages from folders, files, ``.zip`` archives or ``-`` (stdin) into a Document.

    ``progress(done, total, source)`` is called after each page file (``total`` is None while
    stdin is read). Notes about skipped non-page files (``.json``, images...) go to ``notes`` when
    a list is given, else to ``doc.problems``. ``stdin`` replaces ``sys.stdin.buffer`` (tests).
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = [os.fspath(a) for a in inputs]
    if not inputs:
        raise InputError("no input given", hint="name a folder, files, a .zip, or - for standard input")
    doc = Document()
    note_list: list[str] = []
    open_zips: list = []
    try:
        jobs: list[_Job] = []
        empty: list[tuple[str, str]] = []
        for arg in inputs:
            js, why = _expand(doc, arg, note_list, open_zips, several=len(inputs) > 1,
                              follow_symlinks=follow_symlinks)
            jobs.extend(js)
            if why is not None:
                empty.append((arg, why))
        (notes if notes is not None else doc.problems).extend(note_list)
        for arg, why in empty:
            if why != "unreadable" and len(inputs) > 1:
                _problem(doc, arg, "no page files found", why or "check the input")
        total = None if any(j.kind == "stdin" for j in jobs) else len(jobs)
        done = 0
        for job in jobs:
            if job.kind == "file":
                _run_file(doc, job, max_page_bytes)
            elif job.kind == "zip":
                _run_zip_member(doc, job, max_page_bytes)
            else:
                stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
                if stream is None:
                    _problem(doc, "<stdin>", "standard input is not available", "pipe the pages in or name files")
                    continue
                _run_stdin(doc, stream, max_page_bytes, progress, done)
                continue
            done += 1
            if progress:
                progress(done, total, job.source)
    finally:
        for zf in open_zips:
            zf.close()
    if not doc.pages:
        if len(inputs) == 1 and empty and empty[0][1] != "unreadable":
            arg, why = empty[0]
            what = "no text on standard input" if arg == "-" else f"no page files found in {arg}"
            raise NoPagesError(what, hint=why or "put the OCR page files (.txt, ALTO, hOCR, PAGE XML) there")
        if inputs == ["-"]:
            raise NoPagesError("no text on standard input" if not doc.problems else
                               f"no page could be loaded from standard input: {len(doc.problems)} problem(s), "
                               f"first: {doc.problems[0]}", hint="pipe page text separated by form feeds")
        n = len(doc.problems)
        first = f"; first: {doc.problems[0]}" if doc.problems else ""
        raise NoPagesError(f"no page could be loaded from {', '.join(inputs[:3])}"
                           f"{' ...' if len(inputs) > 3 else ''}: {n} problem{'s' if n != 1 else ''}{first}",
                           hint="see the problems listed above; fix or remove those files")
    doc.stages.append("ingest")
    return doc


def document_from_texts(items: Iterable[tuple[str, str]]) -> Document:
    """A Document from ``[(source, text), ...]`` through the same per-page code as files."""
    doc = Document()
    for source, text in items:
        _add_from_text(doc, source, text, "utf-8")
    doc.stages.append("ingest")
    return doc
