"""ALTO reader (v1-v4, with or without namespace)."""

from __future__ import annotations

from collections import Counter

from ..chars import LINE_END_HYPHENS
from .common import (ParsedPage, apply_role, assemble, bbox_union, check_nesting, clean_line, finish_sizes, from_lines,
                     geom, join_words, local, num, role_of, xml_root)

FORMAT = "alto"
LABEL = "ALTO XML"

_ALTO_MARGINS = {"TopMargin": "top-margin", "BottomMargin": "bottom-margin", "LeftMargin": "left-margin",
                 "RightMargin": "right-margin", "PrintSpace": "print-space"}


_NESTED = {"Page": "<Page>", "PrintSpace": "<PrintSpace>", "TextBlock": "<TextBlock>",
           "TextLine": "<TextLine>", "String": "<String>"}


def parse(text: str) -> list[ParsedPage]:
    root = xml_root(text)
    check_nesting(root, lambda el: _NESTED.get(local(el)), "ALTO")
    return parse_root(root)


def parse_root(root, collect: list | None = None) -> list[ParsedPage]:
    """Pages of a parsed ALTO tree; ``collect`` gets ``(page no, TextLine, Strings, word starts,
    line text)`` for every line that has text, in raw order (used by the writer)."""
    styles: dict[str, float] = {}
    unit = None
    page_els = []
    # "{*}X" matches X in any namespace or none (ALTO v1-v4, namespaced or not)
    tags: dict[str, str] = {}
    for el in root.iter("{*}TextStyle", "{*}MeasurementUnit", "{*}Page", "{*}Tags"):
        ln = local(el)
        if ln == "Tags":
            for t in el:
                label = t.get("LABEL") or t.get("TYPE") or t.get("DESCRIPTION")
                if t.get("ID") and label:
                    tags[t.get("ID")] = label
        elif ln == "TextStyle":
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

    def tag_role(el) -> str | None:
        for ref in (el.get("TAGREFS") or "").split():
            if role_of(tags.get(ref)):
                return tags[ref]
        return None

    def block_role(blk) -> str | None:
        """The region type of a block: its tags, its TYPE, or those of an enclosing ComposedBlock."""
        for el in (blk, *blk.iterancestors("{*}ComposedBlock")):
            r = tag_role(el) or (el.get("TYPE") if role_of(el.get("TYPE")) else None)
            if r:
                return r
        return None

    out = []
    for pg in page_els or [root]:
        blocks = []
        typed = False
        for bi, blk in enumerate(pg.iter("{*}TextBlock")):
            region = None
            for anc in blk.iterancestors():
                region = _ALTO_MARGINS.get(local(anc))
                if region:
                    break
            bid = blk.get("ID") or f"block{bi + 1}"
            bsize = style_size(blk.get("STYLEREFS"))
            lines = []
            role = block_role(blk)
            typed = typed or bool(role)
            for tl in blk.iter("{*}TextLine"):
                line_text, d, lsize, strings, starts = read_line(tl, style_size, bool(styles))
                if collect is not None and line_text.strip():
                    collect.append((len(out), tl, strings, starts, line_text))
                d["block"] = bid
                if region:
                    d["region"] = region
                apply_role(d, tag_role(tl) or role)
                d["_style"] = lsize if lsize is not None else bsize
                lines.append((line_text, d))
            blocks.append(lines)
        lines = assemble(blocks)
        info: dict = {"font_size_source": finish_sizes(lines)}
        if typed:
            info["typed_regions"] = True  # the file's tags say what its blocks are: trusted for notes
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



def read_line(tl, style_size, with_styles: bool) -> tuple[str, dict, float | None, list, list[int]]:
    """Text, geometry and most common style size of one ``<TextLine>``.

    Words are joined as the file says: a space where it has ``<SP/>`` (when the line has any),
    else by :func:`join_words`. A line-end hyphen is written once: the ``<HYP>`` element's
    CONTENT (default ``-``) unless the last word already ends in a hyphen (BnF/Gallica style).
    ``SUBS_TYPE="HypPart1"`` with ``SUBS_CONTENT`` is kept as ``hyphen_word``: the library's own
    reading of the word split at the line end. ``WC`` (word confidence) and ``CC`` (character
    confidences) are kept per word as ``conf``: ``[[start, end, wc, cc], ...]`` in the line.
    """
    words: list[tuple[str, bool]] = []
    strings = []
    sizes: Counter = Counter()
    hyp = None
    subs = None
    spaced = False
    sp = False
    for ch in tl.iter("{*}String", "{*}HYP", "{*}SP"):
        name = local(ch)
        if name == "SP":
            sp = spaced = True
            continue
        if name == "HYP":
            hyp = clean_line(ch.get("CONTENT") or "") or "-"
            continue
        c = clean_line(ch.get("CONTENT") or "")
        if not c:
            continue
        strings.append(ch)
        words.append((c, sp))
        sp = False
        if ch.get("SUBS_TYPE") == "HypPart1" and ch.get("SUBS_CONTENT"):
            subs = clean_line(ch.get("SUBS_CONTENT"))
        if with_styles:
            size = style_size(ch.get("STYLEREFS"))
            if size is not None:
                sizes[size] += len(c)
    line_text, starts = join_words(words, spaced)
    if hyp and line_text and line_text[-1] not in LINE_END_HYPHENS:
        line_text += hyp
    g = tl.get
    box = (num(g("HPOS")), num(g("VPOS")), num(g("WIDTH")), num(g("HEIGHT")))
    if None in box:
        box = bbox_union([(num(c.get("HPOS")), num(c.get("VPOS")), num(c.get("WIDTH")),
                            num(c.get("HEIGHT"))) for c in strings]) or box
    d = geom(*box)
    if tl.get("ID"):
        d["id"] = tl.get("ID")
    if hyp:
        d["hyphen"] = True
    if subs:
        d["hyphen_word"] = subs
    ids = [[st, st + len(w), ch.get("ID")] for ch, (w, _), st in zip(strings, words, starts) if ch.get("ID")]
    if ids:
        d["words"] = ids
    conf = []
    for ch, (w, _), st in zip(strings, words, starts):
        wc = num(ch.get("WC"))
        if wc is not None:
            conf.append([st, st + len(w), round(wc / 100, 3) if wc > 1 else wc, ch.get("CC") or ""])
    if conf:
        d["conf"] = conf
    lsize = style_size(tl.get("STYLEREFS"))
    if lsize is None and sizes:
        lsize = sizes.most_common(1)[0][0]
    return line_text, d, lsize, strings, starts
