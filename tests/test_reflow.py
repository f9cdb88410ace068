"""Reflow: paragraphs, line-end hyphens, drop caps, page-spanning paragraphs."""

import pytest

from pagekit import body, build
from reissue.reflow import Lexicon, hyphen_decision


@pytest.mark.parametrize("left,right,hy,expected", [
    ("philan", "thropist", "·", "join"),
    ("imperi", "alism", "–", "join"),
    ("fellow", "travelers", "-", "keep"),
    ("pipe", "puffing", "-", "keep"),
    ("anti", "Fascist", "-", "keep"),
    ("an", "other", "-", "join"),
    ("expe", "rience", "\u00ad", "join"),
    ("Krivit", "sky", "¬", "join"),  # an unknown name split at the line end is still one word
])
def test_hyphen_decision(left, right, hy, expected):
    assert hyphen_decision(left, right, Lexicon(), hy)[0] == expected


def test_document_vocabulary_decides():
    lex = Lexicon(["the well-being of all", "a wellbeing study"])
    assert hyphen_decision("well", "being", Lexicon(["the well-being of all"]), "-")[0] == "keep"
    assert hyphen_decision("well", "being", Lexicon(["a wellbeing study"]), "-")[0] == "join"
    assert lex.compounds["well-being"] == 1


def para_texts(ed):
    return [p["text"] for p in ed["paragraphs"]]


def test_hyphens_joined_and_compounds_kept_in_text():
    lines = body(n=4) + ["and then the philan·", "thropist spoke with the fellow-",
                         "travelers about the coun–", "tries of the world in the long evening."]
    _, ed = build(["\n".join(lines)])
    text = para_texts(ed)[0]
    assert "philanthropist" in text and "fellow-travelers" in text and "countries" in text
    rules = [e["rule"] for e in ed["edits"]]
    assert rules.count("hyphen-join") == 2 and rules.count("hyphen-keep") == 1


def test_short_line_with_sentence_end_ends_paragraph():
    lines = body(n=5) + ["so it ended there.", "Another paragraph begins here and runs on"] + body(n=3, start=3)
    _, ed = build(["\n".join(lines)])
    assert len(ed["paragraphs"]) == 2
    assert para_texts(ed)[0].endswith("so it ended there.")
    assert para_texts(ed)[1].startswith("Another paragraph")


def test_drop_cap_starts_paragraph_and_joins():
    lines = ["the end of something before.", "T", "HE war began in the spring and"] + body(n=5)
    _, ed = build(["\n".join(lines)])
    assert para_texts(ed)[1].startswith("THE war began")
    lines = ["the end of something before.", "A", "few weeks ago the story began"] + body(n=5)
    _, ed = build(["\n".join(lines)])
    assert para_texts(ed)[1].startswith("A few weeks ago")


def test_paragraph_and_hyphenated_word_across_page_break():
    p1 = "\n".join(["5"] + body(n=8) + ["and a successful revolu–"])
    p2 = "\n".join(["6", "tion abroad would follow"] + body(n=8, start=5))
    _, ed = build([p1, p2])
    assert len(ed["paragraphs"]) == 1
    para = ed["paragraphs"][0]
    assert "revolution abroad" in para["text"]
    assert para["pages"] == [5, 6]
    assert [b["page"] for b in para["page_breaks"]] == [5, 6]


def test_blank_lines_separate_paragraphs():
    lines = body(n=3) + ["and all of it in a long line that fills the whole width."] + [""] \
        + ["Then"] + body(n=3, start=4)
    _, ed = build(["\n".join(lines)])
    assert len(ed["paragraphs"]) == 2


def test_double_spaced_dump_blank_lines_ignored():
    lines = body(n=8)
    _, ed = build(["\n\n".join(lines)])
    assert len(ed["paragraphs"]) == 1


def test_whitespace_normalised_single_spaces():
    _, ed = build(["  some   words\there  \r\n and more words on the next line  "])
    assert para_texts(ed) == ["some words here and more words on the next line"]


@pytest.mark.parametrize("line1,line2,expected", [
    ("of the house of Saxe-Coburg-", "Gotha and its dependencies", "Saxe-Coburg-Gotha"),
    ("a journey from New-", "York to the coast of the bay", "New-York"),
    ("the excellent hand-", "written letters of the old clerk", "hand-written"),
    ("the right to a compensation ex~-", "cept where the injury was caused", "ex~cept"),
])
def test_hyphen_cases_in_context(line1, line2, expected):
    _, ed = build(["\n".join(body(n=3) + [line1, line2] + body(n=3, start=5))])
    assert expected in ed["paragraphs"][0]["text"]


@pytest.mark.parametrize("left,right,lang,expected", [
    ("Rechts", "wissenschaft", "de", "join"),  # German writes a compound of two words closed
    ("Käse", "markt", "de", "join"),
    ("Ober", "und", "de", "suspend"),  # a suspended hyphen before a conjunction: "Ober- und"
    ("Nord", "Amerika", "de", "keep"),
    ("fellow", "travelers", "en", "keep"),
    ("gouver", "nement", "fr", "join"),
])
def test_hyphen_decision_in_the_page_language(left, right, lang, expected):
    assert hyphen_decision(left, right, Lexicon(), "-", lang)[0] == expected


