"""What to read for an issue: one :class:`Job` per page file, and issues described by a METS file.

A folder, a METS file or a ZIP archive holding a METS file is read as the issue the METS describes
(:mod:`.mets`): its page files in the physical order, with the same checks as any
input (a file outside the METS file's folder, a missing file, a member refused for its name or as a
link: one problem line each). :func:`apply_mets` then gives the pages their labels, the document
its MODS metadata and logical structure. Used by :mod:`.sources`.
"""

from __future__ import annotations

import os
import re

from .decoding import BinaryContent, add_problem as _problem, decode_bytes, declared_encoding as _declared_encoding
from .decoding import fmt_size as _fmt_size, one_line as _one_line
from ..model import Document
from . import mets
from .common import BrokenMarkup


class Job:
    __slots__ = ("kind", "source", "path", "zf", "info", "folder", "nofollow", "mets")

    def __init__(self, kind, source, path=None, zf=None, info=None, folder=False, mets=None):
        self.kind, self.source, self.path, self.zf, self.info = kind, source, path, zf, info
        self.folder = folder
        self.nofollow = False  # a file of a folder: refuse a link planted after the listing
        self.mets = mets  # (MetsIssue, MetsPage) when the page file was found through a METS file


METS_NAME = re.compile(r"mets.*\.xml$|\.mets$", re.I)


def peek_mets(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return mets.is_mets(head.decode("utf-8", "replace"))


def mets_jobs(doc: Document, path: str, limit: int, several: bool, use: str | None) -> list[Job]:
    """One job per page file a METS file lists, in its physical order; a missing file is one line."""
    try:
        size = os.path.getsize(path)
        if size > limit:
            too_big(doc, path, size, limit)
            return []
        with open(path, "rb") as f:
            data = f.read(limit + 1)
        text, _enc = decode_bytes(data, _declared_encoding(data))
        issue = mets.read_mets(text, os.path.dirname(os.path.abspath(path)), use)
    except (OSError, BinaryContent, BrokenMarkup) as exc:
        what = f"broken METS: {exc}" if isinstance(exc, BrokenMarkup) else f"METS cannot be read: {_one_line(exc)}"
        _problem(doc, path, what, "repair the METS file or pass the page files themselves")
        return []
    for what, todo in issue.problems:
        _problem(doc, path, what, todo)
    if len(issue.groups) > 1:
        _problem(doc, path, f"several file groups hold page text ({', '.join(issue.groups)}); read {issue.group}",
                 "choose another with --mets-use")
    base = os.path.dirname(path)
    top = os.path.dirname(os.path.abspath(path))
    pages, problems = mets.plan_pages(issue, lambda p: os.path.commonpath([top, os.path.abspath(p)]) == top,
                                      os.path.isfile)
    for what, todo in problems:
        _problem(doc, path, what, todo)
    jobs = [Job("file", pg.path if several else os.path.relpath(pg.path, base or "."), pg.path, folder=True,
                 mets=(issue, pg)) for pg in pages]
    if not jobs:
        _problem(doc, path, "METS lists no readable page file", "check its fileSec and physical structMap; "
                 "the other files of the folder are read instead")
    return jobs


def zip_mets_jobs(doc: Document, arg: str, zf, members: list, limit: int, use: str | None) -> tuple[list[Job], str | None]:
    """An archive holding a METS file (the first by name, as in a folder) is read as the issue it
    describes: one job per member it lists, in its physical order. Members refused earlier (unsafe
    names, links) are not there to be found. Returns (jobs, the METS member tried): no jobs when the
    archive has no METS, or its METS cannot be read or lists no readable member."""
    by_name = {zi.filename: zi for zi in members}
    for zi in members:
        if not METS_NAME.search(zi.filename.rsplit("/", 1)[-1]) or zi.flag_bits & 0x1:
            continue
        where = f"{arg}:{zi.filename}"
        if zi.file_size > limit:
            too_big(doc, where, zi.file_size, limit)
            return [], zi.filename
        try:
            with zf.open(zi) as f:  # in memory only, never extracted
                data = f.read(limit + 1)
            if len(data) > limit:
                too_big(doc, where, len(data), limit)
                return [], zi.filename
            if not mets.is_mets(data[:4096].decode("utf-8", "replace")):
                continue
            text, _enc = decode_bytes(data, _declared_encoding(data))
            base = zi.filename.rsplit("/", 1)[0] if "/" in zi.filename else ""
            issue = mets.read_mets(text, base, use, resolve=lambda h, b=base: mets.member_path(h, b))
        except (BinaryContent, BrokenMarkup) as exc:
            what = f"broken METS: {exc}" if isinstance(exc, BrokenMarkup) else exc.what
            _problem(doc, where, what, "repair the METS file or pass the page files themselves")
            return [], zi.filename
        except Exception as exc:  # zlib and other decompressor failures
            _problem(doc, where, f"METS cannot be read ({type(exc).__name__}: {_one_line(exc)})", "re-create the archive")
            return [], zi.filename
        for what, todo in issue.problems:
            _problem(doc, where, what, todo)
        if len(issue.groups) > 1:
            _problem(doc, where, f"several file groups hold page text ({', '.join(issue.groups)}); read "
                     f"{issue.group}", "choose another with --mets-use")
        pages, problems = mets.plan_pages(issue, lambda p: not p.startswith("../"), lambda p: p in by_name)
        for what, todo in problems:
            _problem(doc, where, what, todo)
        if pages:
            return [Job("zip", f"{arg}:{pg.path}", arg, zf, by_name[pg.path], mets=(issue, pg)) for pg in pages], None
        _problem(doc, where, "METS lists no readable page file", "check its fileSec and physical structMap; "
                 "the other members of the archive are read instead")
        return [], zi.filename
    return [], None


def apply_mets(doc: Document, done: list[tuple[Job, list]]) -> None:
    """Labels, MODS metadata and logical structure of the METS issues read."""
    issues: dict[int, tuple] = {}
    for job, pages in done:
        issue, pg = job.mets
        for page in pages:
            page.info["mets_label"] = pg.label
            if pg.label:
                page.info["printed_number"] = pg.label
        by_file, by_div = issues.setdefault(id(issue), (issue, {}, {}))[1:]
        by_file.setdefault(pg.file_id, []).extend(pages)
        by_div.setdefault(pg.div_id, []).extend(pages)
    for issue, by_file, by_div in issues.values():
        if not doc.source_metadata and (issue.metadata or issue.pages):
            # the physical structMap lists every page of the issue: its length is the page count
            doc.source_metadata = dict(issue.metadata, source="METS/MODS",
                                       **({"page_count": len(issue.pages)} if issue.pages else {}))
        doc.structure = (doc.structure or []) + mets.resolve_structure(issue.structure, by_file, by_div)


def too_big(doc: Document, source: str, size: int, limit: int) -> None:
    _problem(doc, source, f"page is {_fmt_size(size)}, over the limit of {_fmt_size(limit)}; refused",
             "split it into pages or raise max_page_bytes")
