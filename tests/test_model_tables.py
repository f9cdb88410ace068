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
    # (the bulk search's index of the lexicons is only stored: built at load, it is hashed when needed)
    assert stored is not None and set(stored) == set(built) | {"index"}
    assert set(stored["index"]) == {"lex", "lex_common"}
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


def test_a_build_with_a_model_file_without_tables_corrects_as_with_them(small, tmp_path, monkeypatch):
    """``reissue build --model F``: reflow asks the model for its word list (stage.word_lists) before the
    model is loaded, and a file without tables builds its language model from that list; the loading
    must not ask the model again (it recursed without end), and the edition is the same."""
    from click.testing import CliRunner

    from reissue import reflow, wordfreqs
    from reissue.cli import cli

    data, path = small
    bare = str(tmp_path / "bare.json.gz")
    save_model_dict(data, bare, tables=False)
    assert read_model_file(bare)[1] is None
    page = tmp_path / "p.txt"
    page.write_text("It is to he done, and tbe commit-\ntee sat on tbe mat on Tuesday.\n\n" * 3, encoding="utf-8")
    texts = []
    for model in (bare, path):
        monkeypatch.setattr(wordfreqs, "_DICTS", {})  # the list is read at the build's first look-up
        reflow.zipf.cache_clear()
        r = CliRunner().invoke(cli, ["build", str(page), "-o", str(tmp_path / "ed"), "--force",
                                     "--model", model, "--lang", "en"])
        assert r.exit_code == 0, (r.output, r.exception)
        texts.append((tmp_path / "ed" / "edition.txt").read_text(encoding="utf-8"))
    reflow.zipf.cache_clear()
    assert "the committee sat on the mat" in texts[0]
    assert texts[0] == texts[1]


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


@pytest.fixture(params=["isal", "zlib"])
def inflater(request, monkeypatch):
    """Each test of the model files' reader runs with ISA-L's inflate (the ``isal`` dependency) and with the
    standard zlib it falls back to."""
    import zlib

    from reissue.correct import inflate

    if request.param == "isal":
        isal_zlib = pytest.importorskip("isal.isal_zlib")
        monkeypatch.setattr(inflate, "_inflater", isal_zlib)
    else:
        monkeypatch.setattr(inflate, "_inflater", zlib)
    return request.param


def test_the_model_files_reader_uses_isal_when_it_is_installed():
    from reissue.correct import inflate

    try:
        from isal import isal_zlib
    except ImportError:
        assert inflate._inflater.__name__ == "zlib"
    else:
        assert inflate._inflater is isal_zlib


def test_model_files_are_inflated_in_large_steps_as_gzip_reads_them(tmp_path, monkeypatch, inflater):
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
                into, want = bytearray(n % 97), bytearray(n % 97)
                assert mine.readinto(into) == ref.readinto(want) and into == want
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


def test_a_model_file_read_in_part_stops_its_inflating_thread(tmp_path, inflater):
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


def _stream(path) -> tuple[bytes, dict, bytes, bytes]:
    """(MAGIC + model JSON line, tables header, the tables' bytes) of a model file with tables."""
    from reissue.correct.model import MAGIC

    raw = gzip.decompress(open(path, "rb").read())
    i = raw.index(b"\n", len(MAGIC))
    j = raw.index(b"\n", i + 1)
    return raw[:i + 1], json.loads(raw[i + 1:j]), raw[j + 1:]


def _write(path, head: bytes, header: dict, body: bytes) -> str:
    path.write_bytes(gzip.compress(head + json.dumps(header).encode() + b"\n" + body, mtime=0))
    return str(path)


def test_the_lexicon_sets_are_stored_as_a_few_runs_of_the_strings(small):
    """Format 5: each of the six nested sets of the two lexicons (words, prefixes, endings) is at most
    two runs of the stored string list, and loading them gives the built sets."""
    data, path = small
    _head, header, _body = _stream(path)
    assert header["version"] == 5 and set(header["runs"]) == set(lexicon.SETS)
    assert all(1 <= len(r) <= 2 for r in header["runs"].values()), header["runs"]
    built = CorrectionModel(data).tables()
    runs, placed = lexicon._lexicon_runs(built)
    for name, k in lexicon.SETS.items():
        lex, part = name.split(".", 1)
        want = {"words": built[lex][0], "follow.keys": set(built[lex][2]), "endings": built[lex][3]}[part]
        assert set(lexicon._in_runs(placed, runs[name])) == set(want), name


