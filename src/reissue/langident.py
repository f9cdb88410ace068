"""The language identifier of :mod:`reissue.lang`: py3langid's model, its byte automaton held as a
double-array trie.

py3langid (BSD licence) reads a text's UTF-8 bytes with an automaton (a dense table of 38,346 rows
of 256 next states, 39 MB) and counts the feature of each state it visits; a naive Bayes sum of the
features' weights gives each language's score. The automaton is an Aho-Corasick automaton of its
features: its states are the byte strings of a trie (none deeper than :data:`WINDOW`), and the state
after a byte is the longest suffix of the text read so far that is a state (:func:`check_automaton`
proves it for every state and byte). So the state at each byte is found without the table: the
suffix of k bytes ending there is a state when the suffix of k - 1 bytes ending at the byte before is
one and has the byte as a child. A double-array trie answers "child of node s by byte b" with two
array reads (``idx = base[s] + b``, a child when ``check[idx] == s``), for every byte of every text
at once in numpy; the longest suffix found is the state, and its feature is the one py3langid
counts. The trie takes about 1.3 MB (the dense table 39 MB, and unpacking it 0.06 CPU s at every
start); the file is not compressed (11.5 MB: unpacking its weights cost 0.03 CPU s more).

The shipped file (scripts/build_lang_identifier.py) holds py3langid's weights restricted to the
candidate languages of :mod:`reissue.lang` and this trie; :func:`rank_many` gives exactly
py3langid's ``rank`` of each text (tests/test_lang_batch.py).
"""

from __future__ import annotations

import math
import os
import unicodedata

IDENTIFIER_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "lang-identifier.bin")
IDENTIFIER_MAGIC = "reissue-lang-identifier/2"
ARRAYS = ("ptc", "pc", "base", "check", "feat")
# the deepest state of py3langid's automaton (its longest feature, in bytes): the state after a byte
# depends on the last WINDOW bytes only (tests/test_lang_batch.py checks it on py3langid's model)
WINDOW = 6
# bytes walked at once by rank_many: the walk holds a few integers per byte (memory stays flat)
BATCH_BYTES = 1 << 16


class Identifier:
    """py3langid's naive Bayes weights (``ptc``: feature x language, float16; ``pc``: the languages'
    priors; ``classes``: their codes) and its automaton as a double-array trie: slot 0 is the empty
    string; ``base[s] + b`` is the slot of the child of slot s by byte b when ``check`` there is s;
    ``feat[s]`` the feature counted at s (-1: none). Slot ``len - 257`` is a dead one (no string, no child:
    ``base`` 0 and no ``check`` equal to it), and ``base`` + 255 stays inside the arrays."""

    __slots__ = ("ptc", "pc", "classes", "alias_pairs", "base", "check", "feat", "dead")

    def __init__(self, ptc, pc, classes, base, check, feat):
        self.ptc, self.pc, self.classes = ptc, pc, list(classes)
        self.base, self.check, self.feat = base, check, feat
        self.dead = len(check) - 257  # then 256 slots that only base + byte reaches
        first, pairs = {}, []
        for i, c in enumerate(self.classes):  # py3langid's aliased columns (a label more than once)
            if c in first:
                pairs.append((first[c], i))
            else:
                first[c] = i
        self.alias_pairs = pairs


