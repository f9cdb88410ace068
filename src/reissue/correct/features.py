"""The edit vetter's features of a proposed correction, a dict keyed by name (``vet.FEATURES``; a
mixin of ``engine.Corrector``)."""

from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from ..chars import LONG_S_CHAR
from .tokens import _Tok
from .vet import RULES as VET_RULES


_RULE_NAMES = tuple((r, "rule_" + r.replace("-", "_")) for r in VET_RULES)  # (each rule's feature)
# (the rule features of a proposal by its rule, made once: 1.0 for its own, 0.0 for the others)
_RULE_FEATURES = {rule: {name: 1.0 if rule == r else 0.0 for r, name in _RULE_NAMES} for rule, _name in _RULE_NAMES}
_NO_RULE = dict.fromkeys((name for _r, name in _RULE_NAMES), 0.0)
# (each bigram feature's name by source and side: made once, not per proposal)
_BIGRAM_NAMES = {(src, side): (f"{src}_bigram_left_{side}", f"{src}_bigram_right_{side}")
                 for src in ("train", "sym") for side in ("ocr", "cand")}


class Site(NamedTuple):
    """Where a proposal stands: its (first) token ``t``, every token's lower-cased form (``lows``) and
    its index ``i``, and the neighbours the decoder scored it with (None: no clean word there)."""

    t: _Tok
    lows: list
    i: int
    prev: str | None
    nxt: str | None


class Weighed(NamedTuple):
    """What the decoder weighed for a proposal: its posterior, the score of keeping the printed form,
    and the scores of the candidates [(score, ...)]."""

    post: float
    keep: float
    scores: list


