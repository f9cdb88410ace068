"""Short real words decided by the character context model (contextwords.py): French ``à`` printed as
``il`` or ``a``."""

from __future__ import annotations

import importlib.resources

import pytest

from reissue.correct.contextwords import context_word_edits
from reissue.correct.languages import LANGUAGES
from reissue.correct.tokens import Correction, apply_corrections, tokenize

FR = LANGUAGES["fr"]
REALWORD = {"il": [("à", -3.5), ("ii", -1.2)], "a": [("à", -3.0)]}


class FakeContext:
    """A context model that likes ``à`` (gain 6 over the printed word) and dislikes anything else
    (gain -5), and records what it was asked."""

    def __init__(self):
        self.asked = []

    def score_many(self, queries):
        self.asked += queries
        return [[0.0] + [6.0 if a.lower() == "à" else -5.0 for a in middles[1:]] for _left, middles, _right in queries]


def _run(text, out=(), margin=1.0, freq=None, **more):
    toks = tokenize(text, FR["line_hyphens"], frozenset(FR["elisions"]))
    lows = [t.form.lower() for t in toks]
    ctx = FakeContext()
    got = context_word_edits(text, toks, lows, list(out), REALWORD, ctx, {"margin": margin, "max_len": 3, **more},
                             freq=freq)
    return got, ctx


def test_a_standalone_short_word_becomes_the_context_models_choice():
    got, _ = _run("condamné il mort")
    assert [(c.before, c.after, c.rule) for c in got] == [("il", "à", "context-word")]
    assert apply_corrections("condamné il mort", got) == "condamné à mort"
    assert 0.5 <= got[0].confidence <= 1.0
    # the channel cost counts: 6 - 3.5 = 2.5 is not above a margin of 3
    assert _run("condamné il mort", margin=3.0)[0] == []


def test_only_the_target_words_and_short_tokens_are_weighed():
    got, ctx = _run("condamné il mort", targets=("ii",))
    assert got == [] and ctx.asked[0][1] == ["il", "ii"]  # 'à' is no target: only 'ii' is weighed, and loses
    assert _run("condamné il mort", targets=("à",))[0][0].after == "à"
    assert _run("condamné il mort", max_len=1)[0] == []


def test_no_rarer_word_than_the_printed_one():
    freq = {"il": 0.006, "à": 0.012, "ii": 1e-6}.get
    got, ctx = _run("condamné il mort", freq=freq)
    assert got[0].after == "à" and ctx.asked[0][1] == ["il", "à"]  # 'ii' is rarer than 'il': not weighed
    got, ctx = _run("condamné il mort", freq={"il": 0.02, "à": 0.012, "ii": 1e-6}.get)
    assert got == [] and ctx.asked == []  # nothing left to weigh


def test_a_figure_never_becomes_another_number():
    realword = {**REALWORD, "0": [("9", -2.0), ("à", -4.0)]}
    text = "arr. 0 h. 4"
    toks = tokenize(text, FR["line_hyphens"], frozenset(FR["elisions"]))

    class LikesNine(FakeContext):
        def score_many(self, queries):
            self.asked += queries
            return [[0.0] + [9.0 for _a in middles[1:]] for _left, middles, _right in queries]

    ctx = LikesNine()
    got = context_word_edits(text, toks, [t.form.lower() for t in toks], [], realword, ctx,
                             {"margin": 1.0, "max_len": 3})
    assert ctx.asked[0][1] == ["0", "à"]  # '9' is never weighed
    assert [(c.before, c.after) for c in got] == [("0", "à")]  # (a word may still replace the figure)


def test_case_follows_the_printed_word():
    got, _ = _run("Il mort")
    assert got[0].after == "À"


def test_words_glued_to_an_apostrophe_a_hyphen_or_a_letter_stay():
    for text in ("qu'il mort", "l'a mort", "peut-il venir", "dit-il mort"):
        assert _run(text)[0] == [], text


