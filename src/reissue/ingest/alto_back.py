"""Corrected ALTO written in place: the input file with its structure, geometry and ids, each
word's corrected text as ``CONTENT`` (the OCR's as ``ALTERNATIVE PURPOSE="OCR"``), hyphenation the
standard way, furniture and notes typed, and what ALTO v4 requires (see :mod:`.writeback`)."""

from __future__ import annotations

import datetime as _dt

from . import alto as alto_reader
from .back_common import (ALTO_NS, ALTO_XSD, XSI, _el, _joins, _match, _next_line, _retag, _tool, corrected_word,
                          crossing, line_roles, share_out)
from .common import clean_line, local

def _write_alto(doc, page_list, root, generator, edits, stats) -> bytes:
    from lxml import etree

    collect: list = []
    alto_reader.parse_root(root, collect)
    roles_used: set[str] = set()
    for k, page in enumerate(page_list):
        entries = [c for c in collect if c[0] == k]
        pairs = _match(page, entries, lambda c: c[4])
        if entries and not pairs:
            stats["lines_unmatched"] += len(entries)
            continue
        joins = _joins(doc, page)
        pe = edits.get(page.index, [])
        by_no = {ln.no: ent for ln, ent in pairs}
        split = _split_words(page, pairs, joins, by_no, pe)
        _type_lines(doc, page, pairs, roles_used)
        for ln, (_, tl, strings, starts, text) in pairs:
            for el, st in zip(strings, starts):
                content = clean_line(el.get("CONTENT") or "")
                if el in split:
                    new = split[el]
                else:
                    new, crossing = corrected_word(page.raw, ln.start + st, ln.start + st + len(content), pe)
                    stats["crossing"] += crossing
                if new is not None and not new.strip():
                    new = None  # a word the correction removes stays: ALTO has no empty String
                    stats["crossing"] += 1
                if new is not None and new != content:
                    alt = etree.Element("ALTERNATIVE", PURPOSE="OCR")
                    alt.text = content
                    kids = list(el)
                    el.insert(1 if kids and local(kids[0]) == "Shape" else 0, alt)
                    el.set("CONTENT", new)
                    if "CC" in el.attrib:
                        del el.attrib["CC"]  # the OCR's per-letter confidences fit its reading only
                    stats["words"] += 1
        for ln, (_, tl, strings, _starts, _text) in pairs:  # once every word is written: SUBS_CONTENT from both
            if ln.no in joins and strings:
                nxt = by_no.get(_next_line(page, ln.no))
                if nxt is not None and nxt[2]:
                    _hyphenate(tl, strings[-1], nxt[2][0])
                    stats["hyphens"] += 1
    new_root = _retag(root, ALTO_NS)
    _add_role_tags(new_root, roles_used)
    _alto4_rules(new_root, stats)
    new_root.set(f"{{{XSI}}}schemaLocation", f"{ALTO_NS} {ALTO_XSD}")
    desc = next((c for c in new_root if local(c) == "Description"), None)
    if desc is None:
        desc = etree.Element(f"{{{ALTO_NS}}}Description")
        new_root.insert(0, desc)
    name, version, model = _tool(generator)
    E = lambda tag, text=None, **kw: _el(f"{{{ALTO_NS}}}{tag}", text, **kw)  # noqa: E731
    proc = E("Processing", ID=f"reissue-{len(desc)}")
    proc.append(E("processingDateTime", _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()))
    proc.append(E("processingStepDescription",
                  f"OCR post-correction: {stats['words']} words corrected (the OCR's reading kept as ALTERNATIVE "
                  f"PURPOSE=OCR), {stats['hyphens']} line-end hyphenations written with SUBS_CONTENT; "
                  f"{stats['crossing']} edits across words kept in the edition only"
                  + (f"; {stats['dangling']} STYLEREFS/TAGREFS naming no ID of the file dropped" if stats.get("dangling")
                     else "")))
    proc.append(E("processingStepSettings", f"model={model}"))
    sw = E("processingSoftware")
    sw.append(E("softwareCreator", "reissue project"))
    sw.append(E("softwareName", name))
    sw.append(E("softwareVersion", version))
    proc.append(sw)
    desc.append(proc)
    return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", pretty_print=False)


def _type_lines(doc, page, pairs, used: set) -> None:
    """Furniture and notes typed in the ALTO written back: a block whose lines are all of one kind
    gets ``TAGREFS`` to a ``StructureTag`` of that label, else each such line does."""
    roles = line_roles(doc, page)
    if not roles:
        return
    blocks: dict = {}
    for ln, (_, tl, _strings, _starts, _text) in pairs:
        blocks.setdefault(tl.getparent(), []).append((tl, roles.get(ln.no)))
    for block, lines in blocks.items():
        kinds = {r for _tl, r in lines}
        targets = [(block, kinds.pop())] if len(kinds) == 1 and None not in kinds and \
            len([c for c in block if local(c) == "TextLine"]) == len(lines) else [(tl, r) for tl, r in lines if r]
        for el, role in targets:
            ref = "reissue-" + "".join(c if c.isalnum() else "-" for c in role)
            refs = (el.get("TAGREFS") or "").split()
            if ref not in refs:
                el.set("TAGREFS", " ".join(refs + [ref]))
            used.add(role)


