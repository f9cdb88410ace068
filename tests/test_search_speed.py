"""The speed-ups of the candidate search and the scoring (correct/search.py, scoring.py) answer what
the plain computation answers: the same words, in the same order, with the same numbers."""

from __future__ import annotations

import random

import pytest

from reissue.correct import Corrector


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def _garbled(corrector, n: int = 300, seed: int = 7) -> list[str]:
    """Lexicon words with one or two characters changed, dropped or doubled (and some halves of them:
    the re-segmentation searches the halves of a token)."""
    rnd = random.Random(seed)
    words = [w for w in corrector._lexicon_sorted() if w.isalpha() and 3 <= len(w) <= 12]
    out = []
    for w in rnd.sample(words, n):
        for _ in range(rnd.choice((1, 2))):
            i = rnd.randrange(len(w))
            op = rnd.choice("sdi")
            ch = rnd.choice("abcdehilmnortu1")
            w = w[:i] + ch + w[i + 1:] if op == "s" else w[:i] + w[i + 1:] if op == "d" else w[:i] + ch + w[i:]
        out += [w, w[: len(w) // 2], w[len(w) // 2:]]
    return [w for w in out if w]


def test_lexicon_above_is_the_light_lexicon_from_its_floor_on(corrector):
    P = corrector.P
    floor = P.light_ratio * P.light_p
    assert corrector._lexicon_above(floor) is corrector._common_lexicon()
    assert corrector._lexicon_above(floor * 10) is corrector._common_lexicon()
    assert corrector._lexicon_above(floor / 2) is corrector._lexicon()
    # its words are the lexicon's words at least that frequent
    p = corrector.lm.p
    common = corrector._common_lexicon()[0]
    assert common == {w for w in corrector._lexicon()[0] if p(w) >= floor}


def test_a_search_in_the_lexicon_above_finds_the_frequent_words_of_the_whole_search(corrector):
    # what the re-segmentation's half fixes do: one learned confusion, words of P >= min_p kept
    P = corrector.P
    p = corrector.lm.p
    min_p = P.split_correct_min_p
    lex = corrector._lexicon_above(min_p)
    assert lex is corrector._common_lexicon()  # (else this test proves nothing)
    found = 0
    for w in _garbled(corrector):
        for lp in (P.light_min_path_lp, P.min_path_lp):
            whole = [(c, v) for c, v in corrector._search(w, 1, False, lp).items() if p(c) >= min_p]
            above = [(c, v) for c, v in corrector._search(w, 1, False, lp, lex).items() if p(c) >= min_p]
            assert above == whole, w  # the same words, order and numbers
            found += len(above)
    assert found > 100


def test_half_fixes_are_those_of_the_whole_lexicon(corrector):
    P = corrector.P
    p = corrector.lm.p
    for h in _garbled(corrector, 100, seed=11):
        if len(h) < 2:
            continue
        floor = max(P.split_correct_min_p, P.light_ratio * p(h))
        ref = [(c, lp) for c, lp in corrector._search(h, 1, False, P.light_min_path_lp).items()
               if c != h and " " not in c and (len(c) > 1 or c in ("a", "i")) and p(c) >= floor]
        assert corrector._half_fixes(h) == tuple(ref), h


def test_hapax_filter_remembers_the_same_answers(corrector):
    lm = corrector.lm
    words = _garbled(corrector, 100, seed=3)
    cands = [x for w in words for x in corrector.candidates(w)]
    cands += [("a b", -1.0, "split"), ("qqzx", -1.0, "confusion")] + [(w, -2.0, "confusion") for w in words]

    def plain(xs):
        return [x for x in xs if " " in x[0] or x[0] in lm.wf or lm.tr_uni.get(x[0], 0) > 1]
    vocab = {"o": 2}  # the printed word stands twice: the filter applies whatever the model says
    first = corrector._without_hapaxes(cands, "o", vocab)
    again = corrector._without_hapaxes(cands, "o", vocab)  # now from what it remembers
    assert first == again == plain(cands)
    assert len(first) < len(cands)


def test_unigram_lookups_answer_the_computed_probability_and_remember_at_most_500k():
    import copy
    import pickle

    from reissue.correct.lm import LanguageModel

    lm = LanguageModel({"tbe": 3, "the": 90}, {"of tbe": 2}, tables={"wf": {"the": 0.05, "of": 0.03}, "sym_uni": {},
                                                                         "sym_bi": {}})
    for w in ("the", "tbe", "of", "xyzzy", "the"):
        assert lm.p(w) == lm._unigram(w)
    assert lm.p("xyzzy") == lm.floor and lm.p("the") > lm.p("of") > lm.p("tbe") > lm.floor
    assert set(lm._p) == {"the", "tbe", "of", "xyzzy"}
    lm._p.update((f"w{i}", 0.5) for i in range(500_000 - len(lm._p)))
    assert lm.p("unseen") == lm.floor and "unseen" not in lm._p  # full: answered, not remembered
    # a copy answers the same (a pickled one remembers afresh)
    for other in (copy.deepcopy(lm), pickle.loads(pickle.dumps(lm))):
        assert other.p("tbe") == lm.p("tbe") and other.cond("tbe", "of") == lm.cond("tbe", "of")


def test_the_line_fragment_guard_answers_as_its_plain_regex_search():
    # guards.line_fragment tests the line break before the word before searching for the line's last word
    import re

    from reissue.chars import line_end_hyphen_re
    from reissue.correct import guards

    def plain(text, start, end, known, hyphen):  # the guard as it was, one regex search per word
        if end and hyphen.match(text, end - 1) or start and (m := hyphen.search(text, max(0, start - 8), start + 1)) \
                and m.end() == start + 1:
            return True
        m = guards._NEXT_LINE.match(text, end)
        if m is not None and known((guards._letters(text[start:end]) + m.group(1)).lower()):
            return True
        m = guards._PREV_LINE.search(text[max(0, start - 40):start])
        return m is not None and known((m.group(1) + guards._letters(text[start:end])).lower())

    rnd = random.Random(3)
    hyphen = line_end_hyphen_re()
    known = {"thousand", "furniture", "about", "ab", "ba", "aba"}.__contains__
    pieces = ["thou", "sand", "FUR", "NITURE", "ab", "a", "b", "out", " ", " ", "\n", " \n", "\n ", "\t", ".", ",", "-",
              "'", "1", "é"]
    hits = 0
    for _ in range(1500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(2, 30)))
        for m in re.finditer(r"\S+", text):
            got = guards.line_fragment(text, m.start(), m.end(), known, hyphen)
            assert got == plain(text, m.start(), m.end(), known, hyphen), (text, m.start())
            hits += got
    assert hits > 50


def test_the_hyphen_guards_and_substitutions_from_a_word_start_answer_as_the_plain_regex_searches():
    # guards.mid_hyphen_half asks for the hyphen before the word before searching its window, line_fragment for
    # the white space before it; hipe.py's substitutions try their patterns only where a word starts
    # (chars.line_end_hyphen_re word_start, hipe.SPACE_HYPHEN): the same answers, the same texts
    import re

    from reissue.chars import line_end_hyphen_re
    from reissue.correct import guards, hipe

    def plain_mid(text, start, end, known):  # mid_hyphen_half as it was: one search per word
        word = text[start:end]
        if not word.isalpha():
            return False
        m = guards._WORD_AFTER.match(text, end)
        if m is not None and (start == 0 or text[start - 1] != "-") and known((word + m.group(1)).lower()):
            return True
        m = guards._WORD_BEFORE.search(text, max(0, start - 40), start)
        return m is not None and (end == len(text) or text[end] != "-") and known((m.group(1) + word).lower())

    def plain_fragment_hyphen(text, start, hyphen):  # line_fragment's search of a hyphen before the word
        return bool(start and (m := hyphen.search(text, max(0, start - 8), start + 1)) and m.end() == start + 1)

    rnd = random.Random(5)
    hyphen = line_end_hyphen_re()
    known = {"permanente", "thousand", "about", "ab", "ba", "aba", "abab"}.__contains__
    pieces = ["per", "per-", "manente", "-manente", "thou", "sand", "ab", "a", "b", "É", "é", "1", "_", " ", " ", "\n", " \n", "-", "- ",
              "-\n", "¬", "--", ".", "'"]
    sub = lambda m: "<" + "|".join(m.groups()) + ">"  # noqa: E731
    both = [(line_end_hyphen_re(marks, words=True), line_end_hyphen_re(marks, words=True, word_start=True))
            for marks in ("-", "-¬")]
    both.append((re.compile(r"([^\W\d_]+)- ([^\W\d_]+)"), hipe.SPACE_HYPHEN))
    hits = subs = 0
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 30)))
        for start in range(len(text) + 1):
            for end in (m.end() for m in re.finditer(r"\w+", text) if m.start() == start):
                got = guards.mid_hyphen_half(text, start, end, known)
                assert got == plain_mid(text, start, end, known), (text, start)
                hits += got
            got = bool(start and text[start - 1].isspace() and (m := hyphen.search(text, max(0, start - 8), start + 1))
                       and m.end() == start + 1)
            assert got == plain_fragment_hyphen(text, start, hyphen), (text, start)
        for plain, anchored in both:
            assert anchored.sub(sub, text) == plain.sub(sub, text), text
            subs += anchored.search(text) is not None
    assert hits > 20 and subs > 200, (hits, subs)


