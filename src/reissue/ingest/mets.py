"""METS reader: an issue as libraries deliver it (ChronAm, BL, BnL, BnF, OCR-D workspaces).

A METS file is not a page: it says which files are the pages and in what order (physical
structMap), their printed labels (``ORDERLABEL``/``LABEL``), the issue's bibliographic record (MODS:
title, date, volume, number) and its logical structure (articles, sections), each logical division
pointing at pages or at blocks/lines/words of the page files (``<area BEGIN END>``, directly or
through ``<structLink>``).

:func:`read_mets` parses the METS alone (no page file is opened); :mod:`reissue.ingest` reads the
page files it lists and :func:`resolve_structure` turns the logical structure into raw-text spans.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from .common import local, xml_root

FORMAT = "mets"
LABEL = "METS"

XLINK = "{http://www.w3.org/1999/xlink}href"
# MIME types and extensions of page text (never images or PDFs)
TEXT_MIME = re.compile(r"xml|html|text/plain|alto|page", re.I)
TEXT_EXT = (".xml", ".html", ".htm", ".hocr", ".txt")
# physical divisions that are not pages themselves
# logical divisions that hold the whole issue rather than a part of it
CONTAINER_TYPES = {"issue", "volume", "newspaper", "periodical", "year", "month", "day", "title", "multivolume_work"}
SEQUENCE_TYPES = {"physsequence", "physicalsequence", "sequence", "book", "issue", "volume"}


@dataclass
class MetsPage:
    order: int
    div_id: str | None
    label: str | None  # ORDERLABEL, else LABEL: the printed page number as the library reads it
    file_id: str | None = None
    href: str | None = None  # as written in the METS
    path: str | None = None  # resolved local path


@dataclass
class MetsIssue:
    pages: list[MetsPage] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    structure: list[dict] = field(default_factory=list)  # {"id","type","label","areas":[...]}
    group: str | None = None  # USE of the file group read
    groups: list[str] = field(default_factory=list)  # every file group holding page text
    problems: list[tuple[str, str]] = field(default_factory=list)  # (what, todo)


def is_mets(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    m = re.search(r"<(?!\?|!)([A-Za-z_][\w.:-]*)", head)
    return bool(m) and m.group(1).rsplit(":", 1)[-1] == "mets"


def _text_of(el, path: str) -> str | None:
    cur = [el]
    for name in path.split("/"):
        cur = [c for e in cur for c in e if local(c) == name]
    vals = [(c.text or "").strip() for c in cur]
    return next((v for v in vals if v), None)


WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _title_of(el) -> str | None:
    """The first MODS ``titleInfo/title`` that reads as a title: one with a word of two letters or
    more, and letters for at least half of its characters. Digitisation workflows fill MODS titles
    from the OCR of the heading, so a record may hold ``'.:'_~.`` or ``~ T •./. r.`` before its
    readable title; such noise is never a title (it becomes the next candidate, or none)."""
    for ti in (c for c in el if local(c) == "titleInfo"):
        for t in (c for c in ti if local(c) == "title"):
            text = " ".join((t.text or "").split())
            body = text.replace(" ", "")
            if WORD_RE.search(text) and sum(ch.isalpha() for ch in body) * 2 >= len(body):
                return text
    return None


def _mods(el) -> dict:
    """title, date, year, volume, number of a MODS record."""
    md: dict = {}
    title = _title_of(el)  # (white space already collapsed)
    if title:
        md["title"] = title
    date = _text_of(el, "originInfo/dateIssued") or _text_of(el, "part/date")
    if date:
        md["date"] = date
        m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", date)
        if m:
            md["year"] = int(m.group(1))
    for det in (c for p in el if local(p) == "part" for c in p if local(c) == "detail"):
        kind = (det.get("type") or "").lower()
        val = _text_of(det, "number") or _text_of(det, "caption")
        if val and kind in ("volume", "issue", "number"):
            key = "volume" if kind == "volume" else "number"
            md[key] = int(val) if val.isdigit() else val
    return md


def _href_path(href: str, base: str) -> str | None:
    u = urlparse(href)
    if u.scheme in ("http", "https", "ftp"):
        return None
    p = unquote(u.path if u.scheme == "file" else href)
    return os.path.normpath(os.path.join(base, p))


def member_path(href: str, base: str) -> str | None:
    """The ZIP member an ``href`` names, relative to the member folder ``base`` of the METS file
    ('' at the top); None for a URL. A path that leaves ``base`` comes back with a leading '../'."""
    u = urlparse(href)
    if u.scheme in ("http", "https", "ftp"):
        return None
    p = unquote(u.path if u.scheme == "file" else href).replace("\\", "/")
    if p.startswith("/"):
        return "../" + p.lstrip("/")  # an absolute path is outside the archive
    target = posixpath.normpath(posixpath.join(base, p))
    inside = not base or target.startswith(base.rstrip("/") + "/")
    return target if inside and not target.startswith("..") else "../" + target.lstrip("./")


def plan_pages(issue: MetsIssue, inside, exists) -> tuple[list[MetsPage], list[tuple[str, str]]]:
    """The pages of ``issue`` whose file can be read, and one (what, todo) per page that cannot.

    ``inside(path)``: the path lies in the METS file's folder or below; ``exists(path)``: it is a
    readable page file (a folder's file, or an archive's member that was not refused)."""
    ok, problems = [], []
    for pg in issue.pages:
        label = f"page {pg.order}" + (f" (label {pg.label})" if pg.label else "")
        if not pg.href:
            problems.append((f"{label} has no page-text file", "add its ALTO/PAGE/hOCR file to the METS"))
        elif pg.path is None:
            problems.append((f"{label} points at {pg.href}, not a local file", "download the file and point at it"))
        elif not inside(pg.path):
            problems.append((f"{label} points at {pg.href}, outside the METS file's folder; refused",
                             "keep the page files in the METS file's folder or below it"))
        elif not exists(pg.path):
            problems.append((f"{label}: file {pg.href} is missing", "put the file beside the METS or fix its href"))
        else:
            ok.append(pg)
    return ok, problems


def read_mets(text: str, base: str, use: str | None = None, resolve=None) -> MetsIssue:
    """Parse a METS file whose page files lie relative to ``base`` (a folder); ``resolve(href)``,
    when given, replaces the folder lookup (a ZIP archive: :func:`member_path`)."""
    root = xml_root(text)
    issue = MetsIssue()
    dmd = {d.get("ID"): d for d in root.iter("{*}dmdSec")}
    mods = {i: next(iter(d.iter("{*}mods")), None) for i, d in dmd.items()}
    files: dict[str, tuple[str | None, str | None, str | None]] = {}  # ID -> (use, mime, href)
    for f in root.iter("{*}file"):
        grp = next((a.get("USE") for a in f.iterancestors() if local(a) == "fileGrp" and a.get("USE")), None)
        loc = next((c for c in f if local(c) == "FLocat"), None)
        href = loc.get(XLINK) if loc is not None else None
        files[f.get("ID")] = (grp, f.get("MIMETYPE"), href)

    def is_text(fid: str) -> bool:
        grp, mime, href = files.get(fid, (None, None, None))
        if not href:
            return False
        if mime:
            return bool(TEXT_MIME.search(mime)) and not mime.lower().startswith("image/")
        return href.lower().endswith(TEXT_EXT)

    smaps = {(s.get("TYPE") or "").upper(): s for s in root.iter("{*}structMap")}
    phys = smaps.get("PHYSICAL")
    if phys is None:
        phys = next((s for t, s in smaps.items() if t != "LOGICAL"), None)
    page_divs = []
    if phys is not None:
        for div in phys.iter("{*}div"):
            if (div.get("TYPE") or "").lower() in SEQUENCE_TYPES:
                continue
            fids = [p.get("FILEID") for p in div if local(p) == "fptr" and p.get("FILEID")]
            if any(is_text(f) for f in fids) or (div.get("TYPE") or "").lower() == "page":
                page_divs.append((div, fids))
    groups = []
    for _div, fids in page_divs:
        for f in fids:
            if is_text(f) and files[f][0] not in groups:
                groups.append(files[f][0])
    issue.groups = [g for g in groups if g]
    chosen = None
    if use:
        chosen = next((g for g in groups if g and g.lower() == use.lower()), None)
        if chosen is None:
            have = ", ".join(map(str, groups)) or "none"
            issue.problems.append((f"no file group USE={use!r} with page text (it has {have})",
                                   "name one of those groups"))
    if chosen is None and groups:
        chosen = groups[0]
    issue.group = chosen
    for k, (div, fids) in enumerate(page_divs, 1):
        order = div.get("ORDER")
        label = div.get("ORDERLABEL") or div.get("LABEL")
        pg = MetsPage(int(order) if order and order.isdigit() else k, div.get("ID"), label)
        fid = next((f for f in fids if is_text(f) and files[f][0] == chosen), None)
        if fid:
            pg.file_id, pg.href = fid, files[fid][2]
            pg.path = resolve(pg.href) if resolve else _href_path(pg.href, base)
        issue.pages.append(pg)
    issue.pages.sort(key=lambda p: p.order)
    # MODS of the issue: the record the physical or logical top division points at, else the first
    top = None
    for smap in (smaps.get("LOGICAL"), phys):
        if smap is not None:
            for div in smap.iter("{*}div"):
                for ref in (div.get("DMDID") or "").split():
                    if mods.get(ref) is not None:
                        top = mods[ref]
                        break
                if top is not None:
                    break
        if top is not None:
            break
    if top is None:
        top = next((m for m in mods.values() if m is not None), None)
    if top is not None:
        issue.metadata = _mods(top)
    issue.structure = _logical(root, smaps.get("LOGICAL"), mods, files)
    return issue


def _areas(div, files) -> list[dict]:
    out = []
    for fp in div:
        if local(fp) != "fptr":
            continue
        if fp.get("FILEID"):
            out.append({"file": fp.get("FILEID")})
        for ar in fp.iter("{*}area"):
            if ar.get("FILEID"):
                out.append({"file": ar.get("FILEID"), "begin": ar.get("BEGIN"), "end": ar.get("END")})
    return out


def _logical(root, smap, mods, files) -> list[dict]:
    if smap is None:
        return []
    links: dict[str, list[str]] = {}
    for grp in root.iter("{*}smLinkGrp"):
        locs = {}
        for loc in grp:
            if local(loc) == "smLocatorLink":
                locs[loc.get("{http://www.w3.org/1999/xlink}label")] = (loc.get(XLINK) or "").lstrip("#")
        for arc in grp:
            if local(arc) == "smArcLink":
                a = locs.get(arc.get("{http://www.w3.org/1999/xlink}from"))
                b = locs.get(arc.get("{http://www.w3.org/1999/xlink}to"))
                if a and b:
                    links.setdefault(a, []).append(b)
    for ln in root.iter("{*}smLink"):
        a = (ln.get("{http://www.w3.org/1999/xlink}from") or "").lstrip("#")
        b = (ln.get("{http://www.w3.org/1999/xlink}to") or "").lstrip("#")
        if a and b:
            links.setdefault(a, []).append(b)
    by_id = {d.get("ID"): d for d in root.iter("{*}div") if d.get("ID")}
    out = []
    for div in smap.iter("{*}div"):
        parent = div.getparent()
        label = div.get("LABEL")
        if not label:
            for ref in (div.get("DMDID") or "").split():
                if mods.get(ref) is not None:
                    label = _title_of(mods[ref])
                    if label:
                        break
        areas = _areas(div, files)
        targets = []
        for t in links.get(div.get("ID"), []):
            tdiv = by_id.get(t)
            if tdiv is not None:
                areas += _areas(tdiv, files)
                targets.append(t)
        out.append({"id": div.get("ID"), "type": (div.get("TYPE") or "").lower() or None,
                     "label": " ".join(label.split()) if label else None,
                     "parent": parent.get("ID") if parent is not None and local(parent) == "div" else None,
                     "areas": areas, "targets": targets})
    return out


def resolve_structure(structure: list[dict], pages_by_file: dict[str, list], phys_pages: dict[str, list]) -> list[dict]:
    """Logical divisions with the pages and raw-text spans they cover.

    ``pages_by_file``: METS file ID -> [Page] read from it; ``phys_pages``: physical div ID -> [Page].
    Each result is ``{"id","type","label","title","section","parent","pages":[page index],
    "spans":[[page, start, end]]}`` (``title`` = ``label`` and ``section`` = the enclosing division's
    label, as :mod:`reissue.articles` reads them); the issue/volume divisions themselves are left out.
    """
    out = []
    cache: dict[int, dict] = {}
    by_id = {s["id"]: s for s in structure}
    for s in structure:
        if s["type"] in CONTAINER_TYPES:
            continue  # the issue or volume itself, not a part of it
        spans: list[list[int]] = []
        pages: list[int] = []
        for ar in s["areas"]:
            for page in pages_by_file.get(ar["file"], []):
                span = _span(page, ar.get("begin"), ar.get("end"), cache)
                if span:
                    spans.append([page.index, *span])
                    if page.index not in pages:
                        pages.append(page.index)
        for t in s["targets"]:
            for page in phys_pages.get(t, []):
                if page.index not in pages:
                    pages.append(page.index)
        parent = by_id.get(s["parent"])
        section = parent["label"] if parent and parent["type"] not in CONTAINER_TYPES else None
        out.append({"id": s["id"], "type": s["type"], "label": s["label"], "title": s["label"],
                    "section": section, "parent": s["parent"], "pages": sorted(pages), "spans": spans})
    return out


def _id_spans(page) -> dict[str, tuple[int, int]]:
    """ID of every block, line and word of a page -> its raw span."""
    spans: dict[str, tuple[int, int]] = {}
    info = page.info.get("lines") or []
    for ln in page.lines:
        d = info[ln.no] if ln.no < len(info) else {}
        if not isinstance(d, dict) or d.get("blank"):
            continue
        for key in ("block", "id"):
            i = d.get(key)
            if i:
                a, b = spans.get(i, (ln.start, ln.end))
                spans[i] = (min(a, ln.start), max(b, ln.end))
        for s, e, wid in d.get("words", ()):
            if wid:
                spans[wid] = (ln.start + s, ln.start + e)
    return spans


def _span(page, begin: str | None, end: str | None, cache: dict) -> tuple[int, int] | None:
    if not begin:
        return (0, len(page.raw))
    if page.index not in cache:
        cache[page.index] = _id_spans(page)
    ids = cache[page.index]
    a = ids.get(begin)
    b = ids.get(end or begin)
    if not a or not b:
        return None
    return (min(a[0], b[0]), max(a[1], b[1]))
