"""The character context model (reissue.correct.context): smoothing, storage, scoring, the shipped file."""

from __future__ import annotations

import math
import runpy
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

from reissue.correct import context  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT.parent / "shared" / "data" / "hipe-en"
TEXTS = ["It is to be an act of the people, and the house is theirs.",
         "The people of the town met in the house on Monday; the meeting was long.",
         "He said that the act was to be read in the house of the people."]


@pytest.fixture(scope="module")
def lm():
    return context.CharLM(context.fit(TEXTS, order=5))


def _dist(lm, left: str) -> float:
    """Sum over every symbol the model can predict of P(symbol | left)."""
    chars = list(lm.symbols) + ["\x01"]  # every known character and one it never saw
    lp, _lens = lm.logprobs([left + c for c in chars], [len(left)] * len(chars))
    return float(np.exp(lp).sum())


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="the pofx ,.;Mq", max_size=12))
def test_probabilities_of_the_next_character_sum_to_one(lm, left):
    left = context.normalize(left)  # white space runs are read as one space
    assume(not left.endswith(" "))  # so a second space is never read
    assert _dist(lm, left) == pytest.approx(1.0, abs=1e-9)


def test_context_prefers_the_word_it_has_seen_in_that_context(lm):
    the, tbe = lm.score("It is the act of ", ["the", "tbe"], " people")
    assert the > tbe
    d = lm.deltas("met in tbe house on", 7, 10, ["the", "thc"])
    assert d[0] > 0 > d[1]


def test_scoring_many_is_scoring_each(lm):
    queries = [("in the ", ["house", "hous e", ""], " of"), ("", ["The", "Tbe"], " people")]
    many = lm.score_many(queries)
    assert [[round(x, 9) for x in r] for r in many] == \
        [[round(x, 9) for x in lm.score(*q)] for q in queries]
    assert many[0][2] == pytest.approx(lm.score("in the ", [" of"], "")[0])



def _logprobs_one_by_one(lm, texts, starts):
    """What logprobs computes, each text on its own: its characters from start on, after padding."""
    out, lens = [], []
    for text, st in zip(texts, starts):
        text = context.normalize(text)
        codes = [0] * (lm.order - 1) + [lm.table.get(c, 1) for c in text]
        pad = lm.order - 1
        for i in range(max(0, st), len(text)):
            p = 1.0 / (lm.n_symbols - 1)
            for k in range(1, lm.order + 1):
                gram = codes[pad + i - k + 1:pad + i + 1]
                code = sum(int(x) << (context.BITS * (k - 1 - j)) for j, x in enumerate(gram))
                tag = k << context.TAG_SHIFT
                ctx = (code >> context.BITS) | tag if k > 1 else tag
                j = int(np.searchsorted(lm._ckeys, np.uint64(ctx)))
                hit = j < len(lm._ckeys) and int(lm._ckeys[j]) == ctx
                total = float(lm._ctotal[j]) if hit else 0.0
                n1p = float(lm._cn1p[j]) if hit else 0.0
                i2 = int(np.searchsorted(lm._keys, np.uint64(code | tag)))
                cnt = float(lm._counts[i2]) if i2 < len(lm._keys) and int(lm._keys[i2]) == code | tag else 0.0
                d = float(lm._disc[k - 1, 0])
                t = max(total, 1.0)
                a = max(cnt - d, 0.0) / t if total > 0 else 0.0
                g = d * n1p / t if total > 0 else 1.0
                p = a + g * p
            out.append(math.log(max(p, 1e-12)))
        lens.append(max(0, len(text) - st))
    return out, lens


def test_log_probabilities_of_many_texts_are_each_texts_own(lm):
    # the texts are laid out in one array (logprobs): each is scored after its own padding, from its start on
    texts = ["in the house", "", "  the  people met ", "x", "the act\nof", "q" * 30, "tbe"]
    starts = [3, 0, 2, 5, 0, 28, 1]
    lp, lens = lm.logprobs(texts, starts)
    ref, ref_lens = _logprobs_one_by_one(lm, texts, starts)
    assert lens == ref_lens == [9, 0, 14, 0, 10, 2, 2]
    assert lp.tolist() == pytest.approx(ref, abs=1e-12)
    one = [lm.logprobs([t], [s])[0].tolist() for t, s in zip(texts, starts)]
    assert lp.tolist() == [x for part in one for x in part]  # bit for bit: the batch changes nothing


