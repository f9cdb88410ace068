"""The candidate search of many words at once: ``search.CandidateSearch._search_fast`` for a list of
words, as numpy array operations (the corrector searches every word of a document it has not met
before in one call; about five times cheaper than one word at a time).

Every candidate string of a word (one learned confusion or one unlearned edit; or two learned
confusions) is a 64-bit polynomial hash, computed from the hashes of the word's prefixes and endings
and of the confusion's replacement without making the string. Two bitmaps of the hashes of the
lexicon's words (each spreads them its own way; and one of its prefixes) tell which candidates may be
words: a real word is never missed (equal strings, equal hashes), and the few others that pass (about
one in two thousand; and two strings whose hashes collide) are dropped when the string is made and
looked up in the lexicon. The
bitmap of prefixes only prunes, as the prefix test of ``_search_fast`` does: a candidate it lets through
is looked up like any other. So the answer is ``_search_fast``'s: the same words, with the same log
probabilities, in the same order (the order in which ``_search_fast`` first makes each word).

Needs of the searcher: ``P``, ``_apps_at``, ``rs`` (its rule set). numpy is imported at the first bulk search.
"""

from __future__ import annotations

from .memo import Memo

BASE = 0x100000001B3  # the polynomial's base (odd)
MIX = 0x9E3779B97F4A7C15  # spreads a hash over the bitmap's index (odd)
MIX2 = 0xC2B2AE3D27D4EB4F  # ... over the second bitmap of words (odd; another spread)
MASK = (1 << 64) - 1
SPAN = 1 << 20  # a group's range in BulkSearch._two's ranking of tails (more than any -log p of a rule)
BITMAP_BITS = 22  # 4M places (a byte each) a bitmap: ~2% of the non-words of a 98k-word lexicon pass
LEXICON_CHUNK = 8192  # words of a lexicon hashed at a time


def _np():
    import numpy as np

    return np


def hash_str(s: str) -> int:
    """The hash of s (what the numpy code computes for the same string)."""
    h = 0
    for ch in s:
        h = (h * BASE + ord(ch) + 1) & MASK
    return h


_POWERS: list = [None, None]  # BASE ** k and BASE ** -k for k from 0, as long as asked for


def _powers(np, n: int):
    """(BASE ** k, BASE ** -k) modulo 2 ** 64, for k up to at least n."""
    up, down = _POWERS
    if up is None or len(up) <= n:
        size = max(n + 1, 2 * len(up) if up is not None else 4096)
        up = np.empty(size, dtype=np.uint64)
        down = np.empty(size, dtype=np.uint64)
        up[0] = down[0] = 1
        np.cumprod(np.full(size - 1, BASE, dtype=np.uint64), out=up[1:])
        np.cumprod(np.full(size - 1, pow(BASE, -1, 1 << 64), dtype=np.uint64), out=down[1:])
        _POWERS[:] = [up, down]
    return up, down


class _Hashes:
    """The hashes of every prefix of some strings: ``ph[at[r] + j]`` is that of string r's first j
    characters (its slots from at[r] to at[r] + len). From the sums of code / BASE ** position: the
    prefix of j characters of a string whose slot 0 is at a is BASE ** (a + j) * (the sum of its
    slots from a + 1 to a + j), all modulo 2 ** 64."""

    def __init__(self, np, strs: list[str]):
        self.strs = strs
        lens = self.lens = np.fromiter(map(len, strs), dtype=np.int64, count=len(strs))
        size = int(lens.sum()) + len(strs)
        at = self.at = np.cumsum(lens + 1) - (lens + 1)
        up, down = _powers(np, size + 1)
        self.up = up
        codes = np.zeros(size, dtype=np.uint64)  # (slot 0 of each string: 0)
        chars = np.ones(size, dtype=bool)
        chars[at] = False
        if size > len(strs):
            codes[chars] = np.frombuffer("".join(strs).encode("utf-32-le", "surrogatepass"), dtype="<u4")
            codes[chars] += np.uint64(1)
        sums = np.zeros(size + 1, dtype=np.uint64)
        np.cumsum(codes * down[:size], out=sums[1:])
        self.ph = up[:size] * (sums[1:] - np.repeat(sums[at + 1], lens + 1))
        self.codes = codes

    def pre(self, r, j):
        """The hash of each string r's first j characters."""
        return self.ph[self.at[r] + j]

    def end(self, r, j):
        """The hash of each string r's characters from j on."""
        a, n = self.at[r], self.lens[r]
        return self.ph[a + n] - self.ph[a + j] * self.up[n - j]


