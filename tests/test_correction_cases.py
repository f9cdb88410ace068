"""Golden cases of the English corrector, kept as data (tests/data/correction_cases.json): what it
must fix, what it must leave as printed, and what it must never write (issue 14, no confident damage).
Wrong edits seen on real pages only in their whole document (its vocabulary, the OCR engine's doubts)
are kept as ``never_made``: [printed word, candidate] pairs whose edit the corrector must refuse
(``Corrector._make`` returns None) whatever the decoder's scores."""

from __future__ import annotations

import pytest

from casekit import check_case, golden_cases

from reissue.correct.engine import Corrector, apply_corrections, tokenize

@pytest.fixture(scope="module")
def corrector():
    return Corrector()


@pytest.mark.parametrize("case", golden_cases("correction_cases.json"))
def test_correction_case(corrector, case):
    check_case(corrector, case)

def test_name_edit_needs_more(corrector):
    """An edit-distance edit of a name-like word needs name_edit_threshold: with name_edit_anywhere (the
    English model), of any of its letters ("Earlam" -> "Early"), else only one that changes its first letter
    (1832 Liverpool Standard: "of Oakes-ing" -> "of Passing" at 0.66); edit_distance_threshold: every
    edit-distance edit; other edits the threshold."""
    from reissue.correct.tokens import Correction

    shipped = corrector.P
    P = shipped
    assert P.name_edit_threshold is not None and P.name_edit_threshold > corrector.threshold and P.name_edit_anywhere
    text = "the north side of Oakesing out of the street"
    at = text.index("Oake")
    first = Correction(at, at + 4, "Oake", "Pass", 0.66, "edit-distance")
    inner = Correction(at + 1, at + 4, "ake", "ase", 0.66, "edit-distance")
    confusion = Correction(at, at + 4, "Oake", "Pass", 0.66, "confusion")
    name = {"name_like": 1.0, "log_p_ocr": -25.0, "length": 8.0}
    plain = {**name, "name_like": 0.0}
    assert corrector._needed(first, name, text) == P.name_edit_threshold
    assert corrector._needed(inner, name, text) == P.name_edit_threshold
    assert corrector._needed(first, plain, text) == max(corrector.threshold, P.edit_distance_threshold or 0.0)
    assert corrector._needed(confusion, name, text) == corrector.threshold
    try:
        corrector.P = shipped.replace(name_edit_anywhere=False, edit_distance_threshold=None)
        assert corrector._needed(first, name, text) == P.name_edit_threshold
        assert corrector._needed(inner, name, text) == corrector.threshold
        corrector.P = shipped.replace(name_edit_anywhere=False, edit_distance_threshold=0.6)
        assert corrector._needed(inner, plain, text) == max(0.6, corrector.threshold)
        assert corrector._needed(first, name, text) == P.name_edit_threshold
        assert corrector._needed(confusion, plain, text) == corrector.threshold
    finally:
        corrector.P = shipped


def test_known_word_edit_needs_more(corrector):
    """A confusion or real-word edit that turns a known word of at least known_edit_min_len letters into another
    needs known_edit_threshold (1832 Liverpool Standard: "a fiat in bankruptcy" -> "flat" at 0.52, "little litter"
    -> "letter" at 0.52, "an alter-ation" -> "after" at 0.53); a shorter known word ("tie" -> "the"), an unknown
    one and a split need the threshold."""
    import math

    from reissue.correct.tokens import Correction

    shipped = corrector.P
    assert shipped.known_edit_threshold is not None and shipped.known_edit_threshold > corrector.threshold
    text = "WHEREAS a fiat in bankruptcy is awarded"
    at = text.index("fiat")
    edit = Correction(at + 1, at + 2, "i", "l", 0.55, "confusion")
    known = math.log(shipped.light_p) + 1.0
    x = {"name_like": 0.0, "length": 4.0, "log_p_ocr": known}
    assert corrector._needed(edit, x, text) == shipped.known_edit_threshold
    real = Correction(at + 1, at + 2, "i", "l", 0.55, "real-word")
    assert corrector._needed(real, x, text) == shipped.known_edit_threshold
    assert corrector._needed(edit, {**x, "length": float(shipped.known_edit_min_len - 1)}, text) == corrector.threshold
    assert corrector._needed(edit, {**x, "log_p_ocr": math.log(shipped.light_p) - 1.0}, text) == corrector.threshold
    assert corrector._needed(Correction(at, at + 4, "fiat", "fi at", 0.55, "split"), x, text) == corrector.threshold
    try:
        corrector.P = shipped.replace(known_edit_threshold=None)
        assert corrector._needed(edit, x, text) == corrector.threshold
    finally:
        corrector.P = shipped


