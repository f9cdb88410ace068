"""Shared helpers of the OCR XML readers: safe XML parsing, numbers, geometry, line assembly.

Each reader returns a list of :class:`ParsedPage` (one per physical page). For XML formats the raw
text is one line per OCR line with a blank line between blocks/regions, and ``info["lines"]`` holds
one geometry dict per raw line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chars import ATTACH_LEFT, ATTACH_RIGHT, LINE_END_HYPHENS
from .decoding import fmt_size, one_line


@dataclass
class ParsedPage:
    """One physical page read from a file: its raw text and what the file says about it."""

    raw: str
    info: dict = field(default_factory=dict)


def from_lines(lines: list[tuple[str, dict]], info: dict) -> ParsedPage:
    """A page from ``[(line text, geometry)]``: raw lines joined by newlines, one dict per raw line."""
    raw = "\n".join(t for t, _ in lines)
    # one dict per raw line: an empty page still has one (blank) line
    return ParsedPage(raw, dict(info, lines=[d for _, d in lines] or [{"block": None, "blank": True}]))


def line_layout(page, line_no: int) -> dict:
    """What the OCR file says about raw line ``line_no`` of ``page`` (geometry, region role...)."""
    info = page.info.get("lines") if isinstance(page.info, dict) else None
    if info and 0 <= line_no < len(info) and isinstance(info[line_no], dict):
        return info[line_no]
    return {}


class BrokenMarkup(ValueError):
    pass


XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
LINEBREAKS = re.compile(r"[\r\n\f\v\x1c-\x1e\x85\u2028\u2029]+")
WS = re.compile(r"[ \t\r\n\f\v]+")


def strip_decl(text: str) -> str:
    # lxml refuses str input with an encoding declaration; the declaration sits on line 1,
    # so removing it keeps the line numbers of error messages right
    return XML_DECL.sub("", text, count=1).lstrip("\ufeff")


def xml_root(text: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(strip_decl(text), parser)
    except etree.XMLSyntaxError as exc:
        line, col = (exc.position or (exc.lineno, 0))
        msg = re.sub(r",? line \d+, column \d+\s*$", "", one_line(exc.msg))
        raise BrokenMarkup(f"line {line}, column {col}: {msg}") from None
    inline_entities(root, len(text))
    return root


MAX_ENTITY_GROWTH = 1_000_000  # characters custom entities may add to a file (beyond its own size)


def inline_entities(root, size: int) -> None:
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
            raise BrokenMarkup(f"its custom entities expand to over {fmt_size(MAX_ENTITY_GROWTH + size)} of text; refused")
        parent, prev = ent.getparent(), ent.getprevious()
        add = val + (ent.tail or "")
        if prev is not None:
            prev.tail = (prev.tail or "") + add
        else:
            parent.text = (parent.text or "") + add
        parent.remove(ent)


def check_nesting(root, kind_of, fmt: str) -> None:
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


def local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def num(v) -> float | int | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (ValueError, TypeError):
        return None
    if f.is_integer():
        return int(f)
    if f != f or f in (INF, -INF):
        return None
    return round(f, 3)


INF = float("inf")


def clean_line(text: str) -> str:
    return LINEBREAKS.sub(" ", text).strip(" \t")


def assemble(blocks: list[list[tuple[str, dict]]]) -> list[tuple[str, dict]]:
    """Join blocks of lines with one blank line between non-empty blocks.

    A drop capital (a block whose only line is marked ``dropcap``) is followed directly by the
    block it opens, without a blank line, so reflow joins it to its word.
    """
    mark_dropcaps(blocks)
    out: list[tuple[str, dict]] = []
    glue = False
    for blk in blocks:
        lines = [(t, d) for t, d in blk if t.strip()]
        if not lines:
            continue
        if out and not glue:
            out.append(("", {"block": None, "blank": True}))
        out.extend(lines)
        glue = len(lines) == 1 and bool(lines[0][1].get("dropcap"))
    return out


# region types (PAGE XML @type, structure{type:} custom, ALTO tags, hOCR classes), compared as
# lower-case letters only, -> what the line is: furniture of a kind, a note, or a drop capital
ROLES = {
    "pagenumber": ("furniture", "folio"), "folio": ("furniture", "folio"),
    "header": ("furniture", "running-head"), "runninghead": ("furniture", "running-head"),
    "runningtitle": ("furniture", "running-head"),
    "footer": ("furniture", "running-foot"), "runningfoot": ("furniture", "running-foot"),
    "marginalia": ("furniture", "marginalia"), "marginalnote": ("furniture", "marginalia"),
    "catchword": ("furniture", "catch-word"), "signaturemark": ("furniture", "signature-mark"),
    "signature": ("furniture", "signature-mark"),
    "footnote": ("note", "footnote"), "footnotecontinued": ("note", "footnote-continued"),
    "endnote": ("note", "endnote"),
    "dropcapital": ("dropcap", "drop-capital"), "dropcap": ("dropcap", "drop-capital"),
}


def role_of(rtype: str | None) -> tuple[str, str] | None:
    """``("furniture", kind)``, ``("note", kind)``, ``("dropcap", ...)`` or None for a region type."""
    if not rtype:
        return None
    return ROLES.get("".join(c for c in rtype.lower() if c.isalpha()))


def apply_role(d: dict, rtype: str | None) -> None:
    """Mark a line's geometry dict with what its region type says it is."""
    role = role_of(rtype)
    if role is None:
        return
    if role[0] == "furniture":
        d["furniture"] = role[1]
    elif role[0] == "note":
        d["note"] = role[1]
    else:
        d["dropcap"] = True


