"""Passages of another language inside a text corrected as one language (correct/foreign.py)."""

from __future__ import annotations

import pytest

from reissue.correct.foreign import foreign_spans, outside, sentences
from reissue.correct.tokens import Correction

FRENCH = ("Les ouvriers du bâtiment se sont réunis hier soir à la Bourse du Travail pour entendre le rapport "
          "de leur délégué. La discussion fut longue et animée, mais le vote fut acquis à une grande majorité. ")
ITALIAN = ("Tutti gli operai italiani organizzati nella Federazione sono invitati alla riunione che avrà luogo "
           "domenica mattina nella sala grande. ")
GERMAN = "Sie sollen ihn nicht haben, den freien deutschen Rhein, ob sie wie gier'ge Raben sich heiser danach schrein. "


def test_sentences():
    """Sentences end at their end marks (closing quotes go with them) or a blank line, and run on over a line
    break; a stretch without a letter is none."""
    text = "Il est venu. Puis, à 8 h. 30 : la fin!\n12 . 3\nEt « voilà. »\nNon\n\nUn autre\nparagraphe\n \nfin"
    assert [text[s:e] for s, e in sentences(text)] == ["Il est venu.", " Puis, à 8 h.", " 30 : la fin!",
                                                        " 3\nEt « voilà.", " »\nNon\n\n", "Un autre\nparagraphe\n \n",
                                                        "fin"]


def test_a_foreign_sentence_inside_a_text_is_found():
    text = FRENCH + ITALIAN + FRENCH
    spans = foreign_spans(text, "fr")
    assert len(spans) == 1
    s, e, lang = spans[0]
    assert text[s:e].strip() == ITALIAN.strip() and lang == "it"
    text = "The meeting of the society was held yesterday in the large hall of the town. " * 2 + GERMAN
    assert [(text[s:e].strip(), lang) for s, e, lang in foreign_spans(text, "en")] == [(GERMAN.strip(), "de")]


@pytest.mark.parametrize("text,lang", [(FRENCH * 3, "fr"), (ITALIAN * 2, "it"), (FRENCH, "fr")])
def test_a_text_of_one_language_has_none(text, lang):
    assert foreign_spans(text, lang) == []


def test_short_foreign_sentences_stay_the_texts():
    """A sentence of fewer than min_words words is never foreign: a short quotation or a name list is
    corrected with the text."""
    text = FRENCH + "Ora e sempre. " + FRENCH
    assert foreign_spans(text, "fr") == []


def test_outside_drops_the_corrections_touching_a_span():
    spans = [(10, 20), (30, 40)]
    cs = [Correction(s, e, "x" * (e - s), "y", 0.9, "confusion") for s, e in
          ((0, 5), (8, 11), (12, 14), (19, 21), (20, 22), (25, 25), (30, 30), (40, 41), (29, 30), (39, 40))]
    kept = [(c.start, c.end) for c in outside(cs, spans)]
    assert kept == [(0, 5), (20, 22), (25, 25), (40, 41), (29, 30)]
    assert outside(cs, []) == cs


def test_the_sentences_touching_the_corrections_drop_the_same_ones():
    """``touching``: only the sentences a correction touches are identified; ``outside`` drops the same."""
    text = FRENCH + ITALIAN + FRENCH + ITALIAN
    full = foreign_spans(text, "fr")
    assert len(full) == 2
    at = [text.index("operai"), text.index("Bourse"), len(text) - 3]
    cs = [Correction(s, s + 2, text[s:s + 2], "x", 0.9, "confusion") for s in at]
    cs.append(Correction(full[0][0], full[0][0], "", "x", 0.9, "confusion"))  # (an insertion at a span's start)
    touched = foreign_spans(text, "fr", touching=cs)
    assert set(touched) <= set(full) and len(touched) == 2
    assert outside(cs, touched) == outside(cs, full) and len(outside(cs, full)) == 1
    assert foreign_spans(text, "fr", touching=cs[1:2]) == []