def _slots(np, hashes, mix: int = MIX):
    """Each hash's place in a bitmap (as int64: below 2 ** BITMAP_BITS, the same numbers, and numpy
    indexes with them without a conversion)."""
    return ((hashes * np.uint64(mix)) >> np.uint64(64 - BITMAP_BITS)).view(np.int64)


def _bits(np, bitmap, slots):
    """The bits of a bitmap (packed 8 to a byte, the first place in the lowest bit) at the places
    ``slots`` (int64), as booleans (a new array)."""
    return ((bitmap.take(slots >> 3) >> (slots & 7).astype(np.uint8)) & np.uint8(1)).view(bool)


def _maybe(np, bitmap, hashes):
    """May each hash be in the bitmap's set? (never False for one that is)"""
    return _bits(np, bitmap, _slots(np, hashes))


def _maybe_word(np, hx: "_Lexicon", hashes):
    """May each hash be a word of the lexicon? Both its bitmaps of words are asked (the second only
    about those the first lets through): about one non-word in two thousand passes instead of one in
    fifty, and each that passes costs a string made and looked up (never False for a word)."""
    m = _bits(np, hx.words, _slots(np, hashes))
    hit = np.flatnonzero(m)
    m[hit] = _bits(np, hx.words2, _slots(np, hashes[hit], MIX2))
    return m


INDEX_KEY = f"{BASE:x}/{MIX:x}/{MIX2:x}/{BITMAP_BITS}"  # what a stored index was made with (see pack_index)


class _Lexicon:
    """A lexicon's words, prefixes and endings as hash bitmaps (packed 8 places to a byte, 512 KB
    each), and the letters its words are made of."""

    def __init__(self, np, maps: list, letters: str):
        self.words, self.prefixes, self.endings, self.words2 = maps
        self.letters = letters  # every letter of a word (those that may follow a prefix), in order
        self.letter_codes = np.array([ord(x) + 1 for x in letters], dtype=np.uint64)

    @classmethod
    def of_words(cls, np, words) -> "_Lexicon":
        """Hashed now (about 0.1 s of CPU for 100,000 words)."""
        words = list(words)
        maps = [np.zeros(1 << BITMAP_BITS, dtype=np.uint8) for _ in range(4)]
        seen = np.zeros(1, dtype=np.int64)
        for at in range(0, len(words), LEXICON_CHUNK):  # (a chunk at a time: little memory besides the bitmaps)
            h = _Hashes(np, words[at:at + LEXICON_CHUNK])
            k = len(h.strs)
            r = np.repeat(np.arange(k), h.lens)  # the string of each character
            j = np.arange(r.size) - np.repeat(h.at - np.arange(k), h.lens)  # its position in it
            whole = h.pre(np.arange(k), h.lens)
            maps[0][_slots(np, whole)] = 1
            maps[3][_slots(np, whole, MIX2)] = 1
            maps[1][_slots(np, h.pre(r, j + 1))] = 1
            maps[2][_slots(np, h.end(r, j))] = 1  # the endings: word[j:] for j < len(word)
            count = np.bincount(h.codes.astype(np.intp))
            if count.size > seen.size:
                count[:seen.size] += seen
                seen = count
            else:
                seen[:count.size] += count
        return cls(np, [np.packbits(m, bitorder="little") for m in maps],
                   "".join(map(chr, np.flatnonzero(seen)[1:] - 1)))

    @classmethod
    def stored(cls, np, index: tuple) -> "_Lexicon":
        """From ``pack_index``'s (bitmaps, letters), stored in a model file (read in place: no copy)."""
        blob, letters = index
        size = 1 << (BITMAP_BITS - 3)
        if len(blob) != 4 * size:
            raise ValueError(f"a stored lexicon index of {8 * len(blob)} bits, not {32 * size}")
        packed = np.frombuffer(blob, dtype=np.uint8)
        return cls(np, [packed[k * size:(k + 1) * size] for k in range(4)], letters)


