"""Corrected ALTO and PAGE back out, in the library's own format.

For every input page file read as ALTO or PAGE XML, :func:`write_back` writes
``OUTDIR/alto/<name>.xml`` (ALTO v4) or ``OUTDIR/page/<name>.xml`` (PAGE 2019): the original file
with its structure, geometry and ids, each word's text replaced by its corrected form, and the
OCR's reading kept beside it (PAGE and hOCR input also get an ALTO v4 file written from their
geometry, :mod:`reissue.readers.alto_out`):

* ALTO: ``CONTENT`` is the corrected word, an ``<ALTERNATIVE PURPOSE="OCR">`` child keeps the OCR's;
  a ``<Processing>`` step in ``<Description>`` names the tool, its version and the model; a word
  that reflow joined over a line end is written the standard way (``HYP`` element, ``SUBS_TYPE``
  ``HypPart1``/``HypPart2`` and ``SUBS_CONTENT`` with the joined word, no hyphen inside ``CONTENT``);
* PAGE: each changed ``Word``/``TextLine`` gets ``TextEquiv index="0"`` (corrected) before
  ``TextEquiv index="1"`` (the OCR's, with its ``conf``); a ``MetadataItem`` of type
  ``processingStep`` names the tool, version and model.

The corrections written are the active edits of the stages that change letters (``correct``,
``review``, ``normalize``, mojibake repairs of ``ingest``) that lie inside one word; an edit across
words (a merge or split) is left in the edition only and counted in the processing note. Each file
is parsed again with the same reader, and each line's text must equal the page's raw line, so a
word is never written to the wrong place.
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from copy import deepcopy
from typing import NamedTuple

from ..decoding import MAX_PAGE_BYTES, decode_bytes, declared_encoding
from . import alto as alto_reader
from . import page as page_reader
from .alto_out import alto_from_pages
from .common import BrokenMarkup, clean_line, local, xml_root

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
ALTO_XSD = "http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
PAGE_XSD = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# namespaces of the formats themselves (any version): moved to the version written
OWN_NAMESPACES = ("{http://www.loc.gov/standards/alto", "{http://schema.primaresearch.org/PAGE", "{http://bibnum.bnf.fr",
                  "{http://schema.ccs-gmbh.com/ALTO")  # CCS docWorks ALTO 1.x (Chronicling America)
LETTER_STAGES = ("correct", "review", "normalize", "ingest")


class _Change(NamedTuple):
    start: int
    end: int
    after: str


def _narrowed(e) -> _Change:
    """An edit without the letters it leaves as they were at its ends (``fighting1`` -> ``fighting`` is
    the removal of ``1``), so that it falls inside the one ALTO ``String`` it changes."""
    b, a = e.before, e.after
    p = 0
    while p < min(len(b), len(a)) and b[p] == a[p]:
        p += 1
    q = 0
    while q < min(len(b), len(a)) - p and b[len(b) - 1 - q] == a[len(a) - 1 - q]:
        q += 1
    if p + q >= len(b) and len(b):  # keep one printed letter: an insertion belongs to the word it extends
        if q:
            q -= 1
        else:
            p -= 1
    return _Change(e.start + p, e.end - q, a[p:len(a) - q])


def _edits_by_page(doc) -> dict[int, list]:
    out: dict[int, list] = {}
    for e in doc.edits:
        if e.superseded_by is None and e.stage in LETTER_STAGES and e.before != e.after:
            out.setdefault(e.page, []).append(_narrowed(e))
    for lst in out.values():
        lst.sort(key=lambda e: e.start)
    return out


def corrected_word(raw: str, s: int, e: int, edits: list) -> tuple[str | None, int]:
    """``raw[s:e]`` with the edits inside it applied (None when none), and how many edits cross its ends."""
    inside = [x for x in edits if s <= x.start and x.end <= e and not (x.start == x.end == e)]
    crossing = sum(1 for x in edits if x.start < e and x.end > s and not (s <= x.start and x.end <= e))
    if not inside:
        return None, crossing
    text = raw[s:e]
    for x in sorted(inside, key=lambda x: -x.start):
        text = text[:x.start - s] + x.after + text[x.end - s:]
    return text, crossing


def _joins(doc, page) -> set[int]:
    """Raw line numbers of ``page`` whose line-end hyphen reflow joined (hyphen-join edits, also those
    a correction of the joined word took over: ``Ray-\\nmood`` -> ``Raymond``)."""
    by_id = {e.id: e for e in doc.edits}

    def joined(e) -> bool:
        if e.superseded_by is None:
            return True
        sup = by_id.get(e.superseded_by)
        return (sup is not None and sup.superseded_by is None and sup.stage in LETTER_STAGES
                and "\n" not in sup.after and "\r" not in sup.after)

    out = set()
    for e in doc.edits:
        if e.page == page.index and e.rule == "hyphen-join" and joined(e):
            for ln in page.lines:
                if ln.start <= e.start <= ln.eol_end:
                    out.add(ln.no)
                    break
    return out


def _match(page, entries, text_of) -> list[tuple]:
    """Pair the parsed lines of a file's page with the page's raw lines (same text, same order)."""
    raw_lines = [ln for ln in page.lines if page.raw[ln.start:ln.end].strip()]
    out, i = [], 0
    for ent in entries:
        t = text_of(ent)
        j = i
        while j < len(raw_lines) and page.raw[raw_lines[j].start:raw_lines[j].end] != t:
            j += 1
        if j == len(raw_lines):
            return []  # the file no longer reads as it did: write nothing rather than misplace words
        out.append((raw_lines[j], ent))
        i = j + 1
    return out


def _retag(root, ns: str):
    """The tree with every element moved into namespace ``ns`` (ALTO v1-v3 -> v4, PAGE 2013 -> 2019)."""
    from lxml import etree

    new = etree.Element(f"{{{ns}}}{local(root)}", nsmap={None: ns, "xsi": XSI, "xlink": "http://www.w3.org/1999/xlink"})
    for k, v in root.attrib.items():
        if not k.startswith(f"{{{XSI}}}"):
            new.set(k, v)
    for child in list(root):
        new.append(child)
    for el in new.iter():
        if isinstance(el.tag, str) and not el.tag.startswith(f"{{{ns}}}"):
            lname = local(el)
            if el.tag.startswith("{") and not el.tag.startswith(OWN_NAMESPACES):
                continue  # foreign elements keep their namespace
            el.tag = f"{{{ns}}}{lname}"
    etree.cleanup_namespaces(new)
    return new


def _tool(generator: dict) -> tuple[str, str, str]:
    model = generator.get("model") or "none (correction off)"
    return generator.get("name", "reissue"), str(generator.get("version", "")), str(model)


def _write_alto(doc, page_list, root, generator, edits, stats) -> bytes:
    from lxml import etree

    collect: list = []
    alto_reader.parse_root(root, collect)
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
            if ln.no in joins and strings:
                nxt = by_no.get(_next_line(page, ln.no))
                if nxt is not None and nxt[2]:
                    _hyphenate(tl, strings[-1], nxt[2][0])
                    stats["hyphens"] += 1
    new_root = _retag(root, ALTO_NS)
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
        cross = [e for e in pe if a <= e.start and e.end <= b and not e.end <= e1 and not e.start >= s2]
        if not cross:
            continue
        word, _n = corrected_word(page.raw, a, b, pe)
        if word is None or "\n" in word or "\r" in word:
            continue
        h1 = c1[:-1] if c1[-1:] in LINE_END_HYPHENS and len(c1) > 1 else c1  # BnF: the hyphen in CONTENT
        if word.startswith(h1):
            p1, p2 = h1, word[len(h1):]
        elif word.endswith(c2):
            p1, p2 = word[:len(word) - len(c2)], c2
        else:  # both halves changed: cut where the printed halves meet, in proportion
            cut = round(len(word) * len(h1) / max(1, len(h1) + len(c2)))
            p1, p2 = word[:cut], word[cut:]
        if not p1 or not p2:
            continue
        out[strings[k]] = p1 + c1[len(h1):]  # a hyphen inside CONTENT stays (_hyphenate moves it to HYP)
        out[first] = p2
    return out


def _alto4_rules(root, stats) -> None:
    """What ALTO v4 requires and older files may lack: ``PHYSICAL_IMG_NR`` on every ``Page`` (its
    place in the file), and style/tag references that point at an ID of the file (a dangling one is
    dropped and counted: an IDREF without its ID does not validate)."""
    ids = {el.get("ID") for el in root.iter() if isinstance(el.tag, str) and el.get("ID")}
    for k, pg in enumerate(el for el in root.iter() if isinstance(el.tag, str) and local(el) == "Page"):
        if not pg.get("PHYSICAL_IMG_NR"):
            pg.set("PHYSICAL_IMG_NR", str(k + 1))
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


def _el(tag, text=None, **attrs):
    from lxml import etree

    el = etree.Element(tag, **attrs)
    if text is not None:
        el.text = text
    return el


def _next_line(page, no: int) -> int | None:
    for ln in page.lines[no + 1:]:
        if page.raw[ln.start:ln.end].strip():
            return ln.no
    return None


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


def _write_page(doc, page, root, generator, edits, stats) -> bytes:
    from lxml import etree

    collect: list = []
    page_reader.parse_root(root, collect)
    pairs = _match(page, collect, lambda c: c[3])
    if collect and not pairs:
        stats["lines_unmatched"] += len(collect)
    pe = edits.get(page.index, [])
    for ln, (_, tl, wels, text) in pairs:
        changed = False
        for w, st, t in wels:
            new, crossing = corrected_word(page.raw, ln.start + st, ln.start + st + len(t), pe)
            stats["crossing"] += crossing
            if new is not None and new != t:
                _two_equivs(w, new)
                stats["words"] += 1
                changed = True
        line_new, crossing = corrected_word(page.raw, ln.start, ln.end, pe)
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
                                   f"TextEquiv index 0 corrected, index 1 the OCR's", date=now)
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


def _read_again(path: str, member: str | None) -> bytes:
    """The bytes of an input page file (or of a member of a ZIP archive), within the ingest limit."""
    if member is None:
        with open(path, "rb") as f:
            data = f.read(MAX_PAGE_BYTES + 1)
    else:
        with zipfile.ZipFile(path) as zf, zf.open(member) as f:  # in memory only, never extracted
            data = f.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ValueError("over the page size limit")
    return data


def generator_for(model) -> dict:
    """The tool named in the files written back: reissue, its version, the correction model (None: off)."""
    from .. import __version__

    return {"name": "reissue", "version": __version__, "model": model}


def attach_sources(doc, sources: list[str], mets_use: str | None = None) -> list[str]:
    """Re-read the input an edition was built from (``reissue export --sources``) and give each of
    ``doc``'s pages the file it came from and its geometry, so that :func:`write_back` can write it
    again; a page is paired only when the input's page at the same place has the same raw text.
    Returns problem lines (a page that reads differently is not written back)."""
    from ..errors import ReissueError
    from ..ingest import load_inputs

    notes: list[str] = []
    try:
        src = load_inputs(list(sources), notes=notes, mets_use=mets_use)
    except ReissueError as exc:
        return [f"corrected ALTO/PAGE not written: the sources cannot be read ({exc})"]
    problems = list(src.problems)
    if len(src.pages) != len(doc.pages):
        problems.append(f"{', '.join(sources)}: {len(src.pages)} pages read, the edition has {len(doc.pages)}; "
                        f"pages are paired in order where their raw text is the same (give the input of the build)")
    for page, other in zip(doc.pages, src.pages):
        if page.raw != other.raw:
            problems.append(f"{other.source}: page {page.index + 1} of the edition ({page.source}) reads differently "
                            f"in the sources; its corrected ALTO/PAGE is not written (give the input of the build)")
        elif other.info.get("format") in ("alto", "page", "hocr"):
            page.info.update({k: v for k, v in other.info.items() if k not in page.info or k == "lines"})
            page.lines = page.lines or page.split_lines()  # a page read from edition.json has none yet
    return problems


def writer_into(doc, generator: dict, problems: list[str]):
    """``also`` for :func:`reissue.export.write_edition`: writes the corrected ALTO/PAGE into the
    edition's temporary folder (so they appear with the edition), adding its problems to ``problems``."""
    def also(folder: str) -> list[str]:
        written, probs = write_back(doc, folder, generator)
        problems.extend(probs)
        return written
    return also


