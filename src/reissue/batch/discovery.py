"""Issues of a collection: discovery in natural name order, safe output names, input digests.

A collection is a folder (local, or an fsspec URL) whose sub-folders holding files, and whose
``.zip`` archives, are issues. Hidden entries are never issues; nested collections are not searched.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from ..errors import UsageError
from . import storage

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_UNSAFE_CHARS = re.compile(r"[^\w.\-]+")


def safe_name(name: str, max_len: int = 80) -> str:
    """A folder name made from an issue name: letters, digits, ``_ . -`` only, never ``.``/``..``.

    Path separators, control characters, spaces and the like become ``-``; leading and trailing
    dots and dashes are dropped; an empty result becomes ``issue``.
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = _UNSAFE_CHARS.sub("-", s)
    s = re.sub(r"-{2,}", "-", s).strip(".-_")
    s = s[:max_len].rstrip(".-_")
    if not s:
        s = "issue"
    if s.split(".")[0].casefold() in _WINDOWS_RESERVED:
        s = f"issue-{s}"
    return s


@dataclass
class Issue:
    """One issue of a collection: where it is read from and the folder name it is written to."""

    name: str  # output folder name under OUTROOT (safe and unique)
    path: str  # absolute local path of the folder or .zip, or its fsspec URL
    kind: str  # "folder" | "zip"
    entry: str  # the entry name in the collection, as found


@dataclass
class Discovery:
    issues: list[Issue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one-line notes on entries that are no issue


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in ("__MACOSX", "Thumbs.db", "desktop.ini")


def _has_files(folder: str) -> tuple[bool, bool]:
    """(has a non-hidden regular file, has a non-hidden sub-folder)."""
    files = dirs = False
    try:
        with os.scandir(folder) as it:
            for e in it:
                if _hidden(e.name):
                    continue
                try:
                    if e.is_dir():
                        dirs = True
                    elif e.is_file():
                        files = True
                        break
                except OSError:
                    continue
    except OSError:
        return True, False  # let the build report why it cannot be read
    return files, dirs


def _has_files_fs(fs, folder: str) -> tuple[bool, bool]:
    files = dirs = False
    try:
        for info in fs.ls(folder, detail=True):
            if _hidden(storage.basename(info["name"])):
                continue
            if info.get("type") == "directory":
                dirs = True
            elif info.get("type") == "file":
                return True, dirs
    except OSError:
        return True, False
    return files, dirs


def same_or_inside(path: str, root: str) -> bool:
    """``path`` is ``root`` or lies inside it (both real, absolute paths)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def _entries(fs, root: str, collection: str) -> list[tuple[str, str, str]]:
    """(name, path, "dir" | "file" | "other") of the entries of the collection folder."""
    if fs is None:
        if not os.path.exists(root):
            raise UsageError("collection not found", path=collection,
                             hint="name a folder of issue folders or .zip files")
        if not os.path.isdir(root):
            raise UsageError("collection is not a folder", path=collection,
                             hint="name a folder whose sub-folders or .zip files are issues; for one issue use `reissue build`")
        try:
            names = os.listdir(root)
        except OSError as exc:
            raise UsageError(f"collection cannot be read: {exc.strerror or exc}", path=collection,
                             hint="check its permissions") from exc
        out = []
        for n in names:
            p = os.path.join(root, n)
            out.append((n, p, "dir" if os.path.isdir(p) else "file" if os.path.isfile(p) else "other"))
        return out
    try:
        infos = fs.ls(root, detail=True)
    except FileNotFoundError as exc:
        raise UsageError("collection not found", path=collection,
                         hint="name a folder of issue folders or .zip files") from exc
    except OSError as exc:
        raise UsageError(f"collection cannot be read: {exc}", path=collection, hint="check the URL and access") from exc
    if not fs.isdir(root):
        raise UsageError("collection is not a folder", path=collection,
                         hint="name a folder whose sub-folders or .zip files are issues; for one issue use `reissue build`")
    kinds = {"directory": "dir", "file": "file"}
    return [(storage.basename(i["name"]), i["name"], kinds.get(i.get("type"), "other")) for i in infos]


def discover_issues(collection: str, *, exclude: Iterable[str] = (), reserved: Iterable[str] = (),
                    follow_symlinks: bool = False) -> Discovery:
    """Issues of a collection folder (path or fsspec URL) in natural name order, with safe, unique
    output names. An entry that is a symbolic link is refused (a note in ``skipped``) unless
    ``follow_symlinks``, as `reissue build` refuses links inside its input folders.

    ``exclude``: local paths never taken as issues (OUTROOT when it lies inside the collection).
    ``reserved``: names the issue folders must not take (case-insensitively), e.g. the report.
    """
    from ..ingest import natural_key

    fs, root = storage.resolve(collection)
    excluded = {os.path.realpath(p) for p in exclude if not storage.is_url(p)}
    taken = {r.casefold() for r in reserved}
    found = Discovery()
    loose_pages = 0
    for entry, path, typ in sorted(_entries(fs, root, collection), key=lambda e: natural_key(e[0])):
        if _hidden(entry):
            continue
        if fs is None:
            path = os.path.abspath(path)
            if os.path.realpath(path) in excluded:
                continue
            if os.path.islink(path) and not follow_symlinks:
                found.skipped.append(f"{entry}: a symbolic link; refused (give --follow-symlinks to read it)")
                continue
        if typ == "dir":
            files, dirs = _has_files(path) if fs is None else _has_files_fs(fs, path)
            if not files:
                why = ("no files, only sub-folders (nested collections are not searched: run `reissue batch` on it)"
                       if dirs else "empty folder")
                found.skipped.append(f"{entry}: {why}")
                continue
            kind, stem = "folder", entry
        elif entry.lower().endswith(".zip") and typ == "file":
            kind, stem = "zip", entry[:-4]
        else:
            loose_pages += 1
            continue
        base = safe_name(stem)
        name, k = base, 2
        while name.casefold() in taken:
            name = f"{base}-{k}"
            k += 1
        taken.add(name.casefold())
        found.issues.append(Issue(name, path if fs is None else storage.url_of(fs, path), kind, entry))
    if loose_pages:
        found.skipped.append(f"{loose_pages} loose file{'s' if loose_pages != 1 else ''} in the collection folder "
                             "(an issue is a sub-folder of page files or a .zip)")
    return found


def count_files(issue: Issue) -> int:
    """Files in an issue folder (top level, not hidden) or members of its .zip: a cheap size estimate."""
    try:
        fs, path = storage.resolve(issue.path)
        if issue.kind == "zip":
            import zipfile

            with (open(path, "rb") if fs is None else fs.open(path, "rb")) as fh, zipfile.ZipFile(fh) as zf:
                return sum(1 for zi in zf.infolist() if not zi.is_dir())
        if fs is not None:
            return sum(1 for i in fs.ls(path, detail=True)
                       if i.get("type") == "file" and not _hidden(storage.basename(i["name"])))
        with os.scandir(path) as it:
            return sum(1 for e in it if not _hidden(e.name) and e.is_file())
    except Exception:  # unreadable: the build reports why
        return 0


def issue_digest(issue: Issue, follow_symlinks: bool = False) -> str | None:
    """Digest of what the issue is built from (see :func:`storage.issue_digest`)."""
    try:
        fs, path = storage.resolve(issue.path)
    except UsageError:
        return None
    return storage.issue_digest(fs, path, issue.kind, follow_symlinks)