def encode(text: str) -> bytes:
    """What py3langid's identifier reads of a str (``LanguageIdentifier._encode``): a text in capitals
    in lower case, NFC, UTF-8 (a lone surrogate as its own bytes)."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


# ----------------------------------------------------------------------------------------------
# the trie, made from py3langid's automaton (scripts/build_lang_identifier.py; the fallback loader)


def automaton_trie(nextmove, row):
    """The trie of py3langid's automaton (``nextmove``: the rows of next states, flat; ``row``: each
    state's row): each state's depth and, for each state but the start (0), its parent state and byte,
    breadth first (a state first reached from a state one shallower is its child). ValueError when a
    state is reached twice at once (no trie)."""
    import numpy as np

    rowbase = row.astype(np.int64) << 8
    n = len(row)
    depth = np.full(n, -1, dtype=np.int64)
    parent = np.full(n, -1, dtype=np.int64)
    byte = np.full(n, -1, dtype=np.int64)
    depth[0] = 0
    front, d = np.array([0]), 0
    cols = np.arange(256)
    while len(front):
        nxt = nextmove[rowbase[front][:, None] + cols[None, :]]
        at, b = np.nonzero(depth[nxt] < 0)
        t = nxt[at, b]
        if len(np.unique(t)) != len(t):
            raise ValueError("the automaton's states are not a trie")
        d += 1
        depth[t], parent[t], byte[t] = d, front[at], b
        front = t
    if (depth < 0).any():
        raise ValueError("a state of the automaton is never reached")
    if depth.max() > WINDOW:
        raise ValueError(f"a state of the automaton lies deeper than {WINDOW} bytes")
    return depth, parent, byte


def double_array(depth, parent, byte):
    """The double-array slots of a trie (as :func:`automaton_trie` gives it): (base, check, slot of
    each state). Parents are placed before children (breadth first, in state order), each node's
    children at the first base (from 1) where all their slots are free: deterministic."""
    import numpy as np

    order = np.lexsort((np.arange(len(depth)), depth))  # breadth first, then state number
    kids: dict[int, list[tuple[int, int]]] = {}
    for s in order[1:].tolist():
        kids.setdefault(int(parent[s]), []).append((int(byte[s]), s))
    window = 4096
    size = len(depth) + 512 + window
    free = np.ones(size, dtype=bool)
    free[0] = False  # the empty string
    base = np.zeros(size, dtype=np.int64)
    check = np.full(size, -1, dtype=np.int64)
    slot = np.zeros(len(depth), dtype=np.int64)
    first = 1  # no free slot before it
    for s in order.tolist():
        ch = kids.get(s)
        if not ch:
            continue
        ch.sort()
        bs = [b for b, _ in ch]
        lo = max(first - bs[0], 1)
        while True:  # the candidate bases lo .. lo + window - 1 at once
            if lo + 256 + window > size:
                free = np.concatenate([free, np.ones(size, dtype=bool)])
                base = np.concatenate([base, np.zeros(size, dtype=np.int64)])
                check = np.concatenate([check, np.full(size, -1, dtype=np.int64)])
                size *= 2
            ok = free[lo + bs[0]:lo + bs[0] + window].copy()
            for b in bs[1:]:
                ok &= free[lo + b:lo + b + window]
            if ok.any():
                b0 = lo + int(ok.argmax())
                break
            lo += window
        base[slot[s]] = b0
        for b, t in ch:
            free[b0 + b] = False
            check[b0 + b] = slot[s]
            slot[t] = b0 + b
        if not free[first]:
            first += int(free[first:].argmax())
    top = int(max(slot.max(), np.flatnonzero(check >= 0).max())) + 1
    return base[:top], check[:top], slot


def from_automaton(ptc, pc, classes, nextmove, row, out_feat) -> Identifier:
    """Our identifier of py3langid's model (its weights, already restricted to the wanted languages,
    and its automaton)."""
    import numpy as np

    depth, parent, byte = automaton_trie(nextmove, row)
    base, check, slot = double_array(depth, parent, byte)
    top = len(base)
    # a dead slot after the used ones, and room for base + 255 of every slot
    b = np.zeros(top + 257, dtype=np.int32)
    c = np.full(top + 257, -1, dtype=np.int32)
    f = np.full(top + 257, -1, dtype=np.int32)
    b[:top], c[:top] = base, check
    f[slot] = np.asarray(out_feat, dtype=np.int32)
    ident = Identifier(np.ascontiguousarray(ptc), np.asarray(pc), classes, b, c, f)
    if not (_slots(ident, depth, parent, byte) == slot).all():  # pragma: no cover - a bug of double_array
        raise ValueError("the double array does not hold the trie")
    return ident


def check_automaton(ident: Identifier, nextmove, row, out_feat, states=None) -> int:
    """The number of (state, byte) pairs of py3langid's automaton (all states, or those of ``states``)
    whose next state is not the one the trie finds: the longest suffix of the state's string and the
    byte that is a string of the trie (0: the trie walk is the automaton's). Each state's feature in
    the trie is its own (``ident.feat``), and no state lies deeper than WINDOW, or every pair counts."""
    import numpy as np

    depth, parent, byte = automaton_trie(nextmove, row)
    n = len(depth)
    if depth.max() > WINDOW:
        return len(depth) * 256
    dead = ident.dead
    slot = _slots(ident, depth, parent, byte)
    # suffix[j][s]: the slot of the last j bytes of state s's string (dead when not a string of the trie)
    suffix = [np.zeros(n, dtype=np.int64)]
    for j in range(1, WINDOW + 1):
        prev = np.where(depth >= j, suffix[j - 1][np.maximum(parent, 0)], dead)
        prev[0] = dead
        idx = ident.base[prev] + np.maximum(byte, 0)
        suffix.append(np.where((depth >= j) & (ident.check[idx] == prev), idx, dead))
    rowbase = row.astype(np.int64) << 8
    picked = np.arange(n) if states is None else np.asarray(states)
    bad = 0
    for lo in range(0, len(picked), 4096):
        s = picked[lo:lo + 4096]
        want = slot[nextmove[rowbase[s][:, None] + np.arange(256)[None, :]]]
        got = np.zeros(want.shape, dtype=np.int64)  # no suffix a string of the trie: the empty string
        for j in range(WINDOW):  # the suffix of j bytes and the byte: j + 1 bytes (longest last)
            p = suffix[j][s][:, None]
            idx = ident.base[p] + np.arange(256)[None, :]
            got = np.where(ident.check[idx] == p, idx, got)
        bad += int((got != want).sum())
    return bad


def _slots(ident: Identifier, depth, parent, byte):
    import numpy as np

    slot = np.zeros(len(depth), dtype=np.int64)
    for d in range(1, int(depth.max()) + 1):
        at = np.flatnonzero(depth == d)
        slot[at] = ident.base[slot[parent[at]]] + byte[at]
    return slot


# ----------------------------------------------------------------------------------------------
# loading


def load_shipped(path: str = IDENTIFIER_FILE) -> Identifier:
    """The identifier of ``path`` (see scripts/build_lang_identifier.py): the file read at once, its
    arrays views of what was read (nothing unpacked: about 5 ms, where unpacking a compressed file
    cost 0.04 CPU s). ValueError for a file of another kind, or cut."""
    import json

    import numpy as np

    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        buf = bytearray(size)
        got = fh.readinto(buf)
    if got != size:  # pragma: no cover - the file changed while it was read
        raise ValueError(f"{path}: read {got} of {size} bytes")
    magic = IDENTIFIER_MAGIC.encode() + b"\n"
    if not buf.startswith(magic) or buf.find(b"\n", len(magic)) < 0:
        raise ValueError(f"{path}: not a {IDENTIFIER_MAGIC} file")
    head = json.loads(buf[len(magic):buf.index(b"\n", len(magic))])
    at = head["data_offset"]  # the header padded to it: the arrays aligned
    arrays = {}
    for name, spec in head["arrays"].items():
        dt = np.dtype(spec["dtype"])
        n = int(np.prod(spec["shape"])) if spec["shape"] else 1
        start = at + spec["offset"]
        if start + n * dt.itemsize > size:
            raise ValueError(f"{path}: the file ends inside array {name}")
        arrays[name] = np.frombuffer(buf, dtype=dt, count=n, offset=start).reshape(spec["shape"])
    if set(arrays) != set(ARRAYS):
        raise ValueError(f"{path}: arrays {sorted(arrays)}, expected {sorted(ARRAYS)}")
    return Identifier(arrays["ptc"], arrays["pc"], head["classes"], arrays["base"], arrays["check"], arrays["feat"])


def py3langid_model(candidates):
    """py3langid's own model, read in memory (py3langid's loader streams it through a temporary file):
    (ptc, pc, classes, nextmove, nextmove_row, out_feat), the weights restricted to ``candidates``."""
    import io
    import lzma

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with open(os.path.join(MODEL_DIR, MODEL_FILE), "rb") as fh:
        raw = lzma.decompress(fh.read())
    with np.load(io.BytesIO(raw), allow_pickle=False) as d:
        classes = d["classes"].tolist()
        keep = [i for i, c in enumerate(classes) if c in set(candidates)]
        return (np.ascontiguousarray(d["ptc"][:, keep]), d["pc"][keep], [classes[i] for i in keep],
                d["nextmove"], d["nextmove_row"], d["out_feat"])


def py3langid_identifier(candidates):
    """py3langid's own LanguageIdentifier of its model restricted to ``candidates`` (the reference the
    tests compare :func:`rank_many` with)."""
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, out_feat = py3langid_model(candidates)
    return LanguageIdentifier(ptc, pc, classes, nextmove, out_feat, norm_probs=True, tk_row=row.tolist())


# ----------------------------------------------------------------------------------------------
# identification


def features(ident: Identifier, data, starts):
    """The feature py3langid counts at each byte of ``data`` (uint8: texts one after the other, each
    beginning at an index of ``starts``), -1 for none: the feature of the longest suffix (of at most
    WINDOW bytes, inside its text) that is a string of the trie, or of the empty string."""
    import numpy as np

    base, check, dead = ident.base, ident.check, ident.dead
    if not len(data):
        return np.zeros(0, dtype=np.int32)
    d = data.astype(np.int32)
    idx = base[0] + d
    found = check[idx] == 0
    cur = np.where(found, idx, dead)  # the suffixes of one byte
    best = np.where(found, idx, 0)  # no suffix a string of the trie: the empty string (slot 0)
    prev = np.empty_like(cur)
    for _ in range(WINDOW - 1):  # the suffixes of k bytes: a child of the suffix of k - 1 at the byte before
        prev[0] = dead
        prev[1:] = cur[:-1]
        prev[starts] = dead  # not across the start of a text
        idx = base[prev] + d
        ok = check[idx] == prev
        cur = np.where(ok, idx, dead)
        best = np.where(ok, cur, best)
    return ident.feat[best]


def visits(ident: Identifier, encoded: list[bytes]):
    """py3langid's ``visit_counts`` of each text at once: per text its features with their counts in
    the order of their first visit (as the Counter of visit_counts). Returns (features, counts,
    bounds): text t's are [bounds[t]:bounds[t+1]]."""
    import numpy as np

    lens = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    starts = np.cumsum(lens) - lens
    feat = features(ident, data, starts[lens > 0])
    hit = np.flatnonzero(feat >= 0)
    n_feat = len(ident.ptc)
    keys = np.repeat(np.arange(len(encoded), dtype=np.int64), lens)[hit] * n_feat + feat[hit]
    uniq, first_at, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first_at)  # first visits in order (texts are consecutive; indexes distinct)
    uniq, counts = uniq[order], counts[order]
    text_of = uniq // n_feat
    return uniq - text_of * n_feat, counts, np.searchsorted(text_of, np.arange(len(encoded) + 1))


