"""ALTO v4 from any page with line geometry (PAGE XML, hOCR input): the corrected text as ALTO.

ALTO input keeps its own file structure (:mod:`.writeback`); a page read from PAGE XML
or hOCR is written as a new ALTO v4 file from what the reader kept: one ``TextBlock`` per region or
block (its role, e.g. page-number, catch-word or footnote, as a ``StructureTag``), one ``TextLine``
per line with its box, one ``String`` per word with its corrected text (the OCR's as
``ALTERNATIVE PURPOSE="OCR"``) and ``WC`` where the engine gave a confidence; a word that reflow
joined over a line end is written with ``HYP`` and ``SUBS_CONTENT``.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..chars import LINE_END_HYPHENS
from .alto_back import _keep_compound
from .back_common import ROLE_LABEL, _keeps, crossing as crossing_edits, regroup, share_out
from .common import role_of

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
ALTO_XSD = "http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _role(d: dict) -> str | None:
    if d.get("furniture"):
        return ROLE_LABEL.get(d["furniture"], d["furniture"])
    if d.get("note"):
        return d["note"]
    if d.get("dropcap"):
        return "drop-capital"
    return d.get("region") if role_of(d.get("region")) else None


def _share_correction(page, pe, spans, last, first, corrected_word, stats, E) -> None:
    """A correction of a word split over a line end, shared out over its two Strings."""
    (a1, b1, c1), (a2, b2, c2) = spans[last], spans[first]
    if not crossing_edits(pe, a1, b1, a2, b2):
        return
    word, _n = corrected_word(page.raw, a1, b2, pe)
    got = share_out(word, c1, c2) if word is not None and "\n" not in word and "\r" not in word else None
    _set_words((last, first), (c1, c2), got or (), stats, E)


def _set_words(elements, ocr_readings, new_words, stats, E) -> None:
    """Each String its new CONTENT; the OCR's reading kept once as an ALTERNATIVE."""
    for el, ocr, new in zip(elements, ocr_readings, new_words):
        if new != el.get("CONTENT"):
            if not len(el):  # the OCR's reading, once
                alt = E("ALTERNATIVE", PURPOSE="OCR")
                alt.text = ocr
                el.append(alt)
                stats["words"] += 1
            el.set("CONTENT", new)


def _unsplit(page, pe, spans, last, first, corrected_word, stats, E) -> None:
    """Two words of a line end that a correction splits where reflow had joined them (``now-`` +
    ``known`` -> ``now known``): each String its word, the first without its hyphen."""
    (a1, b1, c1), (a2, b2, c2) = spans[last], spans[first]
    if not crossing_edits(pe, a1, b1, a2, b2):
        return
    word, _n = corrected_word(page.raw, a1, b2, pe)
    parts = (word or "").split()
    if len(parts) != 2:
        return
    if parts[0][-1:] in LINE_END_HYPHENS and len(parts[0]) > 1:
        parts[0] = parts[0][:-1]
    _set_words((last, first), (c1, c2), parts, stats, E)


