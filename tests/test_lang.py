"""Language identification and the correction guard: a text is corrected only by a model of its own
language; German, French and unknown-language text is left exactly as printed."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from reissue.cli import cli
from reissue.correct import model_path_for
from reissue.errors import UsageError
from reissue.export import to_tei
from reissue.lang import identify_texts, parse_lang_option
from reissue.edition import rebuild_raw
from casekit import corrector_with
from pagekit import build

# public-domain prose (Lincoln 1863, Kant 1784, Rousseau 1762, Manzoni 1840) with OCR errors in the
# English, which the English model corrects; the others hold words it would "correct" into English
EN = ("It is for us the living, rather, to he dedicated here to the unfinished work which they who "
      "fought here have thus far so nobly advanced. It is rather for us to be here dedicated to the great "
      "task remaining before us, that from these honored dead we take increased devotion to tbe cause.")
DE = ("Aufklärung ist der Ausgang des Menschen aus seiner selbstverschuldeten Unmündigkeit. Unmündigkeit "
      "ist das Unvermögen, sich seines Verstandes ohne Leitung eines anderen zu bedienen, und überall hört "
      "der Offizier sagt: räsonnirt nicht, sondern exercirt!")
FR = ("L'homme est né libre, et partout il est dans les fers. Tel se croit le maître des autres, qui ne "
      "laisse pas d'être plus esclave qu'eux. Comment ce changement s'est-il fait? Je l'ignore. Qu'est-ce "
      "qui peut le rendre légitime? Je crois pouvoir résoudre cette question avec dignité.")
IT = ("Quel ramo del lago di Como, che volge a mezzogiorno, tra due catene non interrotte di monti, tutto a "
      "seni e a golfi, a seconda dello sporgere e del rientrare di quelli, vien, quasi a un tratto, a "
      "ristringersi, e a prender corso e figura di fiume; avviso al lettore.")


def _corrections(ed, para):
    spans = {s[5] for s in para["spans"] if s[5] is not None}
    return [e for e in ed["edits"] if e["id"] in spans and e["stage"] == "correct"]


def test_identifies_each_language():
    ds = identify_texts([EN, DE, FR, IT])
    assert [d.lang for d in ds] == ["en", "de", "fr", "it"]
    assert all(d.confidence >= 0.8 and d.reason for d in ds)


def test_no_words_and_none_and_fixed():
    assert identify_texts(["1839. — 42 —"])[0].lang is None
    assert [d.lang for d in identify_texts([EN, DE], "none")] == [None, None]
    assert [d.lang for d in identify_texts([EN, DE], ("en",))] == ["en", "en"]
    # a fixed list restricts the answers
    assert identify_texts([DE, EN], ("de", "en"))[0].lang == "de"


def test_parse_lang_option():
    assert parse_lang_option("auto") == "auto" and parse_lang_option("NONE") == "none"
    assert parse_lang_option("en, fr,en") == ("en", "fr")
    for bad in ("english", "en;fr", ",", "e1"):
        with pytest.raises(UsageError):
            parse_lang_option(bad)


def test_model_path_for():
    assert model_path_for("en") and model_path_for("en").endswith("correct-model-en.json.gz")
    assert model_path_for("xx") is None and model_path_for("../en") is None and model_path_for(None) is None


def test_mixed_page_guard_paragraph_by_paragraph():
    """A German notice and a French and an Italian paragraph in an English paper: only the English
    paragraphs are corrected; the others are left exactly as printed, with their language."""
    page = "\n\n".join([EN, DE, EN.replace("the living", "the liviug"), FR, IT])
    doc, ed = build([page], correct=True)
    paras = ed["paragraphs"]
    assert [p["lang"] for p in paras] == ["en", "de", "en", "fr", "it"]
    assert ed["metadata"]["languages"][0] == "en" and set(ed["metadata"]["languages"]) == {"en", "de", "fr", "it"}
    assert ed["pages"][0]["lang"] == "en"
    assert "to be dedicated" in paras[0]["text"] and "to the cause" in paras[0]["text"]
    for p, original in zip(paras[1::2], (DE, FR)):
        assert p["text"] == original and not _corrections(ed, p)
    assert paras[4]["text"] == IT and not _corrections(ed, paras[4])
    if model_path_for("de") is None:
        assert any(uid == paras[1]["id"] and "no correction model for de" in why for uid, _l, why in doc.skipped)
    assert ed["generator"]["parameters"]["lang"]["mode"] == "auto"
    assert rebuild_raw(ed) == [page]
    tei = to_tei(ed).decode()
    assert '<text xml:lang="en">' in tei and f'xml:id="{paras[1]["id"]}" xml:lang="de"' in tei


@pytest.mark.parametrize("text", [DE, FR, IT])
def test_correct_leaves_foreign_text_alone(tmp_path, text):
    """Clean text in another language comes back as printed: left alone where no model of its
    language ships (Italian), and not damaged by its own model where one does (German, French)."""
    f = tmp_path / "t.txt"
    f.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(cli, ["correct", str(f)])
    assert r.exit_code == 0, r.output
    assert r.stdout == text
    # and --lang en says it is English: then the English model is used (the old behaviour)
    r = CliRunner().invoke(cli, ["correct", "--lang", "en", str(f)])
    assert r.exit_code == 0


def test_correct_lang_none_and_bad_option(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text(EN, encoding="utf-8")
    r = CliRunner().invoke(cli, ["correct", "--lang", "none", str(f)])
    assert r.exit_code == 0 and r.stdout == EN
    r = CliRunner().invoke(cli, ["correct", str(f)])
    assert "to be dedicated" in r.stdout
    r = CliRunner().invoke(cli, ["correct", "--lang", "english", str(f)])
    assert r.exit_code == 2 and "--lang" in r.output


def test_hipe_uses_document_language(tmp_path):
    recs = [{"document_metadata": {"document_id": "a", "language": "de"},
             "ocr_hypothesis": {"transcription_unit": DE}},
            {"document_metadata": {"document_id": "b", "language": "en"},
             "ocr_hypothesis": {"transcription_unit": EN}},
            {"document_metadata": {"document_id": "c"},  # no language: identified (Italian)
             "ocr_hypothesis": {"transcription_unit": IT}}]
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    r = CliRunner().invoke(cli, ["correct", "--hipe", str(inp), "-o", str(out), "--explain"])
    assert r.exit_code == 0, r.output
    got = [json.loads(x)["ocr_postcorrection_output"]["transcription_unit"] for x in out.read_text().splitlines()]
    if model_path_for("de") is None:
        assert got[0] == DE
    assert "to be dedicated" in got[1]
    assert got[2] == IT
    assert "left as printed" in r.output


def test_build_cli_lang_options(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "p1.txt").write_text(EN + "\n\n" + DE + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--explain"])
    assert r.exit_code == 0, r.output
    ed = json.loads((out / "edition.json").read_text())
    assert [p["lang"] for p in ed["paragraphs"]] == ["en", "de"]
    if model_path_for("de") is None:
        assert "1 of 2 paragraphs and notes left as printed" in r.output and "guard" in r.output
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--force", "--lang", "none"])
    ed = json.loads((out / "edition.json").read_text())
    assert [p["lang"] for p in ed["paragraphs"]] == [None, None]
    assert not [e for e in ed["edits"] if e["stage"] == "correct"] and ed["metadata"]["languages"] == []
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--force", "--lang", "xx-yy"])
    assert r.exit_code == 2


CLEAN_EN = ("Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived "
            "in Liberty, and dedicated to the proposition that all men are created equal. Now we are engaged in a "
            "great civil war, testing whether that nation, or any nation so conceived and so dedicated, can long "
            "endure. We are met on a great battle-field of that war.")


def test_clean_text_is_left_alone(tmp_path):
    """Text already right (ground truth) in English, German and French: no correction through `build`
    nor through `correct` (the English model would rewrite the German and French words into English)."""
    page = "\n\n".join([CLEAN_EN, DE, FR])
    _doc, ed = build([page], correct=True)
    assert [e for e in ed["edits"] if e["stage"] == "correct"] == []
    for text in (CLEAN_EN, DE, FR):
        f = tmp_path / "t.txt"
        f.write_text(text, encoding="utf-8")
        r = CliRunner().invoke(cli, ["correct", str(f)])
        assert r.exit_code == 0 and r.stdout == text


def test_shipped_identifier_is_py3langids_model_restricted():
    """The identifier file shipped in the package (scripts/build_lang_identifier.py) gives exactly the
    probabilities of py3langid's own model restricted to the candidates, and rebuilds byte for byte."""
    import importlib.util
    from pathlib import Path

    import reissue.lang as L
    import reissue.langident as I

    shipped, own = I.load_shipped(), I.py3langid_identifier(L.CANDIDATES)
    made = I.from_automaton(*I.py3langid_model(L.CANDIDATES))  # the fallback without the file
    texts = [EN, DE, FR, IT, "Ελληνικά κείμενα", "1839. 42 — 17", "tbe Comintem"]
    want = [own.rank(text) for text in texts]
    assert I.rank_many(shipped, [I.encode(t) for t in texts]) == want
    assert I.rank_many(made, [I.encode(t) for t in texts]) == want
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_lang_identifier.py"
    spec = importlib.util.spec_from_file_location("build_lang_identifier", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == Path(I.IDENTIFIER_FILE).read_bytes()


def test_identifier_loads_without_writing_anywhere(tmp_path):
    """The identifier is read from the package's file (or py3langid's) in memory: no cache in the home folder,
    no temporary file (a fresh process, since the identifier is loaded once per process)."""
    import os
    import subprocess
    import sys

    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(tmp)}
    env.pop("REISSUE_CACHE_DIR", None)
    code = ("import tempfile, reissue.lang as L; tempfile.tempdir = None; "
            "print(L.identify_texts(['" + DE[:120] + "'])[0].lang)")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "de"
    assert list(home.rglob("*")) == [] and list(tmp.rglob("*")) == []


