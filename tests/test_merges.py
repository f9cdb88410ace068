"""Merges of printed tokens into one word (correct/merges.py): a letter printed as a space ("mini ter"),
a rare known half ("hoi nets"), a one-letter rest that is no word ("engli h"), and the golden cases of
split and merged words kept as data (tests/data/merge_cases.json)."""

from __future__ import annotations

import pytest

from casekit import check_case, corrector_with, golden_cases

from reissue.correct.engine import Corrector
from reissue.correct.tokens import stands_alone, tokenize


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def test_gap_letter_candidates():
    on = corrector_with(merge_gap_lp=-4.0)
    off = corrector_with(merge_gap_lp=None)
    for a, b, word in [("mini", "ter", "minister"), ("chesh", "re", "cheshire"), ("que", "nsland", "queensland")]:
        assert word in [c for c, _lp in on._merge_cands(a, b)], (a, b)
        assert word not in [c for c, _lp in off._merge_cands(a, b)], (a, b)
    # the letter goes where the space was, nowhere else
    assert all(c.startswith("mini") and c.endswith("ter") or lp != -4.0 for c, lp in on._merge_cands("mini", "ter"))


def test_which_pairs_may_be_merged_and_corrected():
    c = corrector_with(merge_correct_max_p=1e-5, merge_correct_letters=True)
    base = corrector_with(merge_correct_max_p=None, merge_correct_letters=False)
    text = "the hoi nets engli h recoived a"
    toks = tokenize(text, c.line_hyphens, c.elisions)
    lows = [t.form.lower() for t in toks]

    def ok(corr, i):
        return corr._merge_correctable(toks[i], toks[i + 1], lows[i], lows[i + 1])
    assert ok(c, 1) and not ok(base, 1)  # hoi, nets: both known, one rare
    assert ok(c, 3) and not ok(base, 3)  # engli h: a letter that is no word
    assert not ok(c, 5) and not ok(base, 5)  # recoived a: "a" is a word
    assert stands_alone("a") and stands_alone("i") and stands_alone("an") and not stands_alone("h")


def test_letter_halves():
    """merge_letter_halves: a letter that is no word makes a pair correctable however common its neighbour, not
    two capitals alone (initials), nor a letter that begins a common word with the token after it."""
    text = "took h s hat, T E Hopewell, THE U NION, at a man, einen E r f o l g der"
    on, off = corrector_with(merge_letter_halves=True), corrector_with(merge_letter_halves=False)
    toks = tokenize(text, on.line_hyphens, on.elisions)
    lows = [t.form.lower() for t in toks]
    at = {t.form: k for k, t in enumerate(toks)}

    def joins(c):
        return c._token_flags(text, toks, lows).joins
    got, base = joins(on), joins(off)
    assert got[at["h"]] and not base[at["h"]]  # h s: "his"
    assert not got[at["T"]]  # T E: initials
    assert not got[at["THE"]]  # THE U NION: U goes with NION
    assert not got[at["at"]]  # at a: "a" is a word
    assert not any(got[at[x]] for x in "rfol")  # E r f o l g: a word printed letter-spaced
    assert got[at["f"]] == base[at["f"]] and not base[at["f"]]


def test_lone_letters_are_the_language_s():
    """A letter standing alone is a half of a misread word only where the language has no such word
    (languages.py one_letter_words): French y and à are words, English y is not."""
    from reissue.correct.model import model_path_for

    en, fr = Corrector(), Corrector(str(model_path_for("fr")))
    assert en._lone("y") and en._lone("h") and not en._lone("a") and not en._lone("i") and not en._lone("1")
    assert not fr._lone("y") and not fr._lone("à") and not fr._lone("a") and fr._lone("h") and fr._lone("i")


def test_glyph_candidates():
    """merge_glyph: the first token's last letter and the space misread for one letter (a learned confusion),
    at the cost of a letter printed as a space (merge_gap_lp) and the confusion's, not of a deleted space and the
    confusion's (merge_correct_lp: the caller adds it, so the glyph's numbers stand above it)."""
    on = corrector_with(merge_glyph=True)
    off = corrector_with(merge_glyph=False)
    for a, b, word in [("has", "bour", "harbour"), ("tl", "e", "the"), ("ar", "d", "and")]:
        got = dict(on._merge_cands(a, b))
        assert word in got, (a, b)
        assert got[word] > dict(off._merge_cands(a, b)).get(word, -1e9) + 5, (a, b)


