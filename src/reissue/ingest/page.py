"""PAGE XML reader (2013, 2019)."""

from __future__ import annotations

import re

from .common import (ParsedPage, apply_role, assemble, check_nesting, clean_line, finish_sizes, from_lines, geom,
                     join_words, local, num, xml_root)

FORMAT = "page"
LABEL = "PAGE XML"


def _page_points(el) -> tuple | None:
    xs: list[float] = []
    ys: list[float] = []
    for c in el:
        if local(c) != "Coords":
            continue
        pts = c.get("points")
        if pts:
            for pair in pts.split():
                xy = pair.split(",")
                if len(xy) == 2 and num(xy[0]) is not None and num(xy[1]) is not None:
                    xs.append(num(xy[0]))
                    ys.append(num(xy[1]))
        for p in c:
            if local(p) == "Point" and num(p.get("x")) is not None and num(p.get("y")) is not None:
                xs.append(num(p.get("x")))
                ys.append(num(p.get("y")))
        break
    if not xs:
        return None
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _page_equiv(el) -> tuple[str | None, float | None]:
    """Text and ``conf`` of the best direct TextEquiv child (lowest @index) of ``el``."""
    best = None
    best_idx = None
    for te in el:
        if local(te) != "TextEquiv":
            continue
        idx = num(te.get("index"))
        idx = idx if idx is not None else 10**9
        if best is None or idx < best_idx:
            best, best_idx = te, idx
    if best is None:
        return None, None
    for u in best:
        if local(u) == "Unicode":
            return u.text or "", num(best.get("conf"))
    return None, None


def _page_text(el) -> str | None:
    return _page_equiv(el)[0]


def _word_equiv(w) -> tuple[str | None, float | None]:
    """A Word's text: its own TextEquiv, else its Glyphs' (the deepest level present)."""
    t, c = _page_equiv(w)
    if t is not None:
        return t, c
    glyphs = [_page_equiv(g) for g in w if local(g) == "Glyph"]
    glyphs = [(gt, gc) for gt, gc in glyphs if gt is not None]
    if not glyphs:
        return None, None
    confs = [gc for _, gc in glyphs if gc is not None]
    return "".join(gt for gt, _ in glyphs), (min(confs) if confs else None)


_SPACES = re.compile(r"\s+")


def read_line(tl) -> tuple[str, list, list, list]:
    """Text of a TextLine, its confidence spans ``[[start, end, conf], ...]``, word ids
    ``[[start, end, id], ...]`` and ``[(Word, start, text)]`` (for the writer).

    The text is taken at the deepest level present (Glyph < Word < TextLine): the line's own
    TextEquiv when it says the same as its words (it also says where the spaces are), else the
    words joined. ``conf`` of each word (or of the line, when it has no words) is kept.
    """
    line_text, line_conf = _page_equiv(tl)
    wels = [w for w in tl if local(w) == "Word"]
    words = [(*_word_equiv(w), w) for w in wels]
    words = [(clean_line(t), c, w) for t, c, w in words if t is not None and clean_line(t)]
    if not words:
        text = clean_line(line_text or "")
        return text, ([[0, len(text), line_conf]] if line_conf is not None and text else []), [], []
    joined, starts = join_words([(t, True) for t, _, _ in words], spaced=False)
    text = joined
    if line_text is not None and _SPACES.sub("", line_text) == _SPACES.sub("", joined):
        text = clean_line(line_text)
        starts, pos = [], 0
        for t, _, _ in words:
            k = text.find(t, pos)
            starts.append(k if k >= 0 else pos)
            pos = (k if k >= 0 else pos) + len(t)
    conf = [[st, st + len(t), c] for (t, c, _), st in zip(words, starts) if c is not None]
    if not conf and line_conf is not None:
        conf = [[0, len(text), line_conf]]
    ids = [[st, st + len(t), w.get("id")] for (t, _, w), st in zip(words, starts) if w.get("id")]
    return text, conf, ids, [(w, st, t) for (t, _, w), st in zip(words, starts)]


