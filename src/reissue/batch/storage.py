"""Where a batch reads and writes: local paths, or fsspec URLs (``memory://``, ``s3://``, ...).

A local path or a ``file://`` URL is used as a local path (workers must see it under the same name).
Any other URL is opened with fsspec on each side: the client lists the collection and keeps the
manifest and the report there; a worker copies one issue into a local temporary folder, builds it,
and uploads the edition folder. So the workers need not share a disk with the client, only reach
the same store. fsspec is needed only when a URL is given.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: staging folders are not swept
    fcntl = None

from ..errors import UsageError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
STAGING_PREFIX = "reissue-edition-"  # local temporary folders of editions bound for an fsspec store
FETCH_PREFIX = "reissue-issue-"  # local copies of issues read from an fsspec store
STAGING_LOCK = ".reissue-staging.lock"  # held (flock) by the process using a staging folder
WRITE_TMP_MARK = ".reissue-tmp-"  # in the names of write_edition's temporary folders (".<name>.reissue-tmp-*")
CHUNK = 1 << 20


def is_url(path: str) -> bool:
    return bool(_URL.match(str(path)))


def resolve(path: str):
    """``(fs, path)``: ``fs`` is None for a local path (``file://`` URLs included), else an fsspec
    filesystem and the path inside it."""
    path = str(path)
    if not is_url(path):
        return None, os.path.abspath(path)
    try:
        import fsspec
        from fsspec.implementations.local import LocalFileSystem
    except ImportError as exc:
        raise UsageError(f"{path} is a URL, which needs fsspec ({exc})",
                         hint="pip install 'reissue[fsspec]', or give a local path") from exc
    try:
        fs, inner = fsspec.core.url_to_fs(path)
    except (ValueError, ImportError) as exc:  # unknown protocol, or its package is missing
        raise UsageError(f"cannot open {path} ({' '.join(str(exc).split())})",
                         hint="install the fsspec backend for this protocol, or give a local path") from exc
    if isinstance(fs, LocalFileSystem):
        return None, os.path.abspath(inner)
    return fs, inner.rstrip("/") or "/"


def url_of(fs, path: str) -> str:
    return fs.unstrip_protocol(path)


def join(fs, root: str, name: str) -> str:
    return os.path.join(root, name) if fs is None else f"{root.rstrip('/')}/{name}"


def basename(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


# ----------------------------------------------------------------------------------------------
# digests


def _hash_stream(read, h) -> None:
    while True:
        block = read(CHUNK)
        if not block:
            break
        h.update(block)


def file_digest(fs, path: str) -> str:
    h = hashlib.sha256()
    if fs is None:
        with open(path, "rb") as fh:
            _hash_stream(fh.read, h)
    else:
        with fs.open(path, "rb") as fh:
            _hash_stream(fh.read, h)
    return h.hexdigest()


def issue_digest(fs, path: str, kind: str, follow_symlinks: bool = False) -> str | None:
    """sha256 over what an issue is read from: the .zip, or every file at the top of the folder
    (name and content; a link by its target, or, with ``follow_symlinks``, by the content it points
    to). None when it cannot be read (the build says why)."""
    try:
        if kind == "zip":
            return "zip:" + file_digest(fs, path)
        h = hashlib.sha256()
        for name, ref in sorted(_folder_files(fs, path, follow_symlinks)):
            h.update(name.encode("utf-8", "surrogateescape") + b"\0")
            if ref is None:  # a symbolic link (local)
                h.update(b"link:" + os.fsencode(os.readlink(os.path.join(path, name))) + b"\0")
            else:
                h.update(file_digest(fs, ref).encode() + b"\0")
        return "dir:" + h.hexdigest()
    except (OSError, ValueError):
        return None


def _folder_files(fs, path: str, follow_symlinks: bool = False) -> list[tuple[str, str | None]]:
    """(name, path to read or None for a link not followed) of the files at the top of a folder."""
    out = []
    if fs is None:
        with os.scandir(path) as it:
            for e in it:
                if e.is_symlink() and follow_symlinks:
                    if e.is_file():
                        out.append((e.name, e.path))
                elif e.is_symlink():
                    out.append((e.name, None))
                elif e.is_file(follow_symlinks=False):
                    out.append((e.name, e.path))
        return out
    for info in fs.ls(path, detail=True):
        if info.get("type") == "file":
            out.append((basename(info["name"]), info["name"]))
    return out


# ----------------------------------------------------------------------------------------------
# the worker's side: fetch an issue, publish an edition folder


def fetch_issue(url: str, kind: str, dest: str) -> str:
    """Copy the issue at ``url`` (a folder or a .zip on an fsspec store) under the local folder
    ``dest``; returns the local path to build from."""
    fs, path = resolve(url)
    local = os.path.join(dest, basename(path) or "issue")
    if kind == "zip":
        fs.get_file(path, local)
        return local
    os.makedirs(local)
    for name, ref in _folder_files(fs, path):
        fs.get_file(ref, os.path.join(local, name))
    return local


def publish(local: str, outroot: str, name: str) -> None:
    """Upload the edition folder ``local`` to ``OUTROOT/name`` on an fsspec store, replacing what was
    there. A store has no atomic rename of folders: the manifest lists the issue only once this has
    returned, so a kill in between builds it again."""
    fs, root = resolve(outroot)
    final = join(fs, root, name)
    if fs.exists(final):
        fs.rm(final, recursive=True)
    fs.makedirs(final, exist_ok=True)
    for dirpath, _dirs, files in os.walk(local):
        rel = os.path.relpath(dirpath, local)
        for f in sorted(files):
            target = final if rel == "." else join(fs, final, rel.replace(os.sep, "/"))
            fs.put_file(os.path.join(dirpath, f), join(fs, target, f))


def _staging_root() -> str | None:
    """This user's folder of staging folders in the system's temporary folder (made private), or
    None when it cannot be made safely (then staging folders go to the temporary folder unswept)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = os.path.join(tempfile.gettempdir(), f"reissue-staging-{uid}")
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        st = os.lstat(root)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != uid):
        return None  # a link or someone else's folder under our name: do not use it
    return root


