"""What the decoder asks of each token of a text before it decides any (a mixin of ``engine.Corrector``):
asked once per text, kept in the decoder's memo, read by its pass (``engine._corrections``), by the
context prefetch (``scoring._prefetch_context``) and by the bulk search of merges
(``merges.prefetch_merge_searches``), which used to ask the same questions each on its own.

Here too the two questions asked of one token: does it read right (``_clean``), and may it be corrected at
all (``_eligible``).

Needs of the Corrector: ``P``, ``lm``, ``model``, ``_flag_cache``, ``_unknown``, ``_abbrev``, ``_switch``,
``_merge_single``, the language's settings (``_protect``, ``_variants``, ``_foreign``, ``_apostrophe``,
``_caps_ok``) and, of ``merges.MergeProposals``, ``_pair_code``, ``_mergeable``, ``_merge_case_ok``,
``_pair_correctable``.
"""

from __future__ import annotations

from typing import NamedTuple

from .historical import variant_of_known
from .tokens import HYPHEN_KEPT, NUMBERISH_RE, _caps_runs, _Tok, caps_word, inner_mark_word


class Flags(NamedTuple):
    clean: list  # a word that reads right (a neighbour the context scores may lean on)
    eligible: list  # may the token be corrected at all (engine._eligible, in runs of capitals too)
    pairs: list  # with the next token: merges.py _pair_code (1 = two words one space apart, 2 = halves joined by a
    # hyphen, HYPHEN_KEPT = such halves whose hyphen stays, 0 = none of these)
    caps: list  # printed in capitals: searched with the confusions of capitals
    merges: list  # may the decoder merge it with the next token (a plain merge: "ap pear")
    joins: list  # ... or merge the two and correct the result ("con aulted": merge_correct)


class TokenFlags:
    def _token_flags(self, text: str, toks: list, lows: list, focus=None) -> Flags:
        """The decoder's questions about each token of ``text`` (see Flags). ``merges`` and ``joins`` are
        asked only of a token the decoder may decide at all (eligible, or a letter that may merge with
        the next), as its pass asks them. ``focus(start, end)``: only the tokens it holds for may be
        decided at all (secondlook.py); the others are neither eligible nor merged."""
        P = self.P
        fc = self._flag_cache
        unknown = self._unknown
        pairs = [self._pair_code(text, a, b, lo_a, lo_b)  # (merges.py)
                 for a, b, lo_a, lo_b in zip(toks, toks[1:], lows, lows[1:])] + [0]
        clean, eligible = [], []
        for t, o in zip(toks, lows):
            got = fc.get(t.form)
            if got is None:
                got = fc.put(t.form, (self._clean(o), self._eligible(t, o)))
            clean.append(got[0])
            eligible.append(got[1])
        _caps_runs(toks, eligible, self._eligible)
        if self._abbrev:  # "référ." is an abbreviation, not a misread "référé"
            short, starts = P.abbrev_max_len, self._lexicon()[1]
            for k, (t, o) in enumerate(zip(toks, lows)):
                if eligible[k] and text[t.end:t.end + 1] == "." and unknown(o) and (len(o) <= short or o in starts):
                    eligible[k] = False
        if focus is not None:
            held = [focus(t.start, t.end) for t in toks]
            eligible = [e and k for e, k in zip(eligible, held)]
        caps = [caps_word(t.form) for t in toks]
        merges = [False] * len(toks)
        joins = [False] * len(toks)
        merge_single = self._merge_single()
        # (the joined forms the questions below look up, in bulk first: lm.prefetch_unigrams, speed only)
        self.lm.prefetch_unigrams([o + lows[i + 1] for i, o in enumerate(lows) if pairs[i] and eligible[i]])
        for i, o in enumerate(lows):
            if not pairs[i] or not (eligible[i] or (len(o) == 1 and merge_single and o.isalpha())) \
                    or focus is not None and not held[i]:
                continue
            a, b, o2 = toks[i], toks[i + 1], lows[i + 1]
            merges[i] = pairs[i] != HYPHEN_KEPT and self._mergeable(o, o2) and self._merge_case_ok(a.form, b.form)
            joins[i] = P.merge_correct and (self._pair_correctable(pairs[i], a, b, o, o2)
                                            or self._letter_half(toks, lows, pairs, i))
        return Flags(clean, eligible, pairs, caps, merges, joins)

    def _clean(self, w: str) -> bool:
        """Does the word read right (a neighbour the context scores may lean on)?"""
        return w.isalpha() and self.lm.p(w) >= self.P.frequent_p / 10

    def _eligible(self, t: _Tok, o: str, in_caps: bool = False) -> bool:
        """May this token be corrected at all? ``in_caps``: it stands in a run of capitals
        (a headline or an advertisement), where a short all-capital word is no abbreviation."""
        f = t.form
        if self._protect is not None and self._protect.search(o):
            return False  # a historical spelling of the language (languages.py)
        if self._variants and variant_of_known(o, self._variants, lambda w: not self._unknown(w)):
            return False  # Stükken: Stücken written with kk (historical.py)
        if self._foreign is not None and self._foreign.search(f):
            return False
        if self._apostrophe == "protect" and ("'" in f or "’" in f):
            return False
        if not self._caps_ok and len(f) > 1 and f.isupper():
            return False
        if len(f) == 1:
            return self._switch("single_char") and o in self.model.realword
        if "." in f or "," in f:
            return self.P.inner_mark_lp is not None and inner_mark_word(f)  # "ar.d" (search.py)
        if not any(ch.isalpha() for ch in f):
            return False
        if NUMBERISH_RE.match(f):
            return False
        letters = [ch for ch in f if ch.isalpha()]
        if not in_caps and len(f) <= 4 and all(ch.isupper() for ch in letters) and len(letters) == len(f):
            return False  # abbreviation
        digits = sum(ch.isdigit() for ch in f)
        if digits and digits * 2 >= len(f):
            return False
        return True