def pack_index(words) -> tuple[bytes, str]:
    """(the four bitmaps, packed 8 to a byte; the letters) of a lexicon's words, for a model file
    (``lexicon.pack``): read in place at the first bulk search, instead of hashing the words again."""
    np = _np()
    hx = _Lexicon.of_words(np, words)
    return b"".join(m.tobytes() for m in (hx.words, hx.prefixes, hx.endings, hx.words2)), hx.letters


_LEXICONS: dict[int, tuple] = {}  # id of a lexicon's word set -> (the set, kept alive; its _Lexicon)


def _hashed(np, lex: tuple, tables: dict | None = None) -> _Lexicon:
    """The lexicon's _Lexicon, made once: from the index the model file stores for it (``tables``, the
    model's: ``tables["index"]``, lexicon.pack), else hashed now."""
    got = _LEXICONS.get(id(lex[0]))
    if got is None or got[0] is not lex[0]:
        stored = next((v for name, v in ((tables or {}).get("index") or {}).items() if tables[name] is lex), None)
        hx = _Lexicon.stored(np, stored) if stored is not None else _Lexicon.of_words(np, lex[0])
        got = _LEXICONS[id(lex[0])] = (lex[0], hx)
    return got[1]


class _Groups:
    """The learned rule applications at a position of a word (``_apps_at``: one list per set of rule
    OCR sides that match there), registered once each, as flat arrays: in ``_apps_at``'s order (best
    first) and grouped by the length of the OCR side (``_search_fast``'s order for one edit)."""

    def __init__(self, searcher):
        self.s = searcher
        self.by_win: dict[str, int] = {}
        self.words = Memo(100_000)  # word -> of_word(word)
        self.by_list: dict[int, int] = {}
        self.lists: list = []  # (kept alive: their ids are keys of by_list)
        self.rows: list[list] = [[], []]  # per order: (L, replacement, log p, hash) of every application
        self.start: list[int] = []
        self.size: list[int] = []
        self.arrays = None
        self._made = 0  # groups already in the arrays (see tables)

    def of_word(self, w: str) -> tuple[int, ...]:
        """The group of each position of w, from 0 to len(w)."""
        got = self.words.get(w)
        if got is None:
            # (the window's group looked up here first: most windows have one already)
            # (-1 where the window has no group yet: group 0 is a group)
            W, by_win, gid = self.s.rs.window, self.by_win.get, self.gid
            got = self.words.put(w, tuple([g if (g := by_win(w[i:i + W], -1)) >= 0 else gid(w, i)
                                           for i in range(len(w) + 1)]))
        return got

    def gid(self, w: str, i: int) -> int:
        win = w[i:i + self.s.rs.window]
        g = self.by_win.get(win)
        if g is None:
            apps = self.s._apps_at(w, i)[0]
            g = self.by_list.get(id(apps))
            if g is None:
                g = self.by_list[id(apps)] = len(self.lists)
                self.lists.append(apps)
                self.start.append(len(self.rows[0]))
                self.size.append(len(apps))
                grouped = sorted(apps, key=lambda t: t[0])  # stable: best first within a length
                for order, seq in zip(self.rows, (apps, grouped)):
                    order.extend((L, g_, lp, hash_str(g_)) for L, g_, lp in seq)
            self.by_win[win] = g
        return g

    def tables(self, np):
        """(start, size, then per order (L, log p, hash, replacement length, replacements, log p as a list of
        Python floats: the numbers of the array, read without making a numpy scalar each)). The arrays
        of the groups registered since the last call are appended to those made before (a document
        brings a few new groups, the arrays hold tens of thousands of applications)."""
        made = self._made
        if self.arrays is None or made < len(self.lists):
            row0 = self.start[made] if made < len(self.start) else len(self.rows[0])
            fresh = []
            for rows in self.rows:
                new = rows[row0:]
                fresh.append((np.array([r[0] for r in new], dtype=np.int64),
                              np.array([r[2] for r in new], dtype=np.float64),
                              np.array([r[3] for r in new], dtype=np.uint64),
                              np.array([len(r[1]) for r in new], dtype=np.int64), [r[1] for r in new],
                              [float(r[2]) for r in new]))
            start = np.array(self.start[made:], dtype=np.int64)
            size = np.array(self.size[made:], dtype=np.int64)
            if self.arrays is not None:
                old_start, old_size, old_per = self.arrays
                start, size = np.concatenate((old_start, start)), np.concatenate((old_size, size))
                fresh = [tuple(np.concatenate((a, b)) for a, b in zip(o[:4], f[:4])) + (o[4] + f[4], o[5] + f[5])
                         for o, f in zip(old_per, fresh)]
            self.arrays = (start, size, fresh)
            self._made = len(self.lists)
        return self.arrays