def test_tokens_the_decoder_changed_are_left_and_offsets_follow_its_edits():
    text = "uue il mort"
    first = Correction(0, 3, "uue", "une", 0.9, "confusion")
    got, ctx = _run(text, [first])
    assert [c.before for c in got] == ["uue", "il"]
    left, middles, right = ctx.asked[0]
    assert (left, middles[0], right) == ("une ", "il", " mort")  # the sentence as corrected
    longer = Correction(0, 3, "uue", "unee", 0.9, "confusion")
    got, ctx = _run(text, [longer])
    left, middles, right = ctx.asked[0]
    assert (left, middles[0]) == ("unee ", "il") and got[-1].start == text.index("il")
    # the decoder's own edit of the token wins
    mine = Correction(4, 6, "il", "ii", 0.9, "confusion")
    got, ctx = _run(text, [mine])
    assert got == [mine] and ctx.asked == []


def test_only_the_languages_that_ask_for_it():
    assert FR["context_words"] is not None
    assert LANGUAGES["en"]["context_words"] is None and LANGUAGES["de"]["context_words"] is None


@pytest.mark.slow
def test_shipped_french_model_restores_a_grave_where_the_sentence_needs_it():
    from reissue.correct import Corrector

    p = importlib.resources.files("reissue").joinpath("data", "correct-model-fr.json.gz")
    if not p.is_file():
        pytest.skip("no shipped fr model")
    c = Corrector(str(p))
    assert c.correct_text("Le tribunal a condamné les soldats il la peine de mort.") == \
        "Le tribunal a condamné les soldats à la peine de mort."
    clean = "Il a dit qu'il viendra à Paris, et il a tenu parole."
    assert c.correct_text(clean) == clean


@pytest.mark.slow
def test_a_french_model_without_a_context_model_corrects_without_one():
    from reissue.correct import Corrector
    from reissue.correct.model import CorrectionModel
    from reissue.correct.train import fit

    pairs = [("Il a été condamné il mort.", "Il a été condamné à mort.")] * 3
    data = fit(pairs, sources=["test"], lang="fr")
    assert not data.get("context_model")
    c = Corrector(CorrectionModel(data))
    assert c.model.language["context_words"] is not None  # the pass is on for French, and steps aside
    c.correct_text("Le tribunal a condamné les soldats il la peine de mort.")
    assert c.context_lm is None


class SplitContext:
    """A context model that likes a form with an apostrophe and an 'l' (gain 3 over the printed token), and
    records what it was asked."""

    def __init__(self, gain=3.0):
        self.asked, self.gain = [], gain

    def score_many(self, queries):
        self.asked += queries
        return [[0.0] + [self.gain if "'" in a or a.lower() == "l" else -1.0 for a in middles[1:]] for _left, middles, _right in queries]


GLUED = FR["context_words"]["glued"]
FREQ = {"écouler": 1e-5, "académie": 1e-5, "orateur": 1e-5, "argus": 1e-6, "une": 1e-2, "ép": 1e-6,
        "atti": 1e-6, "élection": 1e-5}


def _glued(text, out=(), gain=3.0, fix=None, **more):
    """glued_elision_edits on ``text`` with the edits ``out``, a context model of ``gain``, the candidate search
    ``fix`` and the French settings with ``more`` on top: (before, after, rule) of each made, the model, the
    edits of ``out`` replaced."""
    from reissue.correct.contextwords import glued_elision_edits

    toks = tokenize(text, FR["line_hyphens"], frozenset(FR["elisions"]))
    lows = [t.form.lower() for t in toks]
    ctx = SplitContext(gain)
    got, dropped = glued_elision_edits(text, toks, lows, list(out), ctx, {**GLUED, **more},
                                       freq=lambda w: FREQ.get(w, 1e-10), fix=fix)
    assert all(c in out for c in dropped)
    return [(c.before, c.after, c.rule) for c in got], ctx, dropped


