"""The second look (correct/secondlook.py): the words beside the decoder's edits decided again in the corrected
text, and its edits composed with the first look's onto the printed text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reissue.correct.secondlook import Looked, second_look
from reissue.correct.tokens import Correction, apply_corrections


def edit(text: str, start: int, end: int, after: str, conf: float = 0.9, rule: str = "confusion") -> Correction:
    return Correction(start, end, text[start:end], after, conf, rule)


def test_an_edit_away_from_the_first_looks_is_moved_back_to_the_printed_text():
    text = "tlie cat would he glad"
    first = [edit(text, 0, 4, "the")]  # the cat would he glad
    looked = Looked(text, first)
    assert looked.corrected == "the cat would he glad"
    at = looked.corrected.index(" he ") + 1
    second = [edit(looked.corrected, at, at + 1, "b", 0.8, "real-word")]
    out = looked.compose(second)
    assert apply_corrections(text, out) == "the cat would be glad"
    moved = [c for c in out if c.rule == "real-word"][0]
    assert (moved.start, moved.end, moved.before) == (text.index(" he ") + 1, text.index(" he ") + 2, "h")


def test_an_edit_touching_a_first_look_edit_becomes_one_edit_with_the_lower_confidence():
    text = "the ma teriul was"
    first = [edit(text, 7, 13, "terial", 0.95)]  # the ma terial was
    looked = Looked(text, first)
    gap = looked.corrected.index(" terial")
    out = looked.compose([edit(looked.corrected, gap, gap + 1, "", 0.7, "merge")])
    assert len(out) == 1
    assert (out[0].start, out[0].end, out[0].before, out[0].after) == (6, 13, " teriul", "terial")
    assert out[0].confidence == 0.7 and out[0].rule == "merge"
    assert apply_corrections(text, out) == "the material was"


def test_a_second_look_that_undoes_the_first_leaves_the_word_as_printed():
    text = "a pail of water"
    first = [edit(text, 2, 6, "pair")]
    looked = Looked(text, first)
    out = looked.compose([edit(looked.corrected, 2, 6, "pail", 0.6)])
    assert out == []


def test_printed_places_of_the_corrected_text():
    text = "ab tlie cd"
    looked = Looked(text, [edit(text, 3, 7, "the")])  # "ab the cd"
    assert [looked.printed(p) for p in (0, 3, 6, 7)] == [0, 3, 7, 8]
    assert looked.printed(4) == 3  # inside the edit: its printed start
    assert looked.near(7, 9, 1) and not looked.near(8, 9, 1) and looked.near(0, 2, 1) and not looked.near(0, 1, 1)


def test_only_edits_near_a_first_look_edit_are_kept():
    text = "one tvvo three four five six seven eight"
    first = [edit(text, 4, 8, "two")]

    def decode(corrected, focus, doubtful):
        far = corrected.index("eight")
        return [edit(corrected, far, far + 5, "EIGHT"), edit(corrected, 8, 13, "THREE")]
    out = second_look(text, first, 3, decode)
    assert apply_corrections(text, out) == "one two THREE four five six seven eight"


def test_the_ocr_hook_is_asked_at_the_printed_place():
    text = "xxxxxxxx tlie word"
    first = [edit(text, 0, 8, "x")]
    asked = []

    def decode(corrected, focus, doubtful):
        at = corrected.index("tlie")
        doubtful(at, at + 4)
        return []
    second_look(text, first, 10, decode, lambda s, e: asked.append((s, e)))
    assert asked == [(9, 13)]


@st.composite
def two_looks(draw):
    text = draw(st.text(alphabet="ab c", min_size=1, max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    first, pos = [], 0
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a >= pos:
            first.append(edit(text, a, b, draw(st.text(alphabet="xy ", max_size=3))))
            pos = b + 1 if b == a else b
    corrected = apply_corrections(text, first)
    cuts = sorted(draw(st.lists(st.integers(0, len(corrected)), max_size=8)))
    second, pos = [], 0
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a >= pos:
            second.append(edit(corrected, a, b, draw(st.text(alphabet="zq", max_size=3))))
            pos = b + 1
    return text, first, second


@settings(max_examples=300, deadline=None)
@given(two_looks())
def test_composed_edits_replace_printed_text_and_write_what_the_second_look_wrote(case):
    """Every composed edit replaces printed text, none overlap, and applied to the printed text they give what
    the second look's edits give applied to the corrected text (unless one first-look edit is touched by two of
    the second's, when the later one is dropped)."""
    text, first, second = case
    looked = Looked(text, first)
    out = looked.compose(second)
    assert all(c.before == text[c.start:c.end] for c in out)
    assert all(a.end <= b.start for a, b in zip(out, out[1:]))
    touched = [sum(1 for s in second if a <= s.end and s.start <= b) for a, b in zip(looked.starts, looked.ends)]
    if all(n <= 1 for n in touched):
        assert apply_corrections(text, out) == apply_corrections(looked.corrected, second)


def test_the_corrector_takes_a_second_look_beside_its_edits():
    """English: with the second look off, ``u`` stays before the corrected ``due``; with it, it is read in the
    corrected text and made ``is``, one edit of the printed text."""
    from casekit import corrector_with

    text = "It appears to me that no credit u duo to the committee for this measure."
    on, off = corrector_with(), corrector_with(second_look=None)
    assert on.P.second_look is not None
    assert "credit u due" in off.correct_text(text)
    made = on.corrections(text)
    assert apply_corrections(text, made) == text.replace("u duo", "is due")
    assert all(c.before == text[c.start:c.end] for c in made)


def test_the_second_look_reads_as_far_as_the_context_model_does():
    from reissue.correct import context
    from reissue.correct.secondlook import REACH

    assert REACH >= context.LEFT
    text = "aaaa bbbb cccc tlie dddd eeee ffff"
    looked = Looked(text, [edit(text, 15, 19, "the")])
    seen = looked.around(5)
    assert len(seen) == len(looked.corrected) and seen.strip() == "cccc the dddd"


_OCR_WORDS = ["tlie", "the", "u", "duo", "due", "th", "se", "ma", "teriul", "war", "mad", "by", "he", "be", "n",
              "1", "hare", "been", "Comintem", "ar.d", "of", "ofl-he", "committee", "credit", "no", "to", "tbe",
              "would", "about", "Mr.", "Liicr", "pool", ",", ".", "-", "\n", "mo", "rate", "terms", "a.piece"]


@pytest.fixture(scope="module")
def shipped():
    from casekit import corrector_with

    return corrector_with()


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(_OCR_WORDS), min_size=3, max_size=40))
def test_the_corrector_with_its_second_look_edits_printed_text_only(shipped, words):
    """On text full of misreads (so that both looks edit): every edit replaces printed text, in order and apart."""
    text = " ".join(words).replace(" \n ", "\n")
    made = shipped.corrections(text)
    assert all(c.before == text[c.start:c.end] for c in made)
    assert all(a.end <= b.start for a, b in zip(made, made[1:]))

