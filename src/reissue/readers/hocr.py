"""hOCR reader."""

from __future__ import annotations

import statistics

from .common import (WS, BrokenMarkup, ParsedPage, assemble, check_nesting, clean_line, finish_sizes, from_lines, geom, num,
                     one_line, strip_decl)

FORMAT = "hocr"
LABEL = "hOCR"

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
    x0, y0, x1, y1 = (num(v) for v in b[:4])
    if None in (x0, y0, x1, y1):
        return None
    return x0, y0, x1 - x0, y1 - y0


def _hocr_word_text(el) -> str:
    t = el.text if not len(el) else None
    if t is None:
        t = "".join(el.itertext())
    if t.isprintable():
        return t.strip(" ")
    return clean_line(WS.sub(" ", t))


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


def parse(text: str) -> list[ParsedPage]:
    from lxml import etree

    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(strip_decl(text), parser)
    except etree.XMLSyntaxError as exc:  # pragma: no cover - the HTML parser is lenient
        raise BrokenMarkup(f"line {exc.lineno}: {one_line(exc.msg)}") from None
    if root is None:
        raise BrokenMarkup("no HTML content")
    check_nesting(root, _hocr_kind, "hOCR")
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
                line_text = clean_line(WS.sub(" ", "".join(ln.itertext())))
            props = _title_props(ln.get("title"))
            box = _hocr_bbox(props) or (None, None, None, None)
            d = geom(*box)
            d["block"] = (block_el.get("id") if block_el is not None else None) or f"block{n_blocks}"
            kind = next(iter(sorted(cls & _HOCR_LINES)))
            if kind != "ocr_line":
                d["region"] = kind[4:] if kind.startswith("ocr_") else kind
            fsizes = [num(_title_props(w.get("title")).get("x_fsize", [None])[0]) for w in words
                      if "x_fsize" in (w.get("title") or "")]
            fsizes = [f for f in fsizes if f is not None]
            line_fs = num((props.get("x_fsize") or [None])[0])
            d["_style"] = statistics.median(fsizes) if fsizes else line_fs
            xs = num((props.get("x_size") or [None])[0])
            d["_height"] = xs if xs is not None else d["h"]
            blocks[-1].append((line_text, d))
        lines = assemble(blocks)
        info: dict = {"font_size_source": finish_sizes(lines)}
        pbox = _hocr_bbox(_title_props(pg.get("title")))
        info["width"], info["height"] = (pbox[2], pbox[3]) if pbox else (None, None)
        out.append(from_lines(lines, info))
    return out

