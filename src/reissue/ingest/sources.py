"""SOURCES: what to read - folders (natural filename order), files, ``.zip`` archives, ``-`` (stdin, pages
separated by form feeds), an issue described by a METS file (:mod:`.mets_sources`) - and
:func:`load_inputs`, which reads them within the limits (:mod:`.limits`); each file's bytes go to
:func:`.pages.add_from_bytes`. Members of an archive are read in memory, never extracted; links and
unsafe member names are refused with one line each.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import zipfile
from collections import Counter
from typing import BinaryIO, Callable, Iterator

from ..chars import SURROGATE as _SURROGATE
from ..errors import InputError, NoPagesError
from ..model import Document
from . import limits
from .decoding import add_problem as _problem, fmt_size as _fmt_size, one_line as _one_line
from .limits import MAX_PAGE_BYTES
from .mets_sources import METS_NAME as _METS_NAME, Job as _Job, apply_mets as _apply_mets, mets_jobs as _mets_jobs
from .mets_sources import peek_mets as _peek_mets, too_big as _too_big, zip_mets_jobs as _zip_mets_jobs
from .pages import add_from_bytes as _add_from_bytes

__all__ = ["load_inputs", "natural_key"]

Progress = Callable[[int, "int | None", str], None]

# extensions that are obviously not OCR page text (skipped in folders and archives with a note)
NON_PAGE_EXT = {
    ".json", ".jsonl", ".md", ".markdown", ".rst", ".yml", ".yaml", ".toml", ".ini", ".cfg",
    ".csv", ".tsv", ".py", ".sh", ".js", ".css", ".log",
    ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".jp2", ".j2k", ".webp", ".bmp", ".svg",
    ".pdf", ".djvu", ".epub", ".ps", ".zip", ".gz", ".bz2", ".xz", ".7z", ".rar", ".tar",
    ".doc", ".docx", ".odt", ".db", ".sqlite", ".exe", ".dll", ".so",
}
NON_PAGE_NAMES = re.compile(r"^(readme|license|licence|changelog|manifest|checksums?|md5sums?|sha\d*sums?)(\.|$)", re.I)


# ----------------------------------------------------------------------------------------------
# small helpers


def natural_key(name: str) -> tuple:
    """Sort key: ``page2`` before ``page10`` (case-insensitive, ties broken by the name)."""
    parts = re.split(r"(\d+)", name)
    return tuple((0, int(p), "") if i % 2 else (1, 0, p.casefold()) for i, p in enumerate(parts)), name


def _non_page_reason(name: str) -> str | None:
    base = name.rsplit("/", 1)[-1]
    ext = os.path.splitext(base)[1].lower()
    if ext in NON_PAGE_EXT:
        return ext
    if NON_PAGE_NAMES.match(base):
        return base
    return None


def _display_name(doc: Document, name: str) -> str:
    """``name`` as a str that any output can hold; a file name that is not valid UTF-8 is reported.

    ``os.listdir`` gives such names with lone surrogates (``surrogateescape``); they become
    ``\\xNN`` escapes in the page's ``source`` and one problem line says which file it is.
    """
    if not _SURROGATE.search(name):
        return name
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    shown = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)
    _problem(doc, shown, "file name is not valid UTF-8; read, and shown with \\xNN escapes",
             "rename the file with a UTF-8 name")
    return shown


def _hidden(name: str) -> bool:
    parts = [p for p in re.split(r"[/\\]", name) if p]
    return any(p.startswith(".") or p == "__MACOSX" or p == "Thumbs.db" for p in parts)


# ----------------------------------------------------------------------------------------------
# inputs: folders, files, zip archives, stdin

_UNSAFE_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_member(name: str) -> bool:
    if not name or "\x00" in name or name.startswith(("/", "\\")) or _UNSAFE_DRIVE.match(name):
        return True
    return any(p == ".." for p in re.split(r"[/\\]", name))


def _skip_note(where: str, skipped: Counter) -> str:
    n = sum(skipped.values())
    kinds = ", ".join(f"{k} x{v}" if v > 1 else k for k, v in sorted(skipped.items()))
    return _one_line(f"{where}: skipped {n} file{'s' if n != 1 else ''} that are not page text ({kinds}) "
                     f"(pass page files only to silence this note)")


# a plain-text page beside a layout file of the same name (Chronicling America's ocr.txt and ocr.xml) is the
# same page twice: the layout file is read, the text file skipped with a note
_LAYOUT_EXT = {".xml", ".hocr", ".html", ".htm", ".xhtml"}


def _text_twins(names: list[str]) -> set[str]:
    """The ``.txt`` names of ``names`` that have a layout file of the same stem in the same folder."""
    layout = {os.path.splitext(n)[0].casefold() for n in names if os.path.splitext(n)[1].lower() in _LAYOUT_EXT}
    return {n for n in names if os.path.splitext(n)[1].lower() == ".txt" and os.path.splitext(n)[0].casefold() in layout}


def _twins_note(where: str, twins: set[str]) -> str:
    shown = ", ".join(sorted(twins)[:3]) + (", ..." if len(twins) > 3 else "")
    return _one_line(f"{where}: skipped {len(twins)} plain-text file{'s' if len(twins) != 1 else ''} ({shown}) "
                     f"beside a layout file (ALTO, PAGE or hOCR) of the same name: the same page, read from the "
                     f"layout file, which has the page's geometry (name the text file itself to read it instead)")


def _is_zip_path(path: str) -> bool:
    if path.lower().endswith(".zip"):
        return True
    if not os.path.isfile(path):
        return False  # never consume a pipe just to sniff it
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _expand(doc: Document, arg: str, notes: list[str], open_zips: list,
            several: bool = False, follow_symlinks: bool = False, limit: int = 20_000_000,
            mets_use: str | None = None) -> tuple[list[_Job], str | None]:
    """Jobs for one input argument, and a reason string when it holds no page file."""
    if arg == "-":
        return [_Job("stdin", "<stdin>")], None
    if not os.path.exists(arg):
        raise InputError("input not found", path=arg, hint="check the path; use - to read standard input")
    if os.path.isdir(arg):
        try:
            names = os.listdir(arg)
        except OSError as exc:
            _problem(doc, arg, f"folder cannot be read: {exc.strerror or exc}", "check its permissions")
            return [], "unreadable"
        for name in sorted(names, key=natural_key):
            path = os.path.join(arg, name)
            if (_METS_NAME.search(name) and not _hidden(name) and not os.path.islink(path) and os.path.isfile(path)
                    and _peek_mets(path)):
                # an issue as libraries deliver it: the METS file says which files are its pages
                jobs = _mets_jobs(doc, path, limit, several, mets_use)
                if jobs:
                    return jobs, None
                names = [n for n in names if n != name]  # read the folder's files instead
                break
        skipped: Counter = Counter()
        subdirs = []
        jobs = []
        twins = _text_twins([n for n in names if not _hidden(n) and os.path.isfile(os.path.join(arg, n))])
        for name in sorted(names, key=natural_key):
            path = os.path.join(arg, name)
            if _hidden(name) or name in twins:
                continue
            if os.path.islink(path) and not follow_symlinks:
                _problem(doc, _display_name(doc, path if several else name),
                         "symbolic link inside an input folder, refused and not read",
                         "pass --follow-symlinks to read links, or name the file itself")
                continue
            if os.path.isdir(path):
                subdirs.append(name)
                continue
            reason = _non_page_reason(name)
            if reason:
                skipped[reason] += 1
                continue
            job = _Job("file", _display_name(doc, path if several else name), path, folder=True)
            job.nofollow = not follow_symlinks
            jobs.append(job)
        if skipped:
            notes.append(_skip_note(arg, skipped))
        if twins:
            notes.append(_twins_note(arg, twins))
        if not jobs:
            hint = f"it has subfolders: {', '.join(subdirs[:5])}; point at the one with the pages" if subdirs else None
            return [], hint or ""
        return jobs, None
    if _is_zip_path(arg):
        try:
            zf = zipfile.ZipFile(arg)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            _problem(doc, arg, f"not a readable ZIP archive ({_one_line(exc)})", "re-create the archive")
            return [], "unreadable"
        open_zips.append(zf)
        skipped = Counter()
        members = []
        for zi in zf.infolist():
            name = zi.filename
            if _unsafe_member(name):
                _problem(doc, f"{arg}:{name}", "unsafe member name (absolute path or '..'), refused and not read",
                         "re-create the archive with relative member names")
                continue
            if zi.is_dir() or _hidden(name):
                continue
            if stat.S_ISLNK(zi.external_attr >> 16):
                _problem(doc, f"{arg}:{name}", "symbolic link inside the archive, refused and not read",
                         "re-create the archive without links")
                continue
            reason = _non_page_reason(name)
            if reason:
                skipped[reason] += 1
                continue
            members.append(zi)
        if skipped:
            notes.append(_skip_note(arg, skipped))
        twins = _text_twins([zi.filename for zi in members])
        if twins:
            members = [zi for zi in members if zi.filename not in twins]
            notes.append(_twins_note(arg, twins))
        total = sum(zi.file_size for zi in members)
        if total > limits.MAX_ARCHIVE_BYTES:
            _problem(doc, _display_name(doc, arg), f"archive holds {_fmt_size(total)} once decompressed, over the "
                     f"limit of {_fmt_size(limits.MAX_ARCHIVE_BYTES)} per archive; refused, nothing read",
                     "split it into one archive per issue")
            return [], "unreadable"
        members.sort(key=lambda zi: natural_key(zi.filename))
        jobs, tried = _zip_mets_jobs(doc, arg, zf, members, limit, mets_use)
        if jobs:
            return jobs, None
        members = [zi for zi in members if zi.filename != tried]  # its other members are read instead
        return [_Job("zip", f"{arg}:{zi.filename}", arg, zf, zi) for zi in members], (None if members else "")
    if arg.lower().endswith((".xml", ".mets")) and _peek_mets(arg):
        return _mets_jobs(doc, arg, limit, several, mets_use), None
    return [_Job("file", _display_name(doc, arg), arg)], None


def _run_file(doc: Document, job: _Job, limit: int) -> int:
    try:
        fd = os.open(job.path, os.O_RDONLY | (getattr(os, "O_NOFOLLOW", 0) if job.nofollow else 0)
                     | (getattr(os, "O_NONBLOCK", 0) if job.folder else 0))
        st = os.fstat(fd)
        size = st.st_size
        regular = stat.S_ISREG(st.st_mode)
        if size > limit or (not regular and job.folder):
            os.close(fd)
            if size > limit:
                _too_big(doc, job.source, size, limit)
            else:
                _problem(doc, job.source, "not a regular file", "keep only page files in the folder")
            return 0
        with open(fd, "rb") as f:
            # +1: notices a file that grew past the limit; pipes and devices have no size
            data = f.read((min(size, limit) if regular else limit) + 1)
    except OSError as exc:
        if job.nofollow and exc.errno == getattr(__import__("errno"), "ELOOP", -1):
            _problem(doc, job.source, "symbolic link inside an input folder, refused and not read",
                     "pass --follow-symlinks to read links, or name the file itself")
            return 0
        _problem(doc, job.source, f"cannot be read: {exc.strerror or _one_line(exc)}", "check the file and its permissions")
        return 0
    if len(data) > limit:
        _too_big(doc, job.source, len(data), limit)
        return 0
    return _add_from_bytes(doc, job.source, data)


def _run_zip_member(doc: Document, job: _Job, limit: int) -> int:
    zi: zipfile.ZipInfo = job.info
    if zi.flag_bits & 0x1:
        _problem(doc, job.source, "member is encrypted", "re-create the archive without a password")
        return 0
    if zi.file_size > limit:
        _too_big(doc, job.source, zi.file_size, limit)
        return 0
    try:
        with job.zf.open(zi) as f:  # read in memory only: members are never extracted to disk
            data = f.read(min(zi.file_size, limit) + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        _problem(doc, job.source, f"member cannot be read ({_one_line(exc)})", "re-create the archive")
        return 0
    except Exception as exc:  # zlib.error and other decompressor failures
        _problem(doc, job.source, f"member cannot be decompressed ({type(exc).__name__}: {_one_line(exc)})",
                 "re-create the archive")
        return 0
    if len(data) > limit:
        _too_big(doc, job.source, len(data), limit)
        return 0
    return _add_from_bytes(doc, job.source, data)


def _stdin_pages(stream: BinaryIO, limit: int, chunk_size: int = 1 << 20) -> Iterator[tuple[int, bytes | None, int]]:
    """Yield ``(n, bytes, size)`` per form-feed separated page; bytes is None when over ``limit``.

    Reads in chunks, so an oversize page is counted but never held in memory.
    """
    buf = bytearray()
    size = 0
    over = False
    n = 0
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        parts = chunk.split(b"\f")
        for i, part in enumerate(parts):
            size += len(part)
            if not over:
                if size > limit:
                    over = True
                    buf = bytearray()
                else:
                    buf += part
            if i < len(parts) - 1:  # a form feed ends this page
                n += 1
                yield n, (None if over else bytes(buf)), size
                buf, size, over = bytearray(), 0, False
    # a trailing form feed (or one followed by white space only) does not start a new page
    if over or bytes(buf).strip() or (n == 0 and size):
        yield n + 1, (None if over else bytes(buf)), size


def _run_stdin(doc: Document, stream: BinaryIO, limit: int, progress: Progress | None, done: int) -> int:
    added = 0
    for n, data, size in _stdin_pages(stream, limit):
        source = f"<stdin>:{n}"
        if data is None:
            _too_big(doc, source, size, limit)
        else:
            added += _add_from_bytes(doc, source, data)
        done += 1
        if progress:
            progress(done, None, source)
    return added


def load_inputs(inputs: "list[str] | str", *, max_page_bytes: int = MAX_PAGE_BYTES,
                progress: Progress | None = None, notes: list[str] | None = None,
                stdin: BinaryIO | None = None, follow_symlinks: bool = False,
                mets_use: str | None = None) -> Document:
    """Load OCR pages from folders, files, ``.zip`` archives or ``-`` (stdin) into a Document.

    A folder holding a METS file (``*mets*.xml``), or a METS file itself, is read as the issue the
    METS describes: its page files in its physical order (file group ``mets_use``, else the first
    holding page text), with its page labels, MODS metadata (``doc.source_metadata``) and logical
    structure (``doc.structure``).

    ``progress(done, total, source)`` is called after each page file (``total`` is None while
    stdin is read). Notes about skipped non-page files (``.json``, images...) go to ``notes`` when
    a list is given, else to ``doc.problems``. ``stdin`` replaces ``sys.stdin.buffer`` (tests).
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = [os.fspath(a) for a in inputs]
    if not inputs:
        raise InputError("no input given", hint="name a folder, files, a .zip, or - for standard input")
    doc = Document()
    note_list: list[str] = []
    open_zips: list = []
    try:
        jobs: list[_Job] = []
        empty: list[tuple[str, str]] = []
        for arg in inputs:
            js, why = _expand(doc, arg, note_list, open_zips, several=len(inputs) > 1,
                              follow_symlinks=follow_symlinks, limit=max_page_bytes, mets_use=mets_use)
            jobs.extend(js)
            if why is not None:
                empty.append((arg, why))
        (notes if notes is not None else doc.problems).extend(note_list)
        for arg, why in empty:
            if why != "unreadable" and len(inputs) > 1:
                _problem(doc, arg, "no page files found", why or "check the input")
        total = None if any(j.kind == "stdin" for j in jobs) else len(jobs)
        done = 0
        mets_done: list[tuple[_Job, list]] = []
        for job in jobs:
            if job.kind == "file":
                before = len(doc.pages)
                _run_file(doc, job, max_page_bytes)
                for page in doc.pages[before:]:
                    page.info["path"] = os.path.abspath(job.path)  # for writing corrected ALTO/PAGE back
                if job.mets:
                    mets_done.append((job, doc.pages[before:]))
            elif job.kind == "zip":
                before = len(doc.pages)
                _run_zip_member(doc, job, max_page_bytes)
                for page in doc.pages[before:]:  # for writing corrected ALTO/PAGE back
                    page.info["path"], page.info["member"] = os.path.abspath(job.path), job.info.filename
                if job.mets:
                    mets_done.append((job, doc.pages[before:]))
            else:
                stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
                if stream is None:
                    _problem(doc, "<stdin>", "standard input is not available", "pipe the pages in or name files")
                    continue
                _run_stdin(doc, stream, max_page_bytes, progress, done)
                continue
            done += 1
            if progress:
                progress(done, total, job.source)
        _apply_mets(doc, mets_done)
    finally:
        for zf in open_zips:
            zf.close()
    if not doc.pages:
        if len(inputs) == 1 and empty and empty[0][1] != "unreadable":
            arg, why = empty[0]
            what = "no text on standard input" if arg == "-" else f"no page files found in {arg}"
            raise NoPagesError(what, hint=why or "put the OCR page files (.txt, ALTO, hOCR, PAGE XML) there")
        if inputs == ["-"]:
            raise NoPagesError("no text on standard input" if not doc.problems else
                               f"no page could be loaded from standard input: {len(doc.problems)} problem(s), "
                               f"first: {doc.problems[0]}", hint="pipe page text separated by form feeds")
        n = len(doc.problems)
        first = f"; first: {doc.problems[0]}" if doc.problems else ""
        raise NoPagesError(f"no page could be loaded from {', '.join(inputs[:3])}"
                           f"{' ...' if len(inputs) > 3 else ''}: {n} problem{'s' if n != 1 else ''}{first}",
                           hint="see the problems listed above; fix or remove those files")
    doc.stages.append("ingest")
    return doc
