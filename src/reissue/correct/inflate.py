"""A gzip file inflated ahead of its reader by a background thread (model files, ``model.read_model_file``).

``Inflated(fh)`` starts a thread that reads the compressed file in chunks of ``CHUNK`` bytes and inflates
them (with ISA-L's inflate from the ``isal`` package when it is installed, in about half zlib's time, else with
zlib; both release the interpreter lock while they inflate), while the caller reads the decompressed
bytes with ``read(n)`` and ``readline()`` and turns what it has read into tables. On a machine with two
cores the inflating of a model file's later tables then costs no wall time beside the building of its
earlier ones. The inflater checks the gzip trailer: a cut, altered or non-gzip file raises the error gzip.open
would (``gzip.BadGzipFile``, ``EOFError``) at the read that reaches it. ``close()`` (or leaving a
``with`` block) stops the thread; a reader that reads to the end needs none. A context model the
correction model names is inflated so ahead of its first use (``context.inflate_ahead``).
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections import deque

try:  # ISA-L's inflate (PyPI ``isal``, a dependency where it has wheels): the same stream, in about half the time
    from isal import isal_zlib as _inflater
except ImportError:  # pragma: no cover - without it, the standard zlib
    _inflater = zlib


class Inflated:
    CHUNK = 1 << 20  # compressed bytes read at a time
    OUT = 1 << 22  # at most this many decompressed bytes made of them at a time

    def __init__(self, fh, *, owns: bool = False) -> None:
        """``owns``: close ``fh`` too on ``close()`` (see ``open``)."""
        self._fh, self._owns = fh, owns
        self._parts: deque[bytes] = deque()  # decompressed, not yet read; the first from self._at
        self._at = 0
        self._have = 0  # bytes in self._parts after self._at
        self._done = False  # the thread has put everything (or an error)
        self._error: BaseException | None = None
        self._stop = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="reissue-inflate", daemon=True)
        self._thread.start()

    # -- the thread
    def _run(self) -> None:
        try:
            self._inflate()
        except (zlib.error, _inflater.error) as exc:
            self._finish(gzip.BadGzipFile(f"not a gzip file, or a damaged one ({exc})"))
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            self._finish(exc)
        else:
            self._finish(None)

    def _inflate(self) -> None:
        z = _inflater.decompressobj(31)
        while not self._stop:
            data = z.unconsumed_tail or self._fh.read(self.CHUNK)
            if not data:
                if not z.eof:
                    raise EOFError("compressed file ended before the end-of-stream marker was reached")
                return
            out = z.decompress(data, self.OUT)
            if out:
                with self._cond:
                    self._parts.append(out)
                    self._have += len(out)
                    self._cond.notify()
            if z.eof and not z.unconsumed_tail:
                if z.unused_data.strip(b"\0") or self._fh.read(1):
                    # another gzip member after the first: not a file this reader wrote or reads
                    raise gzip.BadGzipFile("a model file is one gzip member; this one has more")
                return

    def _finish(self, error: BaseException | None) -> None:
        with self._cond:
            self._error, self._done = error, True
            self._cond.notify()

    # -- the reader
    def _wait(self, n: int) -> None:
        """Until at least n bytes are ready, or all there will be."""
        with self._cond:
            while self._have < n and not self._done:
                self._cond.wait()
            if self._have < n and self._error is not None:
                raise self._error

    def read(self, n: int = -1) -> bytes:
        """The next n bytes (fewer at the end of the file; n < 0: all that is left)."""
        self._wait(1 << 62 if n < 0 else n)
        with self._cond:
            got = self._take(self._have if n < 0 else min(n, self._have))
        return b"".join(got)

    def _take(self, n: int) -> list:
        """The next n ready bytes, consumed, as a list of parts (bytes) and slices of parts (memoryviews);
        the caller holds self._cond."""
        got = []
        while n:
            p = self._parts[0]
            take = min(len(p) - self._at, n)
            got.append(p if take == len(p) else memoryview(p)[self._at:self._at + take])
            n -= take
            if self._at + take == len(p):
                self._parts.popleft()
                self._at = 0
            else:
                self._at += take
        self._have -= sum(map(len, got))
        return got

    def readinto(self, buf) -> int:
        """Fill the writable buffer ``buf`` with the next bytes; how many (fewer at the end of the file)."""
        out = memoryview(buf).cast("B")
        self._wait(len(out))
        with self._cond:
            pos = 0
            for v in self._take(min(len(out), self._have)):
                out[pos:pos + len(v)] = v
                pos += len(v)
        return pos

    def readline(self) -> bytes:
        """The bytes up to and including the next line break (all that is left when there is none)."""
        while True:
            with self._cond:
                end, off, at = -1, 0, self._at
                for p in self._parts:  # (a line is short: a few parts at most)
                    k = p.find(b"\n", at)
                    if k >= 0:
                        end = off + k - at
                        break
                    off += len(p) - at
                    at = 0
                have, done = self._have, self._done
            if end >= 0:
                return self.read(end + 1)
            if done:
                return self.read()
            self._wait(have + 1)

    @classmethod
    def open(cls, path: str) -> "Inflated":
        """A reader of the gzip file at ``path`` that closes it when closed."""
        return cls(open(path, "rb"), owns=True)

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        if self._owns:
            self._fh.close()

    def __enter__(self) -> "Inflated":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
