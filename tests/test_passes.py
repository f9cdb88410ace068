"""The passes after the decoder (correct/passes.py): one declared order, and only the passes that read the
decoder's output stay out of a vetter's training proposals."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from reissue.correct import Corrector
from reissue.correct.passes import PASSES, Doc, Pass, after_decoder
from reissue.correct.tokens import Correction, tokenize


def _recording(names, log):
    def run(name):
        def step(_c, _d, out):
            log.append(name)
            return out + [name]
        return step
    return tuple(Pass(n, run(n), n.startswith("both")) for n in names)


def test_passes_run_in_their_order_and_only_those_marked_while_proposals_are_collected():
    passes = _recording(["out-a", "both-b", "out-c", "both-d"], log := [])
    doc = Doc("", [], [], Counter(), None)
    assert after_decoder(SimpleNamespace(proposals=None), doc, [], passes) == ["out-a", "both-b", "out-c", "both-d"]
    log.clear()
    assert after_decoder(SimpleNamespace(proposals=[]), doc, [], passes) == ["both-b", "both-d"]
    assert log == ["both-b", "both-d"]


def test_the_declared_order():
    assert [p.name for p in PASSES] == ["context-words", "letter-spaced", "derived", "hyphen-spaces", "junk-letters", "long-s",
                                        "lowered", "signs", "mark-fixes", "foreign"]
    # what changes the text the vetter learns from runs while proposals are collected too; the rest reads
    # the decoder's output
    assert [p.name for p in PASSES if p.in_proposals] == ["long-s", "signs"]


def test_a_pass_its_language_turns_off_returns_the_edits_as_they_were():
    c = Corrector()  # English: no context-word pass
    text = "the annals j of the society"
    toks = tokenize(text, c.line_hyphens, c.elisions)
    doc = Doc(text, toks, [t.form.lower() for t in toks], Counter(), None)
    out = [Correction(4, 10, "annals", "annals", 0.9, "confusion")]
    by_name = {p.name: p for p in PASSES}
    assert by_name["context-words"].run(c, doc, out) is out
    assert by_name["letter-spaced"].run(c, doc, out) is out  # (German only)
    assert by_name["long-s"].run(c, doc, out) is out  # the text prints no long s
    # the lone letter goes in English
    assert [x.rule for x in by_name["junk-letters"].run(c, doc, out)] == ["confusion", "junk-letter"]


def test_the_foreign_pass_reports_the_sentences_it_leaves():
    c = Corrector()
    german = "Die Regierung hat gestern beschlossen, dass die neuen Steuern im Herbst eingeführt werden."
    text = "The committee met on Monday. " + german + " The chairman then spoke."
    toks = tokenize(text, c.line_hyphens, c.elisions)
    doc = Doc(text, toks, [t.form.lower() for t in toks], Counter(), foreign := [])
    s = text.index("beschlossen")
    inside = Correction(s, s + 11, "beschlossen", "blossom", 0.99, "confusion")
    assert [x for x in after_decoder(c, doc, [inside]) if x.rule == "confusion"] == []
    assert [(text[a:b].split()[0], lang) for a, b, lang in foreign] == [("Die", "de")]
