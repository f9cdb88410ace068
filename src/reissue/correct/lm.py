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
        self._fold_ss = lang == "de"
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
        f = self.wf.get(w, 0.0)
        if not f and self._fold_ss and "ß" in w:
            f = self.wf.get(w.replace("ß", "ss"), 0.0)
        v = (1 - self.tuw) * f + self.tuw * self.tr_uni.get(w, 0) / self.tr_total
        if v <= 0.0:
            v = self.floor
        return v

    def known(self, w: str) -> bool:
        return w in self.wf or w in self.tr_uni or (self._fold_ss and w.replace("ß", "ss") in self.wf)

    def cond(self, w: str, prev: str | None) -> float:
        """P(w | prev), interpolated; prev None -> unigram."""
        pu = self.p(w)
        if not prev:
            return pu
        # fixed interpolation weights: a history no source knows gets only the unigram share,
        # so that an unknown (misspelt) word is no better a history than a known one
        # the history's counts in both sources, remembered (a history is asked about for each candidate after it)
        got = self._prev_counts.get(prev)
        if got is None:
            got = (self.sym_uni.get(prev, 0), self.tr_uni.get(prev, 0))
            if len(self._prev_counts) < 200_000:
                self._prev_counts[prev] = got
        su, tu = got
        if not su and not tu:
            return self.w_uni * pu  # (no bigram table to look in: 0.0 + the unigram share)
        key = prev + " " + w
        num = 0.0
        if su:
            num += self.w_sym * self.sym_bi.get(key, 0) / su
        if tu:
            num += self.w_tr * self.tr_bi.get(key, 0) / tu
        return num + self.w_uni * pu

    def logcond(self, w: str, prev: str | None) -> float:
        return math.log(self.cond(w, prev))


class _Unigrams(dict):
    """The unigram probabilities a LanguageModel was asked for (at most 500,000 remembered); a
    missing word's is computed (``LanguageModel._unigram``) at its lookup."""

    __slots__ = ("lm",)

    def __init__(self, lm: LanguageModel):
        super().__init__()
        self.lm = lm

    def __missing__(self, w: str) -> float:
        v = self.lm._unigram(w)
        if len(self) < 500_000:
            self[w] = v
        return v

    def __reduce__(self):  # (a copy starts empty: the numbers are the model's, remembered again)
        return (_Unigrams, (self.lm,))
