"""OCR confidences into correction, the other end of the guard: a dictionary word the OCR engine
doubted (among the share OCR_DOUBT_Q of the document's words it was least sure of) is a correction
candidate; text without confidences is corrected exactly as before."""

from __future__ import annotations

from pathlib import Path

from reissue.correct import stage
from reissue.correct.engine import Corrector, apply_corrections
from reissue.ingest import document_from_texts, load_inputs
from reissue.pipeline import process

DATA = Path(__file__).parent / "data" / "formats"
FIXTURE = DATA / "alto_wc_doubt.xml"  # "What con be worse than that?": "con" with WC 0.30, the others 0.81-0.97
SENTENCE = "It is hard to say what they want.\nWhat con be worse than that? Nothing\nat all could be worse."


def _corrections(doc):
    return [(e.before, e.after, e.note) for e in doc.edits if e.stage == "correct" and e.superseded_by is None]


def test_the_engine_hook_makes_a_doubted_dictionary_word_a_candidate():
    c = Corrector()
    text = SENTENCE.replace("\n", " ")
    k = text.index(" con ") + 1

    def doubted(s, e):
        return s <= k < e
    assert c.corrections(text) == []  # "con" is a dictionary word: kept
    got = c.corrections(text, ocr_doubtful=doubted, doubt_threshold=stage.OCR_DOUBT_MIN)
    assert len(got) == 1 and apply_corrections(text, got) == text.replace(" con ", " can ")
    assert got[0].confidence >= stage.OCR_DOUBT_MIN
    # an edit of a doubted word below doubt_threshold is not made: the word is decided as without the hook
    assert c.corrections(text, ocr_doubtful=doubted, doubt_threshold=got[0].confidence + 0.01) == []
    # a doubted word in garbled context is left alone (a real word rarely restores such text)
    garbled = text.replace("What con be", "Wh@t con b3")
    k = garbled.index(" con ") + 1
    assert not [x for x in c.corrections(garbled, ocr_doubtful=lambda s, e: s <= k < e) if x.start <= k < x.end]


def test_a_doubted_word_of_an_alto_page_is_corrected_and_the_edit_says_why():
    doc = process(load_inputs([str(FIXTURE)]), correct=True)
    made = _corrections(doc)
    assert [(b, a) for b, a, _ in made] == [("con", "can")]
    assert "OCR doubted the word (confidence 0.30)" in made[0][2]
    params = doc.parameters["correct"]
    assert params["ocr_doubt_quantile"] == stage.OCR_DOUBT_Q and params["ocr_doubt_below"] > 0.30
    assert params["ocr_doubt_min"] == stage.OCR_DOUBT_MIN
    # with no word doubted (quantile 0), the same page is corrected as before the hook
    from reissue.correct import correct_document

    doc0 = load_inputs([str(FIXTURE)])
    process(doc0, correct=False)
    correct_document(doc0, ocr_doubt_q=0.0)
    assert _corrections(doc0) == [] and doc0.parameters["correct"]["ocr_doubt_below"] is None


def test_text_without_confidences_never_gets_the_hook():
    doc = process(document_from_texts([("p1.txt", SENTENCE + "\n")]), correct=True)
    assert _corrections(doc) == []
    assert "ocr_doubt_quantile" not in doc.parameters.get("correct", {})


def test_a_doubted_capitalised_word_is_kept_it_may_be_a_name():
    # the same doubted word, capitalised mid-sentence: a name such as "Ann" in "Sarah Ann" stays
    c = Corrector()
    text = "It is hard to say what they want. What Con be worse than that? Nothing at all could be worse."
    k = text.index(" Con ") + 1
    assert c.corrections(text, ocr_doubtful=lambda s, e: s <= k < e, doubt_threshold=stage.OCR_DOUBT_MIN) == []
    lower = text.replace(" Con ", " con ")
    assert len(c.corrections(lower, ocr_doubtful=lambda s, e: s <= k < e, doubt_threshold=stage.OCR_DOUBT_MIN)) == 1
