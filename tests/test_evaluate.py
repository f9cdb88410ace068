"""Tests of reissue.evaluate: metrics on hand-checkable pairs, the scorer's normalisation,
parity with the official HIPE-OCRepair scorer, and the `reissue evaluate` command."""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from reissue.errors import InputError
from reissue.evaluate_cli import evaluate_command
from reissue.evaluate_metrics import DRAWS
from reissue.evaluate import (
    Counts,
    cer,
    char_counts,
    cmer,
    load_jsonl,
    normalize,
    score_folders,
    score_pairs,
    score_records,
    wer,
    wmer,
    word_counts,
)

try:  # the official scorer (installed by .ci/run)
    from hipe_ocrepair_scorer import Evaluation, align_records
    from hipe_ocrepair_scorer import norm as official_norm
    OFFICIAL = None
except Exception as exc:  # pragma: no cover - depends on the environment
    OFFICIAL = f"hipe_ocrepair_scorer is not importable ({exc}); install it as .ci/run does"

REPO = Path(__file__).resolve().parents[1]


def _find_data() -> Path | None:
    candidates = [os.environ.get("REISSUE_HIPE_DATA"), REPO.parent / "shared/data/hipe-en",
                  REPO / "shared/data/hipe-en", Path("/work/shared/data/hipe-en")]
    for c in candidates:
        if c and (Path(c) / "overproof-dev.jsonl").is_file():
            return Path(c)
    return None


DATA = _find_data()


def record(gt, ocr, out=None, *, dataset="ds", doc_id=None, **gt_extra):
    rec = {
        "document_metadata": {"document_id": doc_id or f"{dataset}-{abs(hash((gt, ocr))) % 10**8}",
               "primary_dataset_name": dataset},
        "ground_truth": {"transcription_unit": gt, **gt_extra},
        "ocr_hypothesis": {"transcription_unit": ocr},
    }
    if out is not None:
        rec["ocr_postcorrection_output"] = {"transcription_unit": out}
    return rec


# ---------------------------------------------------------------- hand-checkable metrics


def test_one_substitution():
    c = char_counts("abc", "abd")
    assert c == Counts(hits=2, substitutions=1, deletions=0, insertions=0)
    assert cmer("abc", "abd") == pytest.approx(1 / 3)
    assert cer("abc", "abd") == pytest.approx(1 / 3)


def test_insertion_counts_in_mer_denominator():
    c = char_counts("abc", "abcd")
    assert c == Counts(hits=3, insertions=1)
    assert c.mer == pytest.approx(1 / 4)   # (S+D+I)/(H+S+D+I)
    assert c.rate == pytest.approx(1 / 3)  # (S+D+I)/(H+S+D)


def test_deletion():
    c = char_counts("abcd", "abd")
    assert c == Counts(hits=3, deletions=1)
    assert c.mer == pytest.approx(1 / 4)


def test_word_level():
    assert word_counts("the cat sat", "the bat sat") == Counts(hits=2, substitutions=1)
    assert wmer("The cat sat.", "the bat sat") == pytest.approx(1 / 3)
    assert wer("the cat sat", "the cat sat on") == pytest.approx(1 / 3)
    assert wmer("the cat sat", "the cat sat on") == pytest.approx(1 / 4)


def test_mer_is_capped_but_wer_is_not():
    assert wer("a", "x y z") == pytest.approx(3.0)
    assert wmer("a", "x y z") == pytest.approx(1.0)


