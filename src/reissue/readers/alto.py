"""ALTO reader (v1-v4, with or without namespace)."""

from __future__ import annotations

from collections import Counter

from .common import ParsedPage, assemble, check_nesting, bbox_union, clean_line, finish_sizes, from_lines, geom, local, num, xml_root

FORMAT = "alto"
LABEL = "ALTO XML"

_ALTO_MARGINS = {"TopMargin": "top-margin", "BottomMargin": "bottom-margin", "LeftMargin": "left-margin",
                 "RightMargin": "right-margin", "PrintSpace": "print-space"}


_NESTED = {"Page": "<Page>", "PrintSpace": "<PrintSpace>", "TextBlock": "<TextBlock>",
           "TextLine": "<TextLine>", "String": "<String>"}


def parse(text: str) -> list[ParsedPage]:
    root = xml_root(text)
    check_nesting(root, lambda el: _NESTED.get(local(el)), "ALTO")
    styles: dict[str, float] = {}
    unit = None
    page_els = []
    # "{*}X" matches X in any namespace or none (ALTO v1-v4, namespaced or not)
    for el in root.iter("{*}TextStyle", "{*}MeasurementUnit", "{*}Page"):
        ln = local(el)
        if ln == "TextStyle":
            size = num(el.get("FONTSIZE"))
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
                region = _ALTO_MARGINS.get(local(anc))
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
                        c = clean_line(c)
                        if c:
                            parts.append(c)
                            if styles:
                                size = style_size(ch.get("STYLEREFS"))
                                if size is not None:
                                    sizes[size] += len(c)
                line_text = " ".join(parts) + ("-" if hyp and parts else "")
                g = tl.get
                box = (num(g("HPOS")), num(g("VPOS")), num(g("WIDTH")), num(g("HEIGHT")))
                if None in box:
                    box = bbox_union([(num(c.get("HPOS")), num(c.get("VPOS")), num(c.get("WIDTH")),
                                        num(c.get("HEIGHT"))) for c in strings]) or box
                d = geom(*box)
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
        lines = assemble(blocks)
        info: dict = {"font_size_source": finish_sizes(lines)}
        w, h = num(pg.get("WIDTH")), num(pg.get("HEIGHT"))
        if w is None or h is None:
            for ps in pg.iter("{*}PrintSpace"):
                w, h = num(ps.get("WIDTH")), num(ps.get("HEIGHT"))
                break
        info["width"], info["height"] = w, h
        if unit:
            info["units"] = unit
        printed = pg.get("PRINTED_IMG_NR")
        if printed:
            info["printed_number"] = printed
        out.append(from_lines(lines, info))
    return out

