"""The record/replay patch of benchmarks/bench_neural_context.py: the numbers a context model gives are
written down per model, and given back replaced by another model's (the 7-gram's where none was recorded)."""

import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_neural_context as bnc  # noqa: E402
from reissue.correct import vet_train  # noqa: E402

TRAIN = [("Tho cat sat on the mat.", "The cat sat on the mat."), ("A dog ran.", "A dog ran home.")]


def test_records_the_questions_of_each_fold_model():
    patch = bnc.Patch()
    patch.install()
    try:
        lm = vet_train.fold_context_model(TRAIN)
        assert vet_train.fold_context_model(TRAIN) is lm  # one model per training text
        before = lm.score("the cat ", ["sat", "sot"], " on")
    finally:
        patch.uninstall()
    tag = bnc.tag_of([g for _o, g in TRAIN])
    assert patch.corpora[tag] == [g for _o, g in TRAIN]
    assert set(patch.asked[tag]) == {("the cat sat on", 8), ("the cat sot on", 8)}
    # unpatched: the same numbers, nothing recorded
    again = vet_train.fold_context_model(TRAIN).score("the cat ", ["sat", "sot"], " on")
    assert again == pytest.approx(before)


def test_replay_gives_the_recorded_sums_back():
    tag = bnc.tag_of([g for _o, g in TRAIN])
    patch = bnc.Patch({tag: {("the cat sat on", 8): -1.5}})
    patch.install()
    try:
        lm = vet_train.fold_context_model(TRAIN)
        got = lm.score("the cat ", ["sat", "sot"], " on")
    finally:
        patch.uninstall()
    seven = vet_train.fold_context_model(TRAIN).score("the cat ", ["sat", "sot"], " on")
    assert got[0] == pytest.approx(-1.5)
    assert got[1] == pytest.approx(seven[1])  # not recorded: the 7-gram's
    assert (patch.hits, patch.misses) == (1, 1)
    mixed = bnc.Patch({tag: {("the cat sat on", 8): -1.5}}, mix=0.5)
    mixed.install()
    try:
        half = vet_train.fold_context_model(TRAIN).score("the cat ", ["sat"], " on")
    finally:
        mixed.uninstall()
    assert half[0] == pytest.approx(0.5 * -1.5 + 0.5 * seven[0])
