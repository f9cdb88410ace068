"""benchmarks/bench_correct_cv.py: the parameters the folds' vetters learn from, as the shipped vetter did."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # (it imports bench_correct beside it)
    spec = importlib.util.spec_from_file_location("bench_correct_cv_under_test", ROOT / "benchmarks" / "bench_correct_cv.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_folds_vetters_learn_without_the_parameters_set_after_the_shipped_vetter(monkeypatch):
    vp = _bench(monkeypatch).vetter_params
    shipped = {"marks_stay": True, "deepest_min_path_lp": -16.1}
    after = ("deepest_min_path_lp",)
    # a setting tried with --params is decoded with and learnt from, unless the model sets it after its vetter
    over = {**shipped, "name_bonus": 1.1, "deepest_min_path_lp": -14.5}
    assert vp(over, after, shipped, None) == {"marks_stay": True, "name_bonus": 1.1}
    # --collect-params '{}': the proposals the shipped parameters make; or with other settings on top
    assert vp(over, after, shipped, {}) == {"marks_stay": True}
    assert vp(over, after, shipped, {"deepest_min_path_lp": -15.0}) == {"marks_stay": True, "deepest_min_path_lp": -15.0}
    # a model that sets nothing after its vetter: the decoding parameters themselves
    assert vp(over, (), shipped, None) == over


def test_the_shipped_models_record_what_they_set_after_their_vetter(monkeypatch):
    import runpy

    bench = _bench(monkeypatch)
    after = runpy.run_path(str(ROOT / "scripts" / "train_model.py"))["AFTER_VET_PARAMS"]
    for lang in ("en", "fr", "de"):  # each model file as the training script sets it
        assert set(bench.trained_without(lang)) == set(after.get(lang, {})), lang
        assert all(bench.shipped_params(lang)[k] == v for k, v in after.get(lang, {}).items()), lang
    for lang in ("en", "fr"):
        assert bench.shipped_params(lang)["deepest_min_path_lp"] < -12
    assert bench.trained_without("de") == ("frequent_deep_p",)


def test_proposals_are_listed_with_their_gain_and_summed_per_band(monkeypatch):
    """--proposals: each edit the held-out corrector proposes, made or not, with the vetter's probability, the one
    it needed and its gain against the ground truth; the table sums them per band of the vetter's probability."""
    from reissue.correct import Corrector

    bench = _bench(monkeypatch)
    rows = bench.proposal_rows(Corrector(), "They came back from tbe market.", "They came back from the market.")
    fix = [r for r in rows if r["after"] == "h"]
    assert len(fix) == 1 and fix[0]["made"] and fix[0]["gain"] == 1 and fix[0]["vetter"] >= fix[0]["needed"]
    assert "tbe market" in fix[0]["context"]
    made = {"vetter": 0.95, "made": True, "gain": 2}
    same = {"vetter": 0.91, "made": True, "gain": 0}
    lost = {"vetter": 0.55, "made": False, "gain": 1}
    bad = {"vetter": 0.52, "made": False, "gain": -3}
    worse = {"vetter": 0.58, "made": True, "gain": -1}
    edge = {"vetter": 1.0, "made": True, "gain": 1}
    table = bench.band_table([made, same, lost, bad, worse, edge])
    assert table[0].split() == ["vetter", "proposed", "made", "better", "same", "worse", "made", "net", "left",
                                "better", "worse", "left", "net"]
    by_band = {line.split()[0]: line.split()[1:] for line in table[1:]}
    assert by_band["0.5-0.6"] == ["3", "1", "0", "0", "1", "-1", "2", "1", "1", "-2"]
    assert by_band["0.9-1.0"] == ["3", "3", "2", "1", "0", "+3", "0", "0", "0", "+0"]
    assert by_band["0.0-0.3"] == ["0", "0", "0", "0", "0", "+0", "0", "0", "0", "+0"]
    assert by_band["all"] == ["6", "4", "2", "1", "1", "+2", "2", "1", "1", "-2"]
    # the ceiling of any vetter: the made fixes (2 + 1) and the one left (1), none of the harmful ones
    assert table[-1].split(":")[1].split()[0] == "+4" and "(the made ones: +2, +100.0%)" in table[-1]


def test_rule_table_weighs_each_kind_of_edit_on_the_ocr_and_on_the_clean_text(monkeypatch):
    """--proposals with --damage: per kind of edit (rule, printed word known or not) and per threshold, the error its
    proposals of at least that probability remove from the OCR and add to the ground truth fed as the OCR."""
    from reissue.correct import Corrector

    bench = _bench(monkeypatch)
    rows = bench.proposal_rows(Corrector(), "They came back from tbe market.", "They came back from the market.")
    assert all(isinstance(r["known"], bool) for r in rows)
    rows = [{"rule": "confusion", "known": False, "vetter": 0.95, "gain": 2},
            {"rule": "confusion", "known": False, "vetter": 0.62, "gain": -1},
            {"rule": "confusion", "known": False, "vetter": 0.52, "gain": 1},
            {"rule": "confusion", "known": False, "vetter": 0.66, "gain": -2, "clean": True},
            {"rule": "split", "known": True, "vetter": 0.45, "gain": -1, "clean": True}]
    table = bench.rule_table(rows)
    assert table[1].split()[:4] == ["rule", "word", "OCR", "clean"]
    assert [float(t) for t in table[1].split()[4:]] == list(bench.RULE_THRESHOLDS)
    by_kind = {tuple(line.split()[:2]): line.split()[2:] for line in table[2:]}
    at = {t: k + 2 for k, t in enumerate(bench.RULE_THRESHOLDS)}
    confusion = by_kind["confusion", "unknown"]
    assert confusion[:2] == ["3", "1"]
    assert confusion[at[0.5]] == "+2/2" and confusion[at[0.55]] == "+1/2"
    assert confusion[at[0.65]] == "+2/2" and confusion[at[0.7]] == "+2/0" and confusion[at[0.9]] == "+2/0"
    split = by_kind["split", "known"]
    assert split[:2] == ["0", "1"] and split[at[0.4]] == "+0/1" and split[at[0.5]] == "+0/0"