def write_back(doc, outdir: str, generator: dict | None = None) -> tuple[list[str], list[str]]:
    """Write corrected ALTO/PAGE for every page read from such a file; returns (paths, problems)."""
    from ..export import _write

    generator = generator or {"name": "reissue"}
    edits = _edits_by_page(doc)
    files: dict[tuple, list] = {}
    for page in doc.pages:
        fmt = page.info.get("format")
        if fmt in ("alto", "page", "hocr") and page.info.get("path"):
            files.setdefault((page.info["path"], page.info.get("member")), []).append(page)
    written, problems = [], []
    used: set[tuple[str, str]] = set()

    def put(sub: str, path: str, data: bytes) -> None:
        base = os.path.splitext(os.path.basename(path))[0] + ".xml"
        name, n = base, 2
        while (sub, name) in used:
            name = f"{os.path.splitext(base)[0]}-{n}.xml"
            n += 1
        used.add((sub, name))
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)
        written.append(_write(outdir, os.path.join(sub, name), data))

    for (path, member), pages in files.items():
        fmt = pages[0].info["format"]
        name = member or path
        path = f"{path}:{member}" if member else path
        stats = {"words": 0, "hyphens": 0, "crossing": 0, "lines_unmatched": 0}
        try:
            if fmt in ("page", "hocr"):
                # every input with geometry also gets ALTO v4, written from what the reader kept
                put("alto", name, alto_from_pages(doc, pages, generator, edits, _joins, corrected_word, dict(stats)))
            if fmt in ("alto", "page"):
                try:
                    data = _read_again(pages[0].info["path"], member)
                    text, _enc = decode_bytes(data, declared_encoding(data))
                    root = xml_root(text)
                except (OSError, ValueError, BrokenMarkup, zipfile.BadZipFile, KeyError) as exc:
                    problems.append(f"{path}: not written back as {fmt.upper()}: the input file cannot be read again "
                                    f"({exc}) (keep the input files in place until the build is done)")
                    continue
                if fmt == "alto":
                    out = _write_alto(doc, pages, root, generator, edits, stats)
                else:
                    out = _write_page(doc, pages[0], root, generator, edits, stats)
                if stats["lines_unmatched"]:
                    problems.append(f"{path}: {stats['lines_unmatched']} lines read differently than at ingest; their "
                                    f"words were not written back (the file changed during the build?)")
                put(fmt, name, out)
        except Exception as exc:  # an input this writer cannot rebuild: the edition stands without it
            problems.append(f"{path}: corrected {fmt.upper()} not written ({type(exc).__name__}: {exc}) "
                            f"(the edition files are complete; please report the input)")
    return written, problems
