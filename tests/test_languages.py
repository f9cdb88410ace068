"""Per-language behaviour of the corrector (languages.py): tokenisation, protected spellings,
line-end hyphens, the models' language, and what symspellpy-less languages use."""

from __future__ import annotations

import importlib.resources
import json
import os

import pytest
from casekit import check_case, corrector_with, golden_cases

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


@pytest.mark.parametrize("switch", ["derive_min_stem", "hyphen_space_min_p"])  # derived.py, hyphenspace.py
def test_english_only_passes_are_on_for_english_off_for_the_others(switch):
    from reissue.correct.engine import Corrector

    assert Corrector().P[switch] is not None
    for lang in ("fr", "de"):  # French and German: off (their outputs stay as they were)
        assert LANGUAGES[lang]["params"].get(switch) is None


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


def test_french_vetter_weighs_its_own_context_model():
    """The French vetter was trained with the French character context model, which ships beside it
    and is the one the corrector loads for it (not the English one)."""
    from reissue.correct.context import model_for
    from reissue.correct.model import load_model

    path = _shipped("fr")
    if path is None:
        pytest.skip("no shipped fr model")
    model = load_model(path)
    assert model.data["context_model"] == "context-model-fr.bin.gz" and model.vetter.uses_context
    lm = model_for(model)
    assert lm is model_for(model)  # loaded once
    fr, en = "il est arrivé à la gare de Paris", "he arrived at the station in London"
    lp, lens = lm.logprobs([fr, en], [0, 0])
    per_char = [lp[:lens[0]].sum() / lens[0], lp[lens[0]:].sum() / lens[1]]
    assert per_char[0] > per_char[1] + 0.5  # French reads as French to it


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


def test_historical_variants_and_long_s():
    """historical.py: a known word written with a historical spelling (German kk for ck) is no
    correction target; in a text that prints the long s, an s a correction puts inside a word is ſ."""
    from reissue.correct.historical import uses_long_s, variant_of_known, with_long_s

    known = {"stücken", "bedrückung"}.__contains__
    assert variant_of_known("stükken", (("kk", "ck"),), known) and variant_of_known("bedrükkung", (("kk", "ck"),), known)
    assert not variant_of_known("stükkel", (("kk", "ck"),), known)  # no known word with ck
    assert not variant_of_known("stücken", (), known)  # a language without variants
    assert uses_long_s({"iſt": 3}) and not uses_long_s({"iſt": 1, "ist": 9}) and not uses_long_s(None)
    assert with_long_s("f", "s", "i") == "ſ"  # fich -> ſich
    assert with_long_s("f", "s", " ") == "s"  # at the end of a word the round s stays
    assert with_long_s("Wahljpruch", "Wahlspruch") == "Wahlſpruch"
    assert with_long_s("Haus", "Haus") == "Haus" and with_long_s("Hanf", "Haus") == "Haus"


def test_english_keeps_the_elided_past_of_old_print():
    """``order'd``, ``rais'd``, ``arriv’d``: 17th-19th century print, kept by the ground truth of the
    English train data (held-out folds rewrote 14 of 15 such words as ``ordered`` ...); never a
    correction target. A misread without the apostrophe still is one."""
    import copy

    from reissue.correct import Corrector
    from reissue.correct.model import Params
    from reissue.correct.tokens import tokenize

    path = _shipped("en")
    if path is None:
        pytest.skip("no shipped en model")
    c = Corrector(path)
    # set by the shipped model after its vetter was trained (scripts/train_model.py AFTER_VET_PARAMS)
    assert c.P.historical_variants and "historical_variants" in c.model.data["edit_filter"]["trained_without"]
    for form in ("order'd", "rais'd", "arriv’d", "damag'd"):
        t = tokenize(form)[0]
        assert t.form == form and not c._eligible(t, form.lower()), form
    for form in ("orderd", "arrivd"):
        t = tokenize(form)[0]
        assert c._eligible(t, form), form
    # English's own default is off: the proposals its vetter learns from are made without the rule
    off = copy.copy(c.model)
    off.params = Params.build(off.language["params"], {k: v for k, v in c.model.data["params"].items()
                                                       if k != "historical_variants"})
    t = tokenize("order'd")[0]
    assert not off.params.historical_variants and Corrector(off)._eligible(t, "order'd")