def test_an_elision_glued_to_a_known_word_is_split_off():
    assert _glued("doit sécouler vite")[0] == [("sécouler", "s'écouler", "elision")]
    assert _glued("de lorateur")[0] == [("lorateur", "l'orateur", "elision")]
    # the l' read as one letter, shown by the capital after it; at a sentence start a capital L
    assert _glued("membre de VAcadémie française")[0] == [("VAcadémie", "l'Académie", "elision")]
    assert _glued("Édite rARGUS de")[0] == [("rARGUS", "l'ARGUS", "elision")]
    assert _glued("VAcadémie parla")[0] == [("VAcadémie", "L'Académie", "elision")]
    assert _glued("Lélection est")[0] == [("Lélection", "L'élection", "elision")]


def test_the_glued_elision_needs_the_context_models_margin():
    assert _glued("doit sécouler vite", gain=-0.5)[0] == []
    assert _glued("doit sécouler vite", gain=2.0, margin=2.5)[0] == []


def test_what_is_no_glued_elision_stays():
    FREQ["dune"] = 1e-6
    assert _glued("la dune")[0] == []  # a known word
    del FREQ["dune"]
    assert _glued("Martini et Latti, de Nice")[0] == []  # a capitalised word in mid-sentence: a name
    assert _glued("Il parla. Latti, de Nice")[0] == [("Latti", "L'atti", "elision")]  # (at a sentence start)
    assert _glued("Martini et Vorateur")[0] == []  # no capital that shows the glue
    assert _glued("La Cigale lél. 407")[0] == []  # an abbreviation
    assert _glued("quelle îép nse")[0] == []  # too short a rest
    assert _glued("il dit Sécouler")[0] == []  # capitalised in mid-sentence, no capital that shows the glue
    assert _glued("l'sécouler")[0] == []  # glued to an apostrophe already


def test_a_token_the_decoder_changed_is_left():
    other = Correction(5, 13, "sécouler", "écoulés", 0.9, "confusion")
    assert _glued("doit sécouler vite", [other])[0] == []
    inside = Correction(6, 7, "é", "e", 0.9, "confusion")
    assert _glued("doit sécouler vite", [inside])[0] == []


def test_a_first_letter_the_decoder_deleted_is_weighed_as_an_elision():
    """The decoder may read the glued letter as noise ('VAcadémie' -> 'Académie', narrowed to 'V' -> ''); the
    elision reading explains it better when the context model prefers it, and replaces that edit."""
    for text, edit in (("membre de VAcadémie française", Correction(10, 11, "V", "", 0.7, "confusion")),
                       ("doit sécouler vite", Correction(5, 13, "sécouler", "écouler", 0.9, "confusion"))):
        got, ctx, dropped = _glued(text, [edit])
        assert len(got) == 1 and got[0][2] == "elision" and dropped == [edit], text
        # the context model reads the sentence without the edit it may replace: the printed token, whole
        assert [middles[0] for _left, middles, _right in ctx.asked] == [edit.before if edit.end - edit.start > 1
                                                                        else "VAcadémie"]
        assert _glued(text, [edit], gain=-0.5)[0] == [] and _glued(text, [edit], gain=-0.5)[2] == []


def _fixing(words):
    """A candidate search that reads each unknown word of ``words`` as its value (channel log probability -2)."""
    return lambda w: tuple((c, -2.0, "confusion") for c in words.get(w, ()))


def test_an_elision_glued_to_a_misread_word_is_split_off_and_the_word_corrected():
    fix = _fixing({"instructiort": ("instruction",), "ienfants": ("enfants",)})
    FREQ.update(instruction=1e-5, enfants=1e-4)
    try:
        # the context gain less the correction's channel cost must pass fix_margin (10), not margin (0)
        assert _glued("ministre de rinstructiort publique", gain=12.5, fix=fix)[0] == [
            ("rinstructiort", "l'instruction", "elision")]
        assert _glued("le sort des dienfants", gain=12.5, fix=fix)[0] == [("dienfants", "d'enfants", "elision")]
        assert _glued("ministre de rinstructiort publique", gain=11.5, fix=fix)[0] == []
        assert _glued("ministre de rinstructiort publique", gain=12.5, fix=fix, fix_rest=0)[0] == []  # off
        # a capitalised token is a name, even at a sentence start; a word the search cannot read stays
        assert _glued("Rinstructiort publique", gain=12.5, fix=fix)[0] == []
        assert _glued("de rabcdefgh publique", gain=12.5, fix=fix)[0] == []
        # without a search (the English model) nothing changes
        assert _glued("ministre de rinstructiort publique", gain=12.5, fix=None)[0] == []
    finally:
        del FREQ["instruction"], FREQ["enfants"]