def test_the_garbage_collector_is_paused_while_a_document_is_corrected_and_restored_after(corrector):
    import gc

    from reissue.correct.gcpause import gc_paused

    seen = []

    @gc_paused
    def work(fail=False):
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("boom")
        return 7

    assert gc.isenabled()
    assert work() == 7 and seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        work(fail=True)
    assert gc.isenabled()  # restored after an error too
    gc.disable()
    try:
        work()
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()
    # the corrector's documents: paused during, on after, the same corrections
    text = "Tbe comrades of tlie party aud the Comintem met in tbe house."
    inside = []
    original = corrector._corrections

    def spy(*args, **kwargs):
        inside.append(gc.isenabled())
        return original(*args, **kwargs)
    corrector._corrections = spy
    try:
        got = corrector.corrections(text)
    finally:
        del corrector._corrections
    assert inside and not any(inside) and gc.isenabled()
    assert [(c.start, c.after) for c in got] == [(c.start, c.after) for c in corrector.corrections(text)] != []


def test_remembered_answers_leave_the_garbage_collector_nothing_to_walk():
    """The memos that grow with every new word form (candidates, re-segmentations, cuts, halves, merge
    candidates, the bulk search's groups of a word) hold tuples of strings and numbers: the collector
    stops tracking them at their first collection, so its full collections do not walk the caches (a
    list would stay tracked for as long as it is remembered)."""
    import gc

    c = Corrector()  # (its own memos: the module's corrector may hold answers of other tests)
    text = ("Tbe comrades of tlie party aud the Comintem met in tbe house ; tbeman said it was "
            "con aulted and recoived . ") * 3
    c.corrections(text)
    memos = ("_cands", "_token_cands_cache", "_reseg_cache", "_cuts_cache", "_half_cache", "_merge_cache")
    assert all(len(getattr(c, m)) for m in memos)  # each was asked
    gc.collect()
    for m in memos:
        kept = [v for v in getattr(c, m).values() if gc.is_tracked(v)]
        assert not kept, (m, kept[:3])