def _page_font(el) -> float | None:
    for c in el:
        if local(c) == "TextStyle":
            return num(c.get("fontSize"))
    return None


_CUSTOM_TYPE = re.compile(r"structure\s*\{[^}]*\btype\s*:\s*([\w-]+)")


_NESTED = {"Page": "<Page>", "TextLine": "<TextLine>", "Word": "<Word>", "Glyph": "<Glyph>"}


def parse(text: str) -> list[ParsedPage]:
    root = xml_root(text)
    check_nesting(root, lambda el: _NESTED.get(local(el)), "PAGE XML")
    return parse_root(root)


def parse_root(root, collect: list | None = None) -> list[ParsedPage]:
    """Pages of a parsed PAGE tree; ``collect`` gets ``(page no, TextLine, [(Word, start, text)],
    line text)`` for every line that has text, in raw order (used by the writer)."""
    page_els = list(root.iter("{*}Page"))
    out = []
    for pg in page_els:
        regions = list(pg.iter("{*}TextRegion"))
        by_id = {r.get("id"): r for r in regions if r.get("id")}
        ordered: list = []
        seen: set[int] = set()

        def walk(group):
            kids = [c for c in group if local(c)]
            if any(c.get("index") is not None for c in kids):
                kids.sort(key=lambda c: (num(c.get("index")) if num(c.get("index")) is not None else 10**9))
            for c in kids:
                ref = c.get("regionRef")
                if ref in by_id and id(by_id[ref]) not in seen:
                    seen.add(id(by_id[ref]))
                    ordered.append(by_id[ref])
                walk(c)

        for ro in pg:
            if local(ro) == "ReadingOrder":
                walk(ro)
        ordered += [r for r in regions if id(r) not in seen]
        blocks = []
        numbers = []
        typed = False
        for ri, reg in enumerate(ordered):
            bid = reg.get("id") or f"region{ri + 1}"
            rtype = reg.get("type")
            m = _CUSTOM_TYPE.search(reg.get("custom") or "")
            if m:
                rtype = m.group(1)
            typed = typed or bool(rtype)
            rsize = _page_font(reg)
            lines = []
            tls = [c for c in reg if local(c) == "TextLine"]
            for tl in tls:
                t, conf, ids, wels = read_line(tl)
                if collect is not None and t.strip():
                    collect.append((len(out), tl, wels, t))
                box = _page_points(tl) or (None, None, None, None)
                d = geom(*box)
                d["block"] = bid
                if tl.get("id"):
                    d["id"] = tl.get("id")
                if rtype:
                    d["region"] = rtype
                    apply_role(d, rtype)
                if conf:
                    d["conf"] = conf
                if ids:
                    d["words"] = ids
                lsize = _page_font(tl)
                d["_style"] = lsize if lsize is not None else rsize
                lines.append((t, d))
            if not tls:
                t, c = _page_equiv(reg)
                for part in re.split(r"\r\n|\r|\n", t or ""):
                    d = {"x": None, "y": None, "w": None, "h": None, "block": bid, "_style": rsize}
                    if rtype:
                        d["region"] = rtype
                        apply_role(d, rtype)
                    if c is not None and clean_line(part):
                        d["conf"] = [[0, len(clean_line(part)), c]]
                    lines.append((clean_line(part), d))
            if any(d.get("furniture") == "folio" for t, d in lines if t.strip()):
                numbers.append(" ".join(t.strip() for t, _ in lines if t.strip()))
            blocks.append(lines)
        lines = assemble(blocks)
        info: dict = {"font_size_source": finish_sizes(lines),
                      "width": num(pg.get("imageWidth")), "height": num(pg.get("imageHeight"))}
        if typed:
            info["typed_regions"] = True  # the file says what each region is: trusted for notes
        if numbers:
            info["printed_numbers"] = numbers  # a double-page scan has two
        out.append(from_lines(lines, info))
    return out
