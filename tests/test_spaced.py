"""Words printed letter-spaced, joined (correct/spaced.py): ``F r e i w i l l i g`` -> ``Freiwillig``."""

from __future__ import annotations

import pytest

from reissue.correct.spaced import RULE, letter_spaced_edits
from reissue.correct.tokens import Correction, apply_corrections, tokenize

GERMAN = {"min_run": 4, "pieces": ("ch", "ck", "sch", "st", "tz"), "confidence": 0.95}


def _joined(text: str, out=(), setting=GERMAN) -> str:
    edits = letter_spaced_edits(text, tokenize(text, ("-",), ()), list(out), setting)
    assert all(e.rule == RULE and e.after == e.before.replace(" ", "") for e in edits if e not in out)
    return apply_corrections(text, edits)


@pytest.mark.parametrize("text,want", [
    ("bildete einen E r f o l g für das", "bildete einen Erfolg für das"),
    # Fraktur's ligatures are one sort, read as one token
    ("der ö st e r r e i ch i s ch e n Frauen", "der österreichischen Frauen"),
    ("Kommando W o r o sch i l o w s. Im", "Kommando Woroschilows. Im"),
    # a capital begins a run: the letter before it ends another word
    ("WMe r Z e i t u n g. Den", "WMe r Zeitung. Den"),
    ("General P a n g a l o s, der", "General Pangalos, der"),
    # the join alone keeps a misread letter (the pass then reads the word whole: below)
    ("der L n s t w a f s e flogen", "der Lnstwafse flogen"),
])
def test_runs_are_joined(text, want):
    assert _joined(text) == want


@pytest.mark.parametrize("text", [
    "die Punkte a b c sind",  # three letters: a list, not a word
    "das K a - binet war",  # broken at a line end
    "Zeitung, S. 4 f. und",  # figures and abbreviations
    "Nordost-E r f o l g für",  # glued to a word before it
])
def test_what_is_left(text):
    assert _joined(text) == text


def test_the_decoders_edits_inside_a_run_go_and_the_others_stay():
    text = "der L n s t w a f s e flogen nnd"
    inside = Correction(6, 7, "n", "u", 0.9, "confusion")
    outside = Correction(29, 32, "nnd", "und", 0.9, "confusion")
    edits = letter_spaced_edits(text, tokenize(text, ("-",), ()), [inside, outside], GERMAN)
    assert [(e.rule, e.after) for e in edits] == [(RULE, "Lnstwafse"), ("confusion", "und")]


def test_off_without_a_setting():
    text = "bildete einen E r f o l g für das"
    out = [Correction(0, 7, "bildete", "bildete", 0.9, "confusion")]
    assert letter_spaced_edits(text, tokenize(text, ("-",), ()), out, None) is out


def test_the_german_corrector_joins_them_and_the_english_one_does_not():
    from reissue.correct import Corrector
    from reissue.correct.model import model_path_for

    text = "Die Regierung meldete gestern einen E r f o l g der Truppen."
    german = Corrector(str(model_path_for("de")))
    assert "einen Erfolg der" in german.correct_text(text)
    assert Corrector().correct_text(text) == text
    # a joined word no lexicon knows is read by the decoder once whole: one edit, no surer than the join
    text = "Die britische L n s t w a f s e flog in der Nacht nach Norden."
    (e,) = german.corrections(text)
    assert (e.rule, e.before, e.after) == (RULE, "L n s t w a f s e", "Luftwaffe") and e.confidence <= 0.95


def test_a_built_german_page_reads_the_word_whole_and_keeps_the_print():
    """In an edition: the paragraph reads the word whole, the join is one edit of its own rule, and the raw text
    (letter-spaced, as printed) rebuilds."""
    from reissue.edition import rebuild_raw
    from pagekit import build

    page = ("Die Regierung meldete gestern aus der Hauptstadt einen großen E r f o l g der Truppen im Osten. "
            "Die Zeitungen des Landes berichten ausführlich über die Lage und über die Verhandlungen der Gesandten.")
    _doc, ed = build([page], correct=True)
    (p,) = ed["paragraphs"]
    assert p["lang"] == "de" and "einen großen Erfolg der Truppen" in p["text"]
    edits = [e for e in ed["edits"] if e.get("rule") == RULE]
    assert len(edits) == 1, ed["edits"]
    assert rebuild_raw(ed) == [page]
    # TEI marks the word as spaced print: the print its original, the word whole its regularisation
    from lxml import etree
    from reissue.export_tei import to_tei

    tei = etree.fromstring(to_tei(ed))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    (hi,) = tei.findall(".//t:hi[@rend='letter-spaced']", ns)
    assert hi.findtext("t:choice/t:orig", namespaces=ns) == "E r f o l g"
    assert hi.findtext("t:choice/t:reg", namespaces=ns) == "Erfolg"
    assert not tei.findall(".//t:sic", ns)  # no OCR error was corrected
    # the reader shows it letter-spaced (reader.css .chg.spaced)
    from reissue.web.render import render_slice

    text = p["text"]
    a = text.index("Erfolg")
    pieces = [{"a": 0, "b": a, "text": text[:a], "edit": None, "manual": False, "decision": None},
              {"a": a, "b": a + 6, "text": "Erfolg", "edit": edits[0], "manual": False, "decision": None}]
    assert 'class="chg spaced"' in render_slice(p, pieces, 0, a + 6, None, {})


def test_a_misread_letter_spaced_word_is_marked_as_spaced_print_and_corrected_in_tei():
    from lxml import etree
    from pagekit import build
    from reissue.export_tei import to_tei

    page = ("Die britische L n s t w a f s e flog in der Nacht nach Norden und kehrte am Morgen zurück. Die "
            "Zeitungen des Landes berichten ausführlich über die Lage und über die Verhandlungen der Gesandten.")
    _doc, ed = build([page], correct=True)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    (hi,) = etree.fromstring(to_tei(ed)).findall(".//t:hi[@rend='letter-spaced']", ns)
    assert hi.findtext("t:choice/t:sic", namespaces=ns) == "L n s t w a f s e"
    assert hi.findtext("t:choice/t:corr", namespaces=ns) == "Luftwaffe"