def test_identical_and_empty():
    assert cmer("Same text.", "same text") == 0.0
    assert Counts().mer == 0.0 and Counts().rate == 0.0
    assert Counts(insertions=2).rate == 1.0


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize("raw, expected", [
    ("Hello, World!", "hello world"),
    ("anniver¬\nsary", "anniversary"),          # ground-truth line-break hyphen joins
    ("anniver-\nsary", "anniver sary"),         # an OCR hyphen does not
    ("husband's", "husband s"),                 # apostrophe -> space, so deleting it is an error
    ("Straße", "strasse"),
    ("Æsop's cœur", "aesop s coeur"),
    ("snake_case  \t words\n", "snake case words"),
    ("long ſ stays", "long ſ stays"),
    ("café", "café"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_apostrophe_deletion_is_an_error_but_case_and_punctuation_are_not():
    assert wmer("her husband's hat", "Her husband's hat!") == 0.0
    assert wmer("her husband's hat", "her husbands hat") > 0


def test_unnormalised_scoring_counts_case():
    assert cmer("Abc", "abc", normalized=False) == pytest.approx(1 / 3)
    assert cmer("Abc", "abc") == 0.0


@pytest.mark.skipif(OFFICIAL is not None, reason=str(OFFICIAL))
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAbß æŒ_-'¬—\n\t.,é\u0364ẞꝛ", max_size=30))
def test_normalize_equals_official_norm(text):
    assert normalize(text) == official_norm(text)


# ---------------------------------------------------------------- records, preference


def test_preference_counts_improved_damaged_unchanged():
    recs = [
        record("the cat sat", "the cot sat", "the cat sat"),   # improved
        record("the dog ran", "the dog ran", "the dig ran"),   # damaged
        record("a b c", "a x c", "a x c"),                     # unchanged
        record("one two", "one twa", "one twa!"),              # unchanged after normalisation
    ]
    res = score_records(recs)["datasets"]["ds"]
    assert (res["improved"], res["damaged"], res["unchanged"]) == (1, 1, 2)
    assert res["pref_score_cmer_macro"] == pytest.approx((1 - 1) / 4)
    assert res["documents"] == 4


def test_missing_empty_and_none_outputs_are_scored_as_ocr():
    gt, ocr = "the cat sat", "the cot sat"
    expected = cmer(gt, ocr)
    for out in (None, "", "   ", "None"):
        res = score_records([record(gt, ocr, out)])["datasets"]["ds"]
        assert res["cmer_micro"] == pytest.approx(expected)
        assert res["replaced_outputs"] == 1
        assert res["unchanged"] == 1
    # the scorer package's align_records convention: empty output = maximal error
    res = score_records([record(gt, ocr, "None")], missing="empty")["datasets"]["ds"]
    assert res["cmer_micro"] == 1.0


def test_excluded_documents_are_dropped():
    recs = [record("abc", "abd", "abc"), record("xyz", "xyy", "xyy", exclude_from_icdar_evaluation=True)]
    res = score_records(recs)["datasets"]["ds"]
    assert res["documents"] == 1 and res["cmer_micro"] == 0.0


def test_micro_macro_and_average_over_datasets():
    recs = [
        record("abcd", "abcx", dataset="one"),        # cMER 1/4 over 4 chars
        record("abcdefghij", "abcdefghij", dataset="one"),
        record("ab", "xb", dataset="two"),            # cMER 1/2
    ]
    res = score_records(recs)
    one, two = res["datasets"]["one"], res["datasets"]["two"]
    assert one["cmer_micro"] == pytest.approx(1 / 14)
    assert one["cmer_macro"] == pytest.approx((1 / 4 + 0) / 2)
    assert two["cmer_micro"] == pytest.approx(1 / 2)
    assert res["averaged"]["cmer_micro"] == pytest.approx((one["cmer_micro"] + two["cmer_micro"]) / 2)
    assert res["averaged"]["documents"] == 3
    assert list(res["datasets"]) == ["one", "two"]


def _change(res):
    return res["cmer_micro"] / res["ocr_cmer_micro"] - 1


def test_change_interval_holds_the_change_and_narrows_with_more_documents():
    rng = random.Random(3)
    words = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far"]

    def doc(k, fixed):  # k words, two misread in the OCR, the output fixing `fixed` of them
        gt = " ".join(rng.choice(words) for _ in range(k))
        ocr = gt.replace("a", "o", 2)
        return record(gt, ocr, ocr.replace("o", "a", fixed) if fixed else ocr, doc_id=f"d{rng.random()}")

    few = [doc(12, rng.choice([0, 1, 2])) for _ in range(8)]
    many = few + [doc(12, rng.choice([0, 1, 2])) for _ in range(192)]
    for recs in (few, many):
        res = score_records(recs, draws=500)["datasets"]["ds"]
        lo, hi = res["cmer_change_interval"]
        assert lo <= _change(res) <= hi
    width = [(lambda i: i[1] - i[0])(score_records(r, draws=500)["datasets"]["ds"]["cmer_change_interval"])
             for r in (few, many)]
    assert width[1] < width[0]
    # the same draws every time (a seed), and none asked for: no interval
    assert score_records(many, draws=500) == score_records(many, draws=500)
    assert "cmer_change_interval" not in score_records(many)["datasets"]["ds"]


def test_change_interval_of_documents_all_changed_alike_is_that_change():
    recs = [record("abcd", "abcx", "abcd", doc_id="a"), record("efgh", "efgx", "efgh", doc_id="b")]
    res = score_records(recs, draws=200)
    assert res["datasets"]["ds"]["cmer_change_interval"] == (-1.0, -1.0)  # every draw fixes all
    assert res["averaged"]["cmer_change_interval"] == (-1.0, -1.0)  # one dataset: its interval
    # two datasets: each has its own, the average none (an interval is no mean of intervals)
    two = score_records(recs + [record("ab", "xb", dataset="two")], draws=200)
    assert two["datasets"]["two"]["cmer_change_interval"] == (0.0, 0.0)
    assert "cmer_change_interval" not in two["averaged"]
    # no error in the OCR: no change to bound
    assert score_records([record("abc", "abc", "abc")], draws=200)["datasets"]["ds"]["cmer_change_interval"] is None


def test_score_pairs_and_per_document():
    res = score_pairs([("the cot sat", "the cat sat", "the cat sat"), ("x", "y", None)], per_document=True)
    docs = res["documents"]
    assert docs[0]["cmer"] == 0.0 and docs[0]["pref_cmer"] == 1
    assert docs[1]["replaced_output"] is True and docs[1]["cmer"] == 1.0
    assert res["datasets"]["pairs"]["improved"] == 1


def test_empty_input_is_an_error():
    with pytest.raises(InputError):
        score_records([])


# ---------------------------------------------------------------- files and folders


def _write_jsonl(path: Path, recs):
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return path


def test_load_jsonl_reports_file_and_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps(record("a", "b")) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_jsonl(p)
    assert str(p) in str(err.value) and "line 3" in str(err.value)

    p.write_text(json.dumps(record("a", "b")) + "\n" + json.dumps({"ground_truth": {}}) + "\n")
    with pytest.raises(InputError, match="line 2"):
        load_jsonl(p)
    with pytest.raises(InputError, match="not found"):
        load_jsonl(tmp_path / "missing.jsonl")


def test_score_folders(tmp_path):
    gt, hyp, ocr = (tmp_path / n for n in ("gt", "hyp", "ocr"))
    for d in (gt, hyp, ocr):
        d.mkdir()
    (gt / "a.txt").write_text("the cat sat")
    (ocr / "a.txt").write_text("the cot sat")
    (hyp / "a.txt").write_text("the cat sat")
    (gt / "b.txt").write_text("on the mat")
    (ocr / "b.txt").write_text("on tbe mat")        # b has no hypothesis file: scored as its OCR
    res = score_folders(gt, hyp, ocr, per_document=True)
    scores = res["datasets"]["gt"]
    assert scores["documents"] == 2 and scores["improved"] == 1 and scores["replaced_outputs"] == 1
    assert scores["cmer_micro"] == pytest.approx(cmer("on the mat", "on tbe mat") * 10 / 21)
    no_ocr = score_folders(gt, hyp)["datasets"]["gt"]
    assert "pref_score_cmer_macro" not in no_ocr and no_ocr["cmer_macro"] == pytest.approx(0.5)
    (gt / "c.txt").write_bytes(b"\xff\xfe bad")
    with pytest.raises(InputError, match="c.txt"):
        score_folders(gt, hyp, ocr)


# ---------------------------------------------------------------- CLI


def test_cli_jsonl_json_and_table(tmp_path):
    p = _write_jsonl(tmp_path / "x.jsonl", [record("the cat sat", "the cot sat", "the cat sat"),
                                            record("on the mat", "on the mat")])
    r = CliRunner().invoke(evaluate_command, [str(p), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["datasets"]["ds"]["improved"] == 1
    assert data["averaged"]["cmer_micro"] == score_records(load_jsonl(p))["averaged"]["cmer_micro"]
    r = CliRunner().invoke(evaluate_command, [str(p)])
    assert r.exit_code == 0 and "cMER micro" in r.output and "preference" in r.output
    assert "interval" not in r.output  # asked for only
    r = CliRunner().invoke(evaluate_command, [str(p), "--interval", "--json"])
    assert json.loads(r.output)["datasets"]["ds"]["cmer_change_interval"] == \
        list(score_records(load_jsonl(p), draws=DRAWS)["datasets"]["ds"]["cmer_change_interval"])
    r = CliRunner().invoke(evaluate_command, [str(p), "--interval"])
    assert r.exit_code == 0 and "95% interval" in r.output


def test_cli_without_outputs_scores_the_ocr(tmp_path):
    p = _write_jsonl(tmp_path / "x.jsonl", [record("the cat sat", "the cot sat")])
    r = CliRunner().invoke(evaluate_command, [str(p), "--json"])
    d = json.loads(r.output)["datasets"]["ds"]
    assert d["cmer_micro"] == d["ocr_cmer_micro"] == cmer("the cat sat", "the cot sat")
    assert d["pref_score_cmer_macro"] == 0


def test_cli_reference_mode(tmp_path):
    ref = _write_jsonl(tmp_path / "ref.jsonl", [record("the cat sat", "the cot sat", doc_id="d1")])
    hyp = _write_jsonl(tmp_path / "hyp.jsonl", [{"document_metadata": {"document_id": "d1"},
                                                 "ocr_postcorrection_output": {"transcription_unit": "the cat sat"}}])
    r = CliRunner().invoke(evaluate_command, [str(hyp), "--reference", str(ref), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["datasets"]["ds"]["cmer_micro"] == 0.0


def test_cli_folders_and_errors(tmp_path):
    gt, hyp = tmp_path / "gt", tmp_path / "hyp"
    gt.mkdir(), hyp.mkdir()
    (gt / "a.txt").write_text("abc")
    (hyp / "a.txt").write_text("abd")
    r = CliRunner().invoke(evaluate_command, ["--gt-dir", str(gt), "--hyp-dir", str(hyp), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["averaged"]["cmer_micro"] == pytest.approx(1 / 3)

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(record("a", "b")) + "\n[1, 2]\n")
    r = CliRunner().invoke(evaluate_command, [str(bad)])
    assert r.exit_code == InputError.exit_code
    assert "bad.jsonl" in r.output and "line 2" in r.output
    r = CliRunner().invoke(evaluate_command, [])
    assert r.exit_code == 2
    r = CliRunner().invoke(evaluate_command, ["--gt-dir", str(gt)])
    assert r.exit_code == 2


def test_reissue_cli_maps_evaluate(tmp_path):
    from reissue.cli import cli

    p = _write_jsonl(tmp_path / "x.jsonl", [record("abc", "abd")])
    r = CliRunner().invoke(cli, ["evaluate", str(p), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["averaged"]["cmer_micro"] == pytest.approx(1 / 3)


# ---------------------------------------------------------------- parity with the official scorer


def _official(records, missing_none=False):
    recs = copy.deepcopy(records)
    if missing_none:
        recs = align_records(recs, recs)
    return Evaluation(recs).score_over_datasets(normalize=True)


def _assert_same(official, mine):
    for fold, scores in official["fold_scores"].items():
        for key, value in scores.items():
            assert mine["datasets"][fold][key] == pytest.approx(value[0], abs=1e-9, rel=0), (fold, key)
    for key, value in official["averaged_scores"].items():
        assert mine["averaged"][key] == pytest.approx(value[0], abs=1e-9, rel=0), key


def _perturb(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(len(chars) // 25):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            chars[i] = rng.choice("aeiou tnrs.,'-¬\n")
        elif op < 0.7:
            chars.insert(i, rng.choice("xe i-"))
        else:
            del chars[i]
    return "".join(chars)


@pytest.fixture(scope="module")
def dev_records():
    if DATA is None:
        pytest.skip("HIPE-OCRepair English data not found (set REISSUE_HIPE_DATA to the hipe-en folder)")
    recs = []
    for split, limit in (("icdar2017-dev", 40), ("overproof-dev", None), ("impresso-snippets-dev", None)):
        recs += load_jsonl(DATA / f"{split}.jsonl")[:limit]
    return recs


@pytest.mark.skipif(OFFICIAL is not None, reason=str(OFFICIAL))
def test_parity_with_official_scorer_ocr_as_output(dev_records):
    recs = copy.deepcopy(dev_records)
    for r in recs:
        r["ocr_postcorrection_output"] = {"transcription_unit": r["ocr_hypothesis"]["transcription_unit"]}
    mine = score_records(recs)
    _assert_same(_official(recs), mine)
    # no output at all = the same as copying the OCR
    assert score_records(dev_records)["averaged"] == pytest.approx(
        {k: v for k, v in mine["averaged"].items() if k != "replaced_outputs"} | {
            "replaced_outputs": len(dev_records)})


@pytest.mark.skipif(OFFICIAL is not None, reason=str(OFFICIAL))
def test_parity_with_official_scorer_perturbed_output(dev_records):
    rng = random.Random(3)
    recs = copy.deepcopy(dev_records)
    for r in recs:
        source = r["ground_truth"] if rng.random() < 0.5 else r["ocr_hypothesis"]
        text = source["transcription_unit"]
        r["ocr_postcorrection_output"] = {"transcription_unit": _perturb(text, rng) if rng.random() < 0.8 else text}
    mine = score_records(recs)
    assert 0 < mine["averaged"]["improved"] < len(recs)
    _assert_same(_official(recs), mine)


@pytest.mark.skipif(OFFICIAL is not None, reason=str(OFFICIAL))
def test_parity_with_align_records_for_none_outputs(dev_records):
    recs = copy.deepcopy(dev_records[:60])
    for i, r in enumerate(recs):
        r["ocr_postcorrection_output"] = {"transcription_unit": "None" if i % 3 == 0 else
                                          r["ground_truth"]["transcription_unit"]}
    _assert_same(_official(recs, missing_none=True), score_records(recs, missing="empty"))


@pytest.mark.skipif(OFFICIAL is not None, reason=str(OFFICIAL))
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab c", max_size=12), st.text(alphabet="ab c", max_size=12))
def test_counts_equal_jiwer(gt, hyp):
    from jiwer import process_characters, process_words

    g, h = normalize(gt), normalize(hyp)
    c = process_characters(g, h)
    w = process_words(g, h)
    assert char_counts(g, h) == Counts(c.hits, c.substitutions, c.deletions, c.insertions)
    assert word_counts(g, h) == Counts(w.hits, w.substitutions, w.deletions, w.insertions)
