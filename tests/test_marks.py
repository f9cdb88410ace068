"""The stray-mark fixes (correct/marks.py): cases as data, their registry, and the corrector's use of them."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from casekit import golden_cases

from reissue.correct.languages import LANGUAGES
from reissue.correct.marks import FIXES, mark_edits, register, replay
from reissue.correct.tokens import Correction, apply_corrections


@pytest.mark.parametrize("case", golden_cases("mark_cases.json"))
def test_mark_case(case):
    assert replay(case["text"], LANGUAGES[case["lang"]]["mark_fixes"]) == case["out"]


def test_languages_name_registered_fixes():
    for lang, settings in LANGUAGES.items():
        assert settings["mark_fixes"], lang
        assert set(settings["mark_fixes"]) <= set(FIXES), lang
    # the apostrophe fixes are French only: English and German elide and quote with it
    for name in ("lead-quote", "trail-quote", "quote-after-stop", "lone-quote"):
        assert name not in LANGUAGES["en"]["mark_fixes"] and name not in LANGUAGES["de"]["mark_fixes"]


def test_register_twice_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        register("lead-stop", "x", "")


_ALPHABET = st.sampled_from(list("ab é.,'’-•■ \n") + ["Le", "qu'", " .x", "..", ",,"])


@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_edits_only_delete_marks_and_never_overlap(text):
    names = tuple(FIXES)
    edits = mark_edits(text, names)
    for (s, e, _), (s2, _, _) in zip(edits, edits[1:]):
        assert e <= s2
    for s, e, _ in edits:
        assert text[s:e].strip() and not any(ch.isalnum() for ch in text[s:e])
    out = replay(text, names)
    # exactly the edits' marks are gone: the text between them is kept, in order
    kept = "".join(text[a:b] for a, b in zip([0] + [e for _, e, _ in edits], [s for s, _, _ in edits] + [len(text)]))
    assert out == kept
    assert sum(ch.isalnum() for ch in out) == sum(ch.isalnum() for ch in text)


@pytest.fixture(scope="module")
def french():
    from reissue.correct import Corrector
    from reissue.correct.model import model_path_for
    return Corrector(model_path_for("fr"))


def test_corrector_reports_mark_edits_and_leaves_edited_words(french):
    text = "Les ouvriers du parti ont fait toute la propasande .pour eux' la ■ liberté.' Alors,, rien."
    corrs = french.corrections(text)
    rules = {c.rule for c in corrs}
    assert {"mark:lead-stop", "mark:trail-quote", "mark:lone-bullet", "mark:quote-after-stop",
            "mark:double-comma"} <= rules
    assert all(c.confidence == french.P.mark_confidence for c in corrs if c.rule.startswith("mark:"))
    out = apply_corrections(text, corrs)
    assert "propagande pour eux la liberté. Alors, rien." in out
    french.P = french.P.replace(mark_fixes=False)
    try:
        assert not any(c.rule.startswith("mark:") for c in french.corrections(text))
    finally:
        french.P = french.P.replace(mark_fixes=True)


def test_a_mark_inside_another_edit_is_left_to_it(french):
    from reissue.correct.marks import with_mark_fixes
    text = "la .cause"
    other = Correction(3, 9, ".cause", "chose", 0.95, "confusion")
    assert with_mark_fixes(french, text, [other]) == [other]


def test_a_mark_beside_a_word_edit_joins_it(french):
    """'.tbat': the stop's deletion and the word's edit are one edit, so that the edition's whole-word spans
    (tokens.whole_words) do not overlap and undo the word's correction."""
    from reissue.correct.marks import with_mark_fixes
    from reissue.correct.tokens import whole_words
    text = "les conséquences .tbat' suivront"
    at = text.index("tbat")
    word = Correction(at, at + 4, "tbat", "that", 0.8, "confusion")
    got = with_mark_fixes(french, text, [word])
    assert [(c.before, c.after, c.rule, c.confidence) for c in got] == [(".tbat'", "that", "confusion", 0.8)]
    wide = whole_words(text, got)
    assert apply_corrections(text, wide) == "les conséquences that suivront"


def test_a_lone_mark_beside_an_edited_word_stays_apart(french):
    """'fol •': the bullet standing alone is its own edit, which whole_words does not widen over the word
    before it (whose edit it would then overlap); a mark glued to the word joins it."""
    from reissue.correct.marks import with_mark_fixes
    from reissue.correct.tokens import whole_words
    text = "pour fol • et .tbat"
    word = Correction(5, 8, "fol", "for", 0.8, "confusion")
    other = Correction(15, 19, "tbat", "that", 0.8, "confusion")
    got = with_mark_fixes(french, text, [word, other])
    assert [(c.before, c.after, c.rule) for c in got] == [
        ("fol", "for", "confusion"), (" •", "", "mark:lone-bullet"), (".tbat", "that", "confusion")]
    wide = whole_words(text, got)
    spans = sorted((c.start, c.end) for c in wide)
    assert all(e <= s for (_, e), (s, _) in zip(spans, spans[1:]))
    assert apply_corrections(text, wide) == "pour for et that"


def test_the_build_leaves_a_lone_mark_at_a_line_end_and_deletes_one_in_mid_line():
    """A bullet standing alone at a line's start: its deletion with the space before it spans reflow's line
    join, which a corrected ALTO file cannot say (correct_document skips it, as merges over such joins);
    at a line's end or in mid-line it goes."""
    from reissue.ingest import document_from_texts
    from reissue.pipeline import process

    page = ("The committee met on Monday in the town hall to consider the plan\n"
            "• of the new bridge, and the members • agreed that the work should begin •\n"
            "in the spring of the next year, when the river is low and the days long.\n")
    doc = process(document_from_texts([("page-001.txt", page)]), correct=True)
    marks = [e for e in doc.edits if e.rule.startswith("mark:") and e.active]
    assert [(e.before, e.after) for e in marks] == [(" •", ""), (" •", "")]
    assert "the members agreed that the work should begin in the spring" in doc.paragraphs[0].text.text
    assert "the plan • of the new bridge" in doc.paragraphs[0].text.text
