"""Corrected ALTO written in place: the input file with its structure, geometry and ids, each
word's corrected text as ``CONTENT`` (the OCR's as ``ALTERNATIVE PURPOSE="OCR"``), hyphenation the
standard way, furniture and notes typed, and what ALTO v4 requires (see :mod:`.writeback`)."""

from __future__ import annotations

import datetime as _dt

from . import alto as alto_reader
from .back_common import (ALTO_NS, ALTO_XSD, XSI, _el, _joins, _keeps, _match, _next_line, _retag, _tool, boxes, corrected_word,
                          crossing, fresh_id, line_roles, regroup, share_out, Group)
from .common import bbox_union, clean_line, local, num


def _set_content(el, ocr: str, new: str) -> None:
    """``CONTENT`` the corrected word, the OCR's reading kept as ``ALTERNATIVE PURPOSE="OCR"``."""
    from lxml import etree

    alt = etree.Element("ALTERNATIVE", PURPOSE="OCR")
    alt.text = ocr
    kids = list(el)
    el.insert(1 if kids and local(kids[0]) == "Shape" else 0, alt)
    el.set("CONTENT", new)
    if "CC" in el.attrib:
        del el.attrib["CC"]  # the OCR's per-letter confidences fit its reading only


def _regroup_strings(olds: list, g, spaced: bool, ids: set, stats: dict) -> list:
    """The ``String``s of a :class:`~.back_common.Group` written as the edition reads them: one to
    one where the number of words stays, else the standard way - a merge is one ``String`` over the
    union of their boxes, a split is ``String`` + ``SP`` + ``String`` dividing the box (``SP`` only
    where the line marks its spaces) - the OCR's reading of the span kept as the first new
    ``String``'s ``ALTERNATIVE``, ``WC`` the lowest of the OCR's. Returns the new Strings."""
    from lxml import etree

    contents = [clean_line(el.get("CONTENT") or "") for el in olds]
    if g.one_to_one:
        for el, c, w in zip(olds, contents, g.words):
            if w != c:
                _set_content(el, c, w)
                stats["words"] += 1
        return olds
    first, parent = olds[0], olds[0].getparent()
    ns = first.tag.rpartition("}")[0] + "}" if first.tag.startswith("{") else ""
    box = bbox_union([(num(el.get("HPOS")), num(el.get("VPOS")), num(el.get("WIDTH")), num(el.get("HEIGHT")))
                      for el in olds])
    wcs = [el.get("WC") for el in olds if num(el.get("WC")) is not None]
    at = parent.index(first)
    for child in list(parent)[at:parent.index(olds[-1]) + 1]:  # the Strings and the SPs between them
        parent.remove(child)
    parts = boxes(box[0], box[2], g.words) if box else [(None, None)] * len(g.words)
    keep = {k: v for k, v in first.attrib.items()
            if k not in ("ID", "HPOS", "VPOS", "WIDTH", "HEIGHT", "CONTENT", "WC", "CC", "SUBS_TYPE", "SUBS_CONTENT")}
    out = []
    for k, (word, (x, w)) in enumerate(zip(g.words, parts)):
        el = etree.Element(f"{ns}String")
        if first.get("ID"):
            el.set("ID", fresh_id(first.get("ID"), ids, not k))
        if box:
            for attr, v in (("HPOS", x), ("VPOS", box[1]), ("WIDTH", w), ("HEIGHT", box[3])):
                el.set(attr, f"{round(v, 2):g}")
        el.set("CONTENT", word)
        for a, v in keep.items():
            el.set(a, v)
        if wcs:
            el.set("WC", min(wcs, key=num))
        edge = olds[-1] if k == len(g.words) - 1 else olds[0] if k == 0 else None
        if edge is not None and edge.get("SUBS_TYPE") == ("HypPart1" if edge is olds[-1] else "HypPart2"):
            el.set("SUBS_TYPE", edge.get("SUBS_TYPE"))
            el.set("SUBS_CONTENT", edge.get("SUBS_CONTENT") or "")
        if k == 0:
            _set_content(el, g.ocr, word)
        if k and spaced:
            sp = etree.Element(f"{ns}SP")
            if box:
                sp.set("HPOS", f"{round(x, 2):g}")
                sp.set("VPOS", f"{round(box[1], 2):g}")
            parent.insert(at, sp)
            at += 1
        parent.insert(at, el)
        at += 1
        out.append(el)
    stats["merged" if len(g.words) < len(olds) else "split"] = \
        stats.get("merged" if len(g.words) < len(olds) else "split", 0) + 1
    stats["words"] += 1
    return out

