"""Context-aware noisy-channel OCR correction.

For each word token the corrector weighs keeping it against candidate corrections::

    score(c) = log P(c | previous word) + log P(next word | c) + log P(ocr form | c) + document evidence

Candidates come from learned character confusions (``h``->``b``, ``rn``->``m``, ``8``->``s`` ...),
one unlearned edit, splitting a token in two, merging it with the next token, and - for frequent
(real) words - a learned list of real-word confusions (``he`` printed for ``be``). An unknown token
that no likely confusion explains is also compared with the lexicon words of about its length
(edit distance 2-4, rapidfuzz; learned confusions score as learned, other edits at a fixed cost).
Keeping an unknown token is weighed by how much it looks like a word (a character 4-gram model of
the lexicon): ``Krivitsky`` does, ``tbohnical`` does not. The scores of "keep" and all candidates
are turned into a posterior. Without an edit vetter in the model, an edit is made when the best
candidate's posterior reaches the threshold, and that posterior is its confidence. With one (``vet``),
every edit whose posterior reaches ``vet_min_post`` is proposed to it, and the vetter's probability
that the edit makes the text better is compared with the threshold and becomes the confidence.

Conservative rules: numbers, short all-caps abbreviations, tokens with inner dots and capitalised
mid-sentence words (names) get no or a handicapped chance; a word printed elsewhere in the same
document counts as evidence for itself.
"""

from __future__ import annotations

import gc
import math
import re
from collections import Counter

from ..chars import STRAY_MARKS, line_end_hyphen_re
from .features import Site, VetFeatures, Weighed
from .gcpause import gc_paused
from .gate import VetGate, clipped
from .guards import (completed_by_next, line_fragment, mark_lost, mid_hyphen_half, rest_follows, word_completed,
                     word_dropped, words_glued)
from .memo import Memo
from .merges import MergeProposals
from .passes import Doc, after_decoder
from .resegment import Resegmentation
from .singles import SingleCharacters, written
from .secondlook import second_look
from .tokenflags import TokenFlags
from .model import CorrectionModel, load_model
from .scoring import Scoring, posterior
from .ruleset import RuleSet
from .search import RULE_MEMOS, CandidateSearch
from .tokens import (Correction, _apply_case, _common_affixes, _Tok, apply_corrections,
                     document_vocabulary, inner_capital_kept, split_case_kept, tokenize, whole_words)

__all__ = ["Correction", "Corrector", "apply_corrections", "document_vocabulary", "tokenize", "whole_words"]


