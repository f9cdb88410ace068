"""Proposals that join two printed tokens into one word (a mixin of ``engine.Corrector``).

* a plain merge: two words one space apart that are one known word (``ap pear`` -> ``appear``); the decoder
  tries it (``_merge_plain``) before the merge with correction (``_merge_corrected``), or after it where it
  yields (``_merge_yields``: ``commis ion`` is ``commission``, not the misspelling ``commision``);
* a merge with correction: two halves of one misread word (``con aulted`` -> ``consulted``), the
  joined form corrected by the learned confusions (see ``search.CandidateSearch._search``); with
  ``merge_gap_lp`` also the words with one more letter where the space was (``mini ter`` ->
  ``minister``: a letter printed as a space; with ``merge_glyph`` also the words where the first token's
  last letter and the space are one misread letter, ``Has bour`` -> ``Harbour``). With
  ``merge_correct_max_p`` both halves may be known words when one is rare (``hoi nets``), with
  ``merge_correct_letters`` the second may be a letter that is no word (``engli h``), with
  ``merge_letter_halves`` either, however common the other (``h s`` -> ``his``: ``_letter_half``);
* halves joined by a hyphen that stays (``hyphen_kept_lp``, where ``merge_hyphen`` is off: the French ground
  truth keeps a line-end hyphen printed in mid-line): their joined form, no known word, corrected as a
  token is (``ira-vaux`` -> ``tra-vaux``), the hyphen written back where it was.

Needs of the Corrector: ``P``, ``lm``, ``_logcond``, ``_lexicon``, ``_doc_bonus``, ``_shape``, ``_caps``,
``_search``, ``rs`` (the learned confusions), ``_one_letter`` (the language's words of one letter),
``candidates``, ``_unknown``, ``_name_like``, ``_merge_single``, ``_floor``, ``_accept``, ``_features``,
``_merge_scores``, ``_merge_gap_weight`` and ``_gap_in_context`` (the decoder's plain merge: ``_merge_plain``) and ``_merge_cache`` (and for ``prefetch_merge_searches``, ``_bulk_search`` and
``_met``).
"""

from __future__ import annotations

import math
from collections import Counter

from .features import Site, Weighed
from .scoring import merge_posterior, posterior
from .tokens import HYPHEN_KEPT, Correction, _apply_case, _common_affixes, _hyphen_pair, _Tok, _word_pair


