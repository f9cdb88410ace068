"""CharLM.prefetch (reissue.correct.context): the context model's scores of many proposed edits looked up at
once are the numbers deltas gives for each alone, bit for bit, so that the corrector's prefetch of the edits
it is about to propose (scoring._prefetch_context) changes no correction."""

from __future__ import annotations

import random

import pytest

from reissue.correct import context

TEXT = ("The Comintem was founded in 1919, and tbe delegates of tlie parties met in Moscow; "
        "their resolutions were printed in the Inprecorr and read with care by the comrades abroad.  "
        "A noncharacter \uffff and odd  spacing\tstay.")


@pytest.fixture(scope="module")
def models():
    path = context.default_path()
    if path is None:
        pytest.skip("no shipped context model")
    return context.load(path), context.load(path)


def questions(text: str, n: int, seed: int) -> list[tuple[int, int, tuple]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = rng.randrange(len(text))
        e = min(len(text), s + rng.randrange(0, 10))
        out.append((s, e, tuple(rng.choice(["", "the", "Comintern", text[s:e].upper(), "a b", "\uffff"])
                                for _ in range(rng.randrange(1, 3)))))
    return out


def test_prefetched_scores_are_those_of_one_question_at_a_time(models):
    batch, single = models
    qs = questions(TEXT, 300, 1)
    batch.prefetch(TEXT, qs)
    for s, e, afters in qs:
        assert batch.deltas(TEXT, s, e, list(afters)) == single.deltas(TEXT, s, e, list(afters))


def test_large_batches_search_in_sorted_order_with_the_same_positions(models):
    np = pytest.importorskip("numpy")
    m = models[0]
    rng = np.random.default_rng(0)
    q = np.concatenate([m._keys[rng.integers(0, len(m._keys), context.SORTED_SEARCH)],
                        rng.integers(0, 2 ** 62, 100, dtype=np.uint64)]).reshape(2, -1)
    assert np.array_equal(m._search(m._keys, q), np.searchsorted(m._keys, q))


def test_contexts_found_beside_their_n_grams_are_those_a_search_finds(models):
    # (CharLM._context_index: the shipped model's contexts are exactly those of its n-grams, so logprobs finds a
    # position's context from where its n-gram is; the same numbers as with the contexts searched on their own)
    m = models[0]
    if m._cidx is None:
        pytest.skip("the model stores contexts of no n-gram")
    rng = random.Random(4)
    texts = [TEXT[a:a + rng.randrange(1, 60)] + rng.choice(["", "zq\u00e9", "\uffff", "Qx"]) for a in range(0, len(TEXT), 3)]
    starts = [rng.randrange(0, max(1, len(t))) for t in texts]
    for n in (2, len(texts)):  # a small batch (each position looked up) and a large one (sorted, each n-gram once)
        got = m.logprobs(texts[:n], starts[:n])
        cidx, m._cidx = m._cidx, None
        try:
            ref = m.logprobs(texts[:n], starts[:n])
        finally:
            m._cidx = cidx
        assert got[1] == ref[1] and got[0].tolist() == ref[0].tolist()


def test_a_new_text_forgets_the_answers_of_the_last(models):
    m = models[0]
    m.prefetch(TEXT, [(4, 12, ("Comintern",))])
    other = TEXT.replace("Comintem", "Comintex")
    assert m.deltas(other, 4, 12, ["Comintern"]) == models[1].deltas(other, 4, 12, ["Comintern"])
    assert (4, 12, ("Comintern",)) in m._dcache and m._dtext is other


def _prefetch_spy():
    """(asked, prefetch): a CharLM.prefetch to bind to a model (``prefetch.__get__(lm)``) that does what the real one
    does and appends to ``asked`` the questions of each call it had no answer to yet."""
    from reissue.correct.context import CharLM

    asked = []

    def prefetch(self, t, qs):
        asked.append([q for q in qs if not (t is self._dtext and q in self._dcache)])
        return CharLM.prefetch(self, t, qs)
    return asked, prefetch


def test_the_corrector_foresees_its_merges_and_one_character_edits():
    # each proposal's context score is asked in the one prefetch before the pass: a merge ("ap pear")
    # and a one-character edit ("1 have") as well as a word's best candidate ("tbe")
    from reissue.correct import Corrector

    c = Corrector()
    if c.vetter is None or not c.vetter.uses_context:
        pytest.skip("the shipped model's vetter weighs no context model")
    lm = c._charlm()
    text = "Sir, 1 have seen it. The delegates will soon ap pear in tbe hall of the parties."
    asked, prefetch = _prefetch_spy()
    lm.prefetch = prefetch.__get__(lm)
    try:
        out = c.corrections(text)
    finally:
        del lm.prefetch
    rules = {x.rule for x in out}
    assert {"merge", "real-word"} <= rules and len(out) == 3, out
    # the first call is the prefetch; every later question (deltas of one proposal) was answered by it
    # (deltas asks the prefetch only about a question it has no answer to)
    assert asked and asked[0] and not any(asked[1:]), asked


def test_the_decoder_finds_the_scores_the_prefetch_made_and_corrects_the_same():
    # the prefetch scores each word token after the printed word before it and keeps the scores under
    # the decoder's key: the decoder scores no token twice after the same word, and corrects as a
    # corrector without the prefetch does
    from reissue.correct import Corrector

    spied, plain = Corrector(), Corrector()
    if spied.vetter is None or not spied.vetter.uses_context:
        pytest.skip("the model's vetter does not weigh the context model")
    # one decode: the second look decodes the corrected text again, its tokens at the same places (secondlook.py)
    spied.P = plain.P = spied.P.replace(second_look=None)
    seen, twice = set(), []
    word_scores = spied._word_scores

    def spy(t, o, cands, prev, nxt, vocab, ctx, doubt=False):
        key = (t.start, prev, doubt)
        if key in seen:
            twice.append(key)
        seen.add(key)
        return word_scores(t, o, cands, prev, nxt, vocab, ctx, doubt)
    spied._word_scores = spy
    text = TEXT + " Tbe comrades of tlie party aud the Comintem." * 3
    got = spied.corrections(text)
    assert len(seen) > 10 and not twice
    plain._prefetch_context = lambda *a, **k: None
    assert [(c.start, c.end, c.after) for c in got] == [(c.start, c.end, c.after) for c in plain.corrections(text)]


def test_a_preloaded_corrector_has_its_context_model_and_corrects_the_same():
    """Corrector.preload (what bench_correct.py times as part of the load): the context model is
    loaded before the first proposal, and nothing the corrector does changes."""
    from reissue.correct import Corrector

    lazy, eager = Corrector(), Corrector()
    if not eager.model.data.get("context_model"):
        pytest.skip("the shipped model weighs no context model")
    assert eager.preload() is eager and eager.context_lm is not None
    assert eager.correct_text(TEXT) == lazy.correct_text(TEXT)
    assert "Comintern" in eager.correct_text(TEXT)


def test_the_second_pass_asks_the_proposals_its_adaptation_changes_at_once_and_corrects_the_same():
    # the adapted channel of the second pass proposes other edits ("bouse" -> "rouse" where b -> r gains): they are
    # asked of the context model in one prefetch before it (scoring._prefetch_adapted), none alone at the gate, and
    # the corrections are those of a corrector without that prefetch; a merge with correction ("con aulted") is
    # asked in the first pass's prefetch (merges._merge_proposal)
    from reissue.correct import Corrector
    from reissue.correct.tokens import tokenize

    spied, plain = Corrector(), Corrector()
    if spied.vetter is None or not spied.vetter.uses_context:
        pytest.skip("the model's vetter does not weigh the context model")
    lm = spied._charlm()
    text = "He saw wbat bad been done in the bouse; it was bigh time, and tbe men con aulted the rest."
    asked, prefetch = _prefetch_spy()
    adapt = {("b", "r"): 20.0, ("b", "s"): 20.0, ("b", "he"): 20.0}  # (strong enough to change three proposals)
    plain._prefetch_adapted = lambda *a, **k: None
    got = []
    for c in (spied, plain):
        toks = tokenize(text, c.line_hyphens, c.elisions, c.dash_words_stripped)
        lows = [t.form.lower() for t in toks]
        vocab, memo = c.vocabulary([text]), {}
        if c is spied:
            lm.prefetch = prefetch.__get__(lm)
        try:
            first = c._corrections(text, toks, lows, vocab, None, memo)
            n = len(asked)
            second = c._corrections(text, toks, lows, vocab, adapt, memo)
        finally:
            lm.__dict__.pop("prefetch", None)
        got.append([[(x.start, x.end, x.after, x.confidence) for x in out] for out in (first, second)])
        if c is spied:
            assert "consulted" in [x.after for x in first] and asked[0] and not any(asked[1:n]), asked
            assert {q[2] for q in asked[n]} == {("he",), ("r",), ("s",)} and not any(asked[n + 1:]), asked
            assert {x.after for x in second} >= {"he", "r", "s"}
    assert got[0] == got[1]