class Staging:
    """A fresh local temporary folder for one task (an issue fetched from a store, or an edition
    written before its upload), locked while in use, so that the next run can tell a folder a
    killed worker left behind (lock free: removed) from one another batch is using (lock held)."""

    def __init__(self, prefix: str):
        root = _staging_root()
        if root is not None:
            sweep_staging(root)
        self.path = tempfile.mkdtemp(prefix=prefix, dir=root)
        self._fd = None
        if fcntl is not None and root is not None:
            self._fd = os.open(os.path.join(self.path, STAGING_LOCK), os.O_CREAT | os.O_WRONLY, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def sweep_staging(root: str | None = None) -> int:
    """Remove the staging folders that killed runs left in ``root`` (default: this user's staging
    folder): those whose lock no process holds. Returns how many."""
    root = _staging_root() if root is None else root
    if root is None or fcntl is None or not os.path.isdir(root):
        return 0
    n = 0
    for e in os.scandir(root):
        if not (e.name.startswith((STAGING_PREFIX, FETCH_PREFIX)) and e.is_dir(follow_symlinks=False)):
            continue
        try:
            fd = os.open(os.path.join(e.path, STAGING_LOCK), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            # killed before it took its lock, or just made by a live process about to take it
            if time.time() - e.stat(follow_symlinks=False).st_mtime < 60:
                continue
            fd = None
        except OSError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # in use by a live process
            shutil.rmtree(e.path, ignore_errors=True)
            n += 1
        finally:
            if fd is not None:
                os.close(fd)
    return n


def remove_stale_staging(outroot: str) -> int:
    """Remove the temporary folders a killed run left half-written in a local OUTROOT (those of
    :func:`reissue.export.write_edition`); returns how many."""
    fs, root = resolve(outroot)
    if fs is not None or not os.path.isdir(root):
        return 0
    n = 0
    for e in os.scandir(root):
        if e.name.startswith(".") and WRITE_TMP_MARK in e.name and e.is_dir(follow_symlinks=False):
            shutil.rmtree(e.path, ignore_errors=True)
            n += 1
    return n


# ----------------------------------------------------------------------------------------------
# small whole files (report, manifest) and OUTROOT itself


def write_bytes(fs, path: str, data: bytes) -> None:
    """Write a whole file: locally under a temporary name, flushed to disk, then renamed; on an fsspec
    store as one object."""
    if fs is not None:
        fs.pipe_file(path, data)
        return
    tmp = path + ".tmp"
    if os.path.lexists(tmp):  # never write through a link planted under the temporary name
        os.unlink(tmp)
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_chunks(fs, path: str, chunks) -> None:
    """:func:`write_bytes` of ``b"".join(chunks)``, without holding the whole file in memory (a
    report of thousands of issues)."""
    if fs is not None:
        with fs.open(path, "wb") as fh:
            for c in chunks:
                fh.write(c)
        return
    tmp = path + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    with open(tmp, "xb") as fh:
        for c in chunks:
            fh.write(c)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_bytes(fs, path: str) -> bytes | None:
    try:
        if fs is None:
            with open(path, "rb") as fh:
                return fh.read()
        return fs.cat_file(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def listing(fs, root: str) -> list[str] | None:
    """Names in OUTROOT, or None when it does not exist."""
    if fs is None:
        if not os.path.exists(root):
            return None
        if not os.path.isdir(root):
            raise UsageError("output path exists and is not a folder", path=root, hint="choose another -o")
        return os.listdir(root)
    if not fs.exists(root):
        return None
    if not fs.isdir(root):
        raise UsageError("output path exists and is not a folder", path=url_of(fs, root), hint="choose another -o")
    return [basename(p) for p in fs.ls(root, detail=False)]


def makedirs(fs, root: str) -> None:
    if fs is None:
        os.makedirs(root, exist_ok=True)
    else:
        fs.makedirs(root, exist_ok=True)
