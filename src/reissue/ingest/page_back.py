"""Corrected PAGE 2019 written in place: ``TextEquiv index="0"`` corrected before ``index="1"`` the
OCR's, regions typed as reissue found them where the file leaves them untyped, and a processing
step in the metadata (see :mod:`.writeback`)."""

from __future__ import annotations

import datetime as _dt
from copy import deepcopy

from . import page as page_reader
from .back_common import (PAGE_NS, PAGE_XSD, XSI, _joins, _match, _next_line, _retag, _tool, corrected_word, crossing,
                          line_roles, share_out)
from .common import local

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


def _split_words(doc, page, pairs, pe) -> dict:
    """Corrections of words split over a line end (``Be-`` + ``drüffung`` -> ``Begrüssung``), shared out
    over the two ``Word``s: {Word: its corrected text}."""
    joins = _joins(doc, page)
    by_no = {ln.no: (ln, ent) for ln, ent in pairs}
    out: dict = {}
    for ln, (_, _tl, wels, _text) in pairs:
        nxt = by_no.get(_next_line(page, ln.no)) if ln.no in joins else None
        if not wels or nxt is None or not nxt[1][2]:
            continue
        (w1, st1, t1), (nln, ent) = wels[-1], nxt
        w2, st2, t2 = ent[2][0]
        a1, b1, a2, b2 = ln.start + st1, ln.start + st1 + len(t1), nln.start + st2, nln.start + st2 + len(t2)
        if not crossing(pe, a1, b1, a2, b2):
            continue
        word, _n = corrected_word(page.raw, a1, b2, pe)
        got = share_out(word, t1, t2) if word is not None and "\n" not in word and "\r" not in word else None
        if got is not None:
            out[w1], out[w2] = got
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
    split = _split_words(doc, page, pairs, pe)
    for ln, (_, tl, wels, text) in pairs:
        changed = False
        for w, st, t in wels:
            if w in split:
                new = split[w]
            else:
                new, crossing = corrected_word(page.raw, ln.start + st, ln.start + st + len(t), pe)
                stats["crossing"] += crossing
            if new is not None and new != t:
                _two_equivs(w, new)
                stats["words"] += 1
                changed = True
        line_new, crossing = corrected_word(page.raw, ln.start, ln.end, pe)
        if any(w in split for w, _st, _t in wels):  # the line as its words now read
            line_new = text
            for w, st, t in reversed(wels):
                got = split.get(w) or corrected_word(page.raw, ln.start + st, ln.start + st + len(t), pe)[0] or t
                line_new = line_new[:st] + got + line_new[st + len(t):]
        if not wels:
            stats["crossing"] += crossing
        if line_new is not None and line_new != text:
            _two_equivs(tl, line_new)
            if not wels:
                stats["words"] += 1
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
