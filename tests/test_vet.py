"""The edit vetter: export of the trees, training, labels, and its use in the corrector."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from reissue.cli import cli
from reissue.correct import Corrector
from reissue.correct.engine import Correction
from reissue.correct.model import DEFAULT_PARAMS, CorrectionModel, load_model, read_model_file
from reissue.correct.train import fit
from reissue.correct.vet import FEATURES, Vetter
from reissue.correct.vet_train import export_trees, fit_vetter, labeller
from reissue.correct.vet_train import vet_model
from reissue.errors import ModelError, UsageError

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")


def _rows(n: int, seed: int = 0) -> list[tuple[list[float], int]]:
    """Random feature vectors; an edit helps when logit_post is high and the window is clean."""
    rng = random.Random(seed)
    lp, win = FEATURES.index("logit_post"), FEATURES.index("window_oov")
    rows = []
    for _ in range(n):
        x = [rng.uniform(-5, 5) for _f in FEATURES]
        x[win] = rng.random()
        good = x[lp] - 4 * x[win] + rng.gauss(0, 0.5) > 0
        rows.append((x, rng.randint(1, 3) if good else -rng.randint(1, 3)))
    return rows


def test_compiled_trees_give_sklearn_probabilities():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rows = _rows(600)
    X = np.array([x for x, _g in rows])
    y = np.array([g > 0 for _x, g in rows], dtype=int)
    clf = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=15, random_state=0).fit(X, y)
    vetter = Vetter(export_trees(clf))
    test = np.array([x for x, _g in _rows(200, seed=1)])
    want = clf.predict_proba(test)[:, 1]
    got = [vetter.prob(list(x)) for x in test]
    assert max(abs(a - b) for a, b in zip(got, want)) < 1e-9


def test_fit_vetter_learns_the_rule_and_refuses_too_little():
    data = fit_vetter(_rows(1500))
    assert data["features"] == list(FEATURES) and data["rows"] == 1500 and len(data["trees"]) == 80
    vetter = Vetter(data)
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("logit_post")] = 4.0
    assert vetter.prob(x) > 0.8
    x[FEATURES.index("window_oov")] = 1.0
    x[FEATURES.index("logit_post")] = -3.0
    assert vetter.prob(x) < 0.2
    with pytest.raises(UsageError, match="too few proposals"):
        fit_vetter(_rows(30))
    with pytest.raises(UsageError, match="too few proposals"):
        fit_vetter([(x, 1) for x, _g in _rows(200)])  # nothing to tell apart


def test_fit_vetter_size_sets_the_trees_and_their_leaves():
    rows = _rows(1500)
    small, big = fit_vetter(rows), fit_vetter(rows, max_iter=120, max_leaf_nodes=31)
    leaves = lambda data: max(sum(1 for f in tree[0] if f < 0) for tree in data["trees"])  # noqa: E731
    assert len(small["trees"]) == 80 and leaves(small) <= 15
    assert len(big["trees"]) == 120 and 15 < leaves(big) <= 31


def test_a_vetter_for_other_features_is_refused():
    with pytest.raises(ValueError, match="features differ"):
        Vetter({"features": ["logit_post"], "base": 0.0, "trees": []})
    data = dict(load_model().data)
    data["edit_filter"] = {"features": list(FEATURES)[:-1], "base": 0.0, "trees": []}
    with pytest.raises(ModelError, match="malformed"):
        CorrectionModel(data)


def test_labels_count_the_characters_an_edit_gains_or_loses():
    ocr = "He saw tbe cat and tbe dog."
    gain = labeller(ocr, "He saw the cat and a dog.")
    b = ocr.index("tbe") + 1
    assert gain(Correction(b, b + 1, "b", "h", 1.0, "confusion")) == 1  # tbe -> the
    assert gain(Correction(b + 1, b + 2, "e", "o", 1.0, "confusion")) == -1  # tbe -> tbo
    b2 = ocr.index("tbe", b) + 1
    # the second "tbe" stands for "a": making it "the" still leaves it wrong (no gain, no loss)
    assert gain(Correction(b2, b2 + 1, "b", "h", 1.0, "confusion")) == 0


def test_the_shipped_model_vets_every_edit():
    c = Corrector()
    assert c.vetter is not None
    c.proposals = []
    text = "It is to he an act of the Comintem, hut rather tbe other."
    made = c.corrections(text)
    assert made and len(c.proposals) >= len(made)
    seen = {(corr.start, corr.end, corr.after): x for x, corr in c.proposals}
    for corr in made:
        x = seen[(corr.start, corr.end, corr.after)]
        assert set(x) == set(c.vetter.features) and len(x) == len(c.vetter.features) >= len(FEATURES)
        # the vetter's probability, or an edit it doubts that a learned confusion explains (_explained)
        assert corr.confidence == round(c.vetter.prob(x), 4) >= c.threshold or (
            corr.confidence == c.threshold and c._explained(corr, 1.0, x, text))
    c.proposals = None
    assert c.corrections(text) == made  # recording proposals changes nothing


def test_features_are_named_by_what_they_measure():
    import math

    c = Corrector()
    c.proposals = []
    text = "It is to he an act of the Comintem, hut rather tbe other."
    c.corrections(text)
    at = text.index("tbe")  # (an edit is the characters that differ: "b" -> "h")
    x = next(x for x, corr in c.proposals if at <= corr.start < at + 3)
    lm = c.lm
    assert x["distance"] == 1.0 and x["length"] == 3.0 and x["marks"] == 0.0 and x["all_caps"] == 0.0
    assert sum(v for k, v in x.items() if k.startswith("rule_")) == 1.0
    assert x["train_count_cand"] == math.log1p(lm.tr_uni.get("the", 0)) > x["train_count_ocr"]
    assert x["train_bigram_right_cand"] == math.log1p(lm.tr_bi.get("the other", 0))
    assert x["sym_bigram_left_cand"] == math.log1p(lm.sym_bi.get("rather the", 0))
    assert x["sym_bigram_left_ocr"] == math.log1p(lm.sym_bi.get("rather tbe", 0))
    assert x["sym_bigram_left_cand"] > x["sym_bigram_left_ocr"]


def _generated_pairs(n: int) -> list[tuple[str, str]]:
    rng = random.Random(3)
    words = ("the cat sat on the mat and the dog was there but he would not be moved by the rain "
             "when they came back from the market with bread and butter for the house").split()
    confusions = {"the": "tbe", "but": "hut", "be": "he", "and": "aud", "when": "wben", "house": "bouse",
                  "there": "tliere", "market": "rnarket", "moved": "rnoved"}
    pairs = []
    for _ in range(n):
        gt = " ".join(rng.choice(words) for _w in range(60))
        ocr = " ".join(confusions[w] if w in confusions and rng.random() < 0.4 else w for w in gt.split())
        pairs.append((ocr, gt))
    return pairs


def test_vet_model_trains_a_vetter_by_cross_validation():
    pairs = _generated_pairs(40)
    data = vet_model(fit(pairs, sources=["unit"]), pairs)
    assert data["edit_filter"]["rows"] >= 50
    c = Corrector(CorrectionModel(data))
    assert c.vetter is not None
    assert "the market" in c.correct_text("they came back from tbe market")
    assert "synthetic_weight" not in data["edit_filter"]


def test_vet_model_records_the_weight_of_misread_ground_truth_rows():
    """synthetic > 0 (scripts/train_model.py SYNTHETIC_WEIGHTS): the vetter also learns from each ground truth
    misread by its fold model's confusions, more rows, and the model file says with what weight."""
    pairs = _generated_pairs(40)
    plain = vet_model(fit(pairs, sources=["unit"]), pairs)
    data = vet_model(fit(pairs, sources=["unit"]), pairs, synthetic=0.5)
    assert data["edit_filter"]["synthetic_weight"] == 0.5
    assert data["edit_filter"]["rows"] > plain["edit_filter"]["rows"]