@pytest.mark.parametrize("doc, unit, alone", [
    (DE, "in all —with rheumatism. It", "en"),
    (FR, "40 acres, same place. Upset price 20s per acie. CAMDEN.-0.", "en"),
])
def test_short_unit_read_alone_as_another_language_gets_none(doc, unit, alone):
    """A short noisy unit that the document prior would give the document's language, but that the
    identifier alone reads as another language (twice as likely or more), is left without language:
    it is not corrected by the document's model."""
    from reissue.lang import PARAMS

    off = identify_texts([doc, doc, doc, unit], "auto", {"contest": None})[-1]
    on = identify_texts([doc, doc, doc, unit], "auto")[-1]
    assert PARAMS["contest"] is not None
    assert off.lang == identify_texts([doc, doc, doc], "auto")[0].lang  # the prior made it the document's
    assert on.lang is None and f"read as {alone}" in on.reason
    # a clean short sentence of another language keeps its own language, and the document's own short
    # units keep theirs
    assert identify_texts([doc, doc, doc, "Vente aux enchères publiques le mardi prochain à midi."])[-1].lang == "fr"
    assert identify_texts([doc, doc, doc, doc[:60]])[-1].lang == off.lang


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ 09_-\n\t\x7f\x00éß²½ſĳ•") | st.characters(max_codepoint=0x7F), max_size=30))
def test_count_letters_counts_what_isalpha_counts(text):
    from reissue.chars import count_letters

    assert count_letters(text) == sum(map(str.isalpha, text))
    assert all(count_letters(chr(c)) == chr(c).isalpha() for c in range(128))


