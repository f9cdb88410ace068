"""benchmarks/bench_real_edits.py: hand-read verdicts of the corrections on real pages, matched to a build's edits."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_real_edits", ROOT / "benchmarks" / "bench_real_edits.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def _edit(start, before, after, rule="confusion", page=0):
    return {"page": page, "start": start, "end": start + len(before), "before": before, "after": after, "rule": rule,
            "confidence": 0.9, "left": "", "right": ""}


def test_verdicts_are_matched_by_place_and_text_and_the_rest_is_unjudged():
    verdicts = {bench.key("s", v): {**v, "verdict": verdict} for v, verdict in (
        (_edit(10, "tbe", "the"), "right"), (_edit(30, "pail", "pair"), "wrong"),
        (_edit(50, "•", "", "mark:lone-bullet"), "right"), (_edit(70, "qr", "or"), "wrong"))}
    made = [_edit(10, "tbe", "the"), _edit(30, "pail", "pair"), _edit(50, "•", "", "mark:lone-bullet"),
            _edit(90, "hove", "have"), _edit(10, "tbe", "thy", page=1)]  # another page: not the judged edit
    t = bench.tally("s", made, verdicts)
    assert t["words"] == Counter(right=1, wrong=1) and t["marks"] == Counter(right=1)
    assert t["gone"] == Counter(wrong=1)  # qr -> or is no longer made: a wrong edit gone
    assert [(e["page"], e["before"]) for e in t["unjudged"]] == [(0, "hove"), (1, "tbe")]
    assert t["by_rule"]["confusion"] == Counter(right=1, wrong=1)
    assert bench.share(Counter(right=3, wrong=1, unclear=5)).startswith("75% (")  # unclear ones do not count
    assert bench.tally("other", made, verdicts)["words"] == Counter()  # verdicts of another page set


def test_the_share_right_at_each_confidence_counts_the_judged_word_edits_at_or_above_it():
    def edit(start, conf, rule="confusion"):
        return {**_edit(start, "tbe", "the", rule), "confidence": conf}
    made = [edit(1, 0.55), edit(2, 0.8), edit(3, 0.92), edit(4, 0.97), edit(5, 0.99), edit(6, 0.6, "mark:lead-stop")]
    verdicts = {bench.key("s", e): {**e, "verdict": v} for e, v in
                ((made[0], "wrong"), (made[1], "right"), (made[3], "right"), (made[5], "right"))}
    rows = bench.by_confidence("s", made, verdicts, (0.0, 0.9, 0.95))
    assert [(f, n) for f, n, _c in rows] == [(0.0, 5), (0.9, 3), (0.95, 2)]  # word edits only: not the mark
    assert rows[0][2] == Counter(right=2, wrong=1) and rows[1][2] == Counter(right=1) == rows[2][2]
    assert bench.estimate(5, rows[0][2]) == (5 * 2 / 3, 5 / 3)  # the sample's shares, scaled to all made
    assert bench.estimate(4, Counter()) == (0.0, 0.0)
    # two page sets added up floor by floor, their estimates summed (each set sampled at its own rate)
    other = [(0.0, 10, Counter(right=1), (10.0, 0.0)), (0.9, 4, Counter(), (0.0, 0.0)), (0.95, 1, Counter(), (0.0, 0.0))]
    mine = [(f, n, c, bench.estimate(n, c)) for f, n, c in rows]
    assert bench.pooled([mine, other])[0] == (0.0, 15, Counter(right=3, wrong=1), (5 * 2 / 3 + 10.0, 5 / 3))
    assert [r[1] for r in bench.pooled([mine, other])] == [15, 7, 3]


def test_the_stored_verdicts_are_well_formed(tmp_path):
    lines = [json.loads(x) for x in (ROOT / "benchmarks" / "data" / "real_edits.jsonl").read_text("utf-8").splitlines()]
    got = bench.load_verdicts(ROOT / "benchmarks" / "data" / "real_edits.jsonl")
    assert len(got) == len(lines)  # no edit twice
    for d in lines:
        assert d["verdict"] in bench.VERDICTS
        assert d["end"] - d["start"] == len(d["before"])
        assert d["verdict"] != "wrong" or d.get("printed"), d  # a wrong edit says what was printed
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**lines[0], "verdict": "maybe"}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="maybe"):
        bench.load_verdicts(bad)


def test_the_judged_word_edits_are_told_apart_by_the_ocr_confidence_in_the_word():
    verdicts = {bench.key("s", v): {**v, "verdict": verdict} for v, verdict in (
        (_edit(10, "tbe", "the"), "right"), (_edit(30, "pail", "pair"), "wrong"), (_edit(50, "hove", "have"), "right"),
        (_edit(70, "•", "", "mark:lone-bullet"), "right"))}
    made = [{**_edit(10, "tbe", "the"), "confidence": 0.8, "ocr": "doubted"},
            {**_edit(30, "pail", "pair"), "confidence": 0.8, "ocr": "not doubted"},
            {**_edit(50, "hove", "have"), "ocr": "not doubted"},  # 0.9: certain (edition.CERTAIN)
            {**_edit(70, "•", "", "mark:lone-bullet"), "ocr": "doubted"},  # a mark: no word edit
            {**_edit(90, "tlie", "the"), "ocr": "none"}]  # no verdict
    assert bench.by_ocr("s", made, verdicts) == {("doubted", "<0.9"): Counter(right=1),
                                                  ("not doubted", "<0.9"): Counter(wrong=1),
                                                  ("not doubted", ">=0.9"): Counter(right=1)}