def test_line_end_hyphens_decided_in_the_language_of_the_page():
    from reissue.ingest import document_from_texts
    from reissue.pipeline import process

    de = ("Es ist ein großer Mangel unserer Zeit, dass man die Rechts-\nwissenschaft nicht mehr "
          "so achtet wie früher, und die Bürger der Stadt haben es\nlängst bemerkt, wie wir den-\n"
          "ken. Der Käse-\nmarkt war gestern voll von Leuten aus dem Ober-\nund Unterland.\n")
    en = ("The fellow-\ntravelers of the party met in the evening at the hall of the town, where\n"
          "the committee had been sitting since the morning.\n")
    for lang_opt in ("auto", ("de",)):
        doc = process(document_from_texts([("de.txt", de), ("en.txt", en)]), correct=False, lang=lang_opt)
        text = "\n".join(p.text.text for p in doc.paragraphs)
        assert "Rechtswissenschaft" in text and "Käsemarkt" in text and "Ober- und" in text and "denken" in text
    doc = process(document_from_texts([("de.txt", de), ("en.txt", en)]), correct=False)
    assert "fellow-travelers" in "\n".join(p.text.text for p in doc.paragraphs)  # the English page
    doc = process(document_from_texts([("de.txt", de)]), correct=False, lang="none")  # English lexicon
    assert "den-ken" in "\n".join(p.text.text for p in doc.paragraphs)


def test_lexicon_of_many_lines_counts_as_line_by_line():
    """The Lexicon reads its texts joined (one regex pass): the same counts in the same key order as
    reading them one by one, also where a word or a compound is cut at a line end."""
    from collections import Counter

    from reissue.reflow import COMPOUND, WORD, Lexicon

    lines = ["The commit-", "tee met; don", "'t", "foo-", "bar", "a", "-b", "", "İstanbul-İzmir x-y", "ǅemal’s",
             "e\u0301te\u0301-d'hiver", "1939-40 anti-Fascist", "l’homme", "pro-Soviet PRO-SOVIET"] * 3
    vocab, compounds = Counter(), Counter()
    for t in lines:
        vocab.update(w.lower() for w in WORD.findall(t))
        compounds.update((a + "-" + b).lower() for a, b in COMPOUND.findall(t))
    lex = Lexicon(lines)
    assert list(lex.vocab.items()) == list(vocab.items()) and list(lex.compounds.items()) == list(compounds.items())
    assert lex.compounds["anti-fascist"] == 3 and Lexicon().vocab == Counter()


def test_document_lexicon_reuses_the_counts_only_for_the_same_lines():
    """The notes stage and reflow each read the document's Lexicon: the second takes the first one's
    counts when every body and note line reads the same, and counts again when one does not."""
    from reissue.ingest import document_from_texts
    from reissue.reflow import document_lexicon

    doc = document_from_texts([("a.txt", "The well-being of all\nof the commit-\ntee.\n\n1 A note-taker.\n"),
                               ("b.txt", "A wellbeing study.\n")])
    doc.pages[0].lines[-1].kind = "note"
    first = document_lexicon(doc)
    fresh = Lexicon([ln.str for p in doc.pages for ln in p.lines if ln.kind in ("body", "note")])
    assert first.vocab == fresh.vocab and first.compounds == fresh.compounds and first.vocab["wellbeing"] == 1
    again = document_lexicon(doc, {0: "de"})
    assert again.vocab is first.vocab and again.compounds is first.compounds and again.lang_of(0) == "de"
    line = doc.pages[0].lines[0]
    line.text.replace(doc, 4, 8, "ill", stage="reflow", rule="test")  # "The ill-being of all"
    changed = document_lexicon(doc)
    assert changed.vocab is not first.vocab and changed.compounds["ill-being"] == 1
    assert changed.compounds["well-being"] == 0 and first.compounds["well-being"] == 1
    doc.compact()
    assert doc._lexicon is None


def test_sentence_ends_and_heading_terminals_are_made_of_one_class():
    """reflow's and the notes stage's sentence ends and a heading's terminal punctuation are built from
    reissue.chars' stops and closing marks: every stop, bare or followed by any closing mark, ends all three."""
    import reissue.headings as H
    import reissue.notes as N
    import reissue.reflow as R
    from reissue.chars import AFTER_STOP, SENTENCE_STOPS

    for stop in SENTENCE_STOPS:
        for close in ["", *AFTER_STOP, AFTER_STOP[:2]]:
            s = f"end{stop}{close}"
            assert R.SENT_END.search(s) and N.SENT_END.search(s + "  ") and H.TERMINAL.search(s.upper() + "—"), s
    assert R.SENT_END.search('said:"') and not R.SENT_END.search("said:")  # a colon ends only before a closing mark
    assert H.TERMINAL.search("LA PRESSE.»") and H.TERMINAL.search("NOTES;") and not N.SENT_END.search("notes;")
    for s in ("end,", "end", "end-", "(end"):
        assert not R.SENT_END.search(s) and not N.SENT_END.search(s) and not H.TERMINAL.search(s.upper())