def test_train_cli_notes_when_there_is_too_little_for_a_vetter(tmp_path):
    ocr, gt = tmp_path / "ocr", tmp_path / "gt"
    ocr.mkdir()
    gt.mkdir()
    (ocr / "a.txt").write_text("He said tbat tbe horse was there.")
    (gt / "a.txt").write_text("He said that the horse was there.")
    out = tmp_path / "m.json.gz"
    r = CliRunner().invoke(cli, ["train", "--ocr-dir", str(ocr), "--gt-dir", str(gt), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "too few proposals" in r.output and "no edit vetter" in r.output
    assert "edit_filter" not in read_model_file(str(out))[0]
    # on top of the shipped model, the shipped vetter stays
    r = CliRunner().invoke(cli, ["train", "--ocr-dir", str(ocr), "--gt-dir", str(gt), "--base", "default",
                                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "the base model's edit vetter" in r.output
    assert read_model_file(str(out))[0]["edit_filter"] == load_model().data["edit_filter"]
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"ocr_hypothesis": {"transcription_unit": o},
                                       "ground_truth": {"transcription_unit": g}}) + "\n"
                           for o, g in _generated_pairs(40)))
    r = CliRunner().invoke(cli, ["train", "--hipe", str(big), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "an edit vetter of" in r.output
    r = CliRunner().invoke(cli, ["train", "--hipe", str(big), "--no-vet", "-o", str(out)])
    assert "no edit vetter" in r.output


def test_threshold_from_the_model_file_or_the_vetters_default():
    data = dict(load_model().data)
    assert Corrector(CorrectionModel(data)).threshold == DEFAULT_PARAMS["vet_threshold"]
    data["params"] = {"threshold": 0.8}
    assert Corrector(CorrectionModel(data)).threshold == 0.8
    assert Corrector(CorrectionModel(data), threshold=0.3).threshold == 0.3
    data.pop("edit_filter")
    data["params"] = {}
    assert Corrector(CorrectionModel(data)).threshold == DEFAULT_PARAMS["threshold"]  # the posterior's


def test_fit_vetter_weighs_rows_by_their_weight():
    """A (features, gain, weight) row counts |gain| * weight: the same rows with the bad ones weighted up
    give the edits a lower probability; rows without a weight weigh 1."""
    rows = _rows(1500)
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("logit_post")] = 1.0
    x[FEATURES.index("window_oov")] = 0.3
    plain = Vetter(fit_vetter(rows)).prob(x)
    assert Vetter(fit_vetter([(r[0], r[1], 1.0) for r in rows])).prob(x) == plain
    heavy = Vetter(fit_vetter([(r[0], r[1], 1.0 if r[1] > 0 else 5.0) for r in rows])).prob(x)
    assert heavy < plain


def test_collect_proposals_on_clean_text():
    """clean > 0: the ground truth of each held-out document is corrected too; its proposals are rows of
    that weight, none of which gains (an edit of clean text can only damage it); the others weigh 1."""
    from reissue.correct.vet_train import collect_proposals, default_groups

    pairs = _generated_pairs(40)
    # a ground truth with a word the model reads as a misprint: some proposals on clean text
    pairs = [(o, g.replace("the rain", "the tbe rain")) for o, g in pairs]
    plain = collect_proposals(pairs, default_groups(pairs), fit)
    rows = collect_proposals(pairs, default_groups(pairs), fit, clean=0.3)
    assert {w for *_r, w in plain} == {1.0}
    clean = [r for r in rows if r[3] == 0.3]
    assert clean and all(g <= 0 for _k, _x, g, _w in clean) and any(g < 0 for _k, _x, g, _w in clean)
    assert [r for r in rows if r[3] == 1.0] == plain


def test_collect_proposals_on_misread_ground_truth():
    """synthetic > 0: each held-out ground truth misread by its fold model's learned confusions is
    corrected too; its proposals are rows of that weight, most of them gains (the truth is known)."""
    from reissue.correct.vet_train import collect_proposals, default_groups

    pairs = _generated_pairs(40)
    plain = collect_proposals(pairs, default_groups(pairs), fit)
    rows = collect_proposals(pairs, default_groups(pairs), fit, synthetic=0.5)
    made = [r for r in rows if r[3] == 0.5]
    assert made and sum(g > 0 for _k, _x, g, _w in made) > sum(g < 0 for _k, _x, g, _w in made)
    assert [r for r in rows if r[3] == 1.0] == plain
    assert collect_proposals(pairs, default_groups(pairs), fit, synthetic=0.5) == rows  # reproducible


def test_fit_vetter_bags_average_bootstrap_ensembles_drawn_from_the_rows():
    """bags > 1: the mean log-odds of that many fits on bootstrap resamples, stored as one ensemble; a
    row's bootstrap count comes from the row itself, so dropping other rows leaves it."""
    from reissue.correct.vet_train import _poisson_counts

    rows = _rows(1500)
    one, three = fit_vetter(rows), fit_vetter(rows, max_iter=20, bags=3)
    assert len(three["trees"]) == 60 and fit_vetter(rows, max_iter=20, bags=3) == three
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("logit_post")] = 4.0
    assert Vetter(three).prob(x) > 0.8 and Vetter(one).prob(x) > 0.8
    use = [(x, g, 1.0) for x, g in rows]
    counts = _poisson_counts(use, 7)
    assert list(_poisson_counts(use[::2], 7)) == list(counts[::2])
    assert abs(counts.mean() - 1.0) < 0.1 and list(_poisson_counts(use, 8)) != list(counts)


