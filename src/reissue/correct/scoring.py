"""Scores of the noisy-channel decoder (a mixin of ``engine.Corrector``): the word bigram context
of a candidate, the document's evidence for a word, and the posterior of the best candidate against
keeping the printed word.

Needs of the Corrector: ``P``, ``lm``, ``_lc_cache`` and ``_dk_cache``, ``_vetting`` and ``_uses_context`` (and for
``_prefetch_context``, its candidate search, ``prefetch_merge_searches``, ``_merge_proposal``, ``_single_cands``, ``_token_flags`` (tokenflags.py),
``_merge_single``, ``_make``, ``_floor`` and the context model).
"""

from __future__ import annotations

import math
from collections import Counter

from ..chars import LONG_S_CHAR
from .search import RIVAL
from .singles import written
from .tokens import _diff_key


def posterior(keep: float, scores: list[tuple]) -> tuple[tuple, float]:
    """The best of the (score, candidate, ...) tuples and its posterior against them and keeping."""
    best = max(scores)
    mx = max(best[0], keep)
    z = math.exp(keep - mx) + sum(math.exp(sc[0] - mx) for sc in scores)
    return best, math.exp(best[0] - mx) / z


def merge_posterior(keep: float, merge: float) -> float:
    """The posterior of merging two tokens against keeping them, from the two scores."""
    return 1.0 / (1.0 + math.exp(min(50.0, keep - merge)))