def rank_many(ident: Identifier, encoded: list[bytes]) -> list[list[tuple[str, float]]]:
    """py3langid's ``rank`` of each encoded text (``LanguageIdentifier.rank`` with ``norm_probs``), the
    same numbers (tests/test_lang_batch.py): :func:`ranked_rows` as (language, probability) pairs."""
    names, probs = ranked_rows(ident, encoded)
    return [list(zip(n, p)) for n, p in zip(names, probs)]


def ranked_rows(ident: Identifier, encoded: list[bytes]) -> tuple[list[list[str]], list[list[float]]]:
    """The languages of each text's ``rank`` and their probabilities, in rank's order: the features
    of the texts at once (:func:`visits`, BATCH_BYTES at a time), per text the naive Bayes sum of its
    features' weights (the same product: the float16 weights of the features met made float32 once,
    as the product casts them), then for all rows at once the softmax at temperature sqrt(bytes) and
    the aliased columns folded; and ``rank``'s merge and order."""
    import numpy as np

    pc = ident.pc
    scores = np.zeros((len(encoded), len(ident.classes)), dtype=np.float32)
    lo = 0
    while lo < len(encoded):
        hi, size = lo, 0
        while hi < len(encoded) and (hi == lo or size + len(encoded[hi]) <= BATCH_BYTES):
            size += len(encoded[hi])
            hi += 1
        feats, counts, bounds = visits(ident, encoded[lo:hi])
        met, where = np.unique(feats, return_inverse=True)
        weights = ident.ptc[met].astype(np.float32)
        counts = counts.astype(np.float32)  # each text's slice: the same values as its own conversion
        bounds = bounds.tolist()
        for t in range(hi - lo):
            a, b = bounds[t], bounds[t + 1]
            if b > a:
                scores[lo + t] = np.log1p(counts[a:b]) @ weights[where[a:b]] + pc
        lo = hi
    scale = np.array([1.0 / math.sqrt(len(e) or 1) for e in encoded], dtype=np.float32)
    scores *= scale[:, None]
    np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in ident.alias_pairs:
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    # rank's merge (the first column of each language) and order (by probability, down; a stable sort,
    # as sorted(..., reverse=True) is), for all rows at once
    first: dict = {}
    for j, lang in enumerate(ident.classes):
        first.setdefault(lang, j)
    kept = scores[:, np.fromiter(first.values(), dtype=np.intp, count=len(first))]
    order = np.argsort(-kept, axis=1, kind="stable")
    names = np.array(list(first), dtype=object)[order].tolist()
    return names, np.take_along_axis(kept, order, axis=1).tolist()