def test_a_letter_in_place_of_a_dirt_mark_inside_a_word_needs_no_vetter():
    """One letter put in place of a mark of dirt (chars.STRAY_MARKS) between two letters of a word, with a
    sure posterior, is made even where the vetter doubts it (explained_mark_min_post); other edits are not."""
    from casekit import corrector_with

    class Doubting:  # a vetter that doubts every edit
        uses_context = uses_doc = False
        features = FEATURES

        def prob(self, x):
            return 0.1

    text = "the impact of such phenomena as the devasta~ion and demoralization caused by the war, it is tbe same"
    made = {}
    for setting in (0.99, None):
        c = corrector_with(explained_mark_min_post=setting)
        c.vetter = Doubting()
        made[setting] = [(corr.before, corr.after, corr.confidence) for corr in c.corrections(text)]
    assert made[0.99] == [("~", "t", 0.5)]  # tbe -> the: the vetter's doubt stands
    assert made[None] == []


def test_a_vetter_may_weigh_the_documents_share_of_unknown_words():
    """vet.DOC_FEATURES: a vetter trained with them sees each proposal's document share of unknown words (the
    engine's _unknown_share of the document's vocabulary), one number for the whole document; rows collected with
    ``doc`` carry it as their last column, after the same features as without."""
    from casekit import corrector_with

    from reissue.correct.vet import DOC_FEATURE, feature_names
    from reissue.correct.vet_train import collect_proposals, default_groups

    assert Vetter({"features": list(feature_names(doc=True)), "base": 0.0, "trees": []}).uses_doc
    assert not Vetter({"features": list(FEATURES), "base": 0.0, "trees": []}).uses_doc
    with pytest.raises(ValueError, match="features differ"):
        Vetter({"features": [DOC_FEATURE, *FEATURES], "base": 0.0, "trees": []})

    seen = []

    class Spy:  # a vetter that weighs the document's share and records what it is given
        uses_context = False
        uses_doc = True
        features = feature_names(doc=True)

        def prob(self, x):
            seen.append(x)
            return 0.9

    c = corrector_with()
    c.vetter = Spy()
    text = "they came back from tbe market with bread and bultor for the house, a qwzrtx of it"
    made = c.corrections(text)
    share = c._unknown_share(c.vocabulary([text]))
    assert made and seen and 0 < share < 1
    assert all(set(x) == set(Spy.features) and x[DOC_FEATURE] == share for x in seen)

    pairs = _generated_pairs(40)
    plain = collect_proposals(pairs, default_groups(pairs), fit)
    rows = collect_proposals(pairs, default_groups(pairs), fit, doc=True)
    assert [(k, x[:-1], g, w) for k, x, g, w in rows] == plain
    assert len({x[-1] for _k, x, _g, _w in rows}) > 1 and all(0 < x[-1] < 1 for _k, x, _g, _w in rows)