class Scoring:
    def preload(self):
        """Load now what the first proposal would load (the character context model, and numpy with it) and
        what the first correction of a text of several sentences would (the language identifier of
        foreign.py, where ``foreign_min_words`` is set): for a caller that times the corrections apart
        from the loading (benchmarks/bench_correct.py). Returns self."""
        if self.model.data.get("context_model"):
            self._charlm()
        if self.P.foreign_min_words is not None:
            from .foreign import load_identifier

            load_identifier()
        return self

    def _charlm(self):
        """The character context model, loaded at the first question (clean text never loads it)."""
        if self.context_lm is None:
            from .context import model_for  # (numpy: only where a proposal is scored in context)

            self.context_lm = model_for(self.model)
        return self.context_lm

    def _without_hapaxes(self, cands: list, o: str, vocab: Counter | None) -> list:
        """cands less the words whose only evidence is one occurrence in the training text, where the
        printed word ``o`` stands elsewhere in the document too (a name repeated in the document is no
        misprint of a training hapax: Guisbrough -> Guiserough) or always with ``hapax_cands`` off
        (partieutar -> partieular, a typo of the ground truth)."""
        if (vocab and vocab.get(o, 0) >= 2) or not self.P.hapax_cands:
            get = self._solid_cache.get
            return [x for x in cands if (v := get(x[0])) or (v is None and self._solid(x[0]))]
        return cands


    def _solid(self, c: str) -> bool:
        """Is the candidate c (two words, or) known beyond one occurrence in the training text?
        Remembered: each candidate is asked about for every token it is a candidate of."""
        lm = self.lm
        return self._solid_cache.put(c, " " in c or c in lm.wf or lm.tr_uni.get(c, 0) > 1)

    def _logcond(self, w: str, prev: str | None) -> float:
        v = self._lc_cache.get((w, prev))
        return self._new_logcond(w, prev) if v is None else v

    def _new_logcond(self, w: str, prev: str | None) -> float:
        """log P(w | prev) made and remembered: what ``_logcond`` answers for a pair not asked before."""
        return self._keep_logcond((w, prev), self.lm.cond(w, prev))

    def _keep_logcond(self, key: tuple, p: float) -> float:
        """Remember log p as the log P(w | prev) of key (w, prev), where ``_logcond`` finds it; -> log p. Where a
        pair made alone (``_new_logcond``) goes; pairs made in bulk go to ``_keep_logconds``, the same numbers."""
        return self._lc_cache.put(key, math.log(p))

    def _keep_logconds(self, keys: list, ps: list) -> None:
        """``_keep_logcond`` of each key (w, prev) of ``keys`` and its P(w | prev) of ``ps``, in one update of the
        memo (Memo.put_many): what ``_prefetch_logconds`` makes in bulk."""
        self._lc_cache.put_many(keys, map(math.log, ps))

    def _ctx(self, c: str, prev: str | None, nxt: str | None) -> float:
        if " " in c:  # a split: each word after the one before it, and the next word after the last (_ctx_pairs)
            lc = self._logcond
            pairs = self._ctx_pairs(c, prev, nxt)
            s = lc(*pairs[0])
            for w, h in pairs[1:]:
                s += lc(w, h)
            return s
        else:
            # (_logcond written out: its remembered numbers looked up here first, most are; a new one made
            # by the same _new_logcond, without a second lookup)
            memo = self._lc_cache
            s = memo.get((c, prev))
            if s is None:
                s = self._new_logcond(c, prev)
            if nxt:
                v = memo.get((nxt, c))
                s += self._new_logcond(nxt, c) if v is None else v
            return s

    @staticmethod
    def _ctx_pairs(c: str, prev: str | None, nxt: str | None) -> list:
        """The (w, prev) pairs whose log P(w | prev) ``_ctx(c, prev, nxt)`` adds up, in its order: each word of c after
        the one before it (the first after prev), and nxt after the last."""
        parts = c.split(" ")
        out = [(parts[0], prev), *zip(parts[1:], parts)]
        if nxt:
            out.append((nxt, parts[-1]))
        return out

    def _pair_context(self, o: str, o2: str, prev: str | None, nxt: str | None) -> tuple[float, float]:
        """(log P(o | prev) + log P(o2 | o), log P(nxt | o2)): two tokens kept as printed."""
        lc = self._logcond
        return lc(o, prev) + lc(o2, o), lc(nxt, o2) if nxt else 0.0

    def _merge_scores(self, o: str, o2: str, prev: str | None, nxt2: str | None,
                      vocab: Counter | None) -> tuple[float, float, tuple, tuple, float]:
        """The decoder's scores of the tokens o and o2 (after prev, before nxt2) kept as printed and
        merged into one word: (keep, merge, the context of keeping both (left, right), the context of
        the merged word (left, right), the log probability of the merge itself)."""
        P = self.P
        lm = self.lm
        m = o + o2
        ck = self._pair_context(o, o2, prev, nxt2)
        cc = (self._logcond(m, prev), self._logcond(nxt2, m) if nxt2 else 0.0)
        keep = ck[0] + ck[1] + self._doc_bonus(o, o, vocab) + self._doc_bonus(o2, o2, vocab)
        both = lm.p(o) >= P.frequent_p and lm.p(o2) >= P.frequent_p
        merge_lp = P.merge_frequent_lp if both else P.merge_lp
        merge = cc[0] + cc[1] + merge_lp + self._doc_bonus(m, o, vocab)
        return keep, merge, ck, cc, merge_lp

    def _weighs_merge_context(self) -> bool:
        """Does the decoder weigh the context model's gain in the score of some merges of two words
        (``_merge_context_weight``)?"""
        P = self.P
        w = P.context_weight if P.merge_context_weight is None and P.context_merge else P.merge_context_weight
        return bool(w and w > 0 and self._vetting() and self._uses_context())

    def _merge_context_weight(self, o: str, o2: str, merge_lp: float) -> float:
        """Where ``_weighs_merge_context``: the weight of the context model's gain in the decoder's score of the
        merge of the words o and o2 at merge_lp (``_merge_scores``). ``context_weight`` with ``context_merge``;
        with ``merge_context_weight`` set, that weight where one of the two is no frequent word (``frequent_p``:
        "Man chester", not "how ever", where the context model is no better a judge than the word bigrams),
        neither is a single letter (a merge with a lone letter is weighed with its confusions: "wi h" is "with",
        not "wih"; merges.py ``_letter_half``) and the merged word is at least ``merge_context_min_p``, else 0."""
        P = self.P
        if P.merge_context_weight is None:
            return P.context_weight
        if merge_lp == P.merge_frequent_lp or len(o) < 2 or len(o2) < 2 or self.lm.p(o + o2) < P.merge_context_min_p:
            return 0.0
        return P.merge_context_weight

    def _merge_gap_weight(self, o: str, o2: str, merge_lp: float, post: float) -> float:
        """The weight the decoder gives the context model's gain of closing the gap in its score of the merge of
        the words o and o2 (at merge_lp, its posterior without the gain post): ``_merge_context_weight`` where
        ``_weighs_merge_context`` and post reaches ``context_min_post``, else 0. The decoder's plain merge
        (merges.py) and the context prefetch ask the same."""
        if post < self.P.context_min_post or not self._weighs_merge_context():
            return 0.0
        return self._merge_context_weight(o, o2, merge_lp)

    def _plain_scores(self, o: str, cands: list, prev: str | None, nxt: str | None,
                      vocab: Counter | None) -> tuple[float, list]:
        """(keep, [(score, candidate, rule)]) of the token o and its candidates (word context, channel and
        document evidence: the scores of a one-character token)."""
        keep = self._ctx(o, prev, nxt) + self._doc_bonus(o, o, vocab)
        return keep, [(self._ctx(c, prev, nxt) + lp + self._doc_bonus(c, o, vocab), c, rule) for c, lp, rule in cands]

    def _word_scores(self, t, o: str, cands: list, prev: str | None, nxt: str | None, vocab: Counter | None,
                     ctx, doubt: bool = False) -> tuple[float, list]:
        """(keep, [(score, candidate, rule)]) of a word token t (lower-cased o) and its candidates, as the
        decoder weighs them: word context (``ctx``: the decoder's memo of ``_ctx``), channel, document
        evidence; keeping it also its shape, a name's bonus and, unless the OCR doubts it (``doubt``),
        a dictionary word's (usually what was printed)."""
        P = self.P
        keep = ctx(o, prev, nxt) + self._doc_bonus(o, o, vocab) + self._shape(o)
        if self._name_like(t):
            keep += P.name_bonus
        if self.lm.p(o) >= P.light_p and not doubt:
            keep += P.known_bonus
        db = self._doc_bonus  # (0.0 for a candidate the document does not print: asked only of the others)
        return keep, [(ctx(c, prev, nxt) + lp + (db(c, o, vocab) if vocab and c in vocab else 0.0), c, rule)
                      for c, lp, rule in cands]

    def _token_cands(self, search, o: str, doubt: bool, vocab: Counter | None, mark: bool = False,
                     long_s: bool = True) -> list | tuple:
        """The candidates the decoder weighs for the word token o (lower-cased) with ``search`` (the
        corrector, or its search of capitals): its candidates (``doubt``: those of a word the OCR
        doubted), its re-segmentations ("tbeman" -> "the man", resegment.py), with ``mark`` (a stray
        mark glued to its end: ``_glued_mark``) the words of one more letter (``_mark_letters``), less the
        training hapaxes (``_without_hapaxes``); unless ``long_s`` (the document shows it: ``_long_s_read``),
        less those of a known word that read a long s in its f or l ("laid" -> "said": ``_long_s_kept``)."""
        if doubt:
            return self._long_s_kept(o, self._without_hapaxes(search.doubt_candidates(o), o, vocab), long_s)
        # remembered per form: a word printed again (in the document or the run) gets the same list
        # (the hapaxes are dropped or not by the document's count of o: _without_hapaxes; the long s asked
        # about here too, not per token: most tokens are known words, in documents without it)
        key = (o, bool(vocab and vocab.get(o, 0) >= 2) or not self.P.hapax_cands, id(search.rs), mark, long_s)
        got = self._token_cands_cache.get(key)
        if got is None:
            cands = search.candidates(o)
            if self.P.split_correct_lp is not None and not (self.P.split_correct_alone and
                                                            any(rule == "confusion" for _c, _lp, rule in cands)):
                cands = cands + search.resegmentations(o)
            if mark:
                cands = self._mark_letters(o, cands)
            got = self._token_cands_cache.put(
                key, tuple(self._long_s_kept(o, self._without_hapaxes(cands, o, vocab), long_s)))
        return got

    def _long_s_kept(self, o: str, cands, long_s: bool):
        """cands, or where the document does not show the long s (not ``long_s``) and o is a known word, those
        of them that do not read a long s in o's f or l (``_long_s_change``)."""
        if not long_s and self.lm.p(o) >= self.P.light_p:
            return [x for x in cands if not _long_s_change(o, x[0])]
        return cands

    def _long_s_read(self, vocab: Counter | None) -> bool:
        """Does the document (its lower-cased word counts) show the long s, as far as ``long_s_evidence`` asks
        (``_shows_long_s``)? True where the setting is off."""
        need = self.P.long_s_evidence
        return True if need is None else self._shows_long_s(vocab, need)

    def _shows_long_s(self, vocab: Counter | None, need: int) -> bool:
        """Does the document (its lower-cased word counts) print ``ſ``, or are at least ``need`` of its words (as
        often as printed) unknown words that are a common word (``frequent_p``) once an f in them is read as s
        ("moft", "fome")?"""
        p, light, common = self.lm.p, self.P.light_p, self.P.frequent_p
        n = 0
        for w, k in (vocab or {}).items():
            if LONG_S_CHAR in w or "f" in w and p(w) < light and \
                    any(p(w[:j] + "s" + w[j + 1:]) >= common for j, ch in enumerate(w) if ch == "f"):
                n += k
                if n >= need:
                    return True
        return False

    def _glued_mark(self, text: str, t) -> bool:
        """Is a stray mark of the language (the ones that go with a word's edit: engine._make) glued to the
        end of the token t, with no letter or digit after it, and no such mark opening the word ("«yes»" is
        quoted)? With ``mark_letter_lp`` only."""
        if self.P.mark_letter_lp is None or t.joined:
            return False
        e = t.end
        if e >= len(text) or text[e] not in self._stray:
            return False
        if e + 1 < len(text) and text[e + 1].isalnum():
            return False
        return not (t.start and text[t.start - 1] in self._stray)

    def _mark_letters(self, o: str, cands) -> list:
        """cands and the known words that are o and one more letter (the stray mark after o misread for
        it: "tak»" -> "take"), each at ``mark_letter_lp`` unless a candidate already."""
        lp = self.P.mark_letter_lp
        min_p = self.P.cand_min_p
        have = {c for c, _lp, _rule in cands}
        p = self.lm.p
        more = [(w, lp, "confusion") for w in (o + ch for ch in self._letters) if w not in have and p(w) >= min_p]
        return list(cands) + more

    def _diff_key(self, a: str, b: str) -> tuple[str, str]:
        key = (a, b)
        v = self._dk_cache.get(key)
        if v is None:
            v = self._dk_cache.put(key, _diff_key(a, b))
        return v

    def _doc_bonus(self, c: str, o: str, vocab: Counter | None) -> float:
        if not vocab:
            return 0.0
        if " " in c:
            return 0.0
        n = vocab.get(c, 0) - (1 if c == o else 0)
        if n <= 0:
            return 0.0
        if c == o and self.lm.p(c) >= self.P.doc_max_p:
            return 0.0  # a common word printed elsewhere in the document is no evidence
        return self.P.doc_weight * math.log1p(n)

    def _prefetch_context(self, memo: dict, text: str, toks: list, lows: list, vocab: Counter | None,
                          flags: tuple) -> None:
        """Before the first pass over a text, with a vetter that weighs the context model: find the
        edits the pass will most likely propose (each token's best candidate, scored as the decoder
        scores it after the printed previous word) and have the context model score them all at once
        (``CharLM.prefetch``), so that the pass finds their scores instead of asking one by one: the
        best candidate of each token (of a one-character token too), each merge of two tokens whose
        posterior reaches the floor, and each merge with correction (merges.py ``_merge_proposal``: the
        proposal kept for the pass) (a question asked alone costs about five asked together). A word
        token's scores are kept under the decoder's key, which finds them when it comes to the token
        after the same word, and so are its candidates, best candidate, posterior and proposed correction
        (``("pick", i, prev)``: the pass's first steps at the token, not taken again; not where the decoder
        rescores candidates with the context model, ``context_weight``). Only a speed-up: a proposal not
        foreseen is scored when it comes, with the same numbers."""
        clean, eligible, pairs, caps, merges, joins = flags  # (tokenflags.py)
        floor = self._floor()
        # the context scores made by _ctx itself, not kept in the decoder's memo of them (engine._corrections):
        # nearly every one is asked here once (its log P(w | prev) remembered by _ctx's memo), and the pass
        # finds the token's scores under their own key
        ctx = self._ctx
        questions = []
        n = len(toks)
        # (not where the decoder weighs the context model itself: it changes the posterior the pass acts on)
        picks = self.P.context_weight <= 0
        merge_single = self._merge_single()
        # the candidate searches of the tokens below, in bulk (search.py)
        forms: tuple[list, list] = ([], [])
        for o, e, c in zip(lows, eligible, caps):
            if e and len(o) > 1:
                forms[bool(c)].append(o)
        self.prefetch_candidates(forms[0])
        if forms[1]:
            self._caps().prefetch_candidates(forms[1])
        self.prefetch_merge_searches(toks, lows, joins)  # (merges.py)
        # each token's word before it (where the pass takes it as the history) and after it
        around = [(lows[i - 1] if i and (eligible[i - 1] or lows[i - 1].isalpha()) else None,
                   lows[i + 1] if i + 1 < n and clean[i + 1] else None) for i in range(n)]
        # each word token's candidates, and the word bigrams their scores below ask for, in bulk
        cands_of = self._prefetch_word_context(text, toks, lows, vocab, flags, around, memo["long_s"])
        for i, (t, o) in enumerate(zip(toks, lows)):
            single = len(o) == 1
            if not eligible[i] and not (single and merge_single and o.isalpha()):
                continue
            prev, nxt = around[i]
            if merges[i]:
                # a merge with the next token: its gap closed (asked too where the decoder weighs it)
                nxt2 = lows[i + 2] if i + 2 < n and clean[i + 2] else None
                keep, merge, _ck, _cc, merge_lp = self._merge_scores(o, lows[i + 1], prev, nxt2, vocab)
                post = merge_posterior(keep, merge)
                if post >= floor or self._merge_gap_weight(o, lows[i + 1], merge_lp, post):
                    questions.append((t.end, toks[i + 1].start, ("",)))
            if joins[i]:
                # a merge with the next token corrected, proposed as the pass proposes it (and kept for it: merges.py)
                got = self._merge_proposal(text, toks, lows, i, prev, clean, vocab, memo, pairs[i])
                if got is not None:
                    questions.append((got[0].start, got[0].end, (got[0].after,)))
            if not eligible[i]:
                continue
            if single:
                # a one-character token: its learned real-word confusions (singles.py)
                cands = self._single_cands(text, toks, lows, i)
                if cands:
                    keep, scores = self._plain_scores(o, cands, prev, nxt, vocab)
                    best, post = posterior(keep, scores)
                    if post >= floor and best[0] > keep:
                        corr = self._make(text, t, written(best[1]), post, best[2])
                        if corr is not None:
                            questions.append((corr.start, corr.end, (corr.after,)))
                continue
            cands = cands_of[i]
            if not cands:
                if picks:
                    memo[("pick", i, prev)] = (cands, None, None, None)
                continue
            # scored as the decoder scores the token after the same word: kept for it (its key)
            key = (i, prev, False)
            got = memo.get(key)
            if got is None:
                got = memo[key] = self._word_scores(t, o, cands, prev, nxt, vocab, ctx)
            keep, scores = got
            best, post, corr = self._pick(text, t, keep, scores)
            if corr is not None:
                questions.append((corr.start, corr.end, (corr.after,)))
            if picks:  # the pass's first steps at this token after the same word, done here: kept for it
                memo[("pick", i, prev)] = (cands, best, post, corr)
        if questions:
            self._charlm().prefetch(text, questions)

    def _pick(self, text: str, t, keep: float, scores: list) -> tuple:
        """(best, posterior, proposed correction) of the word token t from the decoder's scores of keeping it and
        of its candidates (``posterior``, ``_proposed``)."""
        best, post = posterior(keep, scores)
        return best, post, self._proposed(text, t, keep, best, post)

    def _proposed(self, text: str, t, keep: float, best: tuple, post: float):
        """The correction of the word token t to its best candidate (``_make``) where that beats keeping it with a
        posterior of at least the floor (a rival is never made), else None."""
        if post >= self._floor() and best[0] > keep and best[2] != RIVAL:
            return self._make(text, t, best[1], post, best[2])
        return None

    def _adapted_scores(self, o: str, scores: list, adapt: dict) -> list:
        """The scores [(score, candidate, rule)] of the token o with the document's adaptation (engine.py
        ``_adaptation``: extra log-odds per (printed, corrected) change) added to each candidate's."""
        return [(sc + adapt.get(self._diff_key(o, c), 0.0), c, rule) for sc, c, rule in scores]

    def _prefetch_adapted(self, memo: dict, text: str, toks: list, lows: list, at: list, adapt: dict) -> None:
        """Before the second pass over a text (the channel adapted to the document), with a vetter that weighs the
        context model: the corrections it will propose at the tokens whose scores the adaptation changes (``at``:
        [(token, prev)] of the first pass's steps), scored as the pass scores them (the first pass's scores,
        ``_adapted_scores``, ``_pick``), asked of the context model at once (``CharLM.prefetch``) instead of one at
        a time at the gate; and, unless the decoder weighs the context model itself (``context_weight``), kept for the
        pass (``("adapted", i, prev)``: its adapted scores, best candidate, posterior and proposed correction, the
        pass's steps at the token, not taken again). Only a speed-up."""
        questions = []
        picks = self.P.context_weight <= 0
        for i, prev in at:
            got = memo.get((i, prev, False))
            if got is None:
                continue
            keep, scores = got
            scores = self._adapted_scores(lows[i], scores, adapt)
            best, post, corr = self._pick(text, toks[i], keep, scores)
            if picks:
                memo[("adapted", i, prev)] = (scores, best, post, corr)
            if corr is not None:
                questions.append((corr.start, corr.end, (corr.after,)))
        if questions:
            self._charlm().prefetch(text, questions)

    def _prefetch_word_context(self, text: str, toks: list, lows: list, vocab: Counter | None, flags: tuple,
                               around: list, long_s: bool) -> dict:
        """For ``_prefetch_context``: {token index: its candidates (``_token_cands``)} of the word tokens it
        scores, and the log P(w | prev) that their scores (``_ctx`` of the token and of each candidate, after
        the previous word and before the next: ``around``) will ask for, made now in bulk
        (``_prefetch_logconds``). Only a speed-up: the same candidates, and numbers the scores would make one
        at a time."""
        _clean, eligible, _pairs, caps, _merges, _joins = flags
        out, pairs = {}, {}
        for i, (t, o) in enumerate(zip(toks, lows)):
            if not eligible[i] or len(o) == 1:
                continue
            cands = out[i] = self._token_cands(self._caps() if caps[i] else self, o, False, vocab,
                                               self._glued_mark(text, t), long_s)
            if not cands:
                continue
            prev, nxt = around[i]
            for c in (o, *[x[0] for x in cands]):
                if " " not in c:  # (_ctx_pairs of one word written out, as _ctx writes its sum: most candidates)
                    pairs[(c, prev)] = None
                    if nxt:
                        pairs[(nxt, c)] = None
                else:
                    pairs.update(dict.fromkeys(self._ctx_pairs(c, prev, nxt)))
        self._prefetch_logconds(pairs)
        return out

    def _prefetch_logconds(self, pairs) -> None:
        """Remember log P(w | prev) (``_logcond``) of each (w, prev) of ``pairs`` not remembered yet, the language
        model asked in bulk (``LanguageModel.cond_many``): the numbers ``_new_logcond`` makes (the log of
        ``cond``'s), under its keys."""
        memo = self._lc_cache
        todo = [k for k in pairs if k not in memo]
        if not todo:
            return
        self._keep_logconds(todo, self.lm.cond_many(todo))


def _long_s_change(o: str, c: str) -> bool:
    """Is the word c the word o with a long s read as f or l, and nothing else ("laid" for "said", "fame" for
    "same")?"""
    if len(o) != len(c) or o == c:
        return False
    return all(a == b or a in "fl" and b == "s" for a, b in zip(o, c))
