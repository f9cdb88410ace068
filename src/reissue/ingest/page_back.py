"""Corrected PAGE 2019 written in place: ``TextEquiv index="0"`` corrected before ``index="1"`` the
OCR's, regions typed as reissue found them where the file leaves them untyped, and a processing
step in the metadata (see :mod:`.writeback`)."""

from __future__ import annotations

import datetime as _dt
from copy import deepcopy

from . import page as page_reader
from .back_common import (PAGE_NS, PAGE_XSD, XSI, _joins, _match, _next_line, _retag, _tool, boxes, corrected_word,
                          crossing, fresh_id, line_roles, regroup, share_out)
from .common import bbox_union, local

# PAGE 2019 TextRegion @type values that reissue's furniture kinds and notes map to
PAGE_TYPES = {"page-number", "header", "footer", "marginalia", "catch-word", "signature-mark", "footnote"}


def _type_regions(doc, page, pairs) -> int:
    """A PAGE ``TextRegion`` without a ``type`` whose lines reissue found all to be furniture of one
    kind, or a note, gets that type (``page-number``, ``header``, ``catch-word``, ``footnote``...).
    Returns how many regions were typed."""
    roles = line_roles(doc, page)
    regions: dict = {}
    for ln, (_, tl, _wels, _text) in pairs:
        reg = tl.getparent()
        if reg is not None and local(reg) == "TextRegion":
            regions.setdefault(reg, []).append(roles.get(ln.no))
    n = 0
    for reg, kinds in regions.items():
        if reg.get("type") or len(set(kinds)) != 1 or kinds[0] not in PAGE_TYPES \
                or len([c for c in reg if local(c) == "TextLine"]) != len(kinds):
            continue
        reg.set("type", kinds[0])
        n += 1
    return n


def _split_words(doc, page, pairs, pe, edits) -> dict:
    """Corrections of the words at a line end: a word split over it (``Be-`` + ``drüffung`` ->
    ``Begrüssung``, also two words a correction merges there: ``Unmüne`` + ``digkeit``) shared out
    over the two ``Word``s, the first ending in a hyphen (PAGE writes the word as printed); a word
    reflow joined there that a correction splits (``now-`` + ``known``) without its hyphen.
    {Word: its corrected text}."""
    from ..chars import LINE_END_HYPHENS

    joins = _joins(doc, page, edits)
    by_no = {ln.no: (ln, ent) for ln, ent in pairs}
    out: dict = {}
    for ln, (_, _tl, wels, _text) in pairs:
        nxt = by_no.get(_next_line(page, ln.no))
        if not wels or nxt is None or not nxt[1][2]:
            continue
        (w1, st1, t1), (nln, ent) = wels[-1], nxt
        w2, st2, t2 = ent[2][0]
        a1, b1, a2, b2 = ln.start + st1, ln.start + st1 + len(t1), nln.start + st2, nln.start + st2 + len(t2)
        if not crossing(pe, a1, b1, a2, b2):
            continue
        word, _n = corrected_word(page.raw, a1, b2, pe)
        if ln.no in joins:
            got = share_out(word, t1, t2) if word is not None and "\n" not in word and "\r" not in word else None
            if got is not None:
                p1, p2 = got
                out[w1], out[w2] = (p1 if p1[-1:] in LINE_END_HYPHENS else p1 + "-"), p2
            continue
        parts = (word or "").split()
        if len(parts) == 2:
            h1 = parts[0][:-1] if parts[0][-1:] in LINE_END_HYPHENS and len(parts[0]) > 1 else parts[0]
            out[w1], out[w2] = h1, parts[1]
    return out


