"""The lookup tables a correction model file stores (reissue.correct.lexicon): what loading reads back
is what building computes, and a file without them still loads."""

from __future__ import annotations

import gzip
import json

import pytest

from reissue.correct import lexicon
from reissue.correct.model import CorrectionModel, load_model, read_model_file, save_model_dict
from reissue.correct.train import fit

PAIRS = [("tbe cat sat on tbe mat", "the cat sat on the mat"), ("it is to he done", "it is to be done")] * 2


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("tables")
    data = fit(PAIRS, sources=["unit"])
    path = str(d / "m.json.gz")
    save_model_dict(data, path)
    return data, path


def test_stored_tables_are_the_built_ones(small):
    data, path = small
    stored = read_model_file(path)[1]
    built = CorrectionModel(data).tables()
    assert stored is not None and set(stored) == set(built)
    for name in ("wf", "sym_uni", "sym_bi", "lex", "lex_common", "lex_sorted", "fallback"):
        assert stored[name] == built[name], name
    grams, ctx, mu = stored["shape"]
    assert (grams, ctx) == built["shape"][:2] and mu == pytest.approx(built["shape"][2], rel=1e-12)


def test_a_file_of_the_model_json_alone_loads_and_corrects_the_same(small, tmp_path):
    from reissue.correct.engine import Corrector

    data, path = small
    bare = tmp_path / "bare.json.gz"
    bare.write_bytes(gzip.compress(json.dumps(data).encode("utf-8")))
    assert read_model_file(str(bare))[1] is None
    text = "It is to he done: tbe cat sat on tbe mat."
    assert Corrector(load_model(str(bare))).correct_text(text) == Corrector(load_model(path)).correct_text(text)


def test_the_shipped_model_carries_its_tables():
    m = load_model()
    assert m._tables is not None  # read from the file, not built at load


def test_a_table_entry_with_a_line_break_is_refused():
    with pytest.raises(ValueError):
        lexicon._strs(["a", "b\nc"])


def test_parameters_are_frozen_and_typed_and_an_unknown_key_is_an_error(small):
    import dataclasses

    from reissue.correct.model import DEFAULT_PARAMS
    from reissue.errors import ModelError

    data, _path = small
    p = CorrectionModel(data).params
    assert p.threshold == p["threshold"] == DEFAULT_PARAMS["threshold"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.threshold = 0.1
    assert p.replace(max_cands=3).max_cands == 3 and p.max_cands == DEFAULT_PARAMS["max_cands"]
    assert CorrectionModel({**data, "params": {"threshold": 1}}).params.threshold == 1.0  # an int is a float
    for bad in ({"treshold": 0.5}, {"threshold": "high"}, {"max_cands": 2.5}, {"fallback": 1},
                {"lm_weights": [0.3, "x", 0.3]}):
        with pytest.raises(ModelError):
            CorrectionModel({**data, "params": bad})
    assert CorrectionModel({**data, "params": {"merge_single": None, "clean_oov": 0.03}}).params.clean_oov == 0.03


def test_every_module_reads_one_line_end_hyphen_class():
    from reissue import chars, reflow
    from reissue.correct import languages, tokens, train

    assert tokens.LINE_HYPHENS == chars.LINE_END_HYPHENS == reflow.HYPHENS
    assert all(set(chars.LINE_END_HYPHENS) <= set(lang["line_hyphens"]) for lang in languages.LANGUAGES.values())
    joined = [t.form for t in tokens.tokenize("the contri\u2e17\nbution and the expan=\nsion of trade")]
    assert "contribution" in joined and "expansion" in joined
    assert train.clean_ocr("expan\u00ad\nsion") == "expansion"


def test_model_files_are_inflated_in_large_steps_as_gzip_reads_them(tmp_path, monkeypatch):
    """read_model_file's reader (inflate.Inflated, a background thread inflating ahead) gives the bytes
    gzip gives, by read(n) and readline(), across its chunk edges; a cut file is an error, not a short
    model."""
    import random

    from reissue.correct.inflate import Inflated
    rnd = random.Random(3)
    payload = b"".join(bytes(rnd.choice(b"ab\ncd") for _ in range(rnd.randrange(1, 400))) for _ in range(300))
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(payload))
    monkeypatch.setattr(Inflated, "CHUNK", 37)  # many chunk edges
    monkeypatch.setattr(Inflated, "OUT", 50)
    for sizes in ([1, 5, 100, 7000, 3, -1], [0, 64, 1 << 20]):
        with open(path, "rb") as raw, gzip.open(path, "rb") as ref:
            mine = Inflated(raw)
            assert mine.readline() == ref.readline() and mine.readline() == ref.readline()
            for n in sizes:
                assert mine.read(n) == ref.read(n)
            assert mine.read(10) == ref.read(10) == b""
    cut = tmp_path / "cut.gz"
    cut.write_bytes(path.read_bytes()[:-20])
    with open(cut, "rb") as raw, pytest.raises(EOFError):
        Inflated(raw).read()
    # a file that is no gzip, or a damaged one: the one clear error of load_model, no traceback
    from reissue.errors import ModelError
    bad = bytearray(path.read_bytes())
    bad[len(bad) // 2] ^= 0xFF
    for name, content in (("plain.json.gz", b'{"not": "gzip"}'), ("damaged.json.gz", bytes(bad))):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ModelError, match="cannot read correction model"):
            load_model(str(tmp_path / name))


def test_a_model_file_read_in_part_stops_its_inflating_thread(tmp_path):
    """read_model_file's reader inflates in a thread of its own: closing it early (a malformed header,
    say) ends that thread; a damaged stream is the reader's error at the read that reaches it."""
    import threading

    from reissue.correct.inflate import Inflated

    path = tmp_path / "big.gz"
    path.write_bytes(gzip.compress(bytes(range(256)) * 40000, mtime=0))
    before = threading.active_count()
    with open(path, "rb") as raw, Inflated(raw) as fh:
        assert fh.read(3) == bytes([0, 1, 2])
    assert threading.active_count() == before
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2:len(damaged) // 2 + 64] = bytes(64)
    path.write_bytes(bytes(damaged))
    with open(path, "rb") as raw, Inflated(raw) as fh, pytest.raises(gzip.BadGzipFile):
        fh.read()
