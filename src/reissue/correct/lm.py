"""Word language model: unigram and bigram probabilities from installed PyPI resources.

Sources, all offline:

* ``wordfreq`` (frequencies of the model's language, lower-cased: English 320k words, French 310k,
  German 630k),
* (English only) symspellpy's ``frequency_dictionary_en_82_765.txt`` and ``frequency_bigramdictionary_en_243_342.txt``,
* word / bigram counts from the ground truth of the training data, stored in the correction model.

``P(w | prev)`` is a linear interpolation of the symspell bigram estimate, the training bigram
estimate and the unigram probability.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from functools import lru_cache

from .. import wordfreqs

FLOOR = 1e-10  # probability of a word no source knows
# (log) below the probability of every word some source knows (wordfreq's rarest words are about 1e-8, a word
# seen once in the training text about 1e-6), above the floor of a word none knows (FLOOR, a model's oov_p)
LOG_KNOWN_MIN_P = math.log(1e-9)


@lru_cache(maxsize=1)
def _symspell_counts() -> tuple[dict[str, int], dict[str, int]]:
    """symspellpy's English unigram and bigram counts."""
    import symspellpy

    base = os.path.dirname(symspellpy.__file__)
    uni: dict[str, int] = {}
    bi: dict[str, int] = {}
    with open(os.path.join(base, "frequency_dictionary_en_82_765.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 2:
                uni[parts[0]] = int(parts[1])
    with open(os.path.join(base, "frequency_bigramdictionary_en_243_342.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                bi[parts[0] + " " + parts[1]] = int(parts[2])
    return uni, bi


class LanguageModel:
    def __init__(self, train_unigrams: dict[str, int] | None = None,
                 train_bigrams: dict[str, int] | None = None,
                 weights: tuple[float, float, float] = (0.45, 0.35, 0.2),
                 train_unigram_weight: float = 0.25, lang: str = "en", symspell: bool = True,
                 tables: dict | None = None):
        """``tables``: the word lists ``wf``, ``sym_uni`` and ``sym_bi`` as a model file stores them
        (lexicon.py), instead of reading them from the installed packages."""
        if tables is not None:
            self.wf, self.sym_uni, self.sym_bi = tables["wf"], tables["sym_uni"], tables["sym_bi"]
            # stored from the installed wordfreq list: the same list reflow reads, shared (wordfreqs.py)
            self.wf_is_wordfreq = tables.get("wordfreq_list") == wordfreqs.list_id(lang)
            if self.wf_is_wordfreq:
                wordfreqs.share(lang, self.wf)
        else:
            self.wf = wordfreqs.frequencies(lang)
            self.wf_is_wordfreq = True
            # symspellpy ships English dictionaries only: other languages go without
            self.sym_uni, self.sym_bi = _symspell_counts() if symspell else ({}, {})
        # wordfreq folds German sharp s to ss ("strasse"): look a word with ß up that way too
        self.fold_ss = lang == "de"
        # the model's own dicts (read only), not copies
        self.tr_uni = train_unigrams if isinstance(train_unigrams, Mapping) else dict(train_unigrams or {})
        self.tr_bi = train_bigrams if isinstance(train_bigrams, Mapping) else dict(train_bigrams or {})
        self.tr_total = max(1, sum(self.tr_uni.values()))
        self.w_sym, self.w_tr, self.w_uni = weights
        self.tuw = train_unigram_weight if self.tr_uni else 0.0
        self._p = _Unigrams(self)
        # p(w): the unigram probability of a lower-cased word (_Unigrams.__missing__): a word asked
        # about before is answered by the dict lookup alone, without a Python call (the corrector
        # asks about hundreds of thousands of words per second)
        self.p = self._p.__getitem__
        self._prev_counts: dict[str, tuple[int, int]] = {}  # see cond
        self.floor = FLOOR

    def _unigram(self, w: str) -> float:
        """Unigram probability of a lower-cased word (what ``p`` answers and remembers)."""
        return self._unigram_of(w, self.wf.get(w, 0.0), self.tr_uni.get(w, 0))

    def _unigram_of(self, w: str, f: float, n: int) -> float:
        """The unigram probability of the word w from its frequency f in wordfreq's list (0.0 where the list
        lacks it: then, in German, it is looked up with ß as ss) and its count n in the training text, mixed
        with the training text's weight; the floor where no source knows it. The one definition:
        ``_unigram`` and ``prefetch_unigrams`` both make their numbers here."""
        if not f and self.fold_ss and "ß" in w:
            f = self.wf.get(w.replace("ß", "ss"), 0.0)
        v = (1 - self.tuw) * f + self.tuw * n / self.tr_total
        if v <= 0.0:
            v = self.floor
        return v

    def prefetch_unigrams(self, words) -> None:
        """Remember now the unigram probabilities (``p``) of the words not remembered yet, wordfreq's list and
        the training counts asked in bulk (``_many``): the numbers ``_unigram`` makes (``_unigram_of``),
        remembered as ``p`` remembers them. Only a speed-up (a lookup alone waits on memory)."""
        mem = self._p
        todo = [w for w in dict.fromkeys(words) if w not in mem]
        if len(todo) < 2:
            return
        of, put = self._unigram_of, mem.put
        for w, f, n in zip(todo, _many(self.wf, todo, 0.0), _many(self.tr_uni, todo, 0)):
            put(w, of(w, f, n))

    def words_at_least(self, floor: float) -> set[str]:
        """Every word of either source whose unigram probability (``p``) is at least floor: the mix of the two
        reaches it only where one of them gives half of it, so only such words of each are asked (wordfreq's list
        through its frozen table's values, where it has one); in German also every word of the training text with
        ß, whose frequency wordfreq's list may give under ss (``fuß``: ``fuss``)."""
        half = floor / 2
        found = set(_at_least(self.wf, half / (1 - self.tuw)))
        if self.tuw:
            found.update(_at_least(self.tr_uni, half * self.tr_total / self.tuw))
        if self.fold_ss:
            found.update(w for w in self.tr_uni if "ß" in w)
        p = self.p
        return {w for w in found if p(w) >= floor}

    def known(self, w: str) -> bool:
        return w in self.wf or w in self.tr_uni or (self.fold_ss and w.replace("ß", "ss") in self.wf)

    def cond(self, w: str, prev: str | None) -> float:
        """P(w | prev), interpolated (``_mix``); prev None -> unigram."""
        pu = self.p(w)
        if not prev:
            return pu
        # fixed interpolation weights: a history no source knows gets only the unigram share,
        # so that an unknown (misspelt) word is no better a history than a known one
        got = self._prev_counts.get(prev)
        if got is None:
            got = self._history(prev)
        su, tu = got
        if not su and not tu:
            return self.w_uni * pu  # (no bigram table to look in: _mix's 0.0 + the unigram share, without a call)
        key = prev + " " + w
        return _mix(self, pu, su, tu, self.sym_bi.get(key, 0) if su else 0, self.tr_bi.get(key, 0) if tu else 0)

    def _history(self, prev: str) -> tuple[int, int]:
        """The counts of a history word in both sources (symspell's, the training text's), looked up and
        remembered (a history is asked about for each candidate after it; at most 200,000 remembered):
        what ``cond`` finds in ``_prev_counts`` for a word asked about before."""
        got = (self.sym_uni.get(prev, 0), self.tr_uni.get(prev, 0))
        if len(self._prev_counts) < 200_000:
            self._prev_counts[prev] = got
        return got

    def cond_many(self, pairs: list) -> list[float]:
        """``[self.cond(w, prev) for w, prev in pairs]``: the same numbers (``_mix`` of the same counts), the
        bigrams looked up in bulk (``_many``: FrozenTable.get_many). What the corrector asks of a document's
        candidates before it scores them (scoring.py ``_prefetch_logconds``)."""
        p, known, history = self.p, self._prev_counts, self._history
        out: list[float] = []
        asks = []  # (place in out, pu, su, tu, the bigram) of the pairs whose history a source knows
        for w, prev in pairs:
            pu = p(w)
            if prev:
                got = known.get(prev)
                if got is None:
                    got = history(prev)
                su, tu = got
                if su or tu:
                    asks.append((len(out), pu, su, tu, prev + " " + w))
                else:
                    pu = _mix(self, pu, 0, 0, 0, 0)
            out.append(pu)
        sym = iter(_many(self.sym_bi, [a[4] for a in asks if a[2]], 0))
        tr = iter(_many(self.tr_bi, [a[4] for a in asks if a[3]], 0))
        for k, pu, su, tu, _key in asks:
            out[k] = _mix(self, pu, su, tu, next(sym) if su else 0, next(tr) if tu else 0)
        return out

    def logcond(self, w: str, prev: str | None) -> float:
        return math.log(self.cond(w, prev))


def _mix(lm: LanguageModel, pu: float, su: int, tu: int, sym_n: int, tr_n: int) -> float:
    """P(w | prev) from its parts: the unigram probability pu of w, the counts of prev (su in symspell's
    list, tu in the training text's) and of the bigram "prev w" (sym_n, tr_n), mixed with the model's
    weights. A source that does not know prev has no share (its bigram count is not asked for). The one
    definition of the mix: ``cond`` and ``cond_many`` both make their numbers here, in the same order."""
    num = 0.0
    if su:
        num += lm.w_sym * sym_n / su
    if tu:
        num += lm.w_tr * tr_n / tu
    return num + lm.w_uni * pu


def _at_least(table, floor) -> list:
    """The keys of a word table (a dict, or a frozen table: its own faster way) whose value is at least floor."""
    if hasattr(table, "keys_at_least"):
        return table.keys_at_least(floor)
    return [k for k, v in table.items() if v >= floor]


def _many(table, keys: list, default) -> list:
    """``[table.get(k, default) for k in keys]``, in bulk where the table is a FrozenTable (get_many)."""
    many = getattr(table, "get_many", None)
    return many(keys, default) if many is not None else [table.get(k, default) for k in keys]


class _Unigrams(dict):
    """The unigram probabilities a LanguageModel was asked for (at most 500,000 remembered); a
    missing word's is computed (``LanguageModel._unigram``) at its lookup."""

    __slots__ = ("lm",)

    def __init__(self, lm: LanguageModel):
        super().__init__()
        self.lm = lm

    def __missing__(self, w: str) -> float:
        return self.put(w, self.lm._unigram(w))

    def put(self, w: str, v: float) -> float:
        """Remember v as the unigram probability of w, where fewer than 500,000 are remembered; -> v."""
        if len(self) < 500_000:
            self[w] = v
        return v

    def __reduce__(self):  # (a copy starts empty: the numbers are the model's, remembered again)
        return (_Unigrams, (self.lm,))