class MergeProposals:
    def _lone(self, w: str) -> bool:
        """Is the lower-cased token w one letter that is no word of the language (``one_letter_words``)?"""
        return len(w) == 1 and w.isalpha() and w not in self._one_letter

    def _mergeable(self, lo_a: str, lo_b: str) -> bool:
        """May two words one space apart (see _word_pair) be one word?"""
        fp = self.P.frequent_p
        if not self.P.merge_frequent and self.lm.p(lo_a) >= fp and self.lm.p(lo_b) >= fp:
            return False
        return self.lm.p(lo_a + lo_b) >= self.P.merge_min_p

    @staticmethod
    def _merge_case_ok(a: str, b: str) -> bool:
        """Would the printed forms a and b joined read as one word's case pattern? ``Si N`` -> ``SiN``
        and ``LON don`` -> ``LONdon`` would not (a capital inside a lower-case word, or the reverse)."""
        if a.isupper() and b.isupper():
            return True
        # (islower: no capital in b, the common case, asked of the whole string at once)
        return not (len(a) > 1 and a.isupper()) and (b.islower() or not any(map(str.isupper, b)))

    def _merge_correctable(self, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
        """Two words one space apart (see _word_pair) that may be the halves of one misread word:
        not joined across a line break, at least one of them no known word, with one word's case
        pattern (_merge_case_ok). (The cheap questions first: most pairs are two common words.)"""
        if a.joined or b.joined:
            return False
        shortest = 1 if self._merge_single() else 2
        if len(lo_a) < shortest or len(lo_b) < shortest:
            return False
        if self.lm.p(lo_b) >= self.P.frequent_p and not (self.P.merge_correct_letters and len(lo_b) == 1
                                                         and lo_b not in self._one_letter):
            return False  # "recoived a" is no "received"; "engli h" is "english"
        rare = self.P.merge_correct_max_p
        return min(self.lm.p(lo_a), self.lm.p(lo_b)) < (self.P.light_p if rare is None else rare) \
            and self._merge_case_ok(a.form, b.form)

    def _letter_half(self, toks: list, lows: list, pairs: list, i: int) -> bool:
        """With ``merge_letter_halves``: may tokens i and i + 1, two words one space apart, be the halves of one
        misread word because one of them is a letter that is no word, however common the other ("h s" ->
        "his", "f r" -> "for")? Not two capitals alone, which are initials ("T E Hopewell"), nor a letter that
        begins the word after it rather than ends this one ("THE U NION": U and NION are a common word), nor a
        pair beside another lone letter: a word printed letter-spaced ("E r f o l g"), a list of initials."""
        if not self.P.merge_letter_halves or pairs[i] != 1:
            return False
        a, b, lo_a, lo_b = toks[i], toks[i + 1], lows[i], lows[i + 1]
        if not (self._lone(lo_a) or self._lone(lo_b)):  # (most pairs: asked first)
            return False
        if i and pairs[i - 1] == 1 and self._lone(lows[i - 1]) or i + 2 < len(lows) and pairs[i + 1] == 1 \
                and self._lone(lows[i + 2]):
            return False
        if a.joined or b.joined or not self._merge_case_ok(a.form, b.form):
            return False
        if len(a.form) == 1 and len(b.form) == 1 and a.form.isupper() and b.form.isupper():
            return False
        goes_right = len(lo_b) == 1 and i + 2 < len(lows) and pairs[i + 1] == 1 \
            and self.lm.p(lo_b + lows[i + 2]) >= self.P.frequent_p
        return not goes_right

    def _pair_code(self, text: str, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> int:
        """What the tokens a and b (lower-cased lo_a, lo_b) next to each other may be: 1 two words one space
        apart (_word_pair), 2 halves joined by a hyphen in mid-line, one of them no known word (with
        merge_hyphen), HYPHEN_KEPT such halves whose joined form is no known word, their hyphen kept (without
        merge_hyphen, with hyphen_kept_lp); 0 none of these."""
        if _word_pair(text, a, b, lo_a, lo_b):
            return 1
        P = self.P
        if (P.merge_hyphen or P.hyphen_kept_lp is not None) and _hyphen_pair(text, a, b, lo_a, lo_b):
            unknown = self._unknown
            if P.merge_hyphen:
                return 2 if unknown(lo_a) or unknown(lo_b) else 0
            return HYPHEN_KEPT if unknown(lo_a + lo_b) else 0
        return 0

    def _pair_correctable(self, code: int, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
        """May the pair of tokens (of the code the Corrector's flags give it) be the halves of one misread
        word? Halves joined by a hyphen that stays (HYPHEN_KEPT: their joined form is no known word): of one
        word's case pattern, two letters or more each; any other pair: _merge_correctable."""
        if code == HYPHEN_KEPT:
            return len(lo_a) >= 2 and len(lo_b) >= 2 and self._merge_case_ok(a.form, b.form)
        return self._merge_correctable(a, b, lo_a, lo_b)

    def _merge_key(self, a: str, b: str):
        """The key of _merge_cache for the pair a, b (with merge_gap_lp the answer depends on where the
        space was)."""
        return a + b if self.P.merge_gap_lp is None else (a, b)

    @staticmethod
    def _merge_in_caps(a: _Tok, b: _Tok) -> bool:
        """Are two tokens to be merged a word in capitals (searched by ``_caps()``)?"""
        return a.form.isupper() and b.form.isupper() and len(a.form) + len(b.form) > 2

    def _merge_searcher(self, a: _Tok, b: _Tok):
        """What searches the candidates of tokens a and b merged: the search of capitals (``_caps()``) for a word in
        capitals (``_merge_in_caps``), else the corrector itself."""
        return self._caps() if self._merge_in_caps(a, b) else self

    def _merge_yields(self, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
        """With ``merge_yield_max_p``: does the plain merge of two tokens that may also be merged and corrected
        yield to that correction? Where their joined form is rarer than merge_yield_max_p and one of the
        correction's candidates is merge_yield_ratio times as frequent: "commis ion" is "commission", not
        "commision", a misspelling the word list knows (the decoder then weighs the correction against keeping
        the two tokens)."""
        P = self.P
        if P.merge_yield_max_p is None:
            return False
        p = self.lm.p
        pm = p(lo_a + lo_b)
        if pm >= P.merge_yield_max_p:
            return False
        return any(p(c) >= P.merge_yield_ratio * pm for c, _lp in self._merge_searcher(a, b)._merge_cands(lo_a, lo_b))

    def _merge_cands(self, a: str, b: str) -> tuple[tuple[str, float], ...]:
        """Words up to merge_correct_edits learned confusions from the joined pair a + b (the fallback is
        too loose for it), and with ``merge_gap_lp`` set, the words a + one letter + b (the space printed
        for a letter: ``mini ter`` -> ``minister``), most likely first."""
        gap = self.P.merge_gap_lp
        m = a + b
        key = self._merge_key(a, b)
        got = self._merge_cache.get(key)
        if got is None:
            lm = self.lm
            min_p = self.P.cand_min_p
            found = self._search(m, self.P.merge_correct_edits, False)
            words, _pre, follow, endings = self._lexicon()
            # (each word below ends in b: none where no word of the lexicon does)
            if gap is not None and b in endings:
                # the whole cost of such a merge is merge_gap_lp: the caller adds merge_correct_lp
                gap -= self.P.merge_correct_lp
                for x in follow.get(a, ""):
                    c = a + x + b
                    if c in words and found.get(c, -1e9) < gap:
                        found[c] = gap
                if self.P.merge_glyph and len(a) > 1:
                    # the first token's last letter and the space are one letter misread ("Has bour" ->
                    # "Harbour", "tl e" -> "the": a letter broken in two), at the gap's cost and the confusion's
                    rule_lp = self.rs.rule_lp
                    for x in follow.get(a[:-1], ""):
                        c = a[:-1] + x + b
                        r = rule_lp.get((a[-1], x))
                        if r is not None and c in words and found.get(c, -1e9) < gap + r:
                            found[c] = gap + r
            got = tuple(sorted(((c, lp) for c, lp in found.items() if c != m and lm.p(c) >= min_p),
                               key=lambda t: -(t[1] + math.log(lm.p(t[0]))))[: self.P.max_cands])
            self._merge_cache.put(key, got)
        return got

    def prefetch_merge_searches(self, toks: list, lows: list, joins: list) -> None:
        """Make the searches of ``_merge_cands`` that a pass over the tokens may make, in bulk (search.py
        ``_bulk_search``, once ``_bulk_on``, as ``prefetch_candidates``): of each token and the next
        that the pass may merge and correct (``joins``: the token flags' answers, tokenflags.py) whose
        candidates are not known yet. Only a speed-up: a search not made here is made when asked for, with
        the same answer."""
        P = self.P
        if not P.merge_correct or not self._bulk_on():
            return
        todo: tuple[dict, dict] = ({}, {})  # (plain, in capitals): joined forms to search
        searchers: list = [self, None]  # (theirs: _merge_searcher's, the search of capitals once a pair asks for it)
        for i in range(len(toks) - 1):
            if not joins[i]:
                continue
            o, o2 = lows[i], lows[i + 1]
            searcher = self._merge_searcher(toks[i], toks[i + 1])
            if searcher._merge_key(o, o2) not in searcher._merge_cache:
                k = searcher is not self
                searchers[k] = searcher
                todo[k][o + o2] = None
        for searcher, ms in zip(searchers, todo):
            if ms:
                searcher._bulk_search(list(ms), P.merge_correct_edits, False, P.min_path_lp, searcher._lexicon())

    def _merge_correct(self, text, toks, lows, i, prev, clean, vocab, memo, code: int) -> Correction | None:
        """The correction of tokens i and i + 1 as one misread word (``_merge_proposal``) when the gate
        (``_accept``) lets it be made, else None."""
        got = self._merge_proposal(text, toks, lows, i, prev, clean, vocab, memo, code)
        if got is None:
            return None
        corr, post, features = got
        return corr if self._accept(corr, post, features, memo) else None

    def _merge_proposal(self, text, toks, lows, i, prev, clean, vocab, memo, code: int) -> tuple | None:
        """The proposal of tokens i and i + 1 (after the word prev) as one misread word, (correction, posterior,
        its vetter features()) as ``_joined_proposal`` makes it, or None when there is none. code: 1 the two are
        one space apart, 2 joined by a hyphen (see _hyphen_pair), HYPHEN_KEPT joined by a hyphen that stays where
        it was (the corrected word is written with it: ``_hyphen_kept``). Remembered in the document's memo
        under (i, prev): the context prefetch (scoring.py) makes it before the pass, which finds it."""
        key = ("merge-proposal", i, prev)
        got = memo.get(key, memo)  # (the memo itself: not made yet; None is an answer)
        if got is not memo:
            return got
        o, o2 = lows[i], lows[i + 1]
        searcher = self._merge_searcher(toks[i], toks[i + 1])
        cands = searcher._merge_cands(o, o2)
        if code == HYPHEN_KEPT:
            # the joined form is no known word: also its candidates as a token's (two edits, the fallback)
            got = dict(cands)
            for c, lp, _rule in searcher.candidates(o + o2):
                if " " not in c and got.get(c, -1e9) < lp:
                    got[c] = lp
            cands = sorted(got.items(), key=lambda t: -t[1])
            got = self._joined_proposal(text, toks, lows, i, 2, prev, clean, vocab, cands, self.P.hyphen_kept_lp,
                                        lambda c: self._compound(c, len(o)), kept_at=len(o))
        else:
            # "Sureeon-Dentist" is a compound whose halves are corrected apart
            refuse = (lambda c: self._compound(c, len(o))) if code == 2 else None
            got = self._joined_proposal(text, toks, lows, i, 2, prev, clean, vocab, cands, self.P.merge_correct_lp,
                                        refuse)
        memo[key] = got
        return got

    def _merge_plain(self, text: str, toks: list, lows: list, i: int, prev: str | None, flags, vocab: Counter,
                     memo: dict, out: list) -> tuple[int, str] | None:
        """The decoder's plain merge of tokens i and i + 1 ("ap pear"), where the token flags allow it: when
        made (appended to out), (the next token, its prev); else None."""
        if not flags.merges[i]:
            return None
        clean = flags.clean
        o, o2 = lows[i], lows[i + 1]
        m = o + o2
        nxt2 = lows[i + 2] if i + 2 < len(toks) and clean[i + 2] else None
        keep, merge, ck, cc, merge_lp = self._merge_scores(o, o2, prev, nxt2, vocab)  # (scoring.py)
        post = merge_posterior(keep, merge)
        gap_s, gap_e = toks[i].end, toks[i + 1].start
        w = self._merge_gap_weight(o, o2, merge_lp, post)  # (scoring.py)
        if w:
            merge += w * self._gap_in_context(memo, text, gap_s, gap_e)
            post = merge_posterior(keep, merge)
        if post < self._floor():
            return None
        corr = Correction(gap_s, gap_e, text[gap_s:gap_e], "", round(post, 4), "merge")

        def features():
            return self._features("merge", o + " " + o2, m, merge_lp, Weighed(post, keep, [(merge,)]),
                                  Site(toks[i], lows, i, prev, nxt2), ck, cc, vocab)
        if not self._accept(corr, post, features, memo):
            return None
        out.append(corr)
        return i + 2, m

    def _merge_corrected(self, text: str, toks: list, lows: list, i: int, prev: str | None, flags, vocab: Counter,
                         memo: dict, out: list) -> tuple[int, str] | None:
        """The merge of tokens i and i + 1 corrected (``_merge_correct``), where the token flags allow it: when
        made (appended to out), (the next token, its prev); else None."""
        if not flags.joins[i]:
            return None
        got = self._merge_correct(text, toks, lows, i, prev, flags.clean, vocab, memo, flags.pairs[i])
        if got is None:
            return None
        out.append(got)
        return i + 2, got.after.lower()

    @staticmethod
    def _hyphen_kept(m: str, c: str, at: int) -> int | None:
        """Where the hyphen goes in the word c, a correction of the joined form m of two halves whose first
        is at letters long: where it was printed, after the first half when the change lies in the second,
        before the second when it lies in the first; None when the change crosses the hyphen."""
        p, q = _common_affixes(m, c)
        if p >= at:
            return at
        if q >= len(m) - at:
            return len(c) - (len(m) - at)
        return None

    def _joined_proposal(self, text, toks, lows, i, k, prev, clean, vocab, cands, extra_lp,
                         refuse=None, kept_at: int | None = None) -> tuple | None:
        """The proposed correction of the k tokens from i as one word, the best of cands ([(word, log channel
        probability)] of their joined form) at extra_lp more, weighed against keeping them as printed
        (word context, shapes and the document's evidence): (correction, posterior, its vetter features()) for
        the gate (``_accept``); None when it is not proposed or refuse(best).
        kept_at: two halves joined by a hyphen that stays, the first kept_at letters long: kept as printed
        they are one unknown word (its context, shape and evidence; a name's bonus), and the hyphen is
        written back into the correction (``_hyphen_kept``: None when the change crosses it)."""
        if not cands:
            return None
        parts = lows[i:i + k]
        j = i + k
        nxt = lows[j] if j < len(toks) and clean[j] else None
        lc = self._logcond
        if kept_at is None:
            left = lc(parts[0], prev) + sum(lc(y, x) for x, y in zip(parts, parts[1:]))
            ck = (left, lc(nxt, parts[-1]) if nxt else 0.0)
            keep = ck[0] + ck[1]
            for x in parts:
                keep += self._shape(x)
            for x in parts:
                keep += self._doc_bonus(x, x, vocab)
        else:
            m = "".join(parts)
            ck = (lc(m, prev), lc(nxt, m) if nxt else 0.0)
            keep = ck[0] + ck[1] + self._shape(m) + self._doc_bonus(m, m, vocab)
            if self._name_like(toks[i]):
                keep += self.P.name_bonus
        o = parts[0]
        scores = [(lc(c, prev) + (lc(nxt, c) if nxt else 0.0) + lp + extra_lp + self._doc_bonus(c, o, vocab), c)
                  for c, lp in cands]
        best, post = posterior(keep, scores)
        if best[0] <= keep or post < self._floor():
            return None
        if refuse is not None and refuse(best[1]):
            return None
        s, e = toks[i].start, toks[j - 1].end
        c = best[1]
        after = _apply_case("".join(t.form for t in toks[i:j]), c)
        if kept_at is not None:
            h = self._hyphen_kept("".join(parts), c, kept_at)
            if h is None or len(after) != len(c):
                return None
            after = after[:h] + "-" + after[h:]
        corr = Correction(s, e, text[s:e], after, round(post, 4), "merge-confusion")

        def features():
            lp = next(x[1] for x in cands if x[0] == c) + extra_lp
            cc = (lc(c, prev), lc(nxt, c) if nxt else 0.0)
            return self._features("merge-confusion", " ".join(parts), c, lp, Weighed(post, keep, scores),
                                  Site(toks[i], lows, i, prev, nxt), ck, cc, vocab)
        return corr, post, features

    def _compound(self, c: str, k: int) -> bool:
        """Is c two words, each more frequent than c, split within a letter of k (where the printed
        hyphen was)? ``surgeondentist``, ``chancerylane`` are; ``improvement`` is not."""
        p = self.lm.p
        pc = p(c)
        return any(p(c[:j]) > pc and p(c[j:]) > pc for j in range(max(2, k - 1), min(len(c) - 1, k + 2)))