def _add_role_tags(root, roles: set) -> None:
    """The ``StructureTag`` of each role :func:`_type_lines` used, in ``Tags`` (before ``Layout``)."""
    if not roles:
        return
    tags = next((c for c in root if local(c) == "Tags"), None)
    if tags is None:
        tags = _el(f"{{{ALTO_NS}}}Tags")
        layout = next((c for c in root if local(c) == "Layout"), None)
        root.insert(root.index(layout) if layout is not None else len(root), tags)
    for role in sorted(roles):
        ref = "reissue-" + "".join(c if c.isalnum() else "-" for c in role)
        tags.append(_el(f"{{{ALTO_NS}}}StructureTag", ID=ref, TYPE="region", LABEL=role,
                        DESCRIPTION="found by reissue"))


def _split_words(page, pairs, joins, by_no, pe) -> dict:
    """Corrections of words split over a line end (``Ray-`` + ``mood`` -> ``Raymond``): the corrected
    word shared out over the two ``String``s (the unchanged end stays with its half), so that both
    ``CONTENT``s and the ``SUBS_CONTENT`` written from them read as corrected. {String: new CONTENT}."""
    from ..chars import LINE_END_HYPHENS

    out: dict = {}
    for ln, (_, _tl, strings, starts, _text) in pairs:
        nxt = by_no.get(_next_line(page, ln.no)) if ln.no in joins else None
        if not strings or nxt is None or not nxt[2]:
            continue
        k = len(strings) - 1
        if clean_line(strings[k].get("CONTENT") or "") in LINE_END_HYPHENS and k > 0:
            k -= 1  # the hyphen stored as a String of its own
        first, nln = nxt[2][0], next(x for x, ent in pairs if ent is nxt)
        c1, c2 = clean_line(strings[k].get("CONTENT") or ""), clean_line(first.get("CONTENT") or "")
        a, b = ln.start + starts[k], nln.start + nxt[3][0] + len(c2)
        e1, s2 = ln.start + starts[k] + len(c1), nln.start + nxt[3][0]
        if not crossing(pe, a, e1, s2, b):
            continue
        word, _n = corrected_word(page.raw, a, b, pe)
        got = share_out(word, c1, c2) if word is not None and "\n" not in word and "\r" not in word else None
        if got is not None:
            out[strings[k]], out[first] = got
    return out


def _alto4_rules(root, stats) -> None:
    """What ALTO v4 requires and older files may lack: ``PHYSICAL_IMG_NR`` on every ``Page`` (its
    place in the file), the page's margins before its print space, and style/tag references that point at an ID of the file (a dangling one is
    dropped and counted: an IDREF without its ID does not validate)."""
    ids = {el.get("ID") for el in root.iter() if isinstance(el.tag, str) and el.get("ID")}
    order = {"TopMargin": 0, "LeftMargin": 1, "RightMargin": 2, "BottomMargin": 3, "PrintSpace": 4}
    for k, pg in enumerate([el for el in root.iter() if isinstance(el.tag, str) and local(el) == "Page"]):
        if not pg.get("PHYSICAL_IMG_NR"):
            pg.set("PHYSICAL_IMG_NR", str(k + 1))
        kids = list(pg)
        ranked = sorted(kids, key=lambda c: order.get(local(c), 5) if isinstance(c.tag, str) else 5)
        if ranked != kids:  # the page's areas in the schema's order (margins before the print space)
            for c in kids:
                pg.remove(c)
            pg.extend(ranked)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("STYLEREFS", "TAGREFS"):
            refs = el.get(attr)
            if refs is None:
                continue
            kept = [r for r in refs.split() if r in ids]
            if len(kept) != len(refs.split()):
                stats["dangling"] = stats.get("dangling", 0) + 1
                if kept:
                    el.set(attr, " ".join(kept))
                else:
                    del el.attrib[attr]


def _hyphenate(tl, last, first) -> None:
    """Write a word split over a line end the standard ALTO way."""
    from lxml import etree

    from ..chars import LINE_END_HYPHENS

    ns = tl.tag.rpartition("}")[0] + "}" if tl.tag.startswith("{") else ""
    hyp_char = "-"
    content = last.get("CONTENT") or ""
    parent = last.getparent()
    if len(content) == 1 and content in LINE_END_HYPHENS:
        # the hyphen stored as a String of its own: it becomes the HYP element
        hyp_char = content
        idx = parent.index(last)
        prev = [c for c in parent[:idx] if local(c) == "String"]
        parent.remove(last)
        if not prev:
            return
        last = prev[-1]
        content = last.get("CONTENT") or ""
    elif content[-1:] in LINE_END_HYPHENS and len(content) > 1:
        hyp_char = content[-1]
        last.set("CONTENT", content[:-1])  # BnF style: the hyphen is written by HYP, not in CONTENT
        if last.get("CC") and len(last.get("CC")) == len(content):
            last.set("CC", last.get("CC")[:-1])
        content = content[:-1]
    joined = content + (first.get("CONTENT") or "")
    for el, part in ((last, "HypPart1"), (first, "HypPart2")):
        el.set("SUBS_TYPE", part)
        el.set("SUBS_CONTENT", joined)
    if not any(local(c) == "HYP" for c in tl):
        tl.append(etree.Element(f"{ns}HYP", CONTENT=hyp_char))  # the line's last child (after a trailing SP)
