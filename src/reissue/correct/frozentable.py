"""A read-only string -> number table kept as a few flat arrays, looked up without building a dict.

A correction model file stores its largest lookup tables (wordfreq's list, symspellpy's unigram and
bigram counts, the training bigrams: 770k entries in English) this way (``lexicon.pack``, format 4):
loading one reads its arrays and makes no Python string or dict entry per key (a dict of them cost
about 40% of the model's load time). A lookup hashes the key's UTF-8 bytes (CRC-32), finds the bucket of
the hash's top bits in a directory (about two keys a bucket, sorted by hash) and compares the stored
key: about half a microsecond, against 50 ns for a dict, which is fine for tables looked up behind a
cache (``LanguageModel.p``, the corrector's bigram scores) or a few times per proposed edit.

It answers as the dict it was made from would: ``get``, ``[]``, ``in``, ``len``, iteration (in the
dict's order when ``order`` is stored), ``items()``; the same keys and the same numbers.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Mapping
from zlib import crc32

ENCODING = "utf-8"
GET_MANY_MIN = 64  # fewer keys than this are looked up one at a time by get_many (numpy's calls cost more)


def _le(a: array) -> bytes:
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _dir_bits(n: int) -> int:
    """Bits of the hash that pick a bucket of the directory: about two keys a bucket."""
    return max(1, min(24, (max(n, 1) // 2).bit_length()))


def freeze(keys: list[str], values: array, keep_order: bool = False) -> dict[str, bytes | array]:
    """The arrays of a FrozenTable of ``keys`` -> ``values`` (an array in the keys' order):
    ``blob`` (the keys' UTF-8 bytes, in hash order), ``offs`` (where each starts, and the end),
    ``hashes`` (sorted), ``dir`` (for each value of the hash's top bits, where its keys start, and
    the end), ``values`` (in hash order) and, with ``keep_order``, ``order`` (the hash-order position
    of each key in the given order). Byte-identical for the same input."""
    enc = [k.encode(ENCODING) for k in keys]
    if len(set(enc)) != len(enc):
        raise ValueError("a frozen table's keys must be distinct")
    hashes = [crc32(b) for b in enc]
    rank = sorted(range(len(enc)), key=lambda i: (hashes[i], enc[i]))
    offs = array("I", [0])
    at = 0
    for i in rank:
        at += len(enc[i])
        offs.append(at)
    if at >= 2 ** 32:
        raise ValueError("a frozen table's keys exceed 4 GB")
    hs = array("I", [hashes[i] for i in rank])
    out: dict = {"blob": b"".join(enc[i] for i in rank), "offs": offs, "hashes": hs, "dir": directory(hs),
                 "values": array(values.typecode, [values[i] for i in rank])}
    if keep_order:
        pos = array("I", bytes(4 * len(rank)))
        for j, i in enumerate(rank):
            pos[i] = j
        out["order"] = pos
    return out


def directory(hashes: array) -> array:
    """``freeze``'s ``dir`` of sorted ``hashes`` (for a table stored without one)."""
    shift = 32 - _dir_bits(len(hashes))
    dir_ = array("I", [0] * ((1 << (32 - shift)) + 1))
    for h in hashes:
        dir_[(h >> shift) + 1] += 1
    for b in range(1, len(dir_)):
        dir_[b] += dir_[b - 1]
    return dir_


class FrozenTable(Mapping):
    """``freeze``'s arrays as a read-only mapping. ``steps``: the values are indices into it (the
    table maps to ``steps[value]``), e.g. wordfreq's frequencies stored as centibels."""

    __slots__ = ("_blob", "_offs", "_hashes", "_dir", "_shift", "_values", "_order", "_steps", "_n", "_np_hashes")

    def __init__(self, blob: bytes, offs: array, hashes: array, dir: array, values: array,  # noqa: A002
                 order: array | None = None, steps: list | None = None):
        n = len(hashes)
        bits = _dir_bits(n)
        if len(offs) != n + 1 or len(values) != n or (order is not None and len(order) != n) \
                or (n and offs[n] != len(blob)) or len(dir) != (1 << bits) + 1 or dir[-1] != n:
            raise ValueError("a frozen table's arrays disagree")
        self._blob, self._offs, self._hashes, self._dir, self._shift = blob, offs, hashes, dir, 32 - bits
        self._values, self._order, self._steps, self._n = values, order, steps, n
        self._np_hashes = None  # the hashes as a numpy array (a view, no copy), made at the first get_many

    # get, [] and in: the same search, written out in each (a lookup is on the corrector's hot path).
    # Most lookups (the bigrams of candidate words) miss: whether the bucket holds the hash at all is
    # asked of a slice of it in C (``in``), before any key is compared; a hash found is looked for from
    # its first place in the bucket (``index``), keys of the same hash compared in order as before
    def get(self, key, default=None):
        try:
            b = key.encode(ENCODING)
        except (AttributeError, UnicodeError):
            return default  # not a str, or one that no stored key (valid UTF-8) can equal
        h = crc32(b)
        d = self._dir
        k = h >> self._shift
        j, e = d[k], d[k + 1]
        hs = self._hashes
        if h not in hs[j:e]:
            return default
        j = hs.index(h, j, e)
        o = self._offs
        while j < e and hs[j] == h:
            if self._blob[o[j]:o[j + 1]] == b:
                v = self._values[j]
                return v if self._steps is None else self._steps[v]
            j += 1
        return default

    def _find(self, key) -> int:
        try:
            b = key.encode(ENCODING)
        except (AttributeError, UnicodeError):
            return -1
        h = crc32(b)
        d = self._dir
        k = h >> self._shift
        j, e = d[k], d[k + 1]
        hs = self._hashes
        if h not in hs[j:e]:
            return -1
        return self._scan(hs.index(h, j, e), h, b)

    def _scan(self, j: int, h: int, b: bytes) -> int:
        """The place of the key b (encoded) among the keys of its hash h, from j the first place of h (the
        keys of a hash compared in order, as ``get`` compares them), or -1."""
        hs, o, blob, n = self._hashes, self._offs, self._blob, self._n
        while j < n and hs[j] == h:
            if blob[o[j]:o[j + 1]] == b:
                return j
            j += 1
        return -1

    def get_many(self, keys: list, default=None) -> list:
        """``[self.get(k, default) for k in keys]`` for a list of str keys, the same values, their hashes looked
        up in one pass of array operations (numpy ``searchsorted`` in the sorted hashes): a lookup alone waits
        for the memory of the directory and of the hashes (about a microsecond in a run, where they are not in
        the cache), a thousand at once far less. A key whose hash is there is then compared as ``get`` does."""
        n = len(keys)
        if n < GET_MANY_MIN or not self._n:
            return [self.get(k, default) for k in keys]
        try:
            enc = [k.encode(ENCODING) for k in keys]
        except (AttributeError, UnicodeError):
            return [self.get(k, default) for k in keys]
        import numpy as np

        hs = self._np_hashes
        if hs is None:
            hs = self._np_hashes = np.frombuffer(self._hashes, dtype=f"u{self._hashes.itemsize}")
        h = np.fromiter(map(crc32, enc), dtype=np.uint32, count=n)
        pos = np.searchsorted(hs, h)  # the first place of each hash (or where it would be)
        np.minimum(pos, self._n - 1, out=pos)
        out = [default] * n
        found = np.flatnonzero(hs.take(pos) == h).tolist()
        if found:
            scan, value = self._scan, self._value
            for i, j, hi in zip(found, pos.take(found).tolist(), h.take(found).tolist()):
                j = scan(j, hi, enc[i])
                if j >= 0:
                    out[i] = value(j)
        return out

    def keys_at_least(self, floor) -> list[str]:
        """The keys whose value is at least floor, in no set order: the values compared in one array operation,
        only the keys kept decoded (a few thousand of wordfreq's 321,000 words in about a millisecond, where
        ``items`` takes a sixth of a second)."""
        import numpy as np
        vals = np.asarray(self._values)  # (an array.array: read through its buffer, not copied)
        if self._steps is not None:
            vals = np.asarray(self._steps)[vals]
        offs, blob = self._offs, self._blob
        return [blob[offs[j]:offs[j + 1]].decode(ENCODING) for j in np.flatnonzero(vals >= floor).tolist()]

    def _value(self, j: int):
        v = self._values[j]
        return self._steps[v] if self._steps is not None else v

    def __getitem__(self, key):
        j = self._find(key)
        if j < 0:
            raise KeyError(key)
        return self._value(j)

    def __contains__(self, key) -> bool:
        return self._find(key) >= 0

    def __len__(self) -> int:
        return self._n

    def _keys_hash_order(self) -> list[str]:
        offs, blob = self._offs, self._blob
        return [blob[offs[j]:offs[j + 1]].decode(ENCODING) for j in range(self._n)]

    def _positions(self):
        return self._order if self._order is not None else range(self._n)

    def __iter__(self):
        keys = self._keys_hash_order()
        return iter([keys[j] for j in self._positions()])

    def items(self):
        keys = self._keys_hash_order()
        return [(keys[j], self._value(j)) for j in self._positions()]

    def values(self):
        return [self._value(j) for j in self._positions()]

    def keys(self):
        return list(self)

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None

    def __repr__(self) -> str:
        return f"FrozenTable({self._n} entries)"
