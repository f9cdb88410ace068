"""The learned character confusions one candidate search uses, with the indexes made from them.

A model has two: its confusions (``CorrectionModel.rule_set``) and, when it learned them, those of
words printed in capitals on top (``caps_rule_set``: ``B`` for ``E``). Each is built once by the
model, on first use, and never changes; a corrector searches with one of them (search.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class RuleSet:
    """rules: {ocr_sub: [(gt_sub, log p)] best first}; inserts: [(gt_sub, log p)] (the OCR dropped
    gt_sub); the same without the replacements that cannot occur in a lexicon word (``lex_rules``,
    ``lex_inserts``), the lengths of lex_rules' OCR sides, longest first (``lens``), the longest of
    them (``window``, at least 1), and {(ocr_sub, gt_sub): log p} (``rule_lp``: the edit-distance
    fallback scores aligned differences with it)."""

    rules: dict
    inserts: list
    lex_rules: dict
    lex_inserts: list
    lens: list
    window: int
    rule_lp: dict

    @classmethod
    def of(cls, rules: dict, inserts: list, letters: str) -> "RuleSet":
        """The rule set of a rule table whose lexicon words are written with ``letters`` (and ``'``)."""
        ok = re.compile(rf"^[{letters}']*$")
        lex_rules = {}
        for o, lst in rules.items():
            keep = [(g, lp) for g, lp in lst if ok.match(g)]
            if keep:
                lex_rules[o] = keep
        lens = sorted({len(k) for k in lex_rules}, reverse=True)
        return cls(rules, inserts, lex_rules, [(g, lp) for g, lp in inserts if g and ok.match(g)], lens,
                   max(lens, default=1), rule_lps(rules))


def rule_lps(rules: dict) -> dict[tuple[str, str], float]:
    """{(ocr_sub, gt_sub): log p} of a rule table."""
    return {(o, g): lp for o, lst in rules.items() for g, lp in lst}