def test_vet_model_with_the_document_feature_makes_a_corrector_that_weighs_it():
    from reissue.correct.vet import DOC_FEATURE

    pairs = _generated_pairs(40)
    data = vet_model(fit(pairs, sources=["unit"]), pairs, doc=True)
    assert data["edit_filter"]["features"][-1] == DOC_FEATURE
    c = Corrector(CorrectionModel(data))
    assert c.vetter.uses_doc and "the market" in c.correct_text("they came back from tbe market")


def test_a_learned_confusion_explains_a_misread_letter_not_letters_never_printed():
    """_explained makes an edit the vetter doubts where one likely learned confusion turns an unknown word into a
    known one (``Comintem`` -> ``Comintern``: m read for rn), but not where it only adds letters: learned from
    words split in the training OCR, such an insertion completes a half whose rest is printed next to it
    (``yester- day`` -> ``yesterday- day``, ``Ken- sington`` -> ``Kenton- sington``)."""
    from reissue.correct.model import model_path_for

    c = Corrector(model_path_for("en"))
    x = {"channel_lp": -1.0, "log_p_ocr": -30.0}  # a likely confusion of a word no lexicon knows
    text = "the Comintem and yester- day"
    misread = Correction(text.index("Comintem") + 7, text.index("Comintem") + 8, "m", "rn", 0.2, "confusion")
    added = Correction(text.index("yester") + 6, text.index("yester") + 6, "", "day", 0.2, "confusion")
    assert c._explained(misread, 0.99, x, text)
    assert not c._explained(added, 0.99, x, text)
    assert not c._explained(misread, 0.5, x, text)  # (the decoder not sure enough: the vetter decides)
