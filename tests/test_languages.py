"""Per-language behaviour of the corrector (languages.py): tokenisation, protected spellings,
line-end hyphens, the models' language, and what symspellpy-less languages use."""

from __future__ import annotations

import importlib.resources
import os

import pytest

from reissue.correct.languages import LANGUAGES, language, protect_re
from reissue.correct.tokens import document_vocabulary, tokenize, words_of
from reissue.errors import ModelError

FR = LANGUAGES["fr"]
DE = LANGUAGES["de"]


def test_french_elisions_split_other_apostrophes_stay():
    toks = tokenize("L'homme qu'il vit aujourd'hui, c'est jusqu'à l'oc-\ncasion", FR["line_hyphens"],
                    frozenset(FR["elisions"]))
    text = "L'homme qu'il vit aujourd'hui, c'est jusqu'à l'oc-\ncasion"
    forms = [t.form for t in toks]
    assert forms == ["L", "homme", "qu", "il", "vit", "aujourd'hui", "c", "est", "jusqu'à", "l", "occasion"]
    for t in toks:  # offsets point at the printed characters
        if not t.joined:
            assert text[t.start:t.end] == t.form
    # English keeps the apostrophe inside the word
    assert [t.form for t in tokenize("don't l'homme")] == ["don't", "l'homme"]
    assert words_of("l'homme d'État", frozenset(FR["elisions"])) == ["l", "homme", "d", "État"]


def test_document_vocabulary_follows_the_language():
    v = document_vocabulary(["Ein Wort⸗\nteil und l'homme"], DE["line_hyphens"], frozenset(FR["elisions"]))
    assert v["wortteil"] == 1 and v["homme"] == 1 and "l'homme" not in v
    assert document_vocabulary(["Wort⸗\nteil"])["wortteil"] == 1  # one line-end hyphen class (reissue.chars)


@pytest.mark.parametrize("lang,word,protected", [
    ("de", "seyn", True), ("de", "thür", True), ("de", "noth", True), ("de", "jdeen", True),
    ("de", "applaudirt", True), ("de", "haus", False), ("de", "jahr", False),
    ("fr", "estoit", True), ("fr", "avoient", True), ("fr", "connoissance", True), ("fr", "maison", False),
])
def test_historical_spellings_are_protected(lang, word, protected):
    assert bool(protect_re(lang).search(word)) is protected


def test_unknown_language_is_a_clear_model_error():
    with pytest.raises(ModelError, match="'xx'"):
        language("xx")
    assert language(None) is LANGUAGES["en"]


def test_english_settings_are_the_engine_defaults():
    from reissue.correct.tokens import LINE_HYPHENS

    en = LANGUAGES["en"]
    assert en["line_hyphens"] == LINE_HYPHENS and en["params"] == {} and en["symspell"] and en["signs"]
    for lang in ("fr", "de"):
        assert not LANGUAGES[lang]["symspell"] and not LANGUAGES[lang]["signs"]
        assert set("⸗=") <= set(LANGUAGES[lang]["line_hyphens"])


def _shipped(lang):
    p = importlib.resources.files("reissue").joinpath("data", f"correct-model-{lang}.json.gz")
    return str(p) if p.is_file() else None


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_shipped_models_name_their_language_and_licence(lang):
    from reissue.correct.model import read_model_file

    path = _shipped(lang)
    if path is None:
        pytest.skip(f"no shipped {lang} model")
    assert os.path.getsize(path) < 30e6  # with its lookup tables (lexicon.py), when rebuilt in that format
    data = read_model_file(path)[0]
    assert data["lang"] == lang
    assert "NC" in data["licence"] and data["trained_on"] and data.get("edit_filter")
    assert all("-train" in s for s in data["trained_on"])


@pytest.mark.slow
@pytest.mark.parametrize("lang,text,unchanged", [
    ("de", "Er wollte seyn, was er war, und trat an die Thür. Die Jdeen des Mannes waren groß.",
     ["seyn", "Thür", "Jdeen", "Mannes", "groß"]),
    ("fr", "L'homme qu'il estoit alors avoit dit aujourd'hui : la MAISON est à vendre, référ. exigées.",
     ["L'homme", "qu'il", "estoit", "avoit", "aujourd'hui", "MAISON", "référ."]),
])
def test_shipped_models_leave_historical_text_alone(lang, text, unchanged):
    from reissue.correct import Corrector

    path = _shipped(lang)
    if path is None:
        pytest.skip(f"no shipped {lang} model")
    out = Corrector(path).correct_text(text)
    for w in unchanged:
        assert w in out, (w, out)


def test_train_model_check_compares_a_rebuild_byte_for_byte(tmp_path, capsys):
    """scripts/train_model.py --check rebuilds a model and compares it with the file (the shipped
    German and French models: `--lang de --check`, minutes; here a tiny German set, no vetter)."""
    import json
    import runpy

    recs = [{"document_metadata": {"document_id": f"doc-{i}", "language": "de"},
             "ocr_hypothesis": {"transcription_unit": o}, "ground_truth": {"transcription_unit": g}}
            for i, (o, g) in enumerate([("Dic Thür ist offen und der Hund bellt.", "Die Thür ist offen und der Hund bellt."),
                                        ("Er hat das Haus gefehen.", "Er hat das Haus gesehen."),
                                        ("Die Katze schläft im Garteu.", "Die Katze schläft im Garten.")])]
    (tmp_path / "impresso-snippets-train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    script = os.path.join(os.path.dirname(__file__), "..", "scripts", "train_model.py")
    main = runpy.run_path(script)["main"]
    model = tmp_path / "m.json.gz"
    args = ["--lang", "de", "--data", str(tmp_path), "--splits", "impresso-snippets-train.jsonl", "--no-vet",
            "-o", str(model)]
    main(args)
    main(args + ["--check"])
    assert "rebuilt byte for byte" in capsys.readouterr().out
    raw = bytearray(model.read_bytes())
    raw[len(raw) // 2] ^= 1
    model.write_bytes(bytes(raw))
    with pytest.raises(SystemExit) as exc:
        main(args + ["--check"])
    assert exc.value.code == 1
