"""Shared helpers of the OCR XML readers: safe XML parsing, numbers, geometry, line assembly.

Each reader returns a list of :class:`ParsedPage` (one per physical page). For XML formats the raw
text is one line per OCR line with a blank line between blocks/regions, and ``info["lines"]`` holds
one geometry dict per raw line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..decoding import fmt_size, one_line


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