class Corrector(VetGate, Scoring, MergeProposals, Resegmentation, SingleCharacters, CandidateSearch, VetFeatures,
                TokenFlags):
    def __init__(self, model: CorrectionModel | str | None = None, threshold: float | None = None, *,
                 rule_set: RuleSet | None = None, of: "Corrector | None" = None):
        """rule_set: the confusions it searches with (default: the model's); ``of``: the corrector
        whose memos that do not depend on the rules it shares (see search.CandidateSearch._caps)."""
        if model is None or isinstance(model, str):
            model = load_model(model)
        self.model = model
        self.P = model.params
        if threshold is None:
            # a threshold the model file sets applies; else with a vetter, confidences are its
            # probabilities, with their own default
            own = model.data.get("params") or {}
            threshold = (own["threshold"] if "threshold" in own
                         else self.P.vet_threshold if model.vetter is not None else self.P.threshold)
        self.threshold = float(threshold)
        self.lm = model.lm
        self.rs = rule_set or model.rule_set  # the learned confusions of its candidate search (ruleset.py)
        lang = model.language  # what the corrector assumes about the model's language (languages.py)
        self.line_hyphens = lang["line_hyphens"]
        self.elisions = frozenset(lang["elisions"])
        self.dash_words_stripped = lang["dash_words_stripped"]
        self._protect = re.compile(lang["protect"]) if lang["protect"] else None
        self._apostrophe = lang["apostrophe"]
        self._abbrev = lang["abbreviations"]
        self._caps_ok = lang["caps"]
        # historical spellings of known words (historical.py)
        self._variants = lang["variants"] if self.P.historical_variants else ()
        self._stray = STRAY_MARKS + lang["stray_marks"]  # marks that go with a word's edit
        self._one_letter = frozenset(lang["one_letter_words"])  # any other letter alone is no word (merges.py)
        # names the training text writes with a capital (train.fit: "capitalised"): see _make
        self._capitalised = frozenset(model.data.get("capitalised") or ())
        letters = self._letters = lang["letters"]
        self._hyphen_re = line_end_hyphen_re(self.line_hyphens)
        # a word with another letter (long s, the combining e of the older umlaut) stays as printed
        self._foreign = (re.compile(rf"[^\W\d_{letters}{letters.upper()}']|[\u0300-\u036f]")
                         if lang["foreign_letters"] == "protect" else None)
        # remembered answers (memo.py); those of RULE_MEMOS depend on the confusion rules, so the
        # corrector of words in capitals (_caps) has its own; the others it shares (below)
        self._cands = Memo()  # token form -> its candidates (search.candidates)
        self._doubt_cands = Memo()  # see doubt_candidates
        self._app_cache = Memo()  # rule OCR sides at a position -> applications
        self._win_cache = Memo()  # the next few characters -> applications
        self._merge_cache = Memo()  # a pair of tokens -> the words of their merge (merges.py)
        self._searched = Memo(100_000)  # (word, max_edits, generic, min_lp, id of the lexicon) -> bulk answer
        self._flag_cache = Memo()  # token form -> its flags (tokenflags.py)
        self._dk_cache = Memo()  # (before, after) -> the differing parts (scoring._diff_key)
        self._lc_cache = Memo(500_000)  # (w, prev) -> log P(w | prev)
        self._oov_cache = Memo()  # word -> unknown? (_unknown)
        self._shape_cache = Memo()  # token form -> its shape score (search._shape)
        self._solid_cache = Memo()  # candidate -> known beyond one occurrence in the training text?
        self._token_cands_cache = Memo()  # (form, hapaxes dropped?, rule set id, mark, long s read?) -> candidates
        self._reseg_cache = Memo(100_000)  # (form, id of the rule set) -> re-segmentations (resegment.py)
        self._cuts_cache = Memo(100_000)  # form -> its cuts into a common word and a rest
        self._half_cache = Memo()  # (half, id of the rule set) -> its fixes
        if of is not None:
            for name, memo in vars(of).items():
                if isinstance(memo, Memo) and name not in RULE_MEMOS:
                    setattr(self, name, memo)
        self._lexicon()  # build the candidate lexicons now, not in the first call
        self._common_lexicon()
        self._caps_sub: Corrector | None = self if of is not None else None  # see _caps
        self.vetter = model.vetter  # learned second opinion on each proposed edit (see vet.py), or None
        # the character context model (context.py) whose score of each proposed edit in its sentence
        # the vetter weighs, when it was trained with it: loaded at the first proposal (clean text
        # never needs it); training sets it to the model of its fold
        self.context_lm = None
        # when a list: every proposal of the last pass is appended as (features, correction),
        # whether it is made or not (training data of the vetter)
        self.proposals: list | None = None
        self._oov_share: tuple | None = None  # (vocabulary, size, unknown share) of the last document: _unknown_share
        if self.P.shape_weight:
            self._shape_model()
        if not model.gc_frozen:
            # the lexicon, language model and rules are large and usually live as long as the
            # process: move them out of the cyclic garbage collector's reach, so that full
            # collections stop walking them (30+ ms each, several per second of correction).
            # Objects are still freed by reference counting; cycles alive now (garbage or not) are
            # kept: a full collection first would cost more than the few it frees.
            gc.freeze()
            model.gc_frozen = True


    @gc_paused  # (gcpause.py: speed only)
    def corrections(self, text: str, extra_vocab: Counter | None = None, ocr_doubtful=None,
                    doubt_threshold: float = 0.0, foreign: list | None = None) -> list[Correction]:
        """Proposed corrections for text, left to right, non-overlapping.

        ``extra_vocab``: lower-cased word counts of the whole document (see
        :func:`document_vocabulary`); default: the counts of ``text`` itself.

        ``ocr_doubtful(start, end) -> bool`` (the OCR-confidence hook, None for text without
        confidences): a dictionary word the OCR engine was unsure of there gets the candidates of
        :meth:`doubt_candidates` and no ``known_bonus`` for keeping it; an edit made so needs a
        confidence of ``doubt_threshold`` too (else the word is decided as without the hook).

        When a first pass makes the same character correction several times (a systematic
        confusion of this document, e.g. long s read as ``f``), a second pass trusts that
        confusion more (document adaptation of the channel).

        The decoder's edits then go through the passes after it (passes.py: context words, derived forms, ...).
        A sentence of another language inside the text is left as printed (foreign.py); ``foreign``: a list
        such sentences are added to, as (start, end, language).
        """
        # without a document vocabulary, the text itself is the document
        vocab = extra_vocab if extra_vocab is not None else self.vocabulary([text])
        if self.proposals is None and self._clean_document(vocab):
            return []  # the document reads as printed right: leave it alone
        out = self._decode(text, vocab, (ocr_doubtful, doubt_threshold), foreign)
        window = self.P.second_look
        if window is None or self.proposals is not None:
            return out

        def again(corrected: str, focus, doubtful) -> list[Correction]:
            return self._decode(corrected, vocab, (doubtful, doubt_threshold), None, focus)
        return second_look(text, out, window, again, ocr_doubtful)  # (secondlook.py)

    def _decode(self, text: str, vocab: Counter, doubt: tuple, foreign: list | None,
                focus=None) -> list[Correction]:
        """The decoder's two passes over ``text`` and the passes after it (``corrections``); ``focus(start,
        end)``: the decoder decides only the tokens it holds for (secondlook.py)."""
        toks = tokenize(text, self.line_hyphens, self.elisions, self.dash_words_stripped)
        lows = [t.form.lower().replace("’", "'") for t in toks]
        memo: dict = {}  # context scores, shared by both passes
        if focus is not None:
            memo["flags"] = self._token_flags(text, toks, lows, focus)
        mark = len(self.proposals) if self.proposals is not None else 0
        out = self._corrections(text, toks, lows, vocab, None, memo, doubt)
        adapt = self._adaptation(out)
        if adapt:
            if self.proposals is not None:
                del self.proposals[mark:]  # only the proposals of the pass whose edits are kept
            out = self._corrections(text, toks, lows, vocab, adapt, memo, doubt)
        return after_decoder(self, Doc(text, toks, lows, vocab, foreign), out)  # (passes.py)

    def _adaptation(self, first: list[Correction]) -> dict[tuple[str, str], float]:
        """The second pass's extra log-odds per (printed, corrected) character change: for each
        change the first pass made at least adapt_min times, adapt_weight * log(times)."""
        w = self.P.adapt_weight
        if w <= 0 or not first:
            return {}
        keys = Counter((c.before.lower(), c.after.lower()) for c in first if c.rule in ("confusion", "real-word"))
        return {k: w * math.log(v) for k, v in keys.items() if v >= self.P.adapt_min}

    def _unknown(self, w: str) -> bool:
        v = self._oov_cache.get(w)
        if v is None:
            v = self._oov_cache.put(w, self.lm.p(w) < self.P.light_p)
        return v

    def _vetting(self) -> bool:
        return self.vetter is not None or self.proposals is not None

    def _switch(self, name: str) -> bool:
        """A True / False / None parameter; None: on only when a vetter checks the edits."""
        v = getattr(self.P, name)
        return self._vetting() if v is None else bool(v)

    def _merge_single(self) -> bool:
        """May a one-letter token merge with its neighbour ("w ith" -> "with")?"""
        return self._switch("merge_single")

    def _floor(self) -> float:
        """The posterior an edit needs to be proposed (to the vetter, or made when there is none)."""
        return self.P.vet_min_post if self._vetting() else self.threshold

    def _in_context(self, memo: dict, text: str, t: _Tok, i: int, scores: list) -> list:
        """The scores with the best ``context_cands`` candidates' plus ``context_weight`` times the
        character context model's gain of each in the sentence (``_context_delta``'s clipping); the
        others as they were. A token joined over a line break is left as scored."""
        if t.joined:
            return scores
        P = self.P
        top = sorted(range(len(scores)), key=lambda k: -scores[k][0])[: P.context_cands]
        key = ("ctx", i, tuple(scores[k][1] for k in top))
        gains = memo.get(key)
        if gains is None:
            d = self._charlm().deltas(text, t.start, t.end, [_apply_case(t.form, scores[k][1]) for k in top])
            gains = memo[key] = [P.context_weight * clipped(x) for x in d]
        out = list(scores)
        for k, g in zip(top, gains):
            sc = out[k]
            out[k] = (sc[0] + g,) + tuple(sc[1:])
        return out

    def _gap_in_context(self, memo: dict, text: str, s: int, e: int) -> float:
        """The context model's gain of closing the gap text[s:e] (a merge), clipped as the vetter's feature."""
        key = ("gap", s, e)
        got = memo.get(key)
        if got is None:
            got = memo[key] = clipped(self._charlm().deltas(text, s, e, [""])[0])
        return got

    def _corrections(self, text: str, toks: list, lows: list, vocab: Counter, adapt: dict | None,
                     memo: dict, doubt: tuple = (None, 0.0)) -> list[Correction]:
        P = self.P
        doubtful, doubt_threshold = doubt
        lm = self.lm
        ctx_raw = self._ctx
        memo["text"] = text  # what the context model scores a proposed edit in
        if "need" not in memo:  # what an edit of this document needs at least (_needed)
            memo["need"] = self.document_threshold(vocab)
            memo["doc_oov"] = self._doc_oov(vocab)  # the vetter's vet.DOC_FEATURE (None: not weighed)
            memo["long_s"] = self._long_s_read(vocab)  # (scoring.py: long_s_evidence)

        def ctx(c, prev, nxt):
            key = (c, prev, nxt)
            v = memo.get(key)
            if v is None:
                v = memo[key] = ctx_raw(c, prev, nxt)
            return v
        out: list[Correction] = []
        prev: str | None = None
        i = 0
        n = len(toks)
        # a token without any of these printed parts gets no bonus
        touches = re.compile("|".join(sorted({re.escape(b) for b, _a in adapt}))).search if adapt else None
        flags = memo.get("flags")
        if flags is None:
            flags = memo["flags"] = self._token_flags(text, toks, lows)  # (tokenflags.py)
        clean, eligible, _pairs, caps, merges, joins = flags
        if adapt is None and self.vetter is not None and self.vetter.uses_context:
            self._prefetch_context(memo, text, toks, lows, vocab, flags)  # (speed only: scoring.py)
        merge_single = self._merge_single()
        use_ctx = P.context_weight > 0 and self._vetting() and self._uses_context()

        def step(i: int, prev: str | None) -> tuple[int, str | None]:
            """Decide at token i (after the word prev): corrections go to out; -> (next token, its prev)."""
            t = toks[i]
            o = lows[i]
            nxt = lows[i + 1] if i + 1 < n and clean[i + 1] else None
            single = len(o) == 1
            if not eligible[i] and not (single and merge_single and o.isalpha()):
                return i + 1, o if o.isalpha() else None
            # merge with the next token ("ap pear"), and merge and correct the result ("con aulted" ->
            # "consulted"); the correction first where the plain merge yields to it (merges.py: asked here, once
            # the context prefetch has made the pair's candidate search in bulk)
            yields = merges[i] and joins[i] and self._merge_yields(t, toks[i + 1], o, lows[i + 1])
            for merging in (self._merge_corrected, self._merge_plain) if yields else \
                    (self._merge_plain, self._merge_corrected):
                got = merging(text, toks, lows, i, prev, flags, vocab, memo, out)
                if got is not None:
                    return got
            if single:
                # learned real-word confusions, guarded (singles.py: "1" -> "I" only as the pronoun)
                cands = self._single_cands(text, toks, lows, i) if eligible[i] else []
                if self._score_and_pick(text, t, o, cands, prev, nxt, vocab, out, lows, i, memo):
                    return i + 1, out[-1].after.lower() if out[-1].after.isalpha() else o
                return i + 1, o if o.isalpha() else None
            # a dictionary word the OCR engine doubted, between two words that read right: real-word
            # candidates and no bonus for keeping it (in garbled context a real word rarely restores the
            # text); such an edit needs doubt_threshold, else the token is decided as any other
            # a capitalised word may be a name (issue 14: names stay), so only lower-case words are doubted
            doubted = (doubtful is not None and o.isalpha() and prev is not None and nxt is not None
                       and not text[t.start].isupper()
                       and min(lm.p(o), lm.p(prev), lm.p(nxt)) >= P.light_p and doubtful(t.start, t.end))
            search = self._caps() if caps[i] else self
            for doubt in (True, False) if doubted else (False,):
                # (what the context prefetch found after the same word, in the first pass: scoring.py)
                pick = memo.get(("pick", i, prev)) if not (doubt or adapt) else None
                cands = pick[0] if pick is not None else self._token_cands(
                    search, o, doubt, vocab, self._glued_mark(text, t), memo["long_s"])  # (scoring.py)
                if not cands:
                    continue
                key = (i, prev, doubt)  # (the context prefetch may have scored it: scoring.py)
                got = memo.get(key)
                if got is None:
                    got = memo[key] = self._word_scores(t, o, cands, prev, nxt, vocab, ctx, doubt)  # (scoring.py)
                keep, scores = got
                # (what the second pass's prefetch found at a step its adaptation changes: scoring._prefetch_adapted)
                made = memo.get(("adapted", i, prev)) if adapt and not doubt else None
                if made is not None:
                    scores, best, post, corr = made
                elif pick is not None:
                    best, post, corr = pick[1:]
                else:
                    if adapt and touches(o):
                        scores = self._adapted_scores(o, scores, adapt)
                    best, post = posterior(keep, scores)
                    if use_ctx and post >= P.context_min_post:
                        scores = self._in_context(memo, text, t, i, scores)
                        best, post = posterior(keep, scores)
                    corr = self._proposed(text, t, keep, best, post)  # (scoring.py)
                if corr is not None:
                    def features():
                        return self._token_features(best, Weighed(post, keep, scores), cands, o,
                                                    Site(t, lows, i, prev, nxt), ctx, vocab, memo)
                    if self._accept(corr, post, features, memo) and (not doubt or corr.confidence >= doubt_threshold):
                        out.append(corr)
                        return i + 1, best[1].split(" ")[-1]
            return i + 1, o

        def adapted(i: int, prev: str | None) -> bool:
            """Does the adaptation change a candidate score of the first pass at token i?"""
            o = lows[i]
            return touches(o) is not None and any(
                got is not None and any(self._diff_key(o, c) in adapt for _sc, c, _rule in got[1])
                for got in (memo.get((i, prev, False)), memo.get((i, prev, True))))

        # the first pass records what each step did; the second replays a step from the same state
        # (token and previous word) unless the adaptation changes its scores: nothing else
        # depends on it
        steps = memo.setdefault("steps", {})
        # the first pass's steps the adaptation changes, asked once (a step's scores change only when the pass
        # takes the step again, and it comes to each (token, previous word) once)
        redo = [k for k in steps if adapted(*k)] if adapt else []
        if redo and self.vetter is not None and self.vetter.uses_context:
            # (speed only: scoring.py) the proposals the adaptation changes, asked of the context model at once
            self._prefetch_adapted(memo, text, toks, lows, redo, adapt)
        redo = set(redo)
        props = self.proposals
        while i < n:
            rec = steps.get((i, prev)) if adapt else None
            if rec is not None and (i, prev) not in redo:
                j, nprev, made, proposed = rec
                out.extend(made)
                if props is not None:
                    props.extend(proposed)
            else:
                k, kp = len(out), len(props) if props is not None else 0
                j, nprev = step(i, prev)
                if not adapt:
                    steps[(i, prev)] = (j, nprev, out[k:], props[kp:] if props is not None else ())
            i, prev = j, nprev

        return out

    def _score_and_pick(self, text, t, o, cands, prev, nxt, vocab, out, lows, i, memo) -> bool:
        if not cands:
            return False
        keep, scores = self._plain_scores(o, cands, prev, nxt, vocab)  # (scoring.py)
        best, post = posterior(keep, scores)
        if post >= self._floor() and best[0] > keep:
            corr = self._make(text, t, written(best[1]), post, best[2])

            def features():
                return self._token_features(best, Weighed(post, keep, scores), cands, o, Site(t, lows, i, prev, nxt),
                                            self._ctx, vocab)
            if corr is not None and self._accept(corr, post, features, memo):
                out.append(corr)
                return True
        return False

    def correct_text(self, text: str, extra_vocab: Counter | None = None) -> str:
        return apply_corrections(text, self.corrections(text, extra_vocab))

    # ------------------------------------------------------------------ helpers
    def _clean_document(self, vocab: Counter) -> bool:
        """Is the document so nearly clean that it is better left alone? With ``clean_oov`` set:
        fewer than that share of its words (two letters or more) are unknown to the lexicon."""
        limit = self.P.clean_oov
        share = self._unknown_share(vocab) if limit is not None else None
        return share is not None and share < limit

    def vocabulary(self, texts) -> Counter:
        """Lower-cased word counts of a document's texts, tokenised as this model's language is
        (the ``extra_vocab`` of :meth:`corrections`)."""
        return document_vocabulary(texts, self.line_hyphens, self.elisions)

    def _name_like(self, t: _Tok) -> bool:
        f = t.form
        return (not t.sent_start and f[:1].isupper() and not f.isupper())

    def _guarded(self, text: str, t: _Tok, form: str, new: str, a: int, b: int, after: str) -> bool:
        """Does a guard of guards.py refuse turning the token's form into new (form[a:b] -> after)?"""
        P = self.P
        if P.marks_stay and (mark_lost(form[a:b], after, form, a, not self._unknown(form.lower().replace("’", "'")))
                             or words_glued(form, a, form[a:b], after, self.lm.p, P.frequent_p)):
            return True  # "(President", "'eopold", "happen'd", "we,are" -> "weare": the marks stay
        if word_dropped(form, new, self.lm.p, P.frequent_p):
            return True  # "vices ofa kindred" -> "vices a kindred"
        if word_completed(form, new):
            return True  # "this morn\ning" -> "this morning\ning"
        if P.line_fragment_keeps and not t.joined \
                and (line_fragment(text, t.start, t.end, lambda w: not self._unknown(w), self._hyphen_re)
                     or completed_by_next(text, t.end, form, new, lambda w: self.lm.p(w) >= P.frequent_p)):
            return True  # "thou^.\nsand", "FUR\nNITURE", "communica. tion"
        if P.mid_hyphen_keeps and mid_hyphen_half(text, t.start, t.end, lambda w: not self._unknown(w)):
            return True  # "per-manente" -> "per-manence"
        return P.rest_fragment_keeps and len(new) < len(form) \
            and rest_follows(text, t.end, lambda w: self.lm.p(w) >= P.split_min_p)  # "themse ves"

    def _make(self, text: str, t: _Tok, cand: str, post: float, rule: str) -> Correction | None:
        form = t.form
        new = _apply_case(form, cand)
        # the rules of the output (guards, kept capitals, the language's stray marks): the vetter's training
        # proposals stay as they were
        output = self.proposals is None
        if output:
            new = split_case_kept(form, inner_capital_kept(form, new))
        if new[:1].islower() and cand in self._capitalised \
                and next((ch for ch in form if ch.isalpha()), "").lower() != cand[:1]:
            new = new[0].upper() + new[1:]  # a name's misread first letter is written as a capital ("ivcrpaol")
        p, q = _common_affixes(form, new)  # minimal differing region
        a_form, b_form = p, len(form) - q
        after = new[p:len(new) - q]
        if output and self._guarded(text, t, form, new, a_form, b_form, after):
            return None  # (guards.py; the vetter still learns from such proposals)
        if a_form < b_form:
            s, e = t.offs[a_form], t.offs[b_form - 1] + 1
            if e - s != b_form - a_form:
                return None  # the change would cross a line-break hyphen
        else:
            s = e = t.offs[a_form] if a_form < len(form) else t.offs[-1] + 1
            if output and t.joined and not after.strip() and 0 < a_form < len(form) \
                    and t.offs[a_form] != t.offs[a_form - 1] + 1:
                return None  # a split where a line-break hyphen joins the word: the line break already parts it
        if not t.joined:
            # stray marks glued to the word go with its edit (chars.STRAY_MARKS, languages.py stray_marks)
            a, b = t.start, t.end
            while a > 0 and text[a - 1] in STRAY_MARKS:
                a -= 1
            # the language's own (English "th»" -> "the") only after a word no mark opens ("«yes»" is quoted)
            stray = self._stray if output and not (a and text[a - 1] in self._stray) else STRAY_MARKS
            while b < len(text) and text[b] in stray:
                b += 1
            if a < t.start or b > t.end:
                lead = text[min(s, t.start):s] if s > t.start else ""
                tail = text[e:t.end] if e < t.end else ""
                s0, e0 = min(s, t.start), max(e, t.end)
                after = lead + after + tail
                s, e = (a if a < t.start else s0), (b if b > t.end else e0)
        return Correction(s, e, text[s:e], after, round(post, 4), rule)