def _write_alto(doc, page_list, root, generator, edits, stats) -> bytes:
    from lxml import etree

    collect: list = []
    alto_reader.parse_root(root, collect)
    roles_used: set[str] = set()
    ids = {el.get("ID") for el in root.iter() if isinstance(el.tag, str) and el.get("ID")}
    for k, page in enumerate(page_list):
        entries = [c for c in collect if c[0] == k]
        pairs = _match(page, entries, lambda c: c[4])
        if entries and not pairs:
            stats["lines_unmatched"] += len(entries)
            continue
        joins = _joins(doc, page, edits)
        pe = edits.get(page.index, [])
        by_no = {ln.no: ent for ln, ent in pairs}
        span_of = {el: (ln.start + st, ln.start + st + len(clean_line(el.get("CONTENT") or "")))
                   for ln, (_, _tl, strings, starts, _text) in pairs for el, st in zip(strings, starts)}
        split, unjoined = _split_words(page, pairs, joins, by_no, pe, span_of, ids, stats)
        _type_lines(doc, page, pairs, roles_used)
        for ln, (_, tl, strings, starts, text) in pairs:
            spans = [span_of[el] for el in strings]
            groups = regroup(page.raw, spans, pe, {i for i, el in enumerate(strings) if el in split})
            grouped = {i for g in groups for i in range(g.first, g.stop)}
            for i, (el, (a, b)) in enumerate(zip(strings, spans)):
                if i in grouped:
                    continue
                content = clean_line(el.get("CONTENT") or "")
                if el in split:
                    new = split[el]
                else:
                    new, crossing = corrected_word(page.raw, a, b, pe)
                    stats["crossing"] += crossing
                if new is not None and not new.strip():
                    new = None  # a line's only word removed stays: ALTO has no empty String
                    stats["crossing"] += 1
                if new is not None and new != content:
                    _set_content(el, content, new)
                    stats["words"] += 1
            spaced = any(local(c) == "SP" for c in tl)
            for g in reversed(groups):  # a merge, a split: the Strings rewritten, the list kept in step
                strings[g.first:g.stop] = _regroup_strings(strings[g.first:g.stop], g, spaced, ids, stats)
        keeps = _keeps(doc, page, edits)
        for ln, (_, tl, strings, _starts, _text) in pairs:  # once every word is written: SUBS_CONTENT from both
            nxt = by_no.get(_next_line(page, ln.no)) if ln.no in joins | keeps and strings else None
            if nxt is None or not nxt[2]:
                continue
            if ln.no in joins and ln.no not in unjoined:
                _hyphenate(tl, strings[-1], nxt[2][0])
                stats["hyphens"] += 1
            elif ln.no in keeps and _keep_compound(strings[-1], nxt[2][0]):
                stats["compounds"] = stats.get("compounds", 0) + 1
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
                  f"PURPOSE=OCR), {stats['hyphens']} line-end hyphenations written with SUBS_CONTENT, "
                  f"{stats.get('merged', 0)} merges (one String over the union box) and {stats.get('split', 0)} "
                  f"splits (String + SP + String dividing the box), the OCR's reading of each kept as the first "
                  f"String's ALTERNATIVE; {stats['crossing']} edits across words kept in the edition only"
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