def test_edit_distance_edit_of_a_rare_known_word_needs_more(corrector):
    """An edit-distance edit of a word the lexicon knows, however rare (below cand_min_p the fallback searches
    it as an unknown word), needs known_fallback_threshold (1832 Liverpool Standard: "the tyranny, the perfidy,
    of the Dutch" -> "period" at 0.66); one of a word no source knows needs the edit-distance threshold."""
    import math

    from reissue.correct.tokens import Correction

    shipped = corrector.P
    assert shipped.known_fallback_threshold is not None
    assert shipped.known_fallback_threshold > max(corrector.threshold, shipped.edit_distance_threshold or 0.0)
    text = "the tyranny, the perfidy, of the Dutch"
    at = text.index("perfidy")
    edit = Correction(at + 3, at + 7, "fidy", "iod", 0.66, "edit-distance")
    rare = {"name_like": 0.0, "length": 7.0, "log_p_ocr": math.log(corrector.lm.p("perfidy"))}
    assert corrector.lm.p("perfidy") < shipped.cand_min_p
    assert corrector._needed(edit, rare, text) == shipped.known_fallback_threshold
    unknown = {**rare, "log_p_ocr": math.log(corrector.lm.floor)}
    assert corrector._needed(edit, unknown, text) == max(corrector.threshold, shipped.edit_distance_threshold or 0.0)
    try:
        corrector.P = shipped.replace(known_fallback_threshold=None)
        assert corrector._needed(edit, rare, text) == max(corrector.threshold, shipped.edit_distance_threshold or 0.0)
    finally:
        corrector.P = shipped


def test_weak_confusions_let_the_fallback_in_as_rivals():
    """A token whose common candidates only confusions less likely than fallback_weak_lp reach ("euneet" ->
    "sunset", two e -> s) also gets the edit-distance fallback's words, as rivals: in the posterior, never
    made. A candidate one generic edit away ("elistence" -> "existence") or a likely split keeps them out."""
    from casekit import corrector_with

    from reissue.correct.search import RIVAL

    on, off = corrector_with(fallback_weak_lp=-11.0), corrector_with(fallback_weak_lp=None)
    got = {c: rule for c, _lp, rule in on.candidates("euneet")}
    assert got.get("sunset") == "confusion" and RIVAL in got.values()
    assert RIVAL not in {rule for _c, _lp, rule in off.candidates("euneet")}
    assert RIVAL not in {rule for _c, _lp, rule in on.candidates("elistence")}
    # a split at least that likely keeps them out too ("tieup" -> "tie up"; "troup" is a weak confusion)
    assert RIVAL not in {rule for _c, _lp, rule in on.candidates("tieup")}
    rivals = {c for c, rule in got.items() if rule == RIVAL}
    out = on.correct_text("Hitler, despite hi8 euneet effort1, until appeasement had come to an end.")
    assert "sunset" not in out and not rivals & set(out.replace(",", " ").split()), out
    assert "sunset" in off.correct_text("Hitler, despite hi8 euneet effort1, until appeasement had come to an end.")


def test_line_fragment_guard():
    """A half of a word broken over a line end: hyphenated there and not joined ("Wai-\\nlace", the
    Tribune: "Wai" -> "Was"), or making a known word with the next line's first word; not a whole word."""
    from reissue.chars import line_end_hyphen_re
    from reissue.correct.guards import line_fragment

    known = {"thousand", "furniture"}.__contains__
    hyphen = line_end_hyphen_re()
    text = "sold by Wai-\nlace B. Hunter, nearly a thou^.\nsand acres, the man\nwent"
    for word, expected in (("Wai", True), ("lace", True), ("thou", True), ("sand", True), ("man", False),
                           ("went", False), ("Hunter", False)):
        at = text.index(word)
        assert line_fragment(text, at, at + len(word), known, hyphen) is expected, word


