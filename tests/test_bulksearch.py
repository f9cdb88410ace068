"""The candidate search in bulk (correct/bulksearch.py) answers what ``_search_fast`` answers word by
word: the same words, in the same order, with the same numbers; and the corrector's candidates are
the same whether its searches were made in bulk before or one by one when asked for."""

from __future__ import annotations

import random

import pytest

from reissue.correct import Corrector, bulksearch, search
from reissue.correct.bulksearch import BulkSearch, hash_str


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def _garbled(corrector, n: int, seed: int) -> list[str]:
    """Lexicon words with one or two characters changed, dropped or doubled, some halves of them,
    some lexicon words as they are, and a few odd tokens."""
    rnd = random.Random(seed)
    words = [w for w in corrector._lexicon_sorted() if 2 <= len(w) <= 14]
    out = ["x", "qqqq", "1l", "tbe", "wliicli", "comintem", "aud", "hi8", "ofthe", "ſich", "n't", "a'b"]
    for w in rnd.sample(words, n):
        for _ in range(rnd.choice((0, 1, 2))):
            i = rnd.randrange(len(w))
            op = rnd.choice("sdi")
            ch = rnd.choice("abcdehilmnortu1'-")
            w = w[:i] + ch + w[i + 1:] if op == "s" else w[:i] + w[i + 1:] if op == "d" else w[:i] + ch + w[i:]
        out += [w, w[: len(w) // 2]]
    return [w for w in out if w]


@pytest.mark.parametrize("max_edits,generic", [(1, True), (1, False), (2, False)])
@pytest.mark.parametrize("common", [False, True])
def test_bulk_search_answers_as_the_word_by_word_search(corrector, max_edits, generic, common):
    lex = corrector._common_lexicon() if common else corrector._lexicon()
    P = corrector.P
    words = _garbled(corrector, 150, seed=5 + max_edits + 2 * common)
    bulk = BulkSearch(corrector)
    found = 0
    for min_lp in (P.light_min_path_lp, P.min_path_lp):
        for part in (words[:3], words[3:]):  # a small batch and a large one
            got = bulk.search(part, max_edits, generic, min_lp, lex)
            for w, res in zip(part, got):
                ref = corrector._search_fast(w, max_edits, generic, min_lp, lex)
                assert list(res.items()) == list(ref.items()), (w, max_edits, generic, common)
                found += len(res)
    assert found > 200


def test_bulk_search_of_capitals_uses_their_confusions(corrector):
    caps = corrector._caps()
    if caps is corrector:
        pytest.skip("the model has no confusions of capitals")
    words = _garbled(corrector, 60, seed=9)
    got = BulkSearch(caps).search(words, 1, True, corrector.P.min_path_lp, caps._lexicon())
    assert [list(x.items()) for x in got] == [
        list(caps._search_fast(w, 1, True, corrector.P.min_path_lp, caps._lexicon()).items()) for w in words]


def test_hashes_of_strings_agree_with_the_arrays():
    np = pytest.importorskip("numpy")
    strs = ["", "a", "ab", "the", "ſich", "naïve", "x" * 40]
    h = bulksearch._Hashes(np, strs)
    for r, s in enumerate(strs):
        for j in range(len(s) + 1):
            assert int(h.pre(np.array([r]), np.array([j]))[0]) == hash_str(s[:j])
            assert int(h.end(np.array([r]), np.array([j]))[0]) == hash_str(s[j:])


def test_a_lexicon_bitmap_misses_no_word_prefix_or_ending(corrector):
    np = pytest.importorskip("numpy")
    lex = corrector._common_lexicon()
    hx = bulksearch._hashed(np, lex)
    words = sorted(lex[0])[::50]
    h = np.array([hash_str(w) for w in words], dtype=np.uint64)
    assert bulksearch._maybe(np, hx.words, h).all()
    pre = np.array([hash_str(w[:j]) for w in words for j in range(1, len(w) + 1)], dtype=np.uint64)
    assert bulksearch._maybe(np, hx.prefixes, pre).all()
    ends = np.array([hash_str(w[j:]) for w in words for j in range(len(w))], dtype=np.uint64)
    assert bulksearch._maybe(np, hx.endings, ends).all()
    # and lets few non-words through
    rnd = random.Random(1)
    junk = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)) for _ in range(2000)]
    junk = [w for w in junk if w not in lex[0]]
    assert bulksearch._maybe(np, hx.words, np.array([hash_str(w) for w in junk], dtype=np.uint64)).mean() < 0.05