def test_a_format_4_file_still_loads_to_the_same_tables(small, tmp_path):
    """A file of format 4 (every set as indices into the strings: the files of before, and of branches
    not yet re-packed) is read as before."""
    from array import array

    data, path = small
    head, header, body = _stream(path)
    sizes = {name: size for name, _k, _n, size in header["entries"]}
    strings = body[:sizes["strings"]].decode().split("\n")
    at = {s: i for i, s in enumerate(strings)}
    built = CorrectionModel(data).tables()
    extra, blobs = [], []
    for lex in ("lex", "lex_common"):
        words, _pre, follow, ends = built[lex]
        for part, items in (("words", sorted(words)), ("follow.keys", list(follow)),
                            ("follow.values", [follow[k] for k in follow]), ("endings", sorted(ends))):
            a = array("I", [at[s] for s in items])
            extra.append([f"{lex}.{part}", "i", len(a), 4 * len(a)])
            blobs.append(a.tobytes())
    skip = {"lex.follow.values", "lex_common.follow.values", "lex.sorted"}
    entries, rest, off = [], [], 0
    for e in header["entries"]:
        if e[0] not in skip:
            entries.append(e)
            rest.append(body[off:off + e[3]])
        off += e[3]
    old = {k: v for k, v in header.items() if k != "runs"}
    old.update(version=4, entries=entries[:1] + extra + entries[1:])
    v4 = _write(tmp_path / "v4.json.gz", head.replace(b"file/5", b"file/4"), old, rest[0] + b"".join(blobs) + b"".join(rest[1:]))
    stored = read_model_file(v4)[1]
    for name in ("lex", "lex_common", "lex_sorted", "fallback", "shape", "wf"):
        assert stored[name] == built[name], name


def test_a_cut_or_inconsistent_model_file_is_one_clear_error(small, tmp_path):
    """A model file cut short (a valid gzip stream that ends inside a table), or whose header points
    outside its strings, is the one ModelError of load_model, not a traceback or a short model."""
    from reissue.errors import ModelError

    _data, path = small
    head, header, body = _stream(path)
    cut = _write(tmp_path / "cut.json.gz", head, header, body[:len(body) // 2])
    bad_runs = json.loads(json.dumps(header))
    bad_runs["runs"]["lex.endings"][0][1] = 10 ** 9
    outside = _write(tmp_path / "runs.json.gz", head, bad_runs, body)
    no_runs = _write(tmp_path / "noruns.json.gz", head, {k: v for k, v in header.items() if k != "runs"}, body)
    for p in (cut, outside, no_runs):
        with pytest.raises(ModelError, match="cannot read correction model"):
            load_model(p)


def test_the_context_model_is_inflated_ahead_and_reads_the_same(tmp_path):
    """load_model starts inflating the context model the correction model names (context.inflate_ahead);
    its first use reads that reader, and gets the arrays that reading the file itself gives."""
    import numpy as np

    from reissue.correct import context
    from reissue.correct.model import model_path_for

    m = load_model(model_path_for("en"))
    p = context._path_of(m)
    context._LOADED.pop(p, None)
    context.inflate_ahead(m)
    assert p in context._PREFETCHED
    ahead = context.model_for(m)
    assert p not in context._PREFETCHED and context.model_for(m) is ahead
    direct = context.load(p)
    for name, a in vars(direct).items():
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, getattr(ahead, name)), name
    assert ahead.deltas("it is to he done", 9, 11, ["be"]) == direct.deltas("it is to he done", 9, 11, ["be"])
    # a reader started by another process (this one forked from it) is not used: its thread is not here
    context._LOADED.pop(p, None)
    context.inflate_ahead(m)
    pid, reader = context._PREFETCHED[p]
    context._PREFETCHED[p] = (pid + 1, reader)
    other = context.model_for(m)
    assert p not in context._PREFETCHED and reader.read(len(context.MAGIC)) == context.MAGIC  # unread
    reader.close()
    for name in ("_keys", "_counts", "_ckeys", "_ctotal", "_cn1p"):
        assert np.array_equal(getattr(direct, name), getattr(other, name)), name


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_a_word_the_lexicon_lacks_is_no_more_frequent_than_the_bound(lang):
    """The candidate search does not look up a split's halves the lexicon lacks (``lexicon.unlisted_max_p``): that
    holds only while every word of the language's letters missing from the lexicon is at most that frequent. Asked
    of the shipped models for every word of wordfreq's list and for words of the training text."""
    from wordfreq import iter_wordlist

    from reissue.correct import Corrector
    from reissue.correct.model import model_path_for

    c = Corrector(model_path_for(lang))
    letters, bound = lexicon.unlisted_max_p(c.model, c.P)
    lex = c._lexicon()[0]
    words = [w for w in iter_wordlist(lang) if letters(w)] + sorted(c.lm.tr_uni)[:20_000]
    missing = [w for w in words if letters(w) and w not in lex]
    assert missing  # (the test asks something)
    too_frequent = [(w, c.lm.p(w)) for w in missing if c.lm.p(w) > bound]
    assert not too_frequent, too_frequent[:10]
