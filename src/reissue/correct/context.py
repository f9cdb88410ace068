"""A character-level context model of historical English: a Kneser-Ney smoothed character n-gram LM.

Used to weigh a correction in its sentence: ``delta(text, start, end, after)`` is how much more
likely the text becomes, character by character, when ``text[start:end]`` reads ``after``
(log P(after + right context | left context) - log P(printed + right context | left context)).
A character model sees what the word model cannot: how a word fits the characters around it,
including the punctuation, the case and the spaces (so split and merged words are scored too).

The model (``fit``) is exact, not hashed: characters are mapped to 7-bit symbols (the 126 most
frequent characters of the training text, the rest share one symbol, 0 pads the start), so an
n-gram of up to 9 characters is one 64-bit integer. For each order it stores the sorted n-gram
codes with their counts (the top order: how often the n-gram occurs; lower orders: in how many
different contexts it continues, Kneser-Ney's continuation counts) and, for each context, its
total count and its number of different followers. Interpolated Kneser-Ney with one discount per
order (D = n1 / (n1 + 2 n2)). Lookup is numpy ``searchsorted`` over all positions and orders at
once; scoring a window of 40 characters costs about 100 microseconds.

Saved as one gzip file (``save`` / ``load``): a JSON header (symbols, orders, discounts, array
layout) and the raw arrays; byte-identical for the same input (gzip mtime 0).

Its score of a proposed edit is one of the English edit vetter's features (``vet.CONTEXT_FEATURES``):
the corrector loads the model named in its correction model (``model_for``) at the first edit it
proposes, so clean text never loads it. Needs numpy.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from itertools import accumulate
from typing import Iterable, Sequence


BITS = 7
MAX_SYMBOLS = 1 << BITS  # 0 = padding / start, 1 = any other character
TAG_SHIFT = 59  # the order of an n-gram in the top bits of the in-memory tables
MAX_ORDER = TAG_SHIFT // BITS
SPACE_RE = re.compile(r"\s+")
MAGIC = b"reissue-charlm/1\n"
DEFAULT_NAME = "context-model-en.bin.gz"
LEFT = 32  # characters of left context a score looks at
RIGHT = 12  # ... and of right context after the changed span
PREFETCH_CHUNK = 256  # questions of CharLM.prefetch looked up together (bounds its arrays' memory)
SORTED_SEARCH = 4096  # lookups from which CharLM._search sorts them first
UNIQUE_FROM = 256  # positions from which CharLM.logprobs looks each different n-gram up once


def normalize(text: str) -> str:
    """The form the model reads: every run of white space one space."""
    # (speed: a text whose only white space is single spaces is its own form - every other character \s
    # matches is not printable, so a printable text without two spaces in a row has no run to replace - and
    # most are: the windows of a question are made of normalised parts; the regular expression replaced each
    # single space by a new one)
    if "  " not in text and text.isprintable():
        return text
    return SPACE_RE.sub(" ", text)


def _np():
    try:
        import numpy as np
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from ..errors import UsageError

        raise UsageError("the character context model needs numpy", hint="pip install 'reissue[train]'") from exc
    return np


def fit(texts: Iterable[str], *, order: int = 7, min_top_count: int = 1) -> dict:
    """Fit the model on clean texts (one document each). Returns the dict ``save`` writes.

    ``min_top_count``: top-order n-grams seen fewer times are dropped after the statistics are
    taken (their probability mass goes to the lower orders); 1 keeps all.
    """
    np = _np()
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"order must be 1..{MAX_ORDER}")
    texts = [normalize(t) for t in texts]
    freq: dict[str, int] = {}
    for t in texts:
        for ch in t:
            freq[ch] = freq.get(ch, 0) + 1
    chars = sorted(freq, key=lambda c: (-freq[c], c))[: MAX_SYMBOLS - 2]
    table = {c: i + 2 for i, c in enumerate(chars)}
    pad = order - 1
    seqs = []
    for t in texts:
        if t:
            seqs.append(np.zeros(pad, dtype=np.uint64))
            seqs.append(np.fromiter((table.get(c, 1) for c in t), dtype=np.uint64, count=len(t)))
    s = np.concatenate(seqs) if seqs else np.zeros(0, dtype=np.uint64)
    real = s != 0  # positions of characters (not padding)
    pos = np.nonzero(real)[0]
    # code_k[i]: the k characters ending at i, the last one in the lowest bits
    codes = []
    code = np.zeros(len(pos), dtype=np.uint64)
    for k in range(1, order + 1):
        code = code | (s[pos - (k - 1)] << np.uint64(BITS * (k - 1)))
        codes.append(code.copy())
    orders = []
    uniq_hi = None
    for k in range(order, 0, -1):
        if k == order:
            keys, counts = np.unique(codes[k - 1], return_counts=True)
        else:
            # continuation counts: in how many different one-character contexts the k-gram occurs
            keys, counts = np.unique(uniq_hi & np.uint64((1 << (BITS * k)) - 1), return_counts=True)
        uniq_hi = keys
        n1, n2 = int((counts == 1).sum()), int((counts == 2).sum())
        disc = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
        disc = min(max(disc, 0.1), 0.95)
        ctx = keys >> np.uint64(BITS)
        cstart = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]])
        ckeys = ctx[cstart]
        ctotal = np.add.reduceat(counts, cstart).astype(np.uint32)
        cn1p = np.diff(np.r_[cstart, len(ctx)]).astype(np.uint16)
        if k == order and min_top_count > 1:
            keep = counts >= min_top_count
            keys, counts = keys[keep], counts[keep]
        orders.append({"k": k, "discount": disc, "keys": keys.astype(np.uint64),
                       "counts": np.minimum(counts, 0xFFFFFFFF).astype(np.uint32),
                       "ckeys": ckeys.astype(np.uint64), "ctotal": ctotal, "cn1p": cn1p})
    orders.reverse()
    return {"order": order, "symbols": "".join(chars), "orders": orders, "chars": int(len(pos))}


ARRAYS = ("keys", "counts", "ckeys", "ctotal", "cn1p")


def save(data: dict, path: str) -> None:
    """Write the model: MAGIC, a JSON header line, then the arrays' raw bytes, gzip (mtime 0)."""
    header = {"order": data["order"], "symbols": data["symbols"], "chars": data["chars"],
              "sources": data.get("sources", []), "licence": data.get("licence", ""), "orders": []}
    blobs = []
    for o in data["orders"]:
        entry = {"k": o["k"], "discount": o["discount"], "arrays": []}
        for name in ARRAYS:
            a = o[name]
            entry["arrays"].append([name, a.dtype.str, int(a.shape[0])])
            blobs.append(a.tobytes())
        header["orders"].append(entry)
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=6, filename="") as fh:
        fh.write(MAGIC)
        fh.write(json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")
        for b in blobs:
            fh.write(b)
    os.replace(tmp, path)


def load(path: str) -> "CharLM":
    """Read a model file. The arrays are read from the stream straight into the tables CharLM
    keeps (all orders of an array in one table): the file is never in memory besides them."""
    np = _np()
    pid, ahead = _PREFETCHED.pop(os.path.abspath(path), (None, None))  # being inflated already (inflate_ahead)
    if pid != os.getpid():  # (a forked process has the reader but not its thread)
        ahead = None
    with ahead if ahead is not None else gzip.open(path, "rb") as fh:
        head = fh.read(len(MAGIC))
        if head != MAGIC:
            from ..errors import ModelError

            raise ModelError("not a reissue character context model", path=path)
        header = json.loads(fh.readline().decode("utf-8"))
        layout = [[(name, np.dtype(dt), n) for name, dt, n in entry["arrays"]] for entry in header["orders"]]
        tables = {}
        for name in ARRAYS:
            sizes = [(dt, n) for arrays in layout for nm, dt, n in arrays if nm == name]
            tables[name] = np.empty(sum(n for _dt, n in sizes), dtype=sizes[0][0] if sizes else np.uint64)
        at = dict.fromkeys(ARRAYS, 0)
        orders = []
        for entry, arrays in zip(header["orders"], layout):
            o = {"k": entry["k"], "discount": entry["discount"]}
            for name, dt, n in arrays:
                view = tables[name][at[name]:at[name] + n]
                if view.dtype != dt:
                    raise ValueError(f"context model {path}: array {name} of two types")
                got = fh.readinto(memoryview(view).cast("B"))
                if got != view.nbytes:
                    raise ValueError(f"context model {path}: the file ends early")
                at[name] += n
                o[name] = view  # a view into the table: CharLM uses the table itself
            orders.append(o)
    return CharLM({**header, "orders": orders}, tables=tables)


def default_path() -> str | None:
    p = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", DEFAULT_NAME)
    return p if os.path.isfile(p) else None


class CharLM:
    """log P(characters | the characters before them) under the fitted model."""

    def __init__(self, data: dict, tables: dict | None = None):
        """``tables``: every array of the orders, all orders in one (``load``), used as they are."""
        np = _np()
        self.np = np
        self.order = int(data["order"])
        self.symbols = data["symbols"]
        self.table = {c: i + 2 for i, c in enumerate(self.symbols)}
        self._lut = None  # see encode
        self._dtext, self._dcache = None, {}  # see prefetch
        orders = data["orders"]
        self.n_symbols = len(self.symbols) + 2
        self._shift = [np.uint64(BITS * k) for k in range(self.order + 1)]
        self._masks = [np.uint64((1 << (BITS * k)) - 1) for k in range(1, self.order + 1)]
        # all orders in one sorted table each for n-grams and contexts, the order in the top bits,
        # so that one searchsorted looks up every order of every position
        tag = [np.uint64(k) << np.uint64(TAG_SHIFT) for k in range(self.order + 1)]
        # (counts stay integers: the lookups turn the few they pick into floats)

        def joined(name):
            return tables[name] if tables is not None else np.concatenate([o[name] for o in orders])

        def tagged(name):
            out = joined(name)
            a = 0
            for k, o in enumerate(orders, 1):
                out[a:a + len(o[name])] |= tag[k]
                a += len(o[name])
            return out
        self._keys = tagged("keys")
        self._counts = joined("counts")
        self._ckeys = tagged("ckeys")
        self._ctotal = joined("ctotal")
        self._cn1p = joined("cn1p")
        self._tags = np.array(tag[1:], dtype=np.uint64)[:, None]
        self._disc = np.array([o["discount"] for o in orders])[:, None]
        self._cidx = self._context_index()

    def _context_index(self):
        """The place in the table of contexts of each n-gram's context (its first k-1 characters, as int32), where
        the contexts stored are exactly those of the n-grams stored (a model whose top order was pruned may keep
        contexts of none): an n-gram's context then stands beside it, and ``logprobs`` finds a position's context
        from where its n-gram is, instead of searching the contexts too. None where they are not (or the table is
        too large for int32 places). About 25 ms at the load."""
        np = self.np
        keys, ckeys = self._keys, self._ckeys
        if not len(keys) or len(ckeys) >= 2 ** 31:
            return None
        low = np.uint64((1 << TAG_SHIFT) - 1)
        ctx = ((keys & low) >> self._shift[1]) | (keys & ~low)  # (sorted, as the keys are: a search in order)
        j = np.searchsorted(ckeys, ctx)
        np.minimum(j, len(ckeys) - 1, out=j)
        if not (ckeys[j] == ctx).all():
            return None
        used = np.zeros(len(ckeys), dtype=bool)
        used[j] = True
        return j.astype(np.int32) if used.all() else None

    def encode(self, text: str):
        """The symbols of ``text`` (1 for a character the model does not know)."""
        np = self.np
        lut = self._lut
        if lut is None:  # code point -> symbol, for every code point (1.1 MB)
            lut = self._lut = np.ones(0x110000, dtype=np.uint8)
            for c, i in self.table.items():
                lut[ord(c)] = i
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        return lut[cps].astype(np.uint64)

    def logprobs(self, texts: Sequence[str], starts: Sequence[int]):
        """For each text, the natural-log probabilities of its characters from ``starts[j]`` on,
        given those before (a text starts after padding). Returns (flat array, lengths)."""
        np = self.np
        pad = self.order - 1
        # every text after its padding, in one array, encoded at once (a text's own arrays cost more
        # than its lookups: a call has tens of short texts)
        texts = [normalize(t) for t in texts]
        tl = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        seg = tl + pad
        off = np.cumsum(seg) - seg  # where each text's padding starts
        s = np.zeros(int(seg.sum()), dtype=np.uint64)
        nch = int(tl.sum())
        if nch:
            s[np.repeat(off + pad - (np.cumsum(tl) - tl), tl) + np.arange(nch)] = self.encode("".join(texts))
        # the positions scored: text j's from starts[j] to its end
        n = np.maximum(tl - np.asarray(starts, dtype=np.int64).reshape(-1), 0)
        pos = np.repeat(off + pad + (tl - n) - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
        lens = n.tolist()
        # codes[k-1]: the k characters ending at each position (the last in the lowest bits)
        codes = np.empty((self.order, len(pos)), dtype=np.uint64)
        code = np.zeros(len(pos), dtype=np.uint64)
        for k in range(1, self.order + 1):
            code = code | (s[pos - (k - 1)] << self._shift[k - 1])
            codes[k - 1] = code
        inverse = None
        if len(pos) >= UNIQUE_FROM:
            # a position's probability depends on its top-order n-gram alone: each different one is
            # looked up once (a replacement and the printed span share their right context, common
            # n-grams recur), and the numbers are given back to the positions at the end
            top, inverse = np.unique(code, return_inverse=True)
            codes = np.empty((self.order, len(top)), dtype=np.uint64)
            for k in range(1, self.order + 1):
                codes[k - 1] = top & self._masks[k - 1]
        ctx = codes >> self._shift[1]  # the first k-1 characters (none for k = 1)
        ctx[0] = 0
        ctx |= self._tags
        codes |= self._tags
        at = self._search(self._keys, codes)
        i = np.minimum(at, len(self._keys) - 1)
        cnt = np.where(self._keys[i] == codes, self._counts[i], 0.0)
        if self._cidx is None:
            j = np.minimum(self._search(self._ckeys, ctx), len(self._ckeys) - 1)
            hit = self._ckeys[j] == ctx
        else:
            # (_context_index) a stored context is that of the n-gram where the position's n-gram is or would be,
            # or of the one before: the n-grams of a context are the stored ones between two codes
            j = self._cidx[i]
            hit = self._ckeys[j] == ctx
            before = self._cidx[np.maximum(at - 1, 0)]
            hit_before = self._ckeys[before] == ctx
            j = np.where(hit, j, before)
            hit |= hit_before
        total = np.where(hit, self._ctotal[j], 0.0)
        n1p = np.where(hit, self._cn1p[j], 0.0)
        seen = total > 0
        t = np.maximum(total, 1.0)
        a = np.where(seen, np.maximum(cnt - self._disc, 0.0) / t, 0.0)  # discounted own share
        g = np.where(seen, self._disc * n1p / t, 1.0)  # weight of the order below
        p = np.full(codes.shape[1], 1.0 / (self.n_symbols - 1))  # any symbol but the padding
        for k in range(self.order):
            p = a[k] + g[k] * p
        # (the logarithm of every position's own number, as a position at a time would take it)
        if inverse is not None:
            p = p[inverse.reshape(-1)]
        return np.log(np.maximum(p, 1e-12)), lens

    def _search(self, table, q):
        """``searchsorted(table, q)``; many queries in sorted order (each search then starts where
        the one before ended, and the table is read front to back: about twice as fast for a batch
        of thousands, where the table does not stay in the cache), the same positions."""
        np = self.np
        if q.size < SORTED_SEARCH:
            return np.searchsorted(table, q)
        flat = q.ravel()
        order = np.argsort(flat)
        out = np.empty(flat.size, dtype=np.intp)
        out[order] = np.searchsorted(table, flat[order])
        return out.reshape(q.shape)

    def score(self, left: str, middles: Sequence[str], right: str) -> list[float]:
        """log P(middle + right | left) for each middle (the same left and right for all)."""
        return self.score_many([(left, middles, right)])[0]

    def score_many(self, queries: Sequence[tuple[str, Sequence[str], str]]) -> list[list[float]]:
        """``score`` for many (left, middles, right) at once: one pass of array lookups for all
        (scoring the tokens of a document together is about 20 times faster than one by one)."""
        texts, starts, shape = _query_texts(queries)
        if not texts:
            return [[] for _ in queries]
        lp, lens = self.logprobs(texts, starts)
        np = self.np
        ends = np.cumsum(lens)
        cs = np.concatenate((np.zeros(1), np.cumsum(lp)))
        sums = (cs[ends] - cs[ends - np.asarray(lens)]).tolist()
        out, j = [], 0
        for n in shape:
            out.append(sums[j:j + n])
            j += n
        return out

    def score_each(self, queries: Sequence[tuple[str, Sequence[str], str]]) -> list[list[float]]:
        """``score`` of each (left, middles, right): the numbers one call of ``score`` per query gives,
        bit for bit (each query's sums are its own, not differences of a running sum over the
        batch), but looked up in one pass for all."""
        texts, starts, shape = _query_texts(queries)
        if not texts:
            return [[] for _ in queries]
        lp, lens = self.logprobs(texts, starts)  # (each number depends on its own position only)
        lp = lp.tolist()
        out, j, at = [], 0, 0
        for n in shape:
            ql = lens[j:j + n]
            m = sum(ql)
            # the running sum of the query's numbers from 0 (numpy's cumsum adds in the same order: the
            # same floats), each middle's the difference at its ends; in Python, as a query has tens of
            # numbers (numpy's calls cost more than the sums)
            cs = [0.0, *accumulate(lp[at:at + m])]
            sums, e = [], 0
            for k in ql:
                sums.append(cs[e + k] - cs[e])
                e += k
            out.append(sums)
            j += n
            at += m
        return out

    def deltas(self, text: str, start: int, end: int, afters: Sequence[str]) -> list[float]:
        """For each replacement of text[start:end]: how much more likely (natural log) the window
        around it becomes than with the printed text."""
        key = (start, end, tuple(afters))
        if text is not self._dtext or key not in self._dcache:  # (most were asked in a prefetch)
            self.prefetch(text, [key])
        return list(self._dcache[key])

    def prefetch(self, text: str, questions: Sequence[tuple[int, int, tuple]]) -> None:
        """Answer many ``deltas(text, start, end, afters)`` questions, given as (start, end, afters),
        at once (array lookups in one pass per PREFETCH_CHUNK of them, about five times cheaper than
        one by one) and remember the answers for ``text`` (the text last asked about): ``deltas``
        then finds them, the same numbers. The corrector asks about the edits it is about to propose."""
        if text is not self._dtext:
            self._dtext, self._dcache = text, {}
        todo = [q for q in dict.fromkeys(questions) if q not in self._dcache]
        for a in range(0, len(todo), PREFETCH_CHUNK):
            chunk = todo[a:a + PREFETCH_CHUNK]
            qs = [window_query(text, start, end, afters) for start, end, afters in chunk]
            for q, sc in zip(chunk, self.score_each(qs)):
                self._dcache[q] = [g - sc[0] for g in sc[1:]]


_DEFAULT: CharLM | None = None


def default_model() -> CharLM | None:
    """The shipped context model, loaded once; None when the package has none."""
    global _DEFAULT
    if _DEFAULT is None:
        p = default_path()
        if p is None:
            return None
        _DEFAULT = load(p)
    return _DEFAULT


def model_for(model) -> CharLM:
    """The context model a correction model's vetter was trained with (its ``context_model``: a file
    name beside the model file or in the package data), loaded once per path."""
    from ..errors import ModelError

    name = model.data.get("context_model")
    if not name or os.path.basename(name) != name:
        raise ModelError("the correction model's vetter needs a context model but names none",
                         path=model.path, hint="retrain it with scripts/train_model.py")
    p = _path_of(model)
    if p is None:
        raise ModelError(f"context model {name} not found", path=model.path,
                         hint="reinstall reissue or rebuild it with scripts/train_context_model.py")
    got = _LOADED.get(p)
    if got is None:
        got = _LOADED[p] = load(p)
    return got


def _path_of(model) -> str | None:
    """The file of the context model a correction model names (``model_for``), or None."""
    name = model.data.get("context_model")
    if not name or os.path.basename(name) != name:
        return None
    here = os.path.dirname(model.path) if model.path else None
    pkg = os.path.dirname(default_path() or os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "data", DEFAULT_NAME))
    for d in (here, pkg):
        if d and os.path.isfile(os.path.join(d, name)):
            return os.path.abspath(os.path.join(d, name))
    return None


def inflate_ahead(model) -> None:
    """Start inflating the context model ``model`` names in a background thread (inflate.Inflated), so
    that its first use (``model_for``, at the first proposal of a correction) finds it inflated: on
    two cores that costs the start no wall time. Nothing when it names none, or it is loaded already."""
    p = _path_of(model)
    if p is not None and p not in _LOADED and p not in _PREFETCHED:
        from .inflate import Inflated

        _PREFETCHED[p] = (os.getpid(), Inflated.open(p))


_PREFETCHED: dict = {}  # path -> (the process that started it, its reader inflating ahead): inflate_ahead
_LOADED: dict[str, CharLM] = {}


def _query_texts(queries: Sequence[tuple[str, Sequence[str], str]]) -> tuple[list[str], list[int], list[int]]:
    """The texts scored for (left, middles, right) queries: each middle between its left context
    (normalised, the last LEFT characters) and its right context; where each middle starts; and how
    many middles each query has."""
    texts, starts, shape = [], [], []
    for left, middles, right in queries:
        left = normalize(left)[-LEFT:]
        for m in middles:
            texts.append(left + normalize(m) + right)
            starts.append(len(left))
        shape.append(len(middles))
    return texts, starts, shape


def window_query(text: str, start: int, end: int, afters: Sequence[str]) -> tuple[str, list[str], str]:
    """The (left, middles, right) query of ``deltas(text, start, end, afters)``: the text before the
    span, the printed span and each replacement, and the normalised right context."""
    return (text[max(0, start - 2 * LEFT):start], [text[start:end], *afters],
            normalize(text[end:end + 2 * RIGHT])[:RIGHT])

