"""PAGE XML reader (2013, 2019)."""

from __future__ import annotations

import re

from .common import ParsedPage, assemble, check_nesting, clean_line, finish_sizes, from_lines, geom, local, num, xml_root

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


def _page_text(el) -> str | None:
    """Text of the best direct TextEquiv child (lowest @index) of ``el``."""
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
        return None
    for u in best:
        if local(u) == "Unicode":
            return u.text or ""
    return None


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
        for ri, reg in enumerate(ordered):
            bid = reg.get("id") or f"region{ri + 1}"
            rtype = reg.get("type")
            m = _CUSTOM_TYPE.search(reg.get("custom") or "")
            if m:
                rtype = m.group(1)
            rsize = _page_font(reg)
            lines = []
            tls = [c for c in reg if local(c) == "TextLine"]
            for tl in tls:
                t = _page_text(tl)
                if t is None:
                    words = [_page_text(w) for w in tl if local(w) == "Word"]
                    t = " ".join(w.strip() for w in words if w and w.strip())
                box = _page_points(tl) or (None, None, None, None)
                d = geom(*box)
                d["block"] = bid
                if rtype:
                    d["region"] = rtype
                lsize = _page_font(tl)
                d["_style"] = lsize if lsize is not None else rsize
                lines.append((clean_line(t), d))
            if not tls:
                t = _page_text(reg)
                for part in re.split(r"\r\n|\r|\n", t or ""):
                    d = {"x": None, "y": None, "w": None, "h": None, "block": bid, "_style": rsize}
                    if rtype:
                        d["region"] = rtype
                    lines.append((clean_line(part), d))
            blocks.append(lines)
        lines = assemble(blocks)
        info: dict = {"font_size_source": finish_sizes(lines),
                      "width": num(pg.get("imageWidth")), "height": num(pg.get("imageHeight"))}
        out.append(from_lines(lines, info))
    return out

