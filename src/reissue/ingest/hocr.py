"""hOCR reader."""

from __future__ import annotations


from .common import (WS, BrokenMarkup, ParsedPage, assemble, bbox_union, check_nesting, clean_line, finish_sizes,
                     from_lines, geom, join_words, num, one_line, strip_decl)

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
    for err in parser.error_log:  # the HTML parser drops what lies deeper than its limit: say so
        if "depth" in err.message.lower():
            raise BrokenMarkup(f"line {err.line}: elements nested deeper than the parser's limit of 256 levels")
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
            words = []
            for w in ln.iter():
                if "ocrx_word" not in (w.get("class") or "").split():
                    continue
                wt = _hocr_word_text(w)
                if wt:
                    wp = _title_props(w.get("title"))
                    wc = num((wp.get("x_wconf") or [None])[0])
                    words.append((wt, _hocr_bbox(wp), None if wc is None else round(wc / 100, 3),
                                  num((wp.get("x_fsize") or [None])[0]), w.get("id")))
            props = _title_props(ln.get("title"))
            entry = {"words": words, "props": props, "kind": next(iter(sorted(cls & _HOCR_LINES))),
                     "block": (block_el.get("id") if block_el is not None else None) or f"block{n_blocks}"}
            if not words:
                entry["text"] = clean_line(WS.sub(" ", "".join(ln.itertext())))
            blocks[-1].append(entry)
        blocks = [[_line(e) for e in column] for blk in blocks for column in split_columns(blk)]
        lines = assemble(blocks)
        info: dict = {"font_size_source": finish_sizes(lines)}
        pbox = _hocr_bbox(_title_props(pg.get("title")))
        info["width"], info["height"] = (pbox[2], pbox[3]) if pbox else (None, None)
        out.append(from_lines(lines, info))
    return out



def _line(e: dict) -> tuple[str, dict]:
    words, props = e["words"], e["props"]
    if words:
        line_text, starts = join_words([(w[0], True) for w in words], spaced=True)
        boxes = [w[1] for w in words if w[1]]
    else:
        line_text, starts, boxes = e["text"], [], []
    box = (bbox_union(boxes) if e.get("split") else None) or _hocr_bbox(props) or (None, None, None, None)
    d = geom(*box)
    d["block"] = e["block"]
    if e["kind"] != "ocr_line":
        d["region"] = e["kind"][4:] if e["kind"].startswith("ocr_") else e["kind"]
    conf = [[st, st + len(w[0]), w[2]] for w, st in zip(words, starts) if w[2] is not None]
    if conf:
        d["conf"] = conf
    ids = [[st, st + len(w[0]), w[4]] for w, st in zip(words, starts) if w[4]]
    if ids:
        d["words"] = ids
    fsizes = [w[3] for w in words if w[3] is not None]
    line_fs = num((props.get("x_fsize") or [None])[0])
    import statistics  # imported when used (a text build reads no hOCR)

    d["_style"] = statistics.median(fsizes) if fsizes else line_fs
    xs = num((props.get("x_size") or [None])[0])
    d["_height"] = xs if xs is not None else d["h"]
    return line_text, d


def split_columns(entries: list[dict], depth: int = 0) -> list[list[dict]]:
    """Split a block whose lines jump across a column gutter into one block per column.

    A gutter is a gap between two words of a line much wider than the block's word spacing
    (over 3 times its median and over the median word height). Every line is cut at the gutter's
    position; the left parts form one column, the right parts the next (repeated for more columns).
    """
    gaps = []
    heights = []
    for e in entries:
        ws = [w for w in e["words"] if w[1]]
        heights += [w[1][3] for w in ws]
        gaps += [b[1][0] - (a[1][0] + a[1][2]) for a, b in zip(ws, ws[1:])]
    if depth > 8 or len(gaps) < 2 or not heights:
        return [entries]
    pos = sorted(g for g in gaps if g > 0)
    med_gap = pos[len(pos) // 2] if pos else 0
    import statistics

    limit = max(3 * med_gap, statistics.median(heights))
    cuts = []
    for e in entries:
        ws = [w for w in e["words"] if w[1]]
        for a, b in zip(ws, ws[1:]):
            if b[1][0] - (a[1][0] + a[1][2]) > limit:
                cuts.append((a[1][0] + a[1][2] + b[1][0]) / 2)
                break
    if not cuts:
        return [entries]
    gutter = statistics.median(cuts)
    straddle = sum(1 for e in entries if any(w[1] and w[1][0] < gutter < w[1][0] + w[1][2] for w in e["words"]))
    if straddle > 0.1 * len(entries):
        return [entries]  # words run across that position: no gutter, only a wide space
    left, right = [], []
    for e in entries:
        lw = [w for w in e["words"] if not w[1] or w[1][0] + w[1][2] / 2 < gutter]
        rw = [w for w in e["words"] if w[1] and w[1][0] + w[1][2] / 2 >= gutter]
        if not e["words"]:
            left.append(e)
            continue
        if lw:
            left.append(dict(e, words=lw, split=bool(rw)))
        if rw:
            right.append(dict(e, words=rw, split=bool(lw), block=f"{e['block']}-col{depth + 2}"))
    if not left or not right:
        return [entries]
    return split_columns(left, depth + 1) + split_columns(right, depth + 1)