def _split_words(page, pairs, joins, by_no, pe, span_of, ids, stats) -> tuple[dict, set]:
    """Corrections of the words at a line end (a word: the Strings the line holds without a space
    between them). A word split over the line end (``Ray-`` + ``mood`` -> ``Raymond``, also two
    words a correction merges there) gets the corrected word shared out over the two halves (the
    unchanged end stays with its half; a half of several Strings becomes one), so that both
    ``CONTENT``s and the ``SUBS_CONTENT`` written from them read as corrected; a correction that
    leaves one half empty (``short-`` + ``f`` -> ``short``) puts the word on one line. A word the file
    or reflow joined there that a correction splits (``now-`` + ``known`` -> ``now known``) is no
    longer hyphenated. Returns ({String: new CONTENT}, the lines no longer hyphenated)."""
    from ..chars import LINE_END_HYPHENS

    out: dict = {}
    unjoined: set = set()
    for ln, (_, tl, strings, starts, _text) in pairs:
        nxt = by_no.get(_next_line(page, ln.no))
        if not strings or nxt is None or not nxt[2]:
            continue
        nstrings = nxt[2]
        k = len(strings) - 1
        if clean_line(strings[k].get("CONTENT") or "") in LINE_END_HYPHENS and k > 0:
            k -= 1  # the hyphen stored as a String of its own
        k0 = k
        while k0 > 0 and span_of[strings[k0 - 1]][1] == span_of[strings[k0]][0]:
            k0 -= 1
        m = 0
        while m + 1 < len(nstrings) and span_of[nstrings[m]][1] == span_of[nstrings[m + 1]][0]:
            m += 1
        a, e1 = span_of[strings[k0]][0], span_of[strings[k]][1]
        s2, b = span_of[nstrings[0]][0], span_of[nstrings[m]][1]
        if not crossing(pe, a, e1, s2, b):
            continue
        word, _n = corrected_word(page.raw, a, b, pe)
        c1, c2 = page.raw[a:e1], page.raw[s2:b]
        if ln.no in joins:
            if word is None or "\n" in word or "\r" in word or not word.strip():
                continue
            got = share_out(word, c1, c2)
            if got is None:  # one half left empty: the word on the line of the other
                h1 = c1[:-1] if c1[-1:] in LINE_END_HYPHENS and len(c1) > 1 else c1
                on_first = word[:1] == h1[:1]
                if (m + 1 == len(nstrings)) if on_first else (k0 == 0):
                    continue  # its line would be left without a String
                got = (word, "") if on_first else ("", word)
        else:
            got = tuple((word or "").split())
            if len(got) != 2:
                continue
            if got[0][-1:] in LINE_END_HYPHENS and len(got[0]) > 1:
                got = (got[0][:-1], got[1])
        tail = strings[k + 1:]
        for lst, i, j, text, ocr in ((strings, k0, k + 1, got[0], c1), (nstrings, 0, m + 1, got[1], c2)):
            if not text:  # the half a correction removed
                for el in lst[i:j]:
                    sp = el.getnext() if i == 0 else el.getprevious()
                    if sp is not None and local(sp) == "SP":
                        sp.getparent().remove(sp)
                    el.getparent().remove(el)
                del lst[i:j]
                continue
            if j - i > 1:  # a half of several Strings: one String
                lst[i:j] = _regroup_strings(lst[i:j], Group(i, j, [text], ocr, False), True, ids, stats)
                span_of[lst[i]] = (a, e1) if lst is strings else (s2, b)
                out[lst[i]] = text
            else:
                out[lst[i]] = text
        if ln.no not in joins or not got[0] or not got[1]:
            unjoined.add(ln.no)
            for el in tail if got[0] else ():  # a hyphen String of its own, and the SP before it
                prev = el.getprevious()
                if prev is not None and local(prev) == "SP":
                    tl.remove(prev)
                tl.remove(el)
                strings.remove(el)
            for hyp in [c for c in tl if local(c) == "HYP"]:
                tl.remove(hyp)
            for el in (strings[-1:] + nstrings[:1]):
                for attr in ("SUBS_TYPE", "SUBS_CONTENT"):
                    el.attrib.pop(attr, None)
    return out, unjoined


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


def _keep_compound(last, first) -> bool:
    """A compound printed over a line end whose hyphen the edition keeps (``fellow-`` + ``travelers``),
    written as such: ``HypPart1``/``HypPart2`` with the hyphenated compound, as corrected, as
    ``SUBS_CONTENT``, so that a reader takes the file's word, not its own guess."""
    from ..chars import LINE_END_HYPHENS

    c1, c2 = last.get("CONTENT") or "", first.get("CONTENT") or ""
    hyp = [c for c in last.getparent() if local(c) == "HYP"]
    if c1[-1:] not in LINE_END_HYPHENS and hyp:
        c1 += hyp[0].get("CONTENT") or "-"
    if any(local(c) == "SP" for c in first.getparent()):  # the word goes on to the next SP
        nxt = first.getnext()
        while nxt is not None and local(nxt) == "String":
            c2 += nxt.get("CONTENT") or ""
            nxt = nxt.getnext()
    if len(c1) < 2 or c1[-1] not in LINE_END_HYPHENS or not c2[:1].isalpha():
        return False  # (a reader takes a SUBS_CONTENT with a hyphen before a letter for a compound)
    for el, part in ((last, "HypPart1"), (first, "HypPart2")):
        el.set("SUBS_TYPE", part)
        el.set("SUBS_CONTENT", c1 + c2)
    return True


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
