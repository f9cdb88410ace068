"""benchmarks/bench_gt_audit.py: the edits the scorer counts as damage, and the verdicts read by hand."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_gt_audit", ROOT / "benchmarks" / "bench_gt_audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def _record(ocr: str, gt: str) -> dict:
    return {"document_metadata": {"document_id": "d1"}, "ocr_hypothesis": {"transcription_unit": ocr},
            "ground_truth": {"transcription_unit": gt}}


def test_an_edit_is_scored_against_the_ground_truth_it_moves_towards_or_away_from():
    from reissue.correct import Corrector

    c = Corrector()
    text = "The committee met at the hovse of the secretary on Monday evening."
    fixed = text.replace("hovse", "house")
    # the ground truth has the word right: the edit is counted better
    (e,) = [e for e in audit.scored_edits(c, [_record(text, fixed)], "ocr") if e["before"] == "hovse"]
    assert (e["after"], e["gain"], e["gt"]) == ("house", 1, "house")
    # the ground truth kept the misprint: the same edit is counted worse, in both modes
    (e,) = [e for e in audit.scored_edits(c, [_record(text, text)], "ocr") if e["before"] == "hovse"]
    assert e["gain"] == -1 and e["gt"] == "hovse"
    (e,) = [e for e in audit.scored_edits(c, [_record(fixed, text)], "clean") if e["before"] == "hovse"]
    assert e["gain"] == -1 and e["start"] == text.index("hovse")
    assert audit.baseline_errors([_record(text, fixed)]) == 1


def test_wilson_interval():
    lo, hi = audit.wilson(42, 50)
    assert lo < 0.84 < hi and 0.70 < lo and hi < 0.93
    assert audit.wilson(0, 0) == (0.0, 1.0)
    assert audit.wilson(50, 50)[1] == 1.0


def test_a_verdict_must_be_one_of_the_three(tmp_path):
    bad = tmp_path / "labels.jsonl"
    bad.write_text(json.dumps({"lang": "fr", "split": "s", "mode": "ocr", "doc": "d", "start": 0, "before": "a",
                               "after": "b", "verdict": "fine"}) + "\n")
    with pytest.raises(SystemExit, match="verdict 'fine'"):
        audit.load_labels(bad)


def test_the_shipped_verdicts_are_well_formed():
    labels = audit.load_labels(audit.LABELS)
    assert labels  # read by hand: benchmarks/data/gt_audit.jsonl
    for d in labels.values():
        assert d["before"] != d["after"] and d["lang"] in ("en", "fr", "de") and d["mode"] in ("clean", "ocr")
        if d["verdict"] == "damage":
            assert d["note"], d  # what was damaged is said