def alto_from_pages(doc, pages, generator: dict, edits: dict, joins_of, corrected_word, stats: dict) -> bytes:
    """One ALTO v4 file holding ``pages`` (Page objects with ``info["lines"]`` geometry)."""
    from lxml import etree

    def E(tag, **attrs):
        return etree.Element(f"{{{ALTO_NS}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})

    root = etree.Element(f"{{{ALTO_NS}}}alto", nsmap={None: ALTO_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{ALTO_NS} {ALTO_XSD}")
    desc = etree.SubElement(root, f"{{{ALTO_NS}}}Description")
    unit = etree.SubElement(desc, f"{{{ALTO_NS}}}MeasurementUnit")
    unit.text = "pixel"
    src = etree.SubElement(desc, f"{{{ALTO_NS}}}sourceImageInformation")
    fn = etree.SubElement(src, f"{{{ALTO_NS}}}fileName")
    fn.text = pages[0].source
    tags_el = E("Tags")
    tag_ids: dict[str, str] = {}
    layout = E("Layout")
    for k, page in enumerate(pages):
        info = page.info.get("lines") or []
        pe = edits.get(page.index, [])
        joins = joins_of(doc, page, edits)
        pg = E("Page", ID=f"P{k + 1}", PHYSICAL_IMG_NR=k + 1, WIDTH=page.info.get("width") or 0,
               HEIGHT=page.info.get("height") or 0, PRINTED_IMG_NR=page.number)
        ps = E("PrintSpace", HPOS=0, VPOS=0, WIDTH=page.info.get("width") or 0, HEIGHT=page.info.get("height") or 0)
        pg.append(ps)
        block = None
        block_key = object()
        strings_by_line: dict[int, list] = {}
        spans: dict = {}  # String -> (raw start, raw end, the OCR's word)
        for ln in page.lines:
            d = info[ln.no] if ln.no < len(info) and isinstance(info[ln.no], dict) else {}
            raw_line = page.raw[ln.start:ln.end]
            if not raw_line.strip() or d.get("blank"):
                block_key = object()  # a blank line ends the block
                continue
            if d.get("block") != block_key or block is None:
                block_key = d.get("block")
                block = E("TextBlock", ID=f"P{k + 1}_B{len(ps) + 1}")
                role = _role(d)
                if role:
                    if role not in tag_ids:
                        tag_ids[role] = f"TAG{len(tag_ids) + 1}"
                        tags_el.append(E("StructureTag", ID=tag_ids[role], TYPE="region", LABEL=role))
                    block.set("TAGREFS", tag_ids[role])
                ps.append(block)
            tl = E("TextLine", ID=d.get("id") or f"P{k + 1}_L{ln.no + 1}", HPOS=d.get("x"), VPOS=d.get("y"),
                   WIDTH=d.get("w"), HEIGHT=d.get("h"))
            block.append(tl)
            confs = d.get("conf") or []
            strings = []
            tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", raw_line)]
            groups = {g.first: g for g in regroup(page.raw, [(ln.start + a, ln.start + b) for a, b in tokens], pe)}
            i = 0
            while i < len(tokens):
                g = groups.get(i)
                stop = g.stop if g else i + 1
                a, b = tokens[i][0], tokens[stop - 1][1]
                wc = [c[2] for c in confs if c[0] < b and c[1] > a and c[2] is not None]
                if g is not None:  # a merge or split: the words as the edition reads them, the OCR's on the first
                    words = [(w, g.ocr if n == 0 else None) for n, w in enumerate(g.words)]
                    kind = "merged" if len(g.words) < stop - i else "split" if len(g.words) > stop - i else None
                    words = words if kind or not g.one_to_one else [(w, raw_line[x:y]) for w, (x, y) in
                                                                    zip(g.words, tokens[i:stop])]
                    if kind:
                        stats[kind] = stats.get(kind, 0) + 1
                else:
                    word = raw_line[a:b]
                    new, crossing = corrected_word(page.raw, ln.start + a, ln.start + b, pe)
                    stats["crossing"] += crossing
                    words = [(new if new else word, word)]
                for w, ocr in words:
                    if strings:
                        tl.append(E("SP"))
                    st = E("String", ID=f"P{k + 1}_L{ln.no + 1}_W{len(strings) + 1}", CONTENT=w,
                           WC=f"{min(wc):.3f}" if wc else None)
                    if ocr is not None and ocr != w:
                        alt = E("ALTERNATIVE", PURPOSE="OCR")
                        alt.text = ocr
                        st.append(alt)
                        stats["words"] += 1
                    tl.append(st)
                    strings.append(st)
                    spans[st] = (ln.start + a, ln.start + b, raw_line[a:b])
                i = stop
            strings_by_line[ln.no] = (tl, strings)
        keeps = _keeps(doc, page, edits)
        for no in strings_by_line:
            nxt = next((x.no for x in page.lines[no + 1:] if x.no in strings_by_line), None)
            if nxt is None or not strings_by_line[no][1] or not strings_by_line[nxt][1]:
                continue
            tl, strings = strings_by_line[no]
            last, first = strings[-1], strings_by_line[nxt][1][0]
            if no not in joins:
                if no in keeps:
                    _keep_compound(last, first)
                else:
                    _unsplit(page, pe, spans, last, first, corrected_word, stats, E)
                continue
            _share_correction(page, pe, spans, last, first, corrected_word, stats, E)
            content = last.get("CONTENT")
            hyp = "-"
            if content[-1:] in LINE_END_HYPHENS and len(content) > 1:
                hyp = content[-1]
                last.set("CONTENT", content[:-1])
            joined = last.get("CONTENT") + first.get("CONTENT")
            for el, part in ((last, "HypPart1"), (first, "HypPart2")):
                el.set("SUBS_TYPE", part)
                el.set("SUBS_CONTENT", joined)
            tl.append(E("HYP", CONTENT=hyp))
            stats["hyphens"] += 1
        layout.append(pg)
    proc = E("Processing", ID="reissue-1")
    when = etree.SubElement(proc, f"{{{ALTO_NS}}}processingDateTime")
    when.text = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    what = etree.SubElement(proc, f"{{{ALTO_NS}}}processingStepDescription")
    what.text = (f"ALTO written from {pages[0].info.get('format')} input by OCR post-correction: "
                 f"{stats['words']} words corrected (the OCR's reading kept as ALTERNATIVE PURPOSE=OCR)")
    settings = etree.SubElement(proc, f"{{{ALTO_NS}}}processingStepSettings")
    settings.text = f"model={generator.get('model') or 'none (correction off)'}"
    sw = etree.SubElement(proc, f"{{{ALTO_NS}}}processingSoftware")
    for tag, val in (("softwareCreator", "reissue project"), ("softwareName", generator.get("name", "reissue")),
                     ("softwareVersion", str(generator.get("version", "")))):
        etree.SubElement(sw, f"{{{ALTO_NS}}}{tag}").text = val
    desc.append(proc)
    if len(tags_el):
        root.append(tags_el)
    root.append(layout)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
