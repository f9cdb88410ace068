"""wordfreq's word lists read once and shared (reissue.wordfreqs): reflow's Zipf frequencies are
wordfreq's own numbers, a correction model's stored list is the one reflow reads, and a build
without correction loads no correction model."""

from __future__ import annotations

import random

import pytest

from reissue import wordfreqs


@pytest.mark.parametrize("lang", ["en", "de"])
def test_zipf_is_wordfreqs_own_number(lang):
    wordfreq = pytest.importorskip("wordfreq")
    words = random.Random(7).sample(sorted(wordfreqs.frequencies(lang)), 400)
    words += ["xqzt", "", "été", "über", "Straße", "co-op", "l'homme", "1939", "ab1", "Hello", "don't", "naïve"]
    for w in words:
        assert wordfreqs.zipf(w, lang) == wordfreq.zipf_frequency(w, lang), w


def test_apostrophe_words_are_tokenized_as_wordfreq_does():
    """Every string of letters (vowels, h, consonants) and apostrophes up to 6 characters that
    _plain_tokens answers for is tokenized as wordfreq's lossy_tokenize does, in each language of _PLAIN;
    and it answers for the words reflow meets (intervenes', tio'n)."""
    import itertools

    tokens = pytest.importorskip("wordfreq.tokens")
    seen = 0
    for n in range(1, 7):
        for chars in itertools.product("aht'", repeat=n):
            w = "".join(chars)
            mine = wordfreqs._plain_tokens(w)
            if mine is None:
                continue
            seen += 1
            for lang in sorted(wordfreqs._PLAIN):
                assert mine == tokens.lossy_tokenize(w, lang), (w, lang)
    assert seen > 1000
    for w in ("intervenes'", "tio'n", "'tis", "o'clock", "ab'c'd", "won't", "nes'"):
        assert wordfreqs._plain_tokens(w) == tokens.lossy_tokenize(w, "en")
    assert wordfreqs._plain_tokens("l'heure") is None and wordfreqs._plain_tokens("a''b") is None


def test_the_list_read_without_wordfreq_is_wordfreqs_dict():
    wordfreq = pytest.importorskip("wordfreq")
    mine = wordfreqs._read_list("en")
    theirs = wordfreq.get_frequency_dict("en")
    assert mine == theirs and list(mine) == list(theirs)


def test_a_model_list_of_the_installed_wordfreq_is_shared(monkeypatch):
    from reissue.correct.model import CorrectionModel, load_model, model_path_for
    from reissue.correct.stage import word_lists

    shipped = load_model(model_path_for("en"))
    assert shipped.lm.wf_is_wordfreq  # stored from the installed wordfreq list
    monkeypatch.setattr(wordfreqs, "_DICTS", {})
    m = CorrectionModel(shipped.data, path=shipped.path, tables=shipped.tables())
    assert wordfreqs.frequencies("en") is m.lm.wf
    assert word_lists()("en") is shipped.lm.wf
    assert word_lists()("xx") is None  # no model: reflow reads wordfreq's own list
    # a list of another wordfreq version is not shared
    monkeypatch.setattr(wordfreqs, "_DICTS", {})
    other = CorrectionModel(shipped.data, path=shipped.path, tables={**shipped.tables(), "wordfreq_list": "large_en.msgpack.gz:1"})
    assert not other.lm.wf_is_wordfreq and "en" not in wordfreqs._DICTS


def test_the_source_is_asked_first_within_its_block(monkeypatch):
    monkeypatch.setattr(wordfreqs, "_DICTS", {})
    mine = {"word": 0.5}
    with wordfreqs.source(lambda lang: mine if lang == "qq" else None):
        assert wordfreqs.frequencies("qq") is mine
    assert wordfreqs._SOURCE == []


def test_a_build_without_correction_loads_no_correction_model(monkeypatch, tmp_path):
    from reissue.correct import model as cmodel
    from reissue.correct import stage as cstage
    from reissue.pipeline import build_document

    def refuse(*a, **k):
        raise AssertionError("a correction model was loaded")

    monkeypatch.setattr(cmodel, "load_model", refuse)
    monkeypatch.setattr(cstage, "load_model", refuse)
    page = tmp_path / "p.txt"
    page.write_text("The commit-\ntee met on Tuesday and the hand-\nwritten minutes were read.\n\n" * 3,
                    encoding="utf-8")
    doc = build_document([str(page)], correct=False, lang=("en",))
    assert doc.paragraphs