def test_a_first_letter_the_decoder_deleted_while_correcting_the_word_is_weighed_as_an_elision():
    """The decoder read 'rempîisonnement' as 'emprisonnement' (one edit 'rempî' -> 'empr', the glued l' dropped):
    with fix_rest on, the elision reads the decoder's word and replaces that edit when the context model
    prefers it; an edit that reads the first letter as another ('iuste' -> 'juste') is no dropped glue."""
    FREQ.update(emprisonnement=1e-5, juste=1e-4)
    try:
        text = "depuis rempîisonnement de Souvarine"
        edit = Correction(7, 12, "rempî", "empr", 0.8, "confusion")
        for fix_rest, want in ((2, [("rempîisonnement", "l'emprisonnement", "elision")]), (0, [])):
            got, _ctx, dropped = _glued(text, [edit], fix_rest=fix_rest)
            assert got == want and dropped == ([edit] if want else [])
        edit = Correction(4, 5, "i", "j", 0.9, "confusion")
        assert _glued("une iuste cause", [edit], fix_rest=2)[::2] == ([], [])
    finally:
        del FREQ["emprisonnement"], FREQ["juste"]


def test_an_elided_l_read_as_t_is_restored():
    assert _glued("vendait les t'argent du peuple")[0] == [("t", "l", "elision")]
    assert _glued("vendait les t'argent", gain=-0.5)[0] == []  # the context model must prefer it
    assert _glued("Je t'aime")[0] == [("t", "l", "elision")]  # (the context model decides: this one likes any l)
    assert _glued("Il t'aime. T'aimer")[0] == [("t", "l", "elision"), ("T", "L", "elision")]
    for text in ("c't'argent", "t'9", "t'", "mat'argent", "le t' argent"):
        assert _glued(text)[0] == [], text


FAMILIAR = FR["context_words"]["familiar"]


def _familiar(text, edits, vocab):
    from collections import Counter

    from reissue.correct.contextwords import familiar_kept

    out = []
    for before, after in edits:
        s = text.index(before)
        out.append(Correction(s, s + len(before), before, after, 0.9, "real-word"))
    return apply_corrections(text, familiar_kept(text, out, Counter(vocab), FAMILIAR))


def test_the_familiar_second_person_stays_where_the_document_says_tu():
    text = "Je sais qu'on t'a menacé, garde ta place et te tais, dit-il."
    edits = [("t'a", "l'a"), ("ta", "la"), ("te", "le"), ("dit", "dût")]
    tu = {"tu": 1, "toi": 1}
    # (the other edit stays)
    assert _familiar(text, edits, tu) == "Je sais qu'on t'a menacé, garde ta place et te tais, dût-il."
    # a single cue is not enough, and without the cues la, le, l' are restored
    assert _familiar(text, edits, {"tu": 1}) == "Je sais qu'on l'a menacé, garde la place et le tais, dût-il."
    assert _familiar(text, edits, {}) == "Je sais qu'on l'a menacé, garde la place et le tais, dût-il."
    # an edit that only touches the t of the elision, or a word that merely begins with t
    assert _familiar("on t'a vu", [("t", "l")], tu) == "on t'a vu"
    assert _familiar("la tête", [("tête", "tète")], tu) == "la tète"
    # a merge that closes the gap after ta is no edit of ta
    assert _familiar("ta ble", [(" ", "")], tu) == "table"