def mark_dropcaps(blocks: list[list[tuple[str, dict]]]) -> None:
    """Mark as a drop capital a block of one capital letter followed by a block that begins with a
    lower-case letter, when the letter is much taller than the page's lines or stands left of that
    block's first line (formats without region types)."""
    heights = sorted(d["h"] for blk in blocks for t, d in blk if t.strip() and d.get("h"))
    if not heights:
        return
    med = heights[len(heights) // 2]
    texts = [[(t, d) for t, d in blk if t.strip()] for blk in blocks]
    for k, blk in enumerate(texts):
        if len(blk) != 1 or blk[0][1].get("dropcap"):
            continue
        t, d = blk[0]
        nxt = next((b for b in texts[k + 1:] if b), None)
        if not (len(t.strip()) == 1 and t.strip().isupper() and nxt and nxt[0][0].lstrip()[:1].islower()):
            continue
        n = nxt[0][1]
        beside = (None not in (d.get("x"), d.get("y"), d.get("w"), d.get("h"), n.get("x"), n.get("y"), n.get("h"))
                  and d["x"] + d["w"] <= n["x"] + 0.5 * d["w"]
                  and d["y"] < n["y"] + n["h"] and n["y"] < d["y"] + d["h"])
        if beside or (d.get("h") and d["h"] >= 1.8 * med):
            d["dropcap"] = True


def join_words(words: list[tuple[str, bool]], spaced: bool) -> tuple[str, list[int]]:
    """Line text from its words and the offset of each word in it.

    ``words`` is ``[(text, space_before)]``. When the file marks spaces (ALTO ``<SP/>``),
    ``spaced`` is True and they are followed; otherwise words are separated by one space except
    punctuation stored as its own word, which attaches to its neighbour (``Monatsschrift`` ``.``),
    and a hyphen at the end of the line.
    """
    out = ""
    starts = []
    for i, (w, sp) in enumerate(words):
        if out:
            end_hyphen = i == len(words) - 1 and len(w) == 1 and w in LINE_END_HYPHENS
            if spaced:
                gap = sp and not end_hyphen
            else:
                gap = not (all(c in ATTACH_LEFT for c in w) or end_hyphen or out[-1] in ATTACH_RIGHT)
            if gap:
                out += " "
        starts.append(len(out))
        out += w
    return out, starts


def finish_sizes(lines: list[tuple[str, dict]], fallback_key: str = "h") -> str:
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


def bbox_union(boxes: list[tuple]) -> tuple | None:
    boxes = [b for b in boxes if b and None not in b]
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def geom(x, y, w, h) -> dict:
    return {"x": num(x), "y": num(y), "w": num(w), "h": num(h)}