def test_reflow_reads_only_the_word_list_of_the_pages_language(monkeypatch, tmp_path):
    """A German page asks for the German list only (a drop cap is checked in the page's language too),
    so a build that corrects it loads no English model."""
    from reissue import reflow
    from reissue.pipeline import build_document

    monkeypatch.setattr(wordfreqs, "_DICTS", {})
    reflow.zipf.cache_clear()
    asked = []
    page = tmp_path / "p.txt"
    page.write_text("D\nas Haus der Wissen-\nschaft steht am Markt und die Leute gehen hin-\nein.\n\n" * 3, encoding="utf-8")
    with wordfreqs.source(lambda lang: asked.append(lang) or {}):
        build_document([str(page)], correct=False, lang=("de",))
    reflow.zipf.cache_clear()
    assert asked == ["de"]


def test_the_list_read_without_wordfreq_is_wordfreqs_own():
    wordfreq = pytest.importorskip("wordfreq")
    assert wordfreqs._read_list("en") == wordfreq.get_frequency_dict("en")
    assert wordfreqs._read_list("zz") is None  # no such list: wordfreq decides


def test_the_shipped_plain_words_are_the_lists_own():
    """The compact list (scripts/build_word_list.py) gives every plain word of the installed wordfreq
    list its frequency in wordfreq's dict, and None for a word not in it; it rebuilds byte for byte."""
    import subprocess
    import sys
    from pathlib import Path

    lst = wordfreqs.compact("en")
    assert lst is not None  # built from the installed list
    full = wordfreqs._read_list("en")
    plain = [w for w in full if wordfreqs._PLAIN_WORD.fullmatch(w)]
    assert len(plain) > 100_000
    assert all(lst.get(w) == full[w] for w in plain)
    rnd = random.Random(3)
    odd = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz'") for _ in range(rnd.randint(1, 12))) for _ in range(20_000)]
    odd += ["a", "aa", "zzzzzzzzzz", "zyzzyva", "o'clock", "aaaaaaaaaaaaaaaaaaaaaaa"]
    for w in odd:
        if wordfreqs._PLAIN_WORD.fullmatch(w):
            assert lst.get(w) == full.get(w), w
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "scripts" / "build_word_list.py"), "--lang", "en", "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_zipf_from_the_shipped_plain_words_is_wordfreqs_own_number(monkeypatch):
    """Without a list read or given, zipf looks plain words up in the compact list (the whole list is
    not read) and gives wordfreq's own numbers; other words still read the list."""
    wordfreq = pytest.importorskip("wordfreq")
    full = wordfreqs._read_list("en")
    monkeypatch.setattr(wordfreqs, "_DICTS", {})
    words = random.Random(11).sample(sorted(full), 300) + ["xqzt", "the", "don't", "intervenes'", "tio'n", "'tis"]
    plain = [w for w in words if wordfreqs._plain_tokens(w) is not None]
    for w in plain:
        assert wordfreqs.zipf(w, "en") == wordfreq.zipf_frequency(w, "en"), w
    assert "en" not in wordfreqs._DICTS
    assert wordfreqs.zipf("naïve", "en") == wordfreq.zipf_frequency("naïve", "en")
    assert "en" in wordfreqs._DICTS  # a word for wordfreq's tokenizer: the whole list


def test_a_compact_list_of_another_wordfreq_list_is_not_used(monkeypatch):
    monkeypatch.setattr(wordfreqs, "_COMPACT", {})
    monkeypatch.setattr(wordfreqs, "list_id", lambda lang: "large_en.msgpack.gz:1")
    assert wordfreqs.compact("en") is None
    monkeypatch.setattr(wordfreqs, "_COMPACT", {})
    assert wordfreqs.compact("de") is None  # none shipped


def test_a_cut_word_list_file_is_refused(tmp_path):
    """The shipped word list is not compressed: a file cut short (or of another kind) is refused, not
    read as a shorter list."""
    raw = open(wordfreqs.WORD_LIST_FILE.format(lang="en"), "rb").read()
    head, payload = wordfreqs.read_word_list(wordfreqs.WORD_LIST_FILE.format(lang="en"))
    assert head["size"] == len(payload) and raw.endswith(payload)
    for n, cut in enumerate((raw[:-1], raw[:len(raw) // 2], b"something else\n{}\n", raw[:len(wordfreqs.WORD_LIST_MAGIC)])):
        p = tmp_path / f"w{n}.bin"
        p.write_bytes(cut)
        with pytest.raises(ValueError):
            wordfreqs.read_word_list(str(p))
