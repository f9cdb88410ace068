"""The gate of the decoder's proposals (a mixin of ``engine.Corrector``): is a proposed edit made, and with
what confidence?

Without a vetter an edit is made when its posterior reaches the threshold. With one, the vetter's probability
that the edit improves the text is its confidence, and the edit needs the threshold, or more of some kinds of
edit (``_needed``: edit-distance guesses, known words made others, names), or less for an edit explained beyond
doubt (``_explained``: ``Comintem`` -> ``Comintern``); a noisy document may need less (``document_threshold``).

Needs of the Corrector: ``P``, ``threshold``, ``vetter``, ``proposals``, ``_vetting``, ``_charlm``,
``_unknown_share``.
"""

from __future__ import annotations

import math
from collections import Counter

from .guards import dirt_replaced
from .lm import LOG_KNOWN_MIN_P
from .tokens import Correction
from .vet import CONTEXT_FEATURE, CONTEXT_LIMIT, CONTEXT_NAME_FEATURE, DOC_FEATURE


def clipped(d: float) -> float:
    """A context model's gain as the vetter and the decoder weigh it: within +-CONTEXT_LIMIT."""
    return max(-CONTEXT_LIMIT, min(CONTEXT_LIMIT, d))


class VetGate:
    def _accept(self, corr: Correction, post: float, features, memo: dict) -> bool:
        """Is the proposed edit made? Without a vetter: its posterior reaches the threshold. With
        one: the vetter's probability that it improves the text does (and becomes its confidence).
        The same proposal in the second pass (same place, text and posterior) is not vetted again."""
        if not self._vetting():
            return post >= self.threshold
        if post < self.P.vet_min_post:
            return False
        key = ("vet", corr.start, corr.end, corr.after, post)
        got = memo.get(key)
        if got is None:
            x = features()
            if self._uses_context():
                # the context model's gain, of a name-like word apart (see vet.CONTEXT_FEATURES)
                d = self._context_delta(memo["text"], corr)
                x[CONTEXT_FEATURE], x[CONTEXT_NAME_FEATURE] = (0.0, d) if x["name_like"] else (d, 0.0)
            if memo["doc_oov"] is not None:
                x[DOC_FEATURE] = memo["doc_oov"]
            got = memo[key] = (x, round(self.vetter.prob(x), 4) if self.vetter is not None else post)
            if self.vetter is not None and got[1] < self.threshold and self._explained(corr, post, x, memo["text"]):
                got = memo[key] = (x, self.threshold)
        if self.proposals is not None:
            self.proposals.append((got[0], corr))
        corr.confidence = got[1]
        return corr.confidence >= self._needed(corr, got[0], memo["text"], memo["need"])

    def document_threshold(self, vocab: Counter) -> float:
        """The vetter's probability an edit of a document (its vocabulary) needs at least: the threshold, or
        ``noisy_threshold`` where ``noisy_oov`` or more of its words are unknown."""
        P = self.P
        if P.noisy_oov is None or P.noisy_threshold is None:
            return self.threshold
        share = self._unknown_share(vocab)
        return P.noisy_threshold if share is not None and share >= P.noisy_oov else self.threshold

    def _needed(self, corr: Correction, x: dict, text: str, need: float | None = None) -> float:
        """The vetter's probability an edit needs: an edit-distance edit ``edit_distance_threshold`` (names
        stay unless the evidence is overwhelming: ``name_edit_threshold`` for one of a name-like word
        that changes its first letter or, with ``name_edit_anywhere``, any of its letters), an edit of a
        known word of at least ``known_edit_min_len`` letters into another ``known_edit_threshold``; at
        least ``need``, the document's (document_threshold; None: the threshold), which is what every other
        edit needs."""
        P = self.P
        if self.vetter is None or self.proposals is not None:
            return self.threshold
        need = self.threshold if need is None else need
        if P.known_edit_threshold is not None and corr.rule in ("confusion", "real-word") \
                and x["length"] >= P.known_edit_min_len and x["log_p_ocr"] >= math.log(P.light_p):
            need = max(need, P.known_edit_threshold)  # a known word made another ("fiat" -> "flat")
        if corr.rule != "edit-distance":
            return need
        if P.edit_distance_threshold is not None:
            need = max(need, P.edit_distance_threshold)
        # a rare word the lexicon knows ("perfidy" -> "period"; LOG_KNOWN_MIN_P: an unknown word's is the floor)
        if P.known_fallback_threshold is not None and x["log_p_ocr"] >= LOG_KNOWN_MIN_P:
            need = max(need, P.known_fallback_threshold)
        if P.name_edit_threshold is not None and x["name_like"] \
                and (P.name_edit_anywhere or corr.start == 0 or not text[corr.start - 1].isalpha()):
            need = max(need, P.name_edit_threshold)
        return need

    def _explained(self, corr: Correction, post: float, x: dict, text: str) -> bool:
        """Is the edit one learned confusion, likely in itself, that turns a word no lexicon knows
        into a known one with overwhelming evidence (``Comintem`` -> ``Comintern``, rn -> m), by changing printed
        letters, not only adding some (``yester- day`` -> ``yesterday- day``)? Then
        it is made even where the vetter doubts it (the context model knows few names). So is a letter in
        place of dirt inside a word (guards.dirt_replaced: ``devasta~ion``) when ``explained_mark_min_post``."""
        P = self.P
        if P.explained_mark_min_post is not None and post >= P.explained_mark_min_post \
                and dirt_replaced(text, corr.start, corr.end, corr.after):
            return True
        return (corr.rule == "confusion" and P.explained_min_post is not None and post >= P.explained_min_post
                and x["channel_lp"] >= P.explained_min_lp and x["log_p_ocr"] < math.log(P.light_p)
                and bool(corr.before))

    def _uses_context(self) -> bool:
        """Does the vetter (or the training of one: a context model set) weigh the context score?"""
        return self.vetter.uses_context if self.vetter is not None else self.context_lm is not None

    def _context_delta(self, text: str, corr: Correction) -> float:
        """The character context model's log-likelihood gain of the edit in its sentence, clipped."""
        return clipped(self._charlm().deltas(text, corr.start, corr.end, [corr.after])[0])