def _ends(np, q: _Hashes, hx: _Lexicon):
    """May the rest of each string q from each place end a word of the lexicon (its endings' bitmap; the empty rest
    may)? By slot: string r's rest from k at ``q.at[r] + k``, k from 0 to its length."""
    k = np.arange(q.ph.size) - np.repeat(q.at, q.lens + 1)
    ok = _maybe(np, hx.endings, q.end(np.repeat(np.arange(len(q.strs)), q.lens + 1), k))
    ok[q.at + q.lens] = True
    return ok


def _reaches(floor: float, lp1: float, lp2: float | None = None) -> bool:
    """Does a path of one learned edit of log p lp1 (and a second of lp2) reach the floor min_lp as ``_two`` and
    ``_search_fast`` test it: each edit at least the floor, the second at least the floor less the first."""
    return lp1 >= floor and (lp2 is None or (lp2 >= floor and lp2 >= floor - lp1))


def _expand(np, sizes):
    """(owner, rank) of each item when owner j has sizes[j] items."""
    total = int(sizes.sum())
    owner = np.repeat(np.arange(len(sizes)), sizes)
    first = np.cumsum(sizes) - sizes
    return owner, np.arange(total) - first[owner]


class BulkSearch:
    """``_search_fast`` of many words at once for one searcher (a Corrector, or its search of
    capitals)."""

    def __init__(self, searcher):
        self.s = searcher
        self.groups = _Groups(searcher)

    def search(self, ws: list[str], max_edits: int, generic: bool, min_lp: float, lex: tuple) -> list[dict]:
        """``[_search_fast(w, max_edits, generic, min_lp, lex) for w in ws]`` for one edit, or two
        learned ones (not generic)."""
        return self.search_floors(ws, max_edits, generic, (min_lp,), lex)[0]

    def search_floors(self, ws: list[str], max_edits: int, generic: bool, floors: tuple, lex: tuple) -> list[list]:
        """``search`` at each floor of ``floors`` (min_lp; more than one only for two learned edits): the paths
        are found once, at the lowest floor, and each floor's answer is made of those that reach it as
        ``_search_fast`` tests them (``_reaches``): the same words, numbers and order as a search at each."""
        if not ws:
            return [[] for _ in floors]
        np = _np()
        hx = _hashed(np, lex, self.s.model.tables())
        q = _Hashes(np, ws)
        words = lex[0]
        low = min(floors)
        if max_edits == 1 and len(floors) == 1:
            hits = self._one(np, q, hx, generic, low)
        elif max_edits == 2 and not generic:
            hits = self._two(np, q, hx, low)
        else:
            raise ValueError("a bulk search makes one edit (at one floor), or two learned ones")
        answers = []
        for floor in floors:
            outs = []
            for w in ws:
                out = {}
                if w in words:
                    out[w] = 0.0
                outs.append(out)
            for hit in hits:
                c = hit[1]
                if c in words and (floor == low or _reaches(floor, *hit[3:])):
                    out, v = outs[hit[0]], hit[2]
                    if out.get(c, -1e9) < v:
                        out[c] = v
            answers.append(outs)
        return answers

    # ------------------------------------------------------------------ positions
    def _positions(self, np, q: _Hashes, hx: _Lexicon):
        """(word, position, application group) of each place a first edit may be made: from 0 up to
        the first position whose prefix no lexicon word has."""
        lens = q.lens
        r = np.repeat(np.arange(len(q.strs)), lens)  # each prefix of 1 character or more
        j = np.arange(r.size) - np.repeat(q.at - np.arange(len(q.strs)), lens) + 1
        bad = np.ones(r.size + 1, dtype=bool)
        bad[:-1] = ~_maybe(np, hx.prefixes, q.pre(r, j))
        # position i has the prefix of i characters: the positions after the first missing one go
        first = np.cumsum(lens) - lens
        nxt = np.flatnonzero(bad)
        reach = np.minimum(nxt[np.searchsorted(nxt, first)] - first, lens)
        gids = self.groups.of_word
        rows, cols = [], []
        for k, (w, m) in enumerate(zip(q.strs, reach.tolist())):
            rows += [k] * (m + 1)
            cols += gids(w)[:m + 1]
        rows = np.array(rows, dtype=np.int64)
        pos = np.arange(len(rows)) - np.repeat(np.cumsum(reach + 1) - (reach + 1), reach + 1)
        return rows, pos, np.array(cols, dtype=np.int64)

    # ------------------------------------------------------------------ one edit
    def _one(self, np, q: _Hashes, hx: _Lexicon, generic: bool, min_lp: float) -> list:
        """[(word index, candidate, log p)] of one edit, in _search_fast's order of making them."""
        P = self.s.P
        glp = float(P.generic_lp) if generic and P.generic_lp >= min_lp else None
        rows, pos, gids = self._positions(np, q, hx)
        start, size, per = self.groups.tables(np)
        L_, lp_, h_, glen_, gstr, lps = per[1]  # grouped by length
        pows = q.up
        n = q.lens[rows]
        A = len(hx.letters)
        stride = 1 + 2 * A + int(size.max()) + 1
        keys, found = [], []  # per kind: order key, then what makes the string
        # learned confusions
        owner, rank = _expand(np, size[gids])
        a = start[gids][owner] + rank
        r, i, L = rows[owner], pos[owner], L_[a]
        # (and where the rest of the word after the replaced part may end a lexicon word, as _search_fast asks: ``ok``)
        keep = (lp_[a] >= min_lp) & _ends(np, q, hx)[q.at[r] + i + L]
        owner, rank, a, r, i, L = (x[keep] for x in (owner, rank, a, r, i, L))
        rest = n[owner] - i - L
        h = q.pre(r, i) * pows[glen_[a] + rest] + h_[a] * pows[rest] + q.end(r, i + L)
        m = _maybe_word(np, hx, h)
        keys.append(owner[m] * stride + 1 + 2 * A + rank[m])
        found.append(("rule", r[m], i[m], L[m], a[m]))
        if glp is not None:
            letters = hx.letter_codes
            # deletions and substitutions at positions before the end, where the rest of the word after the edit
            # may end a lexicon word (or none is left), as _search_fast asks (``ok``): the bitmap of endings drops no
            # position whose edit makes a word, and most of the others before their letters are tried
            inner = np.nonzero(pos < n)[0]
            tail = q.end(rows[inner], pos[inner] + 1)
            ends = np.nonzero((pos[inner] + 1 == n[inner]) | _maybe(np, hx.endings, tail))[0]
            inner, tail = inner[ends], tail[ends]
            r, i = rows[inner], pos[inner]
            rest = n[inner] - i - 1
            h = q.pre(r, i) * pows[rest] + tail
            m = _maybe_word(np, hx, h)
            keys.append(inner[m] * stride)
            found.append(("del", r[m], i[m]))
            hs = (q.pre(r, i) * pows[rest + 1])[:, None] + letters[None, :] * pows[rest][:, None] + tail[:, None]
            own = q.pre(r, i + 1) - q.pre(r, i) * np.uint64(BASE)  # the code of the character replaced
            m = _maybe_word(np, hx, hs.ravel()).reshape(hs.shape) & (letters[None, :] != own[:, None])
            e, x = np.nonzero(m)
            keys.append(inner[e] * stride + 1 + x)
            found.append(("sub", r[e], i[e], x))
            # insertions, at every position whose rest may end a lexicon word, and at the end
            tail = q.end(rows, pos)
            at = np.nonzero((pos == n) | _maybe(np, hx.endings, tail))[0]
            r, i = rows[at], pos[at]
            rest = n[at] - i
            hs = (q.pre(r, i) * pows[rest + 1])[:, None] + letters[None, :] * pows[rest][:, None] + tail[at][:, None]
            e, x = np.nonzero(_maybe_word(np, hx, hs.ravel()).reshape(hs.shape))
            keys.append(at[e] * stride + 1 + A + x)
            found.append(("ins", r[e], i[e], x))
        return self._made(np, q, keys, found, gstr, lps, glp, hx.letters)

    def _made(self, np, q, keys, found, gstr, lps, glp, letters) -> list:
        """The candidates of the hits, in the order of their keys (``lps``: the log p of each application, as
        Python floats; ``glp`` a float too: each candidate's number is a float, as float() of the array's made it)."""
        made = []
        for kind, *cols in found:
            cols = [c.tolist() for c in cols]
            ws = q.strs
            if kind == "rule":
                for r, i, L, a in zip(*cols):
                    w = ws[r]
                    made.append((r, w[:i] + gstr[a] + w[i + L:], lps[a]))
            elif kind == "del":
                for r, i in zip(*cols):
                    w = ws[r]
                    made.append((r, w[:i] + w[i + 1:], glp))
            elif kind == "sub":
                for r, i, x in zip(*cols):
                    w = ws[r]
                    made.append((r, w[:i] + letters[x] + w[i + 1:], glp))
            else:
                for r, i, x in zip(*cols):
                    w = ws[r]
                    made.append((r, w[:i] + letters[x] + w[i:], glp))
        order = np.argsort(np.concatenate(keys), kind="stable").tolist() if made else []
        return [made[j] for j in order]

    # ------------------------------------------------------------------ two learned edits
    def _two(self, np, q: _Hashes, hx: _Lexicon, min_lp: float) -> list:
        """[(word index, candidate, log p, log p of the first edit, of the second or None)] of one or two learned
        confusions, in _search_fast's order."""
        rows, pos, gids = self._positions(np, q, hx)
        pows = q.up
        n_all = q.lens
        # the group of every position of every word (a second edit may come after the first's reach)
        at = q.at  # where each word's positions start in all_g
        of_word = self.groups.of_word
        all_g = np.array([g for w in q.strs for g in of_word(w)], dtype=np.int64)
        start, size, per = self.groups.tables(np)  # (more groups may have been registered)
        L_, lp_, h_, glen_, gstr, lps = per[0]
        # first edits
        owner, rank1 = _expand(np, size[gids])
        a1 = start[gids][owner] + rank1
        keep = lp_[a1] >= min_lp
        owner, rank1, a1 = owner[keep], rank1[keep], a1[keep]
        r, i, L1, g1 = rows[owner], pos[owner], L_[a1], glen_[a1]
        p1 = q.pre(r, i) * pows[g1] + h_[a1]
        keep = (g1 == 0) | _maybe(np, hx.prefixes, p1)
        owner, rank1, a1, r, i, L1, p1 = (x[keep] for x in (owner, rank1, a1, r, i, L1, p1))
        k0 = i + L1
        # the walk: k from k0 to the word's end while the output so far is a prefix
        f, step = _expand(np, n_all[r] - k0 + 1)
        rf, kf = r[f], k0[f] + step
        pk = p1[f] * pows[step] + (q.pre(rf, kf) - q.pre(rf, k0[f]) * pows[step])
        bad = np.zeros(len(f), dtype=bool)
        later = step > 0
        bad[later] = ~_maybe(np, hx.prefixes, pk[later])
        seen_bad = np.cumsum(bad)
        first = np.cumsum(n_all[r] - k0 + 1) - (n_all[r] - k0 + 1)
        before = seen_bad[first] - bad[first]  # (bad at a walk's start is never set)
        ok = (seen_bad - before[f]) == 0
        f, rf, kf, pk, step = f[ok], rf[ok], kf[ok], pk[ok], step[ok]
        n = n_all[rf]
        keys, made = [], []
        # one edit: the walk reached the end
        end = kf == n
        m = end & _maybe_word(np, hx, pk)
        e = np.nonzero(m)[0]
        ff = f[e]
        keys.append((owner[ff], rank1[ff], kf[e], np.zeros(len(e), dtype=np.int64)))
        made.append(("one", rf[e], i[ff], L1[ff], a1[ff], None, None))
        # the second edits at each position k of each word (its "tails"): the applications there, best
        # first, whose replacement and the rest of the word may end a lexicon word
        wp, trank = _expand(np, size[all_g])
        ta = start[all_g][wp] + trank
        tr_ = np.repeat(np.arange(len(q.strs)), n_all + 1)[wp]
        tk = wp - at[tr_]
        tl = L_[ta]
        rest = n_all[tr_] - tk - tl
        th = h_[ta] * pows[rest] + q.end(tr_, tk + tl)
        keep = (lp_[ta] >= min_lp) & (((glen_[ta] == 0) & (rest == 0)) | _maybe(np, hx.endings, th))
        wp, ta, trank = wp[keep], ta[keep], trank[keep]
        tstart = np.searchsorted(wp, np.arange(len(all_g)))
        cut = wp * SPAN - lp_[ta]
        # each walk step pairs with the tails of its position down to the floor its first edit leaves
        # (counted with a margin, then tested exactly)
        pos2 = at[rf] + kf
        floor = min_lp - lp_[a1[f]]
        count = np.searchsorted(cut, pos2 * SPAN - floor + 1e-6, side="right") - tstart[pos2]
        own, j = _expand(np, count)
        t = tstart[pos2][own] + j
        a2, rank2 = ta[t], trank[t]
        r1 = lp_[a1[f[own]]]
        r2 = lp_[a2]
        keep = r2 >= min_lp - r1
        own, rank2, a2 = own[keep], rank2[keep], a2[keep]
        rr, kk, L2 = rf[own], kf[own], L_[a2]
        rest = n[own] - kk - L2
        h = pk[own] * pows[glen_[a2] + rest] + h_[a2] * pows[rest] + q.end(rr, kk + L2)
        m = _maybe_word(np, hx, h)
        own, rank2, a2, rr, kk, L2 = (x[m] for x in (own, rank2, a2, rr, kk, L2))
        ff = f[own]
        keys.append((owner[ff], rank1[ff], kk, rank2 + 1))
        made.append(("two", rr, i[ff], L1[ff], a1[ff], kk, (L2, a2)))
        out = []  # (with the log p of each edit: search_floors)
        for kind, r_, i_, l1, x1, k_, second in made:
            cols = [c.tolist() for c in (r_, i_, l1, x1)]
            if kind == "one":
                for r, i, l, x in zip(*cols):
                    w = q.strs[r]
                    out.append((r, w[:i] + gstr[x] + w[i + l:], lps[x], lps[x], None))
            else:
                ks, l2s, x2s = k_.tolist(), second[0].tolist(), second[1].tolist()
                for (r, i, l, x), k, l2, x2 in zip(zip(*cols), ks, l2s, x2s):
                    w = q.strs[r]
                    out.append((r, w[:i] + gstr[x] + w[i + l:k] + gstr[x2] + w[k + l2:], lps[x] + lps[x2],
                                lps[x], lps[x2]))
        if not out:
            return []
        cat = [np.concatenate([k[j] for k in keys]) for j in range(4)]
        order = np.lexsort((cat[3], cat[2], cat[1], cat[0])).tolist()
        return [out[j] for j in order]
