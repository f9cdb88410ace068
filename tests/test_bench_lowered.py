"""benchmarks/bench_lowered.py: the verdicts it gives the words the lowered pass writes small, and those it leaves."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_lowered", ROOT / "benchmarks" / "bench_lowered.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def _rec(ocr: str, out: str, gt: str) -> dict:
    return {"ocr_hypothesis": {"transcription_unit": ocr}, "ocr_postcorrection_output": {"transcription_unit": out},
            "ground_truth": {"transcription_unit": gt}}


def test_tally_sorts_each_word_by_what_the_ground_truth_has():
    records = [
        _rec("the grains In the soil", "the grains in the soil", "the grains in the soil"),  # right
        _rec("the trial In the end", "the trial in the end", "the trial. In the end"),  # kept: a stop lost
        _rec("it was In time", "it was in time", "it was on time"),  # another word
        _rec("only Is it so", "only Is it so", "only is it so"),  # left, and small in the ground truth
        _rec("The grains In the soil", "The grains in the soil", "The grains in the soil"),  # (The: not mid-sentence)
    ]
    small, left = bench.tally(records)
    assert small == {"In": {"right": 2, "kept": 1, "other": 1}}
    assert left == {"Is": {"right": 1}}


def test_main_prints_the_share_right(tmp_path, capsys):
    dump = tmp_path / "cv.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in [
        _rec("the grains In the soil", "the grains in the soil", "the grains in the soil"),
        _rec("the trial In the end", "the trial in the end", "the trial. In the end")]) + "\n")
    assert bench.main([str(dump)]) == 0
    assert "1 right, 1 where the ground truth keeps the capital, 0 at another word: 50% right" in capsys.readouterr().out
