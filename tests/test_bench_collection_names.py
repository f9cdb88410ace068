"""benchmarks/bench_collection_names.py: the simulated collection and the guard it measures."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))  # (it imports bench_correct_cv beside it)
spec = importlib.util.spec_from_file_location("bench_collection_names", ROOT / "benchmarks" / "bench_collection_names.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

from reissue.correct.engine import Correction  # noqa: E402


def _collection(tmp_path: Path, docs: list[tuple[str, str]]) -> "bench.Collections":
    with open(tmp_path / "icdar2017-train.jsonl", "w", encoding="utf-8") as fh:
        for doc_id, ocr in docs:
            fh.write(json.dumps({"document_metadata": {"document_id": doc_id}, "ocr_hypothesis":
                                 {"transcription_unit": ocr}, "ground_truth": {"transcription_unit": ocr.upper()}})
                     + "\n")
    return bench.Collections(tmp_path, ("icdar2017-train",))


def _fix(text: str, word: str, after: str, confidence: float = 0.9) -> Correction:
    a = text.index(word)
    return Correction(a, a + len(word), word, after, confidence, "confusion")


def test_a_name_the_other_documents_of_its_source_print_stays(tmp_path):
    one = "The land of Mr Jones, and Gledstone Hall."
    coll = _collection(tmp_path, [("icdar2017_train_en_7_1", one),
                                  ("icdar2017_train_en_7_2", "Sold at Gledstone on Monday."),
                                  ("icdar2017_train_en_7_3", "Gledstone, and Gledstone again."),
                                  ("icdar2017_train_en_8_1", "Gladstone Gladstone Gladstone Gladstone.")])
    # the other documents of source 7, not the document itself nor another source
    assert coll.elsewhere(one, "gledstone") == (2, 3)
    assert coll.elsewhere(one, "gladstone") == (0, 0)
    assert coll.elsewhere(one.upper(), "gledstone") == (2, 3)  # its ground truth, corrected as the OCR (--damage)
    assert coll.elsewhere("a text of no source", "gledstone") is None
    how = {"docs": 2, "never": False, "overwhelming": 0.99, "min_len": 4}
    assert bench.refused(coll, one, _fix(one, "Gledstone", "Gladstone"), **how)
    assert not bench.refused(coll, one, _fix(one, "Gledstone", "Gladstone", 0.995), **how)  # overwhelming
    assert not bench.refused(coll, one, _fix(one, "Gledstone", "Gladstone"), **{**how, "docs": 3})


def test_a_word_at_a_sentence_start_or_in_capitals_is_no_name():
    assert bench.name_like("the land, and Gledstone", 14, "Gledstone", 4)
    assert bench.name_like("sold to Gledstone", 8, "Gledstone", 4)
    assert not bench.name_like("It was. Gledstone", 8, "Gledstone", 4)
    assert not bench.name_like("Gledstone", 0, "Gledstone", 4)
    assert not bench.name_like("sold to GLEDSTONE", 8, "GLEDSTONE", 4)
    assert not bench.name_like("sold to Gle", 8, "Gle", 4)
    assert bench.name_like("It was. Gledstone", 8, "Gledstone", 4, anywhere=True)
    assert not bench.name_like("sold to GLEDSTONE", 8, "GLEDSTONE", 4, anywhere=True)