class VetFeatures:
    """Feature vectors of proposals, and the document's share of unknown words (needs lm, _p_form, _name_like,
    _unknown, vetter, proposals and _oov_share of the Corrector)."""

    def _unknown_share(self, vocab: Counter) -> float | None:
        """The share of the document's words (two letters or more) unknown to the lexicon (a long s read as
        the s the lexicon writes: ``ſind`` is a known word), None when it has no such word; worked out once
        while the same document's counts come back."""
        size = (len(vocab), sum(vocab.values()))
        last = self._oov_share
        if last is not None and last[0] is vocab and last[1] == size:  # the same document's counts
            return last[2]  # (the Counter is held: the id of a freed one is never mistaken for it)
        seen = unknown = 0
        for w, c in vocab.items():
            if len(w) > 1 and w.isalpha():
                seen += c
                unknown += c if self._unknown(w.replace(LONG_S_CHAR, "s")) else 0
        got = unknown / seen if seen else None
        self._oov_share = (vocab, size, got)
        return got

    def _doc_oov(self, vocab: Counter) -> float | None:
        """The vetter's vet.DOC_FEATURE of a document (its vocabulary): for a vetter that weighs it, and for the rows
        of a vetter's training (proposals collected without a vetter); None where it is not weighed."""
        weighs = self.vetter.uses_doc if self.vetter is not None else self.proposals is not None
        return (self._unknown_share(vocab) or 0.0) if weighs else None

    def _features(self, rule: str, o: str, c: str, lp: float, w: Weighed, site: Site, ctx_keep: tuple,
                  ctx_cand: tuple, vocab: Counter, memo: dict | None = None) -> dict[str, float]:
        """The vetter's features of proposing c (log channel probability lp, by ``rule``) for the printed
        o, by name (vet.FEATURES); ctx_keep, ctx_cand: the context model's (left, right) scores of o and c.
        ``memo``: the decoder's memo of the document, where those that do not depend on the weighing (``w``) are
        kept for the same proposal at the same place (``_site_features``: the second pass proposes most again)."""
        post, keep, scores = w
        q = min(max(post, 1e-6), 1 - 1e-6)
        ranked = sorted((sc[0] for sc in scores), reverse=True)
        key = ("features", site.i, rule, o, c, lp, site.prev, site.nxt, ctx_keep, ctx_cand)
        got = memo.get(key) if memo is not None else None
        if got is None:
            got = self._site_features(rule, o, c, lp, site, ctx_keep, ctx_cand, vocab)
            if memo is not None:
                memo[key] = got
        site_x, bigrams = got
        return {
            "logit_post": math.log(q / (1 - q)),
            "margin": ranked[0] - keep,
            "gap_second": ranked[0] - ranked[1] if len(ranked) > 1 else 10.0,
            **site_x,
            "n_cands": float(len(scores)),
            **bigrams,
        }

    def _site_features(self, rule: str, o: str, c: str, lp: float, site: Site, ctx_keep: tuple, ctx_cand: tuple,
                       vocab: Counter) -> tuple[dict, dict]:
        """The features of ``_features`` that do not depend on the weighing, in its order: those from the rule's to
        ``sym_count_cand``, and the bigram counts (``_bigram_counts``)."""
        t, lows, i, prev, nxt = site
        lm = self.lm
        win = lows[max(0, i - 3):i] + lows[i + 1:i + 4]  # three tokens either side
        form = t.form
        p_form, tr_uni, sym_uni, log1p = self._p_form, lm.tr_uni, lm.sym_uni, math.log1p
        if form.isalpha():  # (most forms: no digit, apostrophe or other mark, without counting them)
            digits = apostrophes = marks = 0.0
        else:
            digits = float(sum(ch.isdigit() for ch in form))
            apostrophes = float(sum(ch in "'’" for ch in form))
            marks = float(sum(not ch.isalnum() and ch not in "'’" for ch in form))  # stray marks: "devasta~ion"
        x = {
            **_RULE_FEATURES.get(rule, _NO_RULE),
            "log_p_ocr": math.log(max(p_form(o), 1e-11)),
            "log_p_cand": math.log(max(p_form(c), 1e-11)),
            "train_count_cand": log1p(tr_uni.get(c, 0)),
            "train_count_ocr": log1p(tr_uni.get(o, 0)),
            "channel_lp": lp,
            "length": float(len(o)),
            "distance": float(Levenshtein.distance(o, c)),
            "digits": digits,
            "apostrophes": apostrophes,
            "marks": marks,
            "name_like": 1.0 if self._name_like(t) else 0.0,
            "all_caps": 1.0 if form.isupper() else 0.0,
            "no_prev": 1.0 if prev is None else 0.0,
            "no_next": 1.0 if nxt is None else 0.0,
            "window_oov": sum(map(self._unknown, win)) / max(1, len(win)),
            "left_keep": ctx_keep[0], "right_keep": ctx_keep[1],
            "left_cand": ctx_cand[0], "right_cand": ctx_cand[1],
            "doc_count_cand": log1p(vocab.get(c, 0)),
            "sym_count_ocr": log1p(sym_uni.get(o, 0)),
            "sym_count_cand": log1p(sym_uni.get(c, 0)),
        }
        # (a vetter's: the bigram features its trees read; every one for the rows of a vetter's training, or for a
        # vetter that does not say what it reads)
        only = getattr(self.vetter, "reads", None) if self.proposals is None else None
        return x, self._bigram_counts(o, c, prev, nxt, only)

    def _bigram_counts(self, o: str, c: str, prev: str | None, nxt: str | None,
                       only: frozenset | None = None) -> dict[str, float]:
        """log(1 + count) of the bigrams the printed form and the candidate make with their neighbours,
        in the training text and in symspellpy's bigram list, left and right: by feature name; with ``only``,
        those of its names alone (each bigram a lookup in a large table: the others are not looked up)."""
        lm = self.lm
        log1p = math.log1p
        out = {}
        for w, side in ((o, "ocr"), (c, "cand")):
            parts = w.split(" ")
            left = prev + " " + parts[0] if prev else None
            right = parts[-1] + " " + nxt if nxt else None
            for src, bi in (("train", lm.tr_bi), ("sym", lm.sym_bi)):
                name_left, name_right = _BIGRAM_NAMES[src, side]
                if only is None or name_left in only:
                    out[name_left] = log1p(bi.get(left, 0)) if left else 0.0
                if only is None or name_right in only:
                    out[name_right] = log1p(bi.get(right, 0)) if right else 0.0
        return out

    def _token_features(self, best: tuple, w: Weighed, cands: list, o: str, site: Site, ctx,
                        vocab: Counter, memo: dict | None = None) -> dict[str, float]:
        """_features of replacing token o by the best of its candidates; ctx(w, prev, nxt) scores context."""
        c = best[1]
        lp = next(x[1] for x in cands if x[0] == c)
        prev, nxt = site.prev, site.nxt
        left_o, left_c = ctx(o, prev, None), ctx(c, prev, None)
        ck = (left_o, ctx(o, prev, nxt) - left_o)
        cc = (left_c, ctx(c, prev, nxt) - left_c)
        return self._features(best[2], o, c, lp, w, site, ck, cc, vocab, memo)