def test_foreign_sentences_inside_a_paragraph_stay(tmp_path):
    """A German passage inside an English paragraph (a quotation, a notice run into the text) is left as
    printed, sentence by sentence (correct/foreign.py), while the English around it is corrected; the build
    and ``reissue correct`` say so in one line."""
    para = EN + " " + DE
    doc, ed = build([para], correct=True)
    (p,) = ed["paragraphs"]
    assert p["lang"] == "en"
    assert "to be dedicated" in p["text"] and "to the cause" in p["text"]
    assert p["text"].endswith(DE)
    assert [(lang, para[s:e].strip()) for _uid, lang, s, e in doc.foreign_kept] == \
        [("de", "Aufklärung ist der Ausgang des Menschen aus seiner selbstverschuldeten Unmündigkeit."),
         ("de", DE[DE.index("Unmündigkeit ist"):])]
    # what the guard keeps: the English model's edits of German words, without it
    english = corrector_with(model_path_for("en"), foreign_min_words=None)
    assert any(c.start >= len(EN) for c in english.corrections(para, english.vocabulary([para])))
    f = tmp_path / "t.txt"
    f.write_text(para, encoding="utf-8")
    r = CliRunner().invoke(cli, ["correct", str(f)])
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith(DE) and "to be dedicated" in r.stdout
    assert "2 sentences of another language inside the text left as printed (de 2)" in r.stderr
    r = CliRunner().invoke(cli, ["correct", "--explain", str(f)])
    assert r.exit_code == 0 and r.stderr.count("\tde\ta sentence left as it is: characters") == 2, r.stderr


def test_hipe_record_with_a_foreign_passage(tmp_path):
    """``reissue correct --hipe``: a German passage inside an English record stays as printed; the note and
    ``--explain`` name it by the record's id."""
    recs = [{"document_metadata": {"document_id": "mixed", "language": "en"},
             "ocr_hypothesis": {"transcription_unit": EN + " " + DE}}]
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    r = CliRunner().invoke(cli, ["correct", "--hipe", str(inp), "-o", str(out), "--explain"])
    assert r.exit_code == 0, r.output
    (got,) = [json.loads(x)["ocr_postcorrection_output"]["transcription_unit"] for x in out.read_text().splitlines()]
    assert got.endswith(DE) and "to be dedicated" in got
    assert "2 sentences of another language inside records left as printed (de 2)" in r.stderr
    assert r.stderr.count("mixed\tde\ta sentence left as it is") == 2