def test_mid_hyphen_half_guard():
    """A half of a word split by a hyphen in mid-line whose halves joined are a known word (a line-end hyphen
    kept when the lines were joined: "per-manente"); not a half whose joined form is no word ("ira-vaux"),
    nor a part of a chain ("Saint-Jean-de-Luz"), a word beside a dash, or a whole word."""
    from reissue.correct.guards import mid_hyphen_half

    known = {"permanente", "accepté", "parole", "saintjean"}.__contains__
    text = "la commission per-manente a ac-cepté la pa-role; les ira-vaux de Saint-Jean-de-Luz -- ac- cepté"
    cases = (("per", True), ("manente", True), ("ac", True), ("cepté", True), ("role", True), ("ira", False),
             ("vaux", False), ("Saint", False), ("Jean", False), ("Luz", False), ("commission", False), ("la", False))
    for word, expected in cases:
        at = text.index(word)
        assert mid_hyphen_half(text, at, at + len(word), known) is expected, word
    # the halves apart ("ac- cepté"): no mid-line hyphen
    at = text.rindex("cepté")
    assert not mid_hyphen_half(text, at, at + 5, known)
    at = text.rindex("ac-")
    assert not mid_hyphen_half(text, at, at + 2, known)


def test_completed_by_next_guard():
    """A correction that only adds at a word's end the letters the next word (no common word) begins with
    would print the rest of a broken word twice ("communica. tion": a reflowed line break); a word
    completed by something else, or before a common word, is no such case."""
    from reissue.correct.guards import completed_by_next

    common = {"end", "of", "the"}.__contains__
    text = "for the communica. tion of it, th end of it"
    for form, new, expected in (("communica", "communication", True), ("communica", "communicate", False),
                                ("th", "then", False),  # before "end", a common word
                                ("for", "forth", False),  # before "the"
                                ("tion", "tions", False)):
        at = text.index(form + ("." if form == "communica" else " "))
        assert completed_by_next(text, at + len(form), form, new, common) is expected, (form, new)
    for printed, form, new, expected in (("the commu nication", "commu", "commun", False),  # one letter: a merge
                                         ("the commu Nication", "commu", "communi", False),  # not the word's case
                                         ("the COMMU NICATION", "COMMU", "COMMUNI", True)):
        assert completed_by_next(printed, 9, form, new, common) is expected, printed


def test_training_finds_capitalised_words():
    """train.fit lists the words its ground truth writes with a capital in mid-sentence (at least
    NAME_MIN_COUNT times, NAME_MIN_SHARE of them): names, not words that only begin sentences."""
    from reissue.correct.train import fit

    gt = ("We sailed to Liverpool and back to Liverpool, then on to Liverpool. Then the men went home. "
          "Then we saw the may tree and it may rain; in May and in may and in may the Mersey ran.")
    got = set(fit([(gt, gt)])["capitalised"])
    assert "liverpool" in got
    assert "then" not in got and "may" not in got and "mersey" not in got  # sentence starts; mostly lower; once


def test_misread_first_letter_of_a_name_is_a_capital(corrector):
    """An edit that writes the first letter of a word the training text writes with a capital writes
    a capital (1832 Liverpool Standard: "return to ivcrpaol" -> "liverpool" lost it); a first letter
    printed in lower case stays so, and so does a word that is no name."""
    text = "to return to ivcrpaol to discharge, and to liverpooi and tbe town"
    toks = {t.form: t for t in tokenize(text, corrector.line_hyphens, corrector.elisions)}
    assert "liverpool" in corrector._capitalised and "the" not in corrector._capitalised
    made = corrector._make(text, toks["ivcrpaol"], "liverpool", 0.99, "edit-distance")
    assert "return to Liverpool to" in apply_corrections(text, [made])
    kept = corrector._make(text, toks["liverpooi"], "liverpool", 0.99, "confusion")
    assert "and to liverpool and" in apply_corrections(text, [kept])
    assert "and the town" in apply_corrections(text, [corrector._make(text, toks["tbe"], "the", 0.99, "confusion")])