def test_merge_weighed_in_context():
    """merge_context_weight: the decoder adds the context model's gain of closing the gap to its score of a merge
    of two words where one is no frequent word, neither is a single letter and the merged word is known enough;
    without it, the word bigrams alone leave "Birming ham." apart after a comma and a stop."""
    on, off = corrector_with(merge_context_weight=1.0), corrector_with(merge_context_weight=None)
    text = "Dinner at the Bell Tavern, Birming ham. Attorney, Mr. Smith."
    assert "Birmingham." in on.correct_text(text)
    assert "Birming ham." in off.correct_text(text)
    frequent = on.P.merge_frequent_lp
    assert on._merge_context_weight("birming", "ham", -1.0) == 1.0
    assert on._merge_context_weight("how", "ever", frequent) == 0.0  # two frequent words: the bigrams judge
    assert on._merge_context_weight("wi", "h", -1.0) == 0.0  # a lone letter: merges.py's letter halves
    assert on._merge_context_weight("zq", "xv", -1.0) == 0.0  # no word
    assert off._merge_context_weight("birming", "ham", -1.0) == off.P.context_weight == 0.0
    assert on._weighs_merge_context() and not off._weighs_merge_context()


def test_plain_merge_yields_to_a_correction():
    """merge_yield_max_p: a plain merge into a word rarer than that (a misspelling the word list knows, "commision")
    yields to the merge with correction where one of its candidates is merge_yield_ratio times as frequent; the
    plain merge is still tried after a correction not made."""
    on, off = corrector_with(merge_yield_max_p=1e-6), corrector_with(merge_yield_max_p=None)
    text = "The commissioners in a commis ion of bankrupt, bearing date the 5th, will meet."
    assert "commission of" in on.correct_text(text)
    assert "commision of" in off.correct_text(text)
    toks = tokenize(text, on.line_hyphens, on.elisions)
    lows = [t.form.lower() for t in toks]
    at = [t.form for t in toks].index("commis")
    assert on._merge_yields(toks[at], toks[at + 1], "commis", "ion") and not off._merge_yields(toks[at], toks[at + 1],
                                                                                              "commis", "ion")
    flags = on._token_flags(text, toks, lows)
    assert flags.merges[at] and flags.joins[at]  # both merges open: the decoder tries the correction first
    assert not on._merge_yields(toks[0], toks[1], "con", "sider")  # "consider": common enough


@pytest.mark.parametrize("case", golden_cases("merge_cases.json"))
def test_merge_case(corrector, case):
    check_case(corrector, case)


def test_shipped_english_model_widens_the_merges(corrector):
    P = corrector.P
    assert P.merge_gap_lp is not None and P.merge_correct_max_p is not None and P.merge_correct_letters


def test_hyphen_kept_goes_where_it_was_printed():
    """merges.py _hyphen_kept: the hyphen of two corrected halves stays after the first half when the change
    lies in the second, before the second when it lies in the first; never when the change crosses it."""
    kept = Corrector._hyphen_kept
    assert kept("iravaux", "travaux", 3) == 3  # ira-vaux -> tra-vaux
    assert kept("bataitte", "bataille", 2) == 2  # ba-taitte -> ba-taille
    assert kept("prmcipe", "principe", 3) == 4  # prm-cipe -> prin-cipe (the first half one letter longer)
    assert kept("fonctionnaiires", "fonctionnaires", 11) == 11  # fonctionnai-ires -> fonctionnai-res
    assert kept("voittant", "voulant", 4) is None  # voit-tant: the change crosses the hyphen


def test_hyphen_kept_pairs_only_without_merge_hyphen():
    """A pair of halves joined by a hyphen in mid-line is HYPHEN_KEPT only with hyphen_kept_lp set and
    merge_hyphen off, and only when its joined form is no known word ("pa-role" stays two halves)."""
    from reissue.correct.tokens import HYPHEN_KEPT

    text = "les ira-vaux et la pa-role"
    on = corrector_with(merge_hyphen=False, hyphen_kept_lp=0.0)
    off = corrector_with(merge_hyphen=False, hyphen_kept_lp=None)
    def flags(c):
        toks = tokenize(text, c.line_hyphens, c.elisions)
        return c._token_flags(text, toks, [t.form.lower() for t in toks])
    for c, want in ((on, HYPHEN_KEPT), (off, 0)):
        f = flags(c)
        assert f.pairs[1] == want, (f.pairs, want)  # ira-vaux
        assert f.pairs[5] == 0  # pa-role: "parole" is a word
        assert not f.merges[1]  # never a plain merge: the hyphen stays
        assert f.joins[1] == (want == HYPHEN_KEPT)
    english = corrector_with(hyphen_kept_lp=0.0)  # merge_hyphen on: the hyphen goes (code 2), never kept
    assert HYPHEN_KEPT not in flags(english).pairs