def test_the_word_test_of_both_bitmaps_misses_no_word_and_lets_far_fewer_through(corrector):
    np = pytest.importorskip("numpy")
    lex = corrector._lexicon()
    hx = bulksearch._hashed(np, lex)
    words = sorted(lex[0])[::20]
    assert bulksearch._maybe_word(np, hx, np.array([hash_str(w) for w in words], dtype=np.uint64)).all()
    rnd = random.Random(2)
    junk = {"".join(rnd.choice("abcdefghilmnorstu") for _ in range(rnd.randrange(3, 9))) for _ in range(60000)}
    h = np.array([hash_str(w) for w in junk - lex[0]], dtype=np.uint64)
    one, both = bulksearch._maybe(np, hx.words, h), bulksearch._maybe_word(np, hx, h)
    assert not (both & ~one).any()  # (the second bitmap only drops)
    assert one.sum() > 300 and both.sum() * 10 < one.sum()


def test_without_a_stored_index_a_short_run_searches_one_word_at_a_time(monkeypatch):
    c = Corrector()
    monkeypatch.setitem(c.model.tables(), "index", {})  # (a model file of before, or tables built at load)
    words = _garbled(c, 100, seed=23)
    assert len(words) < search.BULK_AFTER
    c.prefetch_candidates(words)
    assert not c._searched and c._bulk is None  # (no lexicon hashed: a build of a few pages)


def test_with_the_stored_index_the_searches_are_made_in_bulk_at_once():
    c = Corrector()
    assert set(c.model.tables()["index"]) == {"lex", "lex_common"}
    c.prefetch_candidates(_garbled(c, 100, seed=23))
    assert c._searched and c._bulk is not None


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_the_index_a_model_file_stores_is_its_lexicons(lang):
    """The shipped file's bitmaps and letters are what hashing its lexicons makes now (a change of
    the hashing constants changes INDEX_KEY, and an index of other constants is not used)."""
    np = pytest.importorskip("numpy")
    from reissue.correct.model import load_model, model_path_for

    tables = load_model(model_path_for(lang)).tables()
    for name in ("lex", "lex_common"):
        stored = bulksearch._Lexicon.stored(np, tables["index"][name])
        made = bulksearch._Lexicon.of_words(np, tables[name][0])
        assert stored.letters == made.letters
        for part in ("words", "prefixes", "endings", "words2"):
            assert np.array_equal(getattr(stored, part), getattr(made, part)), (lang, name, part)


def test_an_index_of_other_hashing_constants_is_not_used():
    from reissue.correct.lexicon import _stored_index

    num = {"lex.index": b"\0" * 8, "lex_common.index": b"\0" * 8}
    header = {"index": {"key": "0/0/0/22", "letters": {"lex": "ab", "lex_common": "a"}}}
    assert _stored_index(header, num) == {} and not num  # (read and dropped)
    num = {"lex.index": b"\0" * 8}
    header["index"]["key"] = bulksearch.INDEX_KEY
    assert _stored_index(header, num) == {"lex": (b"\0" * 8, "ab")}
    with pytest.raises(ValueError, match="stored lexicon index"):
        bulksearch._Lexicon.stored(pytest.importorskip("numpy"), (b"\0" * 8, "ab"))


@pytest.mark.parametrize("max_edits", [2, 1])
def test_candidates_are_the_same_with_the_searches_made_in_bulk_before(monkeypatch, max_edits):
    monkeypatch.setattr(search, "BULK_AFTER", 0)
    fresh, bulk = Corrector(), Corrector()
    for c in (fresh, bulk):
        c.P = c.P.replace(max_edits=max_edits)  # (1: no deeper search; the frequent words' search all the same)
    words = _garbled(fresh, 120, seed=13)
    bulk.prefetch_candidates(words)
    assert bulk._searched  # the searches were made (and are found below)
    frequent = id(bulk._frequent_lexicon()[0])  # (the frequent-word search of the shipped model: frequent_deep_p)
    assert any(k[4] == frequent for k in bulk._searched)
    for w in words:
        assert bulk.candidates(w) == fresh.candidates(w), w
    assert not any(k[4] == frequent for k in bulk._searched)  # each made in bulk was asked for, none made twice
    # each answer is found once: the dicts handed out are the callers' to change
    assert not any(k[0] in words and k[1] == 1 for k in bulk._searched if k[4] == id(bulk._lexicon()[0])
                   and k[3] == bulk.P.min_path_lp)


def test_re_segmentations_are_the_same_with_their_halves_searched_in_bulk_before(monkeypatch):
    monkeypatch.setattr(search, "BULK_AFTER", 0)
    fresh, bulk = Corrector(), Corrector()
    if bulk.P.split_correct_lp is None:
        pytest.skip("the model does not re-segment")
    rnd = random.Random(17)
    common = [w for w in fresh._lexicon_sorted() if w.isalpha() and 2 <= len(w) <= 4 and fresh.lm.p(w) >= 1e-4]
    garbled = _garbled(fresh, 200, seed=19)
    words = [rnd.choice(common) + rnd.choice(garbled) for _ in range(150)]  # "tbeman": a word and a misread one
    words = [w for w in words if w.isalpha()]
    bulk.prefetch_candidates(words)
    halves = [k for k in bulk._searched if k[3] == bulk.P.light_min_path_lp and k[0] not in words]
    assert len(halves) > 20  # the halves were searched in bulk
    assert [bulk.resegmentations(w) for w in words] == [fresh.resegmentations(w) for w in words]
    assert sum(map(len, (fresh.resegmentations(w) for w in words))) > 10