def test_hyphen_half_guard():
    """A half of a word hyphenated over a line end with marks between the hyphen and the other half (reflow
    leaves such halves apart): its end is followed by the hyphen, or its start follows the line break; a
    dash ("--"), a hyphen after a mark, a line break without a hyphen are no such case."""
    from reissue.correct.guards import hyphen_half

    raw = ("representation. Wai- {\nlace B. Hunter has aecom-,\nplished it, dedi-\n('-ated to him; a mad man--\n"
           "no one; the sale;-\nOr the end.-\n\nThe end\ngoes on")
    for word, expected in (("Wai", True), ("lace", True), ("aecom", True), ("plished", True), ("dedi", True),
                           ("ated", True), ("man", False), ("no", False), ("sale", False), ("Or", False),
                           ("end", False), ("The", False), ("goes", False), ("Hunter", False)):
        at = raw.index(word)
        assert hyphen_half(raw, at, at + len(word)) is expected, word


@pytest.mark.parametrize("text, printed", [
    ("The board of the company met yesterday, and has aecom-,\nplished its work by separating three of the lines "
     "from the rest.\n", "plished"),  # "pushed" without the guard
    ("The general complaint, and the com-.\n:thiin jeer, has been, that Ministers have no plan at all for the "
     "country.\n", "thiin"),  # "than"
])
def test_a_built_edition_leaves_a_hyphenated_half_as_printed(text, printed, monkeypatch):
    """reissue build corrects reflowed paragraphs (the line breaks are gone): the other half of a word
    hyphenated over a line end, which reflow left apart (marks between them), is not corrected alone into
    another word (1832 Liverpool Standard: "accom-,\\nplished" -> "pushed", "dedi-\\n('-ated" -> "donated")."""
    from reissue.correct import stage
    from reissue.ingest import document_from_texts
    from reissue.pipeline import process

    def made():
        doc = process(document_from_texts([("p1.txt", text)]), correct=True)
        return [e.before for e in doc.edits if e.stage == "correct" and e.active]
    assert printed not in made()
    monkeypatch.setattr(stage, "hyphen_half", lambda raw, a, b: False)
    assert printed in made()  # (the case is one the corrector would otherwise edit)


def test_a_hyphenated_half_is_not_completed_with_letters_never_printed(monkeypatch):
    """``dedi-\n('-ated`` -> ``donated`` (1832 Liverpool Standard) was made by the explained-confusion rule, an
    edit the vetter doubted made for its likely learned confusion ('' -> 'don'). That rule no longer makes an edit
    that only adds letters (stop 53), so the half stays even without the hyphen_half guard."""
    from reissue.correct import stage
    from reissue.ingest import document_from_texts
    from reissue.pipeline import process

    monkeypatch.setattr(stage, "hyphen_half", lambda raw, a, b: False)
    text = "A new book, dedi-\n('-ated by permission to His Royal Highness the Duke of Sussex, is now ready.\n"
    doc = process(document_from_texts([("p1.txt", text)]), correct=True)
    assert [e.before for e in doc.edits if e.stage == "correct" and e.active] == []


def test_one_line_end_hyphen_definition_for_letters_and_whole_halves():
    """chars.line_end_hyphen_re: the letters on both sides of a line-end hyphen, or (words=True) the
    whole halves and the white space between (what the HIPE writer marks with ``¬``); the same
    matches either way."""
    from reissue.chars import line_end_hyphen_re

    text = "the contribu-\ntion of Hargrave⸗ \n street, 1832-\n1833, and a dash - \n here"
    letters = [m.group(1, 2) for m in line_end_hyphen_re().finditer(text)]
    halves = [m.group(1, 2, 3) for m in line_end_hyphen_re(words=True).finditer(text)]
    assert letters == [("u", "t"), ("e", "s")]
    assert halves == [("contribu", "\n", "tion"), ("Hargrave", " \n ", "street")]
    assert [m.group(1, 3) for m in line_end_hyphen_re("-", words=True).finditer(text)] == [("contribu", "tion")]