def test_merge_case_ok_reads_as_character_by_character():
    """_merge_case_ok asks b.islower() before reading b a character at a time: the same answers as the reading
    alone, on strings of capitals, small letters, title-case and other-uppercase letters (ǅ, Ⓐ), ß and marks."""
    import random

    def slow(a: str, b: str) -> bool:  # (the reading before: every character of b asked)
        if a.isupper() and b.isupper():
            return True
        return not any(ch.isupper() for ch in b) and not (len(a) > 1 and a.isupper())
    rnd = random.Random(48)
    chars = "aBcDeß1'-.ǅǆǄⒶⓐÉé"
    forms = ["", "a", "A", "ab", "AB", "Ab", "aB", "ǅ", "Ⓐ", "ⓐb", "ß", "1", "'s"]
    forms += ["".join(rnd.choice(chars) for _ in range(rnd.randint(1, 5))) for _ in range(400)]
    for a in forms[:60]:
        for b in forms:
            assert Corrector._merge_case_ok(a, b) == slow(a, b), (a, b)


def test_merge_questions_answer_in_any_order(corrector):
    """_merge_correctable and _letter_half ask their cheap questions first (most pairs are two common words):
    the answers of every pair of a text are those of the questions in the order they were asked before."""
    c = corrector_with(merge_correct_max_p=1e-5, merge_correct_letters=True, merge_letter_halves=True)
    text = ("the hoi nets engli h recoived a took h s hat, T E Hopewell, THE U NION, at a man, LON don Si N "
            "W ith E r f o l g der inter-\nnational f r")
    toks = tokenize(text, c.line_hyphens, c.elisions)
    lows = [t.form.lower() for t in toks]
    pairs = c._token_flags(text, toks, lows).pairs

    def correctable(a, b, lo_a, lo_b):  # (the order before: the case pattern asked first)
        p, P, rare = c.lm.p, c.P, c.P.merge_correct_max_p
        return (not a.joined and not b.joined and c._merge_case_ok(a.form, b.form)
                and min(len(lo_a), len(lo_b)) >= (1 if c._merge_single() else 2)
                and (p(lo_b) < P.frequent_p or P.merge_correct_letters and len(lo_b) == 1
                     and lo_b not in c._one_letter)
                and min(p(lo_a), p(lo_b)) < (P.light_p if rare is None else rare))

    def letter_half(i):  # (the order before)
        if not c.P.merge_letter_halves or pairs[i] != 1:
            return False
        if i and pairs[i - 1] == 1 and c._lone(lows[i - 1]) or i + 2 < len(lows) and pairs[i + 1] == 1 \
                and c._lone(lows[i + 2]):
            return False
        a, b, lo_a, lo_b = toks[i], toks[i + 1], lows[i], lows[i + 1]
        if a.joined or b.joined or not c._merge_case_ok(a.form, b.form):
            return False
        if not (c._lone(lo_a) or c._lone(lo_b)):
            return False
        if len(a.form) == 1 and len(b.form) == 1 and a.form.isupper() and b.form.isupper():
            return False
        return not (len(lo_b) == 1 and i + 2 < len(lows) and pairs[i + 1] == 1
                    and c.lm.p(lo_b + lows[i + 2]) >= c.P.frequent_p)
    got = [(c._merge_correctable(toks[i], toks[i + 1], lows[i], lows[i + 1]), c._letter_half(toks, lows, pairs, i))
           for i in range(len(toks) - 1)]
    want = [(correctable(toks[i], toks[i + 1], lows[i], lows[i + 1]), letter_half(i)) for i in range(len(toks) - 1)]
    assert got == want
    assert any(x for x, _y in got) and any(y for _x, y in got)
