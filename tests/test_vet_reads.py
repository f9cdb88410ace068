"""The vetter reads the features its trees split on, and the corrector computes the costly bigram features only
where a tree reads them (vet.Vetter.reads, features.VetFeatures._bigram_counts): the same probabilities."""

from __future__ import annotations

import random

from reissue.correct import Corrector
from reissue.correct.features import Site, Weighed
from reissue.correct.tokens import tokenize
from reissue.correct.vet import FEATURES, Vetter

BIGRAMS = [f for f in FEATURES if "_bigram_" in f]


def _tree(cols: list[int], rnd: random.Random) -> list:
    """A tree of depth two splitting on cols[0], then cols[1] / cols[2] (node lists as vet_train stores them)."""
    a, b, c = cols
    t = [rnd.uniform(-1, 1) for _ in range(3)]
    return [[a, b, -1, -1, c, -1, -1], [t[0], t[1], 0.0, 0.0, t[2], 0.0, 0.0], [1, 2, -1, -1, 5, -1, -1],
            [4, 3, -1, -1, 6, -1, -1], [0.0, 0.0, rnd.uniform(-1, 1), rnd.uniform(-1, 1), 0.0,
                                         rnd.uniform(-1, 1), rnd.uniform(-1, 1)]]


def _vetter(cols: list[int], seed: int = 0) -> Vetter:
    rnd = random.Random(seed)
    trees = [_tree([rnd.choice(cols) for _ in range(3)], rnd) for _ in range(12)]
    return Vetter({"features": list(FEATURES), "base": 0.25, "trees": trees})


def test_a_vetter_reads_the_columns_its_trees_split_on_and_scores_a_dict_of_them_as_the_vector():
    rnd = random.Random(1)
    cols = sorted(rnd.sample(range(len(FEATURES)), 9))
    v = _vetter(cols)
    assert v.reads <= {FEATURES[f] for f in cols} and v.reads
    for _ in range(200):
        x = [rnd.uniform(-1, 1) for _ in FEATURES]
        named = {name: x[k] for k, name in enumerate(FEATURES) if name in v.reads}  # what it reads, nothing else
        assert v.prob(named) == v.prob(x) == v.prob(dict(zip(FEATURES, x)))


def test_the_bigram_features_a_vetter_reads_are_computed_and_no_others():
    c = Corrector()
    text = "the man saw tbe dog of the house"
    toks = tokenize(text)
    lows = [t.form.lower() for t in toks]
    site = Site(toks[3], lows, 3, "saw", "dog")
    args = ("confusion", "tbe", "the", -1.0, Weighed(0.9, -5.0, [(-3.0,), (-6.0,)]), site, (-2.0, -3.0),
            (-1.0, -1.5), {"tbe": 1})
    c.proposals = []
    full = c._features(*args)  # a vetter's training rows: every feature
    c.proposals = None
    shipped = c._features(*args)
    more = {"context_delta": 0.5, "context_delta_name": 0.0, "doc_oov": 0.2}  # (the gate's: gate._accept)
    assert set(full) == set(FEATURES) and c.vetter.reads <= set(shipped) | set(more)
    assert {f for f in BIGRAMS if f not in shipped} == {f for f in BIGRAMS if f not in c.vetter.reads}
    assert all(shipped[f] == full[f] for f in shipped)
    assert c.vetter.prob({**shipped, **more}) == c.vetter.prob({**full, **more})
    # a vetter retrained to read every bigram feature gets them all, one that reads none none of them
    for cols, want in ((BIGRAMS, set(BIGRAMS)), (["logit_post", "margin", "length"], set())):
        c.vetter = _vetter([FEATURES.index(f) for f in cols])
        got = c._features(*args)
        assert {f for f in BIGRAMS if f in got} == want & c.vetter.reads
        assert c.vetter.prob(got) == c.vetter.prob(full)