def test_a_batch_looks_each_different_ngram_up_once_with_the_same_numbers(lm, monkeypatch):
    # from UNIQUE_FROM positions on, logprobs looks up each different top-order n-gram once and gives
    # its number back to every position that has it: bit for bit what one lookup per position gives
    texts = [t[:k] + "xq" + t[k:] for t in TEXTS for k in range(0, len(t), 3)]
    starts = [k % 7 for k in range(len(texts))]
    lp, lens = lm.logprobs(texts, starts)
    assert sum(lens) >= context.UNIQUE_FROM
    monkeypatch.setattr(context, "UNIQUE_FROM", 10 ** 9)
    per_position, lens2 = lm.logprobs(texts, starts)
    assert lens == lens2 and lp.tolist() == per_position.tolist()
    ref, _lens = _logprobs_one_by_one(lm, texts[:5], starts[:5])
    assert lp.tolist()[:len(ref)] == pytest.approx(ref, abs=1e-12)


def test_saved_files_are_byte_identical_and_load_back(tmp_path, lm):
    data = context.fit(TEXTS, order=5)
    context.save(data, str(tmp_path / "a.bin.gz"))
    (tmp_path / "sub").mkdir()
    context.save(data, str(tmp_path / "sub" / "b.bin.gz"))
    assert (tmp_path / "a.bin.gz").read_bytes() == (tmp_path / "sub" / "b.bin.gz").read_bytes()
    back = context.load(str(tmp_path / "a.bin.gz"))
    q = ("the act ", ["of", "ot", "oF the"], " people")
    assert back.score(*q) == pytest.approx(lm.score(*q))


def test_a_file_of_another_kind_is_refused(tmp_path):
    import gzip

    from reissue.errors import ModelError

    p = tmp_path / "x.bin.gz"
    p.write_bytes(gzip.compress(b"something else"))
    with pytest.raises(ModelError):
        context.load(str(p))


@pytest.mark.slow
@pytest.mark.skipif(not (DATA_DIR / "icdar2017-train.jsonl").exists(), reason="HIPE English data not available")
def test_shipped_context_model_is_rebuilt_identically(tmp_path):
    out = tmp_path / "c.bin.gz"
    argv = sys.argv
    sys.argv = ["train_context_model.py", "--data", str(DATA_DIR), "-o", str(out), "--no-report"]
    try:
        runpy.run_path(str(ROOT / "scripts" / "train_context_model.py"), run_name="__main__")
    finally:
        sys.argv = argv
    assert out.read_bytes() == Path(context.default_path()).read_bytes()
    assert out.stat().st_size < 30e6
    shipped = context.default_model()
    assert math.isfinite(shipped.score("It is to ", ["be"], " an act")[0])


@pytest.fixture(scope="module")
def plain():
    from reissue.correct.engine import Corrector

    return Corrector()


TEXT = "It is discovered to he an imperialist adventure by the Comintem, and tbe people know it."


def _edits(c, text=TEXT):
    return [(x.before, x.after, x.confidence) for x in c.corrections(text)]


def _with_vetter(plain, vetter):
    """The shipped model with another vetter (same tables, same context model)."""
    from reissue.correct.engine import Corrector
    from reissue.correct.model import CorrectionModel

    m = plain.model
    return Corrector(CorrectionModel({**m.data, "edit_filter": vetter}, path=m.path, tables=m.tables()))


def test_the_shipped_vetter_weighs_the_context_score_and_clean_text_never_loads_it(plain):
    from reissue.correct.vet import CONTEXT_FEATURES

    assert plain.vetter.features[-2:] == CONTEXT_FEATURES
    fresh = _with_vetter(plain, plain.model.data["edit_filter"])
    fresh.corrections("The people of the town met in the house on Monday.")
    assert fresh.context_lm is None  # nothing proposed: the context model is not even loaded
    assert fresh.corrections(TEXT) and fresh.context_lm is not None


def test_the_context_score_reaches_the_vetter_as_its_last_feature(plain):
    from reissue.correct.vet import CONTEXT_FEATURES, FEATURES

    n = len(FEATURES)
    feats = list(FEATURES + CONTEXT_FEATURES)

    def vetter(sign):  # one tree: +-5 by the sign of the context gain (none of the words is a name)
        return {"features": feats, "base": 0.0,
                "trees": [[[n, -1, -1], [0.0, 0.0, 0.0], [1, -1, -1], [2, -1, -1], [0.0, -5 * sign, 5 * sign]]]}

    text = "It is discovered to he an imperialist adventure, and tbe people know it."
    trusting = _with_vetter(plain, vetter(1))
    got = trusting.corrections(text)
    assert got and all(trusting._context_delta(text, x) > 0 for x in got)
    # a vetter that rejects what the context model likes makes none of those edits
    contrary = _with_vetter(plain, vetter(-1))
    assert not {(x.start, x.after) for x in contrary.corrections(text)} & {(x.start, x.after) for x in got}
    from reissue.errors import ModelError

    with pytest.raises(ModelError):
        _with_vetter(plain, {**vetter(1), "features": list(FEATURES)[:-1] + list(CONTEXT_FEATURES)})