def test_merge_searches_made_in_bulk_before_answer_as_one_by_one(monkeypatch):
    from reissue.correct.tokens import tokenize

    monkeypatch.setattr(search, "BULK_AFTER", 0)
    fresh, bulk = Corrector(), Corrector()
    words = [w for w in _garbled(fresh, 150, seed=31) if len(w) >= 6 and w.isalpha()]
    text = " ".join(w[:3] + " " + w[3:] for w in words) + " con aulted"
    toks = tokenize(text)
    lows = [t.form.lower() for t in toks]
    n = len(toks)
    joins = [fresh._merge_correctable(toks[i], toks[i + 1], lows[i], lows[i + 1]) for i in range(n - 1)] + [False]
    bulk.prefetch_merge_searches(toks, lows, joins)
    asked = [(lows[i], lows[i + 1]) for i in range(n - 1) if joins[i]]
    assert len(asked) > 20 and ("con", "aulted") in asked
    lex = id(bulk._lexicon()[0])
    made = {k[0] for k in bulk._searched if k[1:] == (1, False, bulk.P.min_path_lp, lex)}
    assert {a + b for a, b in asked} <= made  # searched before they are asked for
    for a, b in asked:
        assert bulk._merge_cands(a, b) == fresh._merge_cands(a, b), (a, b)
    assert ("consulted", bulk._merge_cands("con", "aulted")[0][1]) in bulk._merge_cands("con", "aulted")


def _deepest_corrector(floor):
    """A corrector of the shipped model with ``deepest_min_path_lp`` set to floor (None: off)."""
    from reissue.correct.model import Params, load_model

    m = load_model(None)
    m.params = Params.build(m.language["params"], {**(m.data.get("params") or {}), "deepest_min_path_lp": floor})
    return Corrector(m)


def test_the_deepest_search_reaches_a_garbled_word_only_where_the_others_found_nothing():
    on, off = _deepest_corrector(-16.1), _deepest_corrector(None)
    # two unlikely confusions apart: no candidate at all within the usual floors
    for w, right in (("destriietion", "destruction"), ("coniniand", "command")):
        assert not any(r == "confusion" for _c, _lp, r in off.candidates(w))  # (the fallback's words at most)
        got = on.candidates(w)
        assert got[0][0] == right and got[0][2] == "confusion" and got[0][1] < on.P.deep_min_path_lp, got
    # a word the usual searches found a candidate for keeps its list: more unlikely ones would spread its
    # posterior ("stoninc" -> "stoning" was lost so)
    for w in ("stoninc", "fteadv", "tieup"):
        assert on.candidates(w) == off.candidates(w), w


def test_the_deepest_search_made_in_bulk_answers_as_one_by_one(monkeypatch):
    monkeypatch.setattr(search, "BULK_AFTER", 0)
    fresh, bulk = _deepest_corrector(-16.1), _deepest_corrector(-16.1)
    words = _garbled(fresh, 150, seed=41) + ["destriietion", "coniniand", "consuininate", "unifbrnily"]
    bulk.prefetch_candidates(words)
    deepest = [k for k in bulk._searched if k[3] == bulk.P.deepest_min_path_lp]
    assert len(deepest) >= 4  # (made in bulk: found below)
    assert [bulk.candidates(w) for w in words] == [fresh.candidates(w) for w in words]


def test_a_two_edit_search_at_several_floors_answers_as_one_search_at_each(corrector):
    # (search_floors: the paths found once at the lowest floor, each floor's answer those that reach it; what
    # prefetch_candidates asks for the deep and the deepest search at once)
    P = corrector.P
    lex = corrector._lexicon()
    words = _garbled(corrector, 120, seed=11)
    floors = (P.deep_min_path_lp, P.deepest_min_path_lp or P.deep_min_path_lp - 3.0, P.min_path_lp)
    bulk = BulkSearch(corrector)
    found = 0
    for part in (words[:3], words[3:]):
        for f, got in zip(floors, bulk.search_floors(part, 2, False, floors, lex)):
            for w, res in zip(part, got):
                ref = corrector._search_fast(w, 2, False, f, lex)
                assert list(res.items()) == list(ref.items()), (w, f)
                found += len(res)
    assert found > 200
