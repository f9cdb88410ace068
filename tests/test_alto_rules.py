"""Written ALTO follows the ALTO v4 schema's structural rules (tests/altocheck.py: no PyPI package
ships the ALTO XSD), on the real samples and the format fixtures, with corrections written in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from altocheck import alto_problems
from reissue.ingest import load_inputs
from reissue.pipeline import process
from reissue.ingest.writeback import write_back

DATA = Path(__file__).parent / "data" / "formats"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
BM = SAMPLES / "berlinische-monatsschrift-1784-12"
INPUTS = {
    "chronam-alto-1.x-ccs": SAMPLES / "chronam-new-york-tribune" / "ocr.xml",
    "bl-alto-docworks": SAMPLES / "bl-liverpool-standard-1832-11-23" / "0002088_18321123_0008.xml",
    "alto-v2-gt": BM / "alto-gt" / "PAGE_0017_ALTO.xml",
    "page-2019-gt": BM / "page-gt" / "PAGE_0017_PAGE.xml",
    "page-tesseract": BM / "page-tesseract" / "OCR-D-OCR-TESS-frk_0001.xml",
    "alto-bnf": DATA / "alto_bnf_hyphen.xml",
    "alto-fraktur": DATA / "alto_fraktur_strings.xml",
    "alto-v4-tags": DATA / "alto_v4_tags.xml",
    "page-2013-double": DATA / "page_2013_double.xml",
    "hocr-columns": DATA / "hocr_columns.hocr",
    "hocr-lines-only": DATA / "hocr_lines_only.hocr",
}


def _corrected(path: Path):
    """The document of ``path`` with every fifth word of every paragraph 'corrected' (as the
    corrector records it), so that the writer has words to replace."""
    doc = process(load_inputs([str(path)]), correct=False)
    for para in doc.paragraphs:
        words = list(re.finditer(r"[^\W\d_]{3,}", para.text.text))[::5]
        for m in reversed(words):
            para.text.replace(doc, m.start(), m.end(), m.group().swapcase(), stage="correct", rule="test",
                              confidence=0.9)
    return doc


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_written_alto_follows_the_alto4_rules(tmp_path, name):
    path = INPUTS[name]
    if not path.exists():
        pytest.skip("shared samples absent")
    doc = _corrected(path)
    written, problems = write_back(doc, str(tmp_path), {"name": "reissue", "version": "test", "model": "m"})
    altos = [w for w in written if "/alto/" in w]
    assert not problems and len(altos) == 1
    root = etree.parse(altos[0]).getroot()
    assert alto_problems(root) == []
    assert any(True for _ in root.iter("{*}ALTERNATIVE"))  # corrections were written
    # a corrected word keeps no per-letter confidences of the OCR's other reading
    assert all(s.get("CC") is None for s in root.iter("{*}String") if s.find("{*}ALTERNATIVE") is not None)


def test_the_rules_catch_what_a_writer_can_break():
    ns = "http://www.loc.gov/standards/alto/ns-v4#"
    good = (f'<alto xmlns="{ns}"><Description><MeasurementUnit>pixel</MeasurementUnit></Description>'
            '<Tags><StructureTag ID="T1" LABEL="footer"/></Tags><Layout><Page ID="p1" PHYSICAL_IMG_NR="1">'
            '<PrintSpace><TextBlock ID="b1" TAGREFS="T1"><TextLine><String CONTENT="com" SUBS_TYPE="HypPart1" '
            'SUBS_CONTENT="compact"/><HYP CONTENT="-"/></TextLine><TextLine><String CONTENT="pact" '
            'SUBS_TYPE="HypPart2" SUBS_CONTENT="compact"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>')
    assert alto_problems(etree.fromstring(good)) == []
    cases = [  # (what is changed, into what, the breach reported)
        ('PHYSICAL_IMG_NR="1"', "", "required attribute PHYSICAL_IMG_NR missing"),
        ('TAGREFS="T1"', 'TAGREFS="T9"', "points at no ID"),
        ('<String CONTENT="pact"', '<String CONTENT="x"/><SP/><String CONTENT="pact"', "HypPart1 without"),
        ('SUBS_CONTENT="compact"/><HYP CONTENT="-"/>', 'SUBS_CONTENT="compact"/><HYP CONTENT="-"/><SP/>',
         "HYP is not the last"),
        ("<MeasurementUnit>", "<Processing/><MeasurementUnit>", "out of the schema's order"),
        ('ID="b1"', 'ID="p1"', "used 2 times"),
        ('CONTENT="com"', 'CONTENT=""', "empty CONTENT"),
    ]
    for old, new, want in cases:
        assert old in good
        got = alto_problems(etree.fromstring(good.replace(old, new, 1)))
        assert any(want in g for g in got), (old, got)


def test_furniture_and_notes_found_by_reissue_are_typed_in_the_written_alto(tmp_path):
    """An ALTO file without region tags: the folio and running head reissue finds, and the lines of
    its footnote, get StructureTags in the file written back, and reading it back finds the same."""
    from reissue.edition import document_to_dict

    src = Path(__file__).parent / "golden" / "alto-v4-footnote" / "input" / "alto_v4.xml"
    assert "TAGREFS" not in src.read_text(encoding="utf-8")
    doc = process(load_inputs([str(src)]), correct=False)
    d = document_to_dict(doc)
    written, problems = write_back(doc, str(tmp_path), {"name": "reissue", "version": "test", "model": "m"})
    assert not problems
    root = etree.parse(written[0]).getroot()
    assert alto_problems(root) == []
    labels = {t.get("ID"): t.get("LABEL") for t in root.iter("{*}StructureTag")}
    typed = {}
    for el in root.iter("{*}TextBlock", "{*}TextLine"):
        for ref in (el.get("TAGREFS") or "").split():
            words = " ".join(s.get("CONTENT") for s in el.iter("{*}String"))
            typed.setdefault(labels[ref], []).append(words)
    kinds = {f["kind"] for p in d["pages"] for f in p["furniture"]}
    assert kinds and d["footnotes"]
    from reissue.ingest.alto_out import ROLE_LABEL

    assert set(typed) == {ROLE_LABEL.get(k, k) for k in kinds} | {"footnote"}
    note_words = " ".join(typed["footnote"]).split()
    assert set(" ".join(f["text"] for f in d["footnotes"]).split()) <= set(note_words)
    back = document_to_dict(process(load_inputs(written), correct=False))
    assert [f["text"] for f in back["footnotes"]] == [f["text"] for f in d["footnotes"]]
    assert [(f["kind"], f["text"]) for p in back["pages"] for f in p["furniture"]] == \
        [(f["kind"], f["text"]) for p in d["pages"] for f in p["furniture"]]
    assert [p["text"] for p in back["paragraphs"]] == [p["text"] for p in d["paragraphs"]]


@pytest.mark.parametrize("name,word,fmt", [("alto_bnf_hyphen.xml", "lentement", "alto"),
                                           ("page_2013_double.xml", "Gedankens", "page"),
                                           ("page_2013_double.xml", "Gedankens", "alto")])
def test_a_correction_of_a_word_split_over_a_line_end_is_written_to_both_halves(tmp_path, name, word, fmt):
    """'lente-' + 'ment' corrected as one word: each half gets its share, the OCR's kept, and
    reading the file back gives the corrected word (PAGE Words, ALTO in place, ALTO from PAGE)."""
    doc = process(load_inputs([str(DATA / name)]), correct=False)
    para = next(p for p in doc.paragraphs if word in p.text.text)
    a = para.text.text.index(word)
    new = word[:-3] + word[-3:].upper()  # the second half changes
    para.text.replace(doc, a, a + len(word), new, stage="correct", rule="test", confidence=0.9)
    written, problems = write_back(doc, str(tmp_path), {"name": "reissue", "version": "test", "model": "m"})
    out = [w for w in written if f"/{fmt}/" in w]
    assert not problems and len(out) == 1
    if fmt == "alto":
        root = etree.parse(out[0]).getroot()
        assert alto_problems(root) == []
        halves = [s for s in root.iter("{*}String") if s.get("SUBS_CONTENT") == new]
        assert [s.get("SUBS_TYPE") for s in halves] == ["HypPart1", "HypPart2"]
        assert "".join(s.get("CONTENT") for s in halves) == new
        assert [a.text for s in halves for a in s.iter("{*}ALTERNATIVE")] == [halves[1].get("CONTENT").lower()]
    back = process(load_inputs(out), correct=False)
    assert new in " ".join(p.text.text for p in back.paragraphs)