@pytest.mark.parametrize("long_s", [True, False])
def test_german_model_keeps_kk_and_the_documents_long_s(long_s):
    from reissue.correct import Corrector
    from reissue.correct.tokens import apply_corrections

    path = _shipped("de")
    if path is None:
        pytest.skip("no shipped de model")
    text = ("Aufklärung ift der Ausgang des Menſchen aus ſeiner ſelbſtverſchuldeten Unmündigkeit. Unmündigkeit "
            "iſt das Unvermögen, fich ſeines Verſtandes zu bedienen, in allen Stükken der Wiſſenſchaft.")
    if not long_s:
        text = text.replace("ſ", "s")
    c = Corrector(path)
    out = apply_corrections(text, c.corrections(text, c.vocabulary([text])))
    assert "Stükken" in out
    assert ("iſt der" in out and "ſich ſeines" in out) if long_s else ("ist der" in out and "sich seines" in out)


def test_a_long_s_is_no_sign_of_a_noisy_document():
    """The share of unknown words that makes a German document a noisy one (noisy_oov: edits there need less of
    the vetter) reads a long s as the s the lexicon writes: a clean 18th-century page is no noisy one."""
    from reissue.correct import Corrector

    path = _shipped("de")
    if path is None:
        pytest.skip("no shipped de model")
    c = Corrector(path)
    text = ("Aufklärung iſt der Ausgang des Menſchen aus ſeiner ſelbſtverſchuldeten Unmündigkeit. Unmündigkeit "
            "iſt das Unvermögen, ſich ſeines Verſtandes ohne Leitung eines anderen zu bedienen.")
    assert c.P.noisy_oov is not None
    assert c._unknown_share(c.vocabulary([text])) == c._unknown_share(c.vocabulary([text.replace("ſ", "s")]))
    assert c._unknown_share(c.vocabulary([text])) < c.P.noisy_oov


@pytest.fixture(scope="module")
def french_corrector():
    from reissue.correct import Corrector

    path = _shipped("fr")
    if path is None:
        pytest.skip("no shipped fr model")
    return Corrector(path)


@pytest.mark.parametrize("case", golden_cases("correction_cases_fr.json"))
def test_french_correction_case(french_corrector, case):
    """Golden French cases (tests/data/correction_cases_fr.json) with the shipped French model, whose
    decoder weighs the character context model (languages.py: context_weight)."""
    assert french_corrector.P.context_weight == LANGUAGES["fr"]["params"]["context_weight"] > 0
    check_case(french_corrector, case)


def test_spaced_hyphen_joins_only_a_word(french_corrector):
    """A hyphen and a space in whitespace-normalised text (a line end the text lost) join the halves of one
    word (``con- tre``), never two common words that read more likely apart (``de- la``: ``dela`` is in
    wordfreq's French list, as a typo)."""
    from reissue.correct.hipe import mark_line_hyphens

    lm = french_corrector.lm
    assert lm.p("dela") >= 1e-6  # (what joined it before: a joined form frequent enough)
    text = "Il est venu con- tre la réforme de- la ville, par suite de- l'absence du maire."
    out = mark_line_hyphens(french_corrector, text, join_spaced=True)
    assert "contre la réforme" in out and "de- la ville" in out and "de- l'absence" in out, out


def test_italian_notice_inside_a_french_record_stays(french_corrector):
    """An Italian notice inside a French record (HIPE, one language per record) is left as printed, its OCR
    noise included (correct/foreign.py), while the French around it is corrected."""
    from reissue.correct.hipe import correct_hipe_text

    italian = ("Ogni,compagno deve condurre alla riu-riione tutti quegli opérai cdili organizzati nella Federazione. "
               "Verra stabUita l'azione che dovrà essere sviluppata dagli operai italïani dell'Edili-zia. ")
    text = ("Le gouvernement a décidé de dcmander un crédit pour les victimes de la grève. " + italian
            + "On ne sait pas encore quand la Chambre se réunira ponr discuter le projet.")
    unguarded = corrector_with(french_corrector.model.path, foreign_min_words=None)
    at = text.index(italian)  # what is kept: the French model's edits of the Italian, without the guard
    assert any(at <= c.start and c.end <= at + len(italian)
               for c in unguarded.corrections(text, unguarded.vocabulary([text])))
    out = correct_hipe_text(french_corrector, text)
    assert italian in out and "demander un crédit" in out and "réunira pour discuter" in out, out
