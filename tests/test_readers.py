"""Tests for the format readers of reissue.ingest: ALTO, PAGE, hOCR and METS as libraries deliver them (fixtures in
tests/data/formats/, written from the format specifications), and the stages that use what they read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reissue.ingest import load_inputs
from reissue.edition import document_to_dict, rebuild_raw
from reissue.pipeline import process

DATA = Path(__file__).parent / "data" / "formats"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def build(paths, **kw):
    doc = load_inputs([str(p) for p in paths])
    doc = process(doc, correct=False, **kw)
    d = document_to_dict(doc)
    assert rebuild_raw(d) == [p.raw for p in doc.pages]
    return doc, d


def reading(d) -> str:
    return "\n".join(p["text"] for p in d["paragraphs"])


def letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


# ----------------------------------------------------------------------------------------------
# ALTO


def test_alto_bnf_hyphenation_joins_once_and_prefers_subs_content():
    doc, d = build([DATA / "alto_bnf_hyphen.xml"])
    assert len(doc.pages) == 2  # two <Page>s in one file
    text = reading(d)
    assert "lentement avec" in text and "lente-" not in text and "--" not in text
    assert "porte-monnaie vide" in text  # SUBS_CONTENT says compound: the hyphen stays
    assert "inquiet." in text
    assert text.endswith("Seconde page.")
    joins = [e for e in d["edits"] if e["rule"] == "hyphen-join"]
    assert len(joins) == 2 and all(e["confidence"] >= 0.99 for e in joins)


def test_alto_keeps_word_confidences_and_ids():
    doc = load_inputs([str(DATA / "alto_bnf_hyphen.xml")])
    page = doc.pages[0]
    line2 = page.info["lines"][1]
    assert page.raw.split("\n")[1] == "ment avec son porte-"
    assert line2["conf"][2] == [10, 13, 0.41, "059"]  # "son": WC and CC kept per word
    assert line2["words"][0] == [0, 4, "PAG_1_ST4"]


def test_alto_strings_without_spaces_fraktur_hyphens_and_drop_capital():
    doc, d = build([DATA / "alto_fraktur_strings.xml"])
    raw = doc.pages[0].raw.split("\n")
    assert raw[0] == "Berliniſche Monatsſchrift."  # punctuation String attached, no space
    assert raw[3] == "ufklaͤrung iſt der Ausgang des Men⸗"
    assert raw[4] == "ſchen aus ſeiner, (ſelbſt) Unmuͤn="
    text = reading(d)
    assert "Aufklaͤrung iſt" in text  # drop capital joined to its word
    assert "Menſchen aus" in text and "Unmuͤndigkeit." in text  # ⸗ and = joined once


def test_alto_tags_and_composed_blocks():
    doc, d = build([DATA / "alto_v4_tags.xml"])
    page = d["pages"][0]
    kinds = {f["kind"]: f["text"] for f in page["furniture"]}
    assert kinds == {"running-head": "THE MONTHLY", "folio": "57"}
    assert page["number"] == 57
    assert [p["text"] for p in d["paragraphs"]] == ["First block text.", "Second block."]
    assert [(f["marker"], f["text"]) for f in d["footnotes"]] == [("1", "A note.")]


# ----------------------------------------------------------------------------------------------
# PAGE


def test_page_region_types_reading_order_and_double_page():
    doc, d = build([DATA / "page_2013_double.xml"])
    page = d["pages"][0]
    kinds = sorted((f["kind"], f["text"]) for f in page["furniture"])
    assert kinds == [("catch-word", "Die"), ("folio", "12"), ("folio", "13"), ("marginalia", "Freiheit."),
                     ("running-head", "Von der Aufklärung."), ("signature-mark", "B. Monatsſchr. B 2")]
    assert doc.pages[0].info["printed_numbers"] == ["12", "13"] == page["printed_numbers"]
    assert page["number"] == 12
    paras = [p["text"] for p in d["paragraphs"]]
    # drop capital merged, '=' joined, the corrected Words (deepest level) win over the line's TextEquiv
    assert paras == ["Die Freiheit des Gedankens iſt groß.", "Die zweite Seite beginnt hier."]
    assert [(f["marker"], f["text"]) for f in d["footnotes"]] == [("*", "Siehe oben.")]


def test_page_confidences_kept():
    doc = load_inputs([str(DATA / "page_2013_double.xml")])
    lines = {ln.str: doc.pages[0].info["lines"][ln.no] for ln in doc.pages[0].lines}
    assert lines["ie Freiheit des Gedan="]["conf"] == [[0, 2, 0.91], [3, 11, 0.88], [12, 15, 0.95], [16, 22, 0.62]]
    assert lines["Die zweite Seite beginnt hier."]["conf"] == [[0, 30, 0.97]]


@pytest.mark.skipif(not (SAMPLES / "berlinische-monatsschrift-1784-12").is_dir(), reason="shared samples absent")
def test_page_ground_truth_comes_out_as_transcribed():
    folder = SAMPLES / "berlinische-monatsschrift-1784-12" / "page-gt"
    doc, d = build(sorted(folder.glob("*.xml")))
    from lxml import etree

    gt_lines = []
    for f in sorted(folder.glob("*.xml")):
        for tl in etree.parse(str(f)).getroot().iter("{*}TextLine"):
            te = tl.find("{*}TextEquiv/{*}Unicode")
            gt_lines.append(te.text)
    # every letter of the ground truth, nothing doubled or lost
    assert sum(map(letters, gt_lines)) == sum(letters(p.raw) for p in doc.pages)
    text = reading(d)
    assert "Aufklaͤrung iſt der Ausgang des Menſchen aus ſeiner ſelbſt verſchuldeten Unmuͤndigkeit." in text
    assert not d["footnotes"]  # the catch-word is furniture, not a note
    assert d["pages"][1]["number"] == 484


# ----------------------------------------------------------------------------------------------
# hOCR


def test_hocr_line_across_gutter_is_split_into_columns():
    doc, d = build([DATA / "hocr_columns.hocr"])
    assert doc.pages[0].raw.split("\n") == ["The left column begins", "here and goes on.", "",
                                            "The right colunm", "starts there too."]
    conf = doc.pages[0].info["lines"][3]["conf"]
    assert conf[-1] == [10, 16, 0.4]


def test_hocr_lines_only():
    doc = load_inputs([str(DATA / "hocr_lines_only.hocr")])
    assert doc.pages[0].raw.split("\n") == ["A line with no word spans,", "as kraken and ocropy write them.", "",
                                            "Another block."]


# ----------------------------------------------------------------------------------------------
# METS


def test_mets_issue_order_labels_metadata_structure_and_missing_file():
    doc, d = build([DATA / "mets-issue"])
    assert [p["source"] for p in d["pages"]] == ["b-first.xml", "a-second.xml"]  # METS order, not names
    assert [p.info["mets_label"] for p in doc.pages] == ["iv", "[v]"] == [p["label"] for p in d["pages"]]
    md = d["metadata"]
    assert (md["title"], md["date"], md["year"], md["volume"], md["number"]) == ("The Test Gazette", "1871-03-04",
                                                                                  1871, 12, 9)
    assert md["page_count"] == 3 and md["evidence"]["page_count"] == "METS/MODS"  # the structMap's pages
    assert any("c-missing.xml is missing" in p for p in d["problems"])
    art = {s["id"]: s for s in d["structure"]}
    assert art["art1"]["label"] == "News of the Week" and art["art1"]["pages"] == [0, 1]
    spans = [doc.pages[pg].raw[a:b] for pg, a, b in art["art1"]["spans"]]
    assert spans == ["The week began quietly", "and ended so."]
    pg, a, b = art["adv1"]["spans"][0]
    assert doc.pages[pg].raw[a:b] == "SALE, wool."
    # the METS file itself as the input gives the same issue
    doc2 = load_inputs([str(DATA / "mets-issue" / "mets.xml")])
    assert [p.raw for p in doc2.pages] == [p.raw for p in doc.pages]


@pytest.mark.skipif(not (SAMPLES / "bl-liverpool-standard-1832-11-23").is_dir(), reason="shared samples absent")
def test_mets_real_bl_issue():
    doc = load_inputs([str(SAMPLES / "bl-liverpool-standard-1832-11-23")])
    assert len(doc.pages) == 8 and not doc.problems
    assert [p.info["mets_label"] for p in doc.pages] == [str(i) for i in range(1, 9)]
    assert doc.source_metadata["date"] == "1832-11-23"
    articles = [s for s in doc.structure if s["type"] == "article"]
    assert len(articles) > 40 and all(s["spans"] for s in articles)
    assert "ROYAL AMPHITHEATRE." in [s["label"] for s in articles]
    # the MODS titles filled from OCR noise ('.:'_~.', '.') are not titles; a readable second one is taken
    labels = [s["label"] for s in articles if s["label"]]
    assert all(sum(ch.isalpha() for ch in lab) * 2 >= len(lab.replace(" ", "")) for lab in labels)
    assert len(labels) >= 25  # 30 of the 54 MODS records hold a readable title


@pytest.mark.parametrize("titles, expected", [
    (["News of the Week"], "News of the Week"),
    (["'.:'_~.", "~ T •./. r.", "Lot Ertbie."], "Lot Ertbie."),  # noise first, then a readable title
    (["."], None),
    (["  Die   Zeitung "], "Die Zeitung"),
    (["1832"], None),
])
def test_mods_title_skips_ocr_noise(titles, expected):
    from lxml import etree
    from reissue.ingest.mets import _title_of

    ns = "http://www.loc.gov/mods/v3"
    mods = etree.Element(f"{{{ns}}}mods")
    for t in titles:
        etree.SubElement(etree.SubElement(mods, f"{{{ns}}}titleInfo"), f"{{{ns}}}title").text = t
    assert _title_of(mods) == expected


# ----------------------------------------------------------------------------------------------
# corrected ALTO / PAGE back out


def _page_schema():
    """The official PAGE 2019 schema as the ocrd-validators package ships it (None when absent)."""
    import importlib.util
    import os

    from lxml import etree

    spec = importlib.util.find_spec("ocrd_validators")
    if spec is None or not spec.origin:
        return None
    path = os.path.join(os.path.dirname(spec.origin), "page.xsd")
    return etree.XMLSchema(etree.parse(path)) if os.path.isfile(path) else None


def _correct_word(doc, k: int, after: str) -> None:
    """Record a correction edit on word ``k`` of the first paragraph (as the corrector would)."""
    text = doc.paragraphs[0].text.text
    m = list(re.finditer(r"\S+", text))[k]
    assert doc.paragraphs[0].text.replace(doc, m.start(), m.end(), after, stage="correct", rule="test",
                                          confidence=0.9) is not None


@pytest.mark.parametrize("name,fmt,k", [("alto_bnf_hyphen.xml", "alto", 0), ("alto_fraktur_strings.xml", "alto", 0),
                                        ("page_2013_double.xml", "page", 1)])
def test_write_back_keeps_structure_and_reads_back_the_same(tmp_path, name, fmt, k):
    from lxml import etree

    from reissue.ingest.writeback import write_back

    doc = process(load_inputs([str(DATA / name)]), correct=False)
    first = doc.paragraphs[0].text.text.split()[k]
    _correct_word(doc, k, first.upper() + "X")
    want = [p.text.text for p in doc.paragraphs]
    written, problems = write_back(doc, str(tmp_path), {"name": "reissue", "version": "test", "model": "m"})
    written = [w for w in written if f"/{fmt}/" in w]
    assert not problems and len(written) == 1
    out = etree.parse(written[0]).getroot()
    src = etree.parse(str(DATA / name)).getroot()
    # same structure: every id of the input is there, in the same order (a hyphen stored as a String
    # of its own becomes the line's HYP element)
    hyphens = {"-", "⸗", "="}
    assert [e.get("ID") or e.get("id") for e in src.iter()
            if (e.get("ID") or e.get("id")) and e.get("CONTENT") not in hyphens] == \
        [e.get("ID") or e.get("id") for e in out.iter() if (e.get("ID") or e.get("id")) and not
         (e.get("ID") or "").startswith("reissue-")]
    if fmt == "alto":
        assert out.tag == "{http://www.loc.gov/standards/alto/ns-v4#}alto"
        alts = [a.text for a in out.iter("{*}ALTERNATIVE")]
        assert len(alts) == 1 and alts[0].replace("ͤ", "") in first.replace("ͤ", "") + "⸗-"
        assert out.find(".//{*}Processing/{*}processingSoftware/{*}softwareName").text == "reissue"
    else:
        schema = _page_schema()
        if schema is not None:
            assert schema.validate(etree.ElementTree(out)), schema.error_log
        word = next(w for w in out.iter("{*}Word") if len(w.findall("{*}TextEquiv")) == 2)
        equivs = [(te.get("index"), te.findtext("{*}Unicode")) for te in word.findall("{*}TextEquiv")]
        assert equivs[0][0] == "0" and equivs[1][0] == "1" and equivs[0][1] == first.upper() + "X"
    # reading the written file back gives the same reading text (hyphenation written the standard way)
    again = process(load_inputs(written), correct=False)
    assert [p.text.text for p in again.paragraphs] == want


def test_ocr_confidence_lookup_by_reading_text():
    from reissue.ingest.confidence import OcrConfidence

    doc = process(load_inputs([str(DATA / "alto_bnf_hyphen.xml")]), correct=False)
    conf = OcrConfidence(doc, threshold=0.9)
    text = doc.paragraphs[0].text
    i = text.text.index("son ")
    assert conf.of_text(text, i, i + 3) == 0.41 and not conf.is_sure(text, i, i + 3)
    j = text.text.index("avec")
    assert conf.of_text(text, j, j + 4) == 0.98 and conf.is_sure(text, j, j + 4)
    assert conf.sure == max(0.9, conf.median)
    # plain text has no confidences
    assert not OcrConfidence(load_inputs([str(DATA / "hocr_lines_only.hocr")]))


def _alto_line(words: list[tuple[str, float]]) -> str:
    strings = "<SP/>".join(f'<String CONTENT="{w}" WC="{c}"/>' for w, c in words)
    return ("<alto><Layout><Page><PrintSpace><TextBlock><TextLine>" + strings
            + "</TextLine></TextBlock></PrintSpace></Page></Layout></alto>")


def test_corrector_leaves_words_the_ocr_engine_was_sure_of():
    from reissue.correct.stage import OCR_STRONG, explain_skipped
    from reissue.ingest import document_from_texts

    text = "The general tieup of craft in the harbor began to-day, hut the owners said little."
    want = "The general tie up of craft in the harbor began to-day, but the owners said little."
    plain = process(document_from_texts([("p.txt", text + "\n")]), correct=True)
    assert plain.paragraphs[0].text.text == want and not plain.ocr_kept  # no confidences: as before
    weak = {(e.before, e.after): e.confidence for e in plain.edits if e.stage == "correct"}
    assert weak[("tieup", "tie up")] < OCR_STRONG <= weak[("hut", "but")]

    def run(conf_of):
        xml = _alto_line([(w, conf_of(w)) for w in text.split()])
        return process(document_from_texts([("p.xml", xml)]), correct=True)

    unsure = run(lambda w: 0.4 if w in ("tieup", "hut") else 0.99)
    assert unsure.paragraphs[0].text.text == want and not unsure.ocr_kept
    sure = run(lambda w: 0.99)  # the engine was sure of every word: only the strong correction is made
    assert sure.paragraphs[0].text.text == want.replace("tie up", "tieup")
    assert [k[1:3] for k in sure.ocr_kept] == [("tieup", "tie up")]
    assert sure.parameters["correct"]["ocr_sure_used"] == 0.99
    assert any("ocr-guard" in line and "'tieup' kept" in line for line in explain_skipped(sure))
    assert rebuild_raw(document_to_dict(sure)) == [p.raw for p in sure.pages]


def test_a_weak_correction_of_a_word_the_ocr_engine_doubted_is_not_made(monkeypatch):
    """A correction that changes the letters of a word the OCR engine doubted needs OCR_DOUBT_MIN (real
    pages: below it mostly wrong, "rills" -> "bills", "revire" -> "revive" for require); a split or a join
    of such a word (its letters kept) does not."""
    from reissue.correct import stage
    from reissue.ingest import document_from_texts

    text = ("Explanations to render it intelligible would revire too much room. The general tieup of craft in the "
            "harbor began to-day, hut the owners said little.")
    plain = process(document_from_texts([("p.txt", text + "\n")]), correct=True)
    made = {(e.before, e.after): e.confidence for e in plain.edits if e.stage == "correct"}
    assert made[("revire", "revive")] < stage.OCR_DOUBT_MIN and made[("tieup", "tie up")] < stage.OCR_DOUBT_MIN

    def run():
        xml = _alto_line([(w, 0.3 if w in ("revire", "tieup") else 0.9) for w in text.split()])
        return process(document_from_texts([("p.xml", xml)]), correct=True)
    doc = run()
    got = {(e.before, e.after) for e in doc.edits if e.stage == "correct"}
    assert ("tieup", "tie up") in got and ("revire", "revive") not in got
    assert [k[1:3] for k in doc.ocr_kept] == [("revire", "revive")]
    assert "doubted the word" in stage.ocr_guard_summary(doc)
    monkeypatch.setattr(stage, "letters_changed", lambda before, after: False)
    assert ("revire", "revive") in {(e.before, e.after) for e in run().edits if e.stage == "correct"}


def test_an_edit_distance_guess_of_a_doubted_word_needs_more(monkeypatch):
    """An edit-distance correction (no learned confusion explains the word) of a word the OCR engine
    doubted needs OCR_DOUBT_GUESS_MIN, more than the other corrections of such words."""
    from reissue.correct import stage
    from reissue.ingest import document_from_texts

    # ("quajthr": no learned confusion, nor two, reaches "quarter")
    text = "Every Subscriber of One Guinea per quajthr may afford it, and the rest shall pay at the door."
    plain = process(document_from_texts([("p.txt", text + "\n")]), correct=True)
    made = [e for e in plain.edits if e.stage == "correct" and e.before == "quajthr"]
    assert made and made[0].rule == "edit-distance"
    assert stage.OCR_DOUBT_MIN <= made[0].confidence < stage.OCR_DOUBT_GUESS_MIN

    def run():
        xml = _alto_line([(w, 0.3 if w == "quajthr" else 0.9) for w in text.split()])
        return process(document_from_texts([("p.xml", xml)]), correct=True)
    doc = run()
    assert not [e for e in doc.edits if e.stage == "correct" and e.before == "quajthr"]
    assert [k[1] for k in doc.ocr_kept] == ["quajthr"]
    monkeypatch.setattr(stage, "OCR_DOUBT_GUESS_MIN", stage.OCR_DOUBT_MIN)
    assert [e.after for e in run().edits if e.stage == "correct" and e.before == "quajthr"] == [made[0].after]


def test_letters_changed():
    from reissue.correct.stage import letters_changed

    assert letters_changed("revire", "revive") and letters_changed("a ividend", "dividend")
    assert not letters_changed("tieup", "tie up") and not letters_changed('rail-\n"roads', "railroads")
    assert not letters_changed("Ray-\nmond", "Raymond") and letters_changed("Ray-\nmood", "Raymond")


# ----------------------------------------------------------------------------------------------
# characters


def test_ligatures_normalised_as_recorded_edits_raw_kept():
    from reissue.ingest import document_from_texts

    text = "We could not \ufb01nd the of\ufb01cials of the \ufb02eet, nor the Poſt.\n"
    for mode, want in (("ligatures", "We could not find the officials of the fleet, nor the Poſt."),
                       ("historical", "We could not find the officials of the fleet, nor the Post."),
                       ("none", text.strip())):
        doc = process(document_from_texts([("p.txt", text)]), correct=False, normalize=mode)
        d = document_to_dict(doc)
        assert d["paragraphs"][0]["text"] == want
        assert d["pages"][0]["raw"] == text
        assert rebuild_raw(d) == [text]
        assert sum(e["stage"] == "normalize" for e in d["edits"]) == {"ligatures": 3, "historical": 4, "none": 0}[mode]


def test_corrector_reads_ligature_words_as_words():
    from reissue.ingest import document_from_texts

    text = "We could not \ufb01nd the of\ufb01cials who were to \ufb01nd the money.\n"
    doc = process(document_from_texts([("p.txt", text)]), correct=True)
    assert doc.paragraphs[0].text.text == "We could not find the officials who were to find the money."


@pytest.mark.parametrize("name", ["page_2013_double.xml", "hocr_columns.hocr"])
def test_alto_written_from_page_and_hocr_reads_back_the_same(tmp_path, name):
    from lxml import etree

    from reissue.ingest.writeback import write_back

    doc = process(load_inputs([str(DATA / name)]), correct=False)
    ocr_word = doc.paragraphs[0].text.text.split()[1]
    _correct_word(doc, 1, "CHANGED")
    want = [p.text.text for p in doc.paragraphs]
    written, problems = write_back(doc, str(tmp_path), {"name": "reissue", "version": "test", "model": "m"})
    alto = [w for w in written if "/alto/" in w]
    assert not problems and len(alto) == 1
    root = etree.parse(alto[0]).getroot()
    assert root.tag == "{http://www.loc.gov/standards/alto/ns-v4#}alto"
    changed = [(s.get("CONTENT"), [a.text for a in s.iter("{*}ALTERNATIVE")]) for s in root.iter("{*}String")
               if len(s)]
    assert changed == [("CHANGED", [ocr_word])]
    again = process(load_inputs(alto), correct=False)
    assert [p.text.text for p in again.paragraphs] == want
    assert [f.kind for p in again.pages for f in p.furniture] == [f.kind for p in doc.pages for f in p.furniture]


# ----------------------------------------------------------------------------------------------
# property: every ALTO hyphenation style joins each split word exactly once, letters kept

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORD = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=4, max_size=9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.lists(_WORD, min_size=2, max_size=5), min_size=2, max_size=5),
       styles=st.lists(st.sampled_from(["hyp", "content", "subs", "gallica", "string", "fraktur"]),
                       min_size=5, max_size=5),
       ns=st.sampled_from(["", ' xmlns="http://www.loc.gov/standards/alto/ns-v2#"',
                           ' xmlns="http://www.loc.gov/standards/alto/ns-v4#"']))
def test_alto_hyphenation_styles_join_exactly_once(lines, styles, ns):
    from xml.sax.saxutils import quoteattr

    from reissue.ingest import document_from_texts

    words_out: list[str] = []
    with_subs: list[bool] = []
    xml = [f"<alto{ns}><Layout><Page><PrintSpace><TextBlock>"]
    carry = None
    for i, words in enumerate(lines):
        words = list(words)
        xml.append("<TextLine>")
        parts = []
        if carry:
            first, subs = carry
            parts.append(f"<String CONTENT={quoteattr(first)}" +
                         (f' SUBS_TYPE="HypPart2" SUBS_CONTENT={quoteattr(subs)}' if subs else "") + "/>")
            words = words[1:]
            carry = None
        parts += [f"<String CONTENT={quoteattr(w)}/>" for w in words[:-1]]
        last = words[-1] if words else None
        style = styles[i % len(styles)]
        if last and i < len(lines) - 1 and len(last) >= 4:
            a, b = last[:2], last[2:]
            lines[i + 1][0] = b
            subs = last if style in ("subs", "gallica") else None
            sub_attr = f' SUBS_TYPE="HypPart1" SUBS_CONTENT={quoteattr(subs)}' if subs else ""
            if style == "hyp" or style == "subs":
                parts.append(f"<String CONTENT={quoteattr(a)}{sub_attr}/><HYP CONTENT=\"-\"/>")
            elif style in ("content", "gallica"):
                hyp = '<HYP CONTENT="-"/>' if style == "gallica" else ""
                parts.append(f"<String CONTENT={quoteattr(a + '-')}{sub_attr}/>{hyp}")
            elif style == "string":
                parts.append(f"<String CONTENT={quoteattr(a)}/><String CONTENT=\"-\"/>")
            else:
                parts.append(f"<String CONTENT={quoteattr(a)}/><String CONTENT=\"\u2e17\"/>")
            carry = (b, subs)
            words_out += words
            with_subs += [False] * (len(words) - 1) + [bool(subs)]
            xml.append("<SP/>".join(parts) + "</TextLine>")
            continue
        if last:
            parts.append(f"<String CONTENT={quoteattr(last)}/>")
        words_out += words
        with_subs += [False] * len(words)
        xml.append("<SP/>".join(parts) + "</TextLine>")
    xml.append("</TextBlock></PrintSpace></Page></Layout></alto>")
    doc = process(document_from_texts([("p.xml", "".join(xml))]), correct=False)
    d = document_to_dict(doc)
    got = " ".join(p["text"] for p in d["paragraphs"]).split()
    # a split word comes out once: joined, or (no SUBS_CONTENT: reflow judged it a compound) with one
    # hyphen; never doubled, never with the hyphen inside CONTENT and HYP both
    assert len(got) == len(words_out)
    for g, w, subs in zip(got, words_out, with_subs):
        assert g == w if subs else (g == w or (g.count("-") == 1 and g.replace("-", "") == w)), (g, w)
    assert letters(doc.pages[0].raw) == sum(map(letters, words_out))
    assert rebuild_raw(d) == [doc.pages[0].raw]