def _regroup_words(olds: list, g, ids: set) -> list:
    """The ``Word``s of a :class:`~.back_common.Group` as the edition reads them, the standard way: a
    merge is one ``Word`` over the union of their boxes (their ``Glyph``s kept), a split is one ``Word``
    per part dividing the box (each ``Glyph`` goes to the part its centre lies in); the first new
    ``Word`` keeps the OCR's reading of the span as its ``TextEquiv`` (``index="1"`` once the caller
    writes ``index="0"``) with the lowest ``conf``. Returns ``[(Word, its corrected text)]`` in order."""
    from lxml import etree

    first, parent = olds[0], olds[0].getparent()
    ns = first.tag.rpartition("}")[0] + "}" if first.tag.startswith("{") else ""
    box = bbox_union([page_reader._page_points(w) for w in olds])
    confs = [c for c in (page_reader._word_equiv(w)[1] for w in olds) if c is not None]
    glyphs = [gl for w in olds for gl in w if local(gl) == "Glyph"]
    at = parent.index(first)
    for w in olds:
        parent.remove(w)
    parts = boxes(box[0], box[2], g.words) if box else [(None, None)] * len(g.words)
    out = []
    for k, (word, (x, w)) in enumerate(zip(g.words, parts)):
        el = etree.Element(first.tag, {a: v for a, v in first.attrib.items() if a != "id"})
        el.set("id", fresh_id(first.get("id") or "w", ids, not k))
        if box:
            x0, y0, x1, y1 = (round(v) for v in (x, box[1], x + w, box[1] + box[3]))
            etree.SubElement(el, f"{ns}Coords", points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")
        for gl in glyphs:
            gb = page_reader._page_points(gl)
            centre = gb[0] + gb[2] / 2 if gb else None
            if len(parts) == 1 or (centre is not None and x <= centre < x + w) or (centre is None and k == 0):
                el.append(deepcopy(gl))
        te = etree.SubElement(el, f"{ns}TextEquiv")
        if k == 0 and confs:
            te.set("conf", f"{min(confs):g}")
        elif k:  # a part after the first: its one reading is the corrected one
            te.set("index", "0")
            te.set("comments", "corrected")
        etree.SubElement(te, f"{ns}Unicode").text = g.ocr if k == 0 else word
        for c in first:
            if local(c) in ("TextStyle", "UserDefined", "Labels"):
                el.append(deepcopy(c))
        parent.insert(at + k, el)
        out.append((el, word))
    return out


def _write_page(doc, page, root, generator, edits, stats) -> bytes:
    from lxml import etree

    collect: list = []
    page_reader.parse_root(root, collect)
    pairs = _match(page, collect, lambda c: c[3])
    if collect and not pairs:
        stats["lines_unmatched"] += len(collect)
    pe = edits.get(page.index, [])
    stats["typed"] = _type_regions(doc, page, pairs)
    split = _split_words(doc, page, pairs, pe, edits)
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for ln, (_, tl, wels, text) in pairs:
        spans = [(ln.start + st, ln.start + st + len(t)) for _w, st, t in wels]
        groups = regroup(page.raw, spans, pe, {i for i, (w, _st, _t) in enumerate(wels) if w in split})
        grouped = {i: g for g in groups for i in range(g.first, g.stop)}
        changed = False
        line_new = text
        for i in reversed(range(len(wels))):  # each word written, and the line as its words now read
            w, st, t = wels[i]
            g = grouped.get(i)
            if g is not None:
                if i != g.first:
                    continue
                b = wels[g.stop - 1][1] + len(wels[g.stop - 1][2])
                line_new = line_new[:st] + " ".join(g.words) + line_new[b:]
                if g.one_to_one:
                    news = [(wels[k][0], word) for k, word in zip(range(g.first, g.stop), g.words)]
                else:
                    news = _regroup_words([wels[k][0] for k in range(g.first, g.stop)], g, ids)
                    kind = "merged" if len(g.words) < g.stop - g.first else "split"
                    stats[kind] = stats.get(kind, 0) + 1
                for el, word in news:
                    if word != page_reader._word_equiv(el)[0]:
                        _two_equivs(el, word)
                stats["words"] += 1
                changed = True
                continue
            if w in split:
                new = split[w]
            else:
                new, crossing = corrected_word(page.raw, ln.start + st, ln.start + st + len(t), pe)
                stats["crossing"] += crossing
            if new is not None and new != t:
                _two_equivs(w, new)
                stats["words"] += 1
                changed = True
                line_new = line_new[:st] + new + line_new[st + len(t):]
        if not wels:
            line_new, crossing = corrected_word(page.raw, ln.start, ln.end, pe)
            stats["crossing"] += crossing
            if line_new is not None and line_new != text:
                stats["words"] += 1
        if line_new is not None and line_new != text:
            _two_equivs(tl, line_new)
        elif changed:
            _two_equivs(tl, text)
    new_root = _retag(root, PAGE_NS)
    new_root.set(f"{{{XSI}}}schemaLocation", f"{PAGE_NS} {PAGE_XSD}")
    md = next((c for c in new_root if local(c) == "Metadata"), None)
    if md is not None:
        now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()
        for c in md:
            if local(c) == "LastChange":
                c.text = now
        name, version, model = _tool(generator)
        item = etree.Element(f"{{{PAGE_NS}}}MetadataItem", type="processingStep", name="ocr-post-correction",
                             value=f"{name} {version}; model={model}; {stats['words']} words corrected, "
                                   f"TextEquiv index 0 corrected, index 1 the OCR's; {stats.get('typed', 0)} "
                                   f"regions typed as reissue found them", date=now)
        # MetadataItem comes after Creator, Created, LastChange, Comments, UserDefined
        md.append(item)
    return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8")


def _two_equivs(el, corrected: str) -> None:
    """``TextEquiv index=0`` corrected before ``index=1`` the OCR's, where the TextEquiv was."""
    tes = [c for c in el if local(c) == "TextEquiv"]
    if not tes:
        return
    best = min(tes, key=lambda te: int(te.get("index") or 10**9) if (te.get("index") or "").isdigit() else 10**9)
    if best.get("index") == "1" and any(te.get("index") == "0" for te in tes):
        return  # already written by us (a line whose words were corrected)
    ocr = best
    new = deepcopy(ocr)
    for k in list(new.attrib):
        del new.attrib[k]
    new.set("index", "0")
    new.set("comments", "corrected")
    for u in new:
        if local(u) == "Unicode":
            u.text = corrected
        elif local(u) == "PlainText":
            u.text = corrected
    ocr.set("index", "1")
    ocr.set("comments", "OCR")
    el.insert(el.index(ocr), new)
    for te in tes:
        if te is not ocr:
            te.getparent().remove(te)  # only two readings are kept: corrected and OCR
