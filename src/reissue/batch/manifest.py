"""The manifest of a batch: which issues are finished, from which input, built how.

``OUTROOT/batch-manifest.jsonl``: a first line naming the format, then one JSON record per finished
issue: its name and entry, the digest of its input, the reissue version, the correction model and
the options it was built with, and its summary (as in the report). A record is written only after
the issue's edition folder is in place, so a listed issue is finished.

Locally the file is a journal: each record is appended and flushed to disk (``fsync``) as its issue
finishes; a torn last line (a kill mid-write) is ignored when read. At the start of each run the
journal is rewritten (temporary file, fsync, rename) with one record per issue, so it never holds
duplicates across runs. On an fsspec store (no appends) the whole manifest is written as one object
every :data:`CHECKPOINT_SECONDS` and at the end: a kill redoes at most the issues since the last one.

On a rerun an issue whose record matches (same input digest, version, model and options) and whose
``edition.json`` is there is not built again; every other issue is. ``--force`` starts a new manifest.
"""

from __future__ import annotations

import json
import os
import time

from . import storage

MANIFEST_NAME = "batch-manifest.jsonl"
MANIFEST_FORMAT = "reissue-batch-manifest/1"
CHECKPOINT_SECONDS = 10.0


def build_key(digest: str | None, version: str, model: str | None, correct: bool, threshold,
              lang: "str | tuple" = "auto", follow_symlinks: bool = False, normalize: str = "ligatures",
              mets_use: str | None = None) -> dict:
    """What must be the same for a finished issue to count as finished again. ``lang``,
    ``follow_symlinks``, ``normalize`` and ``mets_use`` are recorded only when not the default (so older
    manifests still match)."""
    options = {"correct": bool(correct), "threshold": threshold}
    if lang != "auto":
        options["lang"] = lang if isinstance(lang, str) else ",".join(lang)
    if follow_symlinks:
        options["follow_symlinks"] = True
    if normalize != "ligatures":
        options["normalize"] = normalize
    if mets_use:
        options["mets_use"] = mets_use
    return {"digest": digest, "version": version, "model": model, "options": options}


def model_fingerprint(correct: bool) -> str | None:
    """sha256 of the shipped correction model files (None without correction)."""
    if not correct:
        return None
    import hashlib

    try:
        from ..correct import default_model_path
    except ImportError:
        return None
    path = default_model_path()
    folder = os.path.dirname(path)
    names = sorted({os.path.basename(path)} | {n for n in os.listdir(folder) if n.startswith("correct-model")})
    h = hashlib.sha256()
    for n in names:
        p = os.path.join(folder, n)
        if os.path.isfile(p):
            h.update(n.encode() + b"\0" + storage.file_digest(None, p).encode())
    return h.hexdigest()[:16]


class Manifest:
    """Read the manifest in OUTROOT (unless ``fresh``), then :meth:`start`, :meth:`record`, :meth:`close`."""

    def __init__(self, outroot: str, *, fresh: bool = False):
        self.fs, root = storage.resolve(outroot)
        self.path = storage.join(self.fs, root, MANIFEST_NAME)
        self.records: dict[str, dict] = {} if fresh else self._load()
        self._fh = None
        self._dirty = False
        self._last_write = time.monotonic()

    def _load(self) -> dict[str, dict]:
        data = storage.read_bytes(self.fs, self.path)
        out: dict[str, dict] = {}
        if not data:
            return out
        for line in data.split(b"\n"):
            try:
                rec = json.loads(line)
            except ValueError:  # a torn last line, or damage: that issue is simply built again
                continue
            if isinstance(rec, dict) and isinstance(rec.get("issue"), str) and isinstance(rec.get("summary"), dict):
                out[rec["issue"]] = rec
        return out

    def finished(self, issue: str, key: dict) -> dict | None:
        """The recorded summary when ``issue`` was finished with this ``key``, else None."""
        rec = self.records.get(issue)
        if rec and rec.get("key") == key and rec["summary"].get("status") in ("ok", "problems"):
            return rec["summary"]
        return None

    def _lines(self):
        """The manifest's lines, one record at a time (written without making the whole file)."""
        yield (json.dumps({"format": MANIFEST_FORMAT}, ensure_ascii=False) + "\n").encode("utf-8")
        for r in self.records.values():
            yield (json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8")

    def start(self, keep: set[str] | None = None) -> None:
        """Rewrite the manifest with the records of ``keep`` only (all when None), then open it for appends."""
        if keep is not None:
            self.records = {k: v for k, v in self.records.items() if k in keep}
        storage.write_chunks(self.fs, self.path, self._lines())
        if self.fs is None:
            _fsync_dir(os.path.dirname(self.path))
            self._fh = open(self.path, "ab")
        self._last_write = time.monotonic()

    def record(self, issue: str, entry: str, key: dict, summary: dict) -> None:
        """Note a finished issue (its edition folder already in place)."""
        rec = {"issue": issue, "entry": entry, "key": key, "summary": summary,
               "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.records[issue] = rec
        if self._fh is not None:
            self._fh.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
            self._fh.flush()
            os.fsync(self._fh.fileno())
            return
        self._dirty = True
        if time.monotonic() - self._last_write >= CHECKPOINT_SECONDS:
            self._checkpoint()

    def forget(self, issue: str) -> None:
        """An issue about to be built again no longer counts as finished (it is rewritten on success)."""
        self.records.pop(issue, None)

    def _checkpoint(self) -> None:
        storage.write_chunks(self.fs, self.path, self._lines())
        self._dirty = False
        self._last_write = time.monotonic()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        elif self._dirty:
            self._checkpoint()


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