def test_familiar_is_french_only():
    from reissue.correct.contextwords import familiar_kept

    out = [Correction(0, 2, "ta", "la", 0.9, "real-word")]
    assert familiar_kept("ta", out, {"tu": 5}, None) == out
    assert LANGUAGES["en"]["context_words"] is None and LANGUAGES["de"]["context_words"] is None


APART = FR["context_words"]["apart"]
APART_FREQ = {"armée": 1e-4, "imprimerie": 1e-5, "an": 1e-3, "une": 1e-2, "ont": 1e-3, "aurore": 1e-5}


def _apart(text, out=(), gain=5.0, realword=None, cond=None, **more):
    """apart_elision_edits on ``text`` with the edits ``out``, a context model that gains ``gain`` for a form with an
    apostrophe, the real-word confusions ``realword`` ('1' and 'i' read for 'l' by default), the word model's
    ``cond`` and the French settings with ``more`` on top: (before, after) of each made, and the model."""
    from reissue.correct.contextwords import apart_elision_edits

    toks = tokenize(text, FR["line_hyphens"], frozenset(FR["elisions"]))
    lows = [t.form.lower() for t in toks]
    ctx = SplitContext(gain)
    freq = lambda w: APART_FREQ.get(w, 1e-10)  # noqa: E731
    rw = {"1": [("l", -4.9)], "i": [("l", -5.6), ("à", -5.3)], "t": [("l", -4.5)]} if realword is None else realword
    got = apart_elision_edits(text, toks, lows, list(out), rw, ctx, {**APART, **more}, freq, cond)
    return [(c.before, c.after) for c in got], ctx


def test_an_elided_letter_whose_apostrophe_was_read_as_a_space_gets_it_back():
    assert _apart("les ouvriers de l armée")[0] == [("l ", "l'")]
    assert _apart("le texte d une loi")[0] == [("d ", "d'")]
    assert apply_corrections("de 1 Imprimerie", [Correction(3, 5, "1 ", "l'", 0.9, "elision")]) == "de l'Imprimerie"
    # the letter misread too (a learned confusion, its log probability counted against the context model's gain)
    assert _apart("les ouvriers de 1 armée", gain=9.0)[0] == [("1 ", "l'")]
    assert _apart("les ouvriers de 1 armée", gain=7.0)[0] == []  # 7 - 4.9 is below the margin (3)
    assert _apart("les ouvriers de i armée", gain=9.0)[0] == [("i ", "l'")]  # (never à' : not an elided letter)
    # at a sentence start a capital L
    assert _apart("Il parla. 1 armée suivit", gain=9.0)[0] == [("1 ", "L'")]


def test_what_is_no_lost_apostrophe_stays():
    assert _apart("les ouvriers de l armée", gain=2.0)[0] == []  # the context model's margin
    assert _apart("il se sent t armée", gain=9.0)[0] == [("t ", "l'")]  # a learned confusion of t
    assert _apart("qu'il s armée", realword={})[0] == []  # s' elides before verbs only: not a letter of the pass
    assert _apart("de l xyzzy")[0] == []  # an unknown word after it
    assert _apart("de l bras")[0] == []  # no vowel or h after it
    assert _apart("de l, armée")[0] == []  # no single space between
    assert _apart("de 1l armée")[0] == []  # no lone letter
    assert _apart("Il parla. i Ont été élus", gain=9.0)[0] == []  # a capital after a lone letter at a sentence start
    assert _apart("adresse i AURORE", gain=9.0)[0] == []  # a word in capitals after a lower-case letter
    # a pair the word model knows as printed: a number ('France 1 an'), unless only the apostrophe is missing
    assert _apart("France 1 an", gain=9.0, cond=lambda w, prev: 0.5 if (prev, w) == ("1", "an") else 1e-9)[0] == []
    assert _apart("de l an", cond=lambda w, prev: 0.5)[0] == [("l ", "l'")]
    out = [Correction(3, 8, "armée", "année", 0.9, "confusion")]
    assert _apart("de l armée", out=out)[0] == []  # a token the decoder changed