def test_the_remembered_cuts_of_a_token_are_its_cuts(corrector):
    # (resegment._cuts: asked by the bulk search and again by the re-segmentation)
    for w in _garbled(corrector, 60, seed=3) + ["tbeman", "ofthc", "andthe"]:
        got = corrector._cuts(w)
        assert got is corrector._cuts(w)  # remembered
        assert got == tuple(corrector._cuts_of(w))
        assert all(w[:len(a)] == a and a + b == w for a, b, _ka in got)
    assert ("the", "man", False) not in corrector._cuts("tbeman") and corrector._cuts("tbeman")


def test_a_bigram_of_an_unknown_history_is_the_unigram_share():
    from reissue.correct.lm import LanguageModel

    lm = LanguageModel({"the": 5, "man": 3}, {"the man": 2}, weights=(0.5, 0.3, 0.2), symspell=False)
    lm.sym_uni, lm.sym_bi = {"the": 10}, {"the man": 4}
    assert lm.cond("man", "xqzt") == 0.2 * lm.p("man")
    assert lm.cond("man", "the") == 0.5 * 4 / 10 + 0.3 * 2 / 5 + 0.2 * lm.p("man")
    assert lm.cond("man", None) == lm.p("man")


def _bigram_model(frozen: bool, lang: str = "en"):
    """A LanguageModel over a few words, its bigram and unigram tables FrozenTables (as a model file stores
    them) or dicts, symspell's and the training text's counts both known for some histories."""
    from array import array

    from reissue.correct.frozentable import FrozenTable, freeze
    from reissue.correct.lm import LanguageModel

    def table(d):
        kind = "d" if any(isinstance(v, float) for v in d.values()) else "q"
        return FrozenTable(**freeze(list(d), array(kind, d.values()))) if frozen else dict(d)

    rng = random.Random(5)
    words = ["the", "man", "of", "tbe", "straße", "strasse", "fuß", "a", "house", "xqzt", "house's"]
    tr_uni = {w: rng.randint(1, 50) for w in words[:7]}
    tr_bi = {f"{a} {b}": rng.randint(1, 9) for a in words for b in words if rng.random() < 0.4}
    sym_uni = {w: rng.randint(100, 900) for w in words[2:9]}
    sym_bi = {f"{a} {b}": rng.randint(1, 99) for a in words for b in words if rng.random() < 0.4}
    wf = {"the": 0.05, "of": 0.03, "man": 0.001, "strasse": 0.0001, "a": 0.02, "house": 0.0005}
    lm = LanguageModel(table(tr_uni), table(tr_bi), lang=lang,
                       tables={"wf": table(wf), "sym_uni": table(sym_uni), "sym_bi": table(sym_bi)})
    return lm, words


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_cond_many_answers_cond_for_each_pair(frozen, lang):
    lm, words = _bigram_model(frozen, lang)
    # every history: known to both sources, to one, to none (unknown), None and "" (no history); in German
    # the words with ß ("straße") are looked up in wordfreq's list as ss ("strasse") too
    pairs = [(w, prev) for prev in [*words, None, ""] for w in words]
    fresh, _ = _bigram_model(frozen, lang)
    want = [fresh.cond(w, prev) for w, prev in pairs]
    assert len(pairs) >= 64 and lm.cond_many(pairs) == want  # (enough keys for get_many's bulk lookup)
    assert lm.cond_many(pairs) == want and [lm.cond(w, prev) for w, prev in pairs] == want  # remembered: the same
    assert lm.cond_many(pairs[:5]) == want[:5] and lm.cond_many([]) == []


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_prefetched_unigrams_are_the_computed_ones(frozen, lang):
    lm, words = _bigram_model(frozen, lang)
    fresh, _ = _bigram_model(frozen, lang)
    # known to wordfreq's list, to the training text only, to neither; in German "straße" found as "strasse"
    asked = words + ["strasses", "fuss", "zzz"] + [f"w{i}" for i in range(100)]
    lm.p("man")
    lm.prefetch_unigrams(asked + asked[:5])
    assert set(lm._p) == set(asked)  # all remembered (once each)
    assert [lm.p(w) for w in asked] == [fresh.p(w) for w in asked] == [fresh._unigram(w) for w in asked]
    lm._p.update((f"x{i}", 0.5) for i in range(500_000 - len(lm._p)))
    lm.prefetch_unigrams(["unseen", "the man"])  # full: not remembered, as p remembers no more
    assert "unseen" not in lm._p and lm.p("unseen") == fresh.p("unseen")


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("floor", [1e-3, 0.01, 0.02, 0.05])
def test_words_at_least_are_every_word_whose_probability_reaches_the_floor(frozen, floor):
    # (lm.words_at_least asks each source only for the words that give half the floor: the same words as
    # asking p of every word either source knows; wordfreq's list and the training counts in both kinds of table)
    lm, _words = _bigram_model(frozen, "en")
    known = set(dict(lm.wf.items())) | set(dict(lm.tr_uni.items()))
    want = {w for w in known if lm.p(w) >= floor}
    assert lm.words_at_least(floor) == want
    if floor == 0.01:
        assert {"tbe", "a"} <= want  # a word only the training text knows, and one only wordfreq's list knows


def test_words_at_least_finds_a_german_word_with_sharp_s_by_its_frequency_under_ss():
    from reissue.correct.lm import LanguageModel

    # "fuß" is printed once in the training text; wordfreq's list has it as "fuss" (lm.p looks it up so in German)
    lm = LanguageModel({"fuß": 1, "und": 99}, {}, lang="de", tables={"wf": {"fuss": 0.05, "und": 0.01},
                                                                     "sym_uni": {}, "sym_bi": {}})
    assert lm.p("fuß") >= 0.02 > lm.tuw * 1 / lm.tr_total
    assert lm.words_at_least(0.02) == {"fuß", "fuss", "und"}
