"""What the decoder asks of each token of a text before it decides any (a mixin of ``engine.Corrector``):
asked once per text, kept in the decoder's memo, read by its pass (``engine._corrections``), by the
context prefetch (``scoring._prefetch_context``) and by the bulk search of merges
(``merges.prefetch_merge_searches``), which used to ask the same questions each on its own.

Needs of the Corrector: ``P``, ``_flag_cache``, ``_clean``, ``_eligible``, ``_unknown``, ``_abbrev``,
``_merge_single`` and, of ``merges.MergeProposals``, ``_pair_code``, ``_mergeable``, ``_merge_case_ok``,
``_pair_correctable``.
"""

from __future__ import annotations

from typing import NamedTuple

from .tokens import HYPHEN_KEPT, _caps_runs, caps_word


class Flags(NamedTuple):
    clean: list  # a word that reads right (a neighbour the context scores may lean on)
    eligible: list  # may the token be corrected at all (engine._eligible, in runs of capitals too)
    pairs: list  # with the next token: merges.py _pair_code (1 = two words one space apart, 2 = halves joined by a
    # hyphen, HYPHEN_KEPT = such halves whose hyphen stays, 0 = none of these)
    caps: list  # printed in capitals: searched with the confusions of capitals
    merges: list  # may the decoder merge it with the next token (a plain merge: "ap pear")
    joins: list  # ... or merge the two and correct the result ("con aulted": merge_correct)


class TokenFlags:
    def _token_flags(self, text: str, toks: list, lows: list) -> Flags:
        """The decoder's questions about each token of ``text`` (see Flags). ``merges`` and ``joins`` are
        asked only of a token the decoder may decide at all (eligible, or a letter that may merge with
        the next), as its pass asks them."""
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
        caps = [caps_word(t.form) for t in toks]
        merges = [False] * len(toks)
        joins = [False] * len(toks)
        merge_single = self._merge_single()
        for i, o in enumerate(lows):
            if not pairs[i] or not (eligible[i] or (len(o) == 1 and merge_single and o.isalpha())):
                continue
            a, b, o2 = toks[i], toks[i + 1], lows[i + 1]
            merges[i] = pairs[i] != HYPHEN_KEPT and self._mergeable(o, o2) and self._merge_case_ok(a.form, b.form)
            joins[i] = P.merge_correct and self._pair_correctable(pairs[i], a, b, o, o2)
        return Flags(clean, eligible, pairs, caps, merges, joins)
