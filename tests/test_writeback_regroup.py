"""Corrections that merge or split words, written back the standard way (issue 12 item 7).

A merge is one ALTO ``String`` / PAGE ``Word`` over the union of the boxes, the OCR's reading kept
(``ALTERNATIVE PURPOSE="OCR"`` / ``TextEquiv index="1"``); a split is ``String`` + ``SP`` + ``String``
(PAGE: one ``Word`` per part) dividing the box; over a line end, a merge is a hyphenated word
(``HypPart1``/``HypPart2``, ``SUBS_CONTENT``) and a split ends the hyphenation. Reading the written
files back gives the edition's reading text: on every real sample (with the corrector) and on small
files written here from the ALTO v4 and PAGE 2019 specifications for the variants the samples lack.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from lxml import etree

from altocheck import alto_problems
from reissue.ingest import load_inputs
from reissue.ingest.writeback import write_back
from reissue.pipeline import process
from test_readers import _page_schema

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
BM = SAMPLES / "berlinische-monatsschrift-1784-12"
REAL = {"chronam-alto": SAMPLES / "chronam-new-york-tribune" / "ocr.xml",
        "bl-alto-mets": SAMPLES / "bl-liverpool-standard-1832-11-23",
        "bm-alto-gt": BM / "alto-gt", "bm-page-gt": BM / "page-gt", "bm-page-tesseract": BM / "page-tesseract"}
GEN = {"name": "reissue", "version": "test", "model": "m"}


def _words(doc) -> list[str]:
    return " ".join(p.text.text for p in doc.paragraphs).split()


def _check_files(written: list[str]) -> None:
    schema = _page_schema()
    for path in written:
        root = etree.parse(path).getroot()
        if "/alto/" in path:
            assert alto_problems(root) == [], path
        elif schema is not None:
            assert schema.validate(etree.ElementTree(root)), (path, schema.error_log)


def _read_back(written: list[str], fmt: str) -> list[str]:
    files = [w for w in written if f"/{fmt}/" in w]
    assert files
    return _words(process(load_inputs(files), correct=False))


@pytest.mark.parametrize("name", sorted(REAL))
def test_corrected_samples_read_back_with_the_edition_words(tmp_path, name):
    """Every sample with geometry, corrected by the shipped model, written back as ALTO (and PAGE)
    and read again: the same words in the same order. The one thing the files cannot say is a
    line-end hyphen that the edition follows with a space (reflow read ``1-`` as no word break, the
    corrector then made it ``i-``): such places are listed, not hidden, and must stay rare."""
    path = REAL[name]
    if not path.exists():
        pytest.skip("shared samples absent")
    doc = process(load_inputs([str(path)]), correct=True)
    want = _words(doc)
    written, problems = write_back(doc, str(tmp_path), GEN)
    assert not problems
    _check_files(written)
    for fmt in ("alto", "page") if "page" in name else ("alto",):
        back = _read_back(written, fmt)
        sm = difflib.SequenceMatcher(a=want, b=back, autojunk=False)
        diffs = [(want[i1:i2], back[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]
        unsayable = [d for d in diffs if len(d[0]) == 2 and len(d[1]) == 1 and d[0][0][-1:] == "-"
                     and d[1][0].replace("-", "") == "".join(d[0]).replace("-", "")]
        assert diffs == unsayable, diffs
        assert len(unsayable) <= max(1, len(want) // 20_000), unsayable


# ----------------------------------------------------------------------------------------------
# variants written from the specifications

ALTO = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
<Description><MeasurementUnit>pixel</MeasurementUnit></Description>
<Layout><Page ID="P1" PHYSICAL_IMG_NR="1" WIDTH="2000" HEIGHT="1000"><PrintSpace HPOS="0" VPOS="0" WIDTH="2000" HEIGHT="1000">
<TextBlock ID="B1">
<TextLine ID="L1" HPOS="100" VPOS="100" WIDTH="1800" HEIGHT="40">
<String ID="S1" HPOS="100" VPOS="100" WIDTH="90" HEIGHT="40" CONTENT="The" WC="0.9"/><SP WIDTH="20"/>
<String ID="S2" HPOS="210" VPOS="100" WIDTH="60" HEIGHT="40" CONTENT="oa" WC="0.5"/><SP WIDTH="10"/>
<String ID="S3" HPOS="280" VPOS="100" WIDTH="60" HEIGHT="40" CONTENT="th" WC="0.6"/><SP WIDTH="20"/>
<String ID="S4" HPOS="360" VPOS="100" WIDTH="90" HEIGHT="40" CONTENT="was" WC="0.9"/><SP WIDTH="20"/>
<String ID="S5" HPOS="470" VPOS="100" WIDTH="150" HEIGHT="40" CONTENT="tieup" WC="0.7" CC="11111"/><SP WIDTH="20"/>
<String ID="S6" HPOS="640" VPOS="100" WIDTH="40" HEIGHT="40" CONTENT="al" WC="0.8"/>
<String ID="S7" HPOS="680" VPOS="100" WIDTH="20" HEIGHT="40" CONTENT="l" WC="0.8"/>
<String ID="S8" HPOS="700" VPOS="100" WIDTH="20" HEIGHT="40" CONTENT="o" WC="0.8"/>
<String ID="S9" HPOS="720" VPOS="100" WIDTH="20" HEIGHT="40" CONTENT="f" WC="0.8"/><SP WIDTH="20"/>
<String ID="S10" HPOS="760" VPOS="100" WIDTH="120" HEIGHT="40" CONTENT="them" WC="0.9"/><SP WIDTH="20"/>
<String ID="S11" HPOS="900" VPOS="100" WIDTH="20" HEIGHT="40" CONTENT="•" WC="0.3"/><SP WIDTH="20"/>
<String ID="S12" HPOS="940" VPOS="100" WIDTH="150" HEIGHT="40" CONTENT="unfor" WC="0.9"/>
</TextLine>
<TextLine ID="L2" HPOS="100" VPOS="150" WIDTH="1800" HEIGHT="40">
<String ID="S13" HPOS="100" VPOS="150" WIDTH="180" HEIGHT="40" CONTENT="tunate" WC="0.9"/><SP WIDTH="20"/>
<String ID="S14" HPOS="300" VPOS="150" WIDTH="120" HEIGHT="40" CONTENT="men" WC="0.9"/><SP WIDTH="20"/>
<String ID="S15" HPOS="440" VPOS="150" WIDTH="90" HEIGHT="40" CONTENT="had" WC="0.9"/><SP WIDTH="20"/>
<String ID="S16" HPOS="550" VPOS="150" WIDTH="90" HEIGHT="40" CONTENT="now" WC="0.9" SUBS_TYPE="HypPart1" SUBS_CONTENT="nowknown"/>
<HYP CONTENT="-"/>
</TextLine>
<TextLine ID="L3" HPOS="100" VPOS="200" WIDTH="1800" HEIGHT="40">
<String ID="S17" HPOS="100" VPOS="200" WIDTH="150" HEIGHT="40" CONTENT="known" WC="0.9" SUBS_TYPE="HypPart2" SUBS_CONTENT="nowknown"/><SP WIDTH="20"/>
<String ID="S18" HPOS="270" VPOS="200" WIDTH="150" HEIGHT="40" CONTENT="ideas" WC="0.9"/><SP WIDTH="20"/>
<String ID="S19" HPOS="440" VPOS="200" WIDTH="150" HEIGHT="40" CONTENT="about" WC="0.9"/><SP WIDTH="20"/>
<String ID="S20" HPOS="610" VPOS="200" WIDTH="150" HEIGHT="40" CONTENT="it." WC="0.9"/>
</TextLine>
</TextBlock></PrintSpace></Page></Layout></alto>
"""

# the corrections, as the corrector records them on the reading text (before -> after)
FIXES = [("oa th", "oath"), ("tieup", "tie up"), ("allof", "all of"), ("them •", "them"),
         ("unfor tunate", "unfortunate"), ("nowknown", "now known")]


def _fix(doc, fixes=FIXES):
    for before, after in fixes:
        para = next(p for p in doc.paragraphs if before in p.text.text)
        a = para.text.text.index(before)
        assert para.text.replace(doc, a, a + len(before), after, stage="correct", rule="test", confidence=0.9)
    return doc


def _written(tmp_path, name: str, text: str, fixes=FIXES):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    doc = _fix(process(load_inputs([str(src)]), correct=False), fixes)
    written, problems = write_back(doc, str(tmp_path / "out"), GEN)
    assert not problems
    _check_files(written)
    return doc, written


def test_alto_merges_and_splits_are_written_the_standard_way(tmp_path):
    doc, written = _written(tmp_path, "page.xml", ALTO)
    want = _words(doc)
    assert "oath" in want and "tie" in want and "all" in want and "unfortunate" in want and "•" not in want
    root = etree.parse(written[0]).getroot()
    strings = {s.get("CONTENT"): s for s in root.iter("{*}String")}
    ocr = {s.get("CONTENT"): [a.text for a in s.iter("{*}ALTERNATIVE")] for s in root.iter("{*}String")}
    # merge: one String over both boxes, the OCR's reading kept, the lower WC
    oath = strings["oath"]
    assert (oath.get("ID"), oath.get("HPOS"), oath.get("WIDTH"), oath.get("WC")) == ("S2", "210", "130", "0.5")
    assert ocr["oath"] == ["oa th"] and "th" not in strings and "S3" not in {s.get("ID") for s in strings.values()}
    # split: String + SP + String dividing the box, ids unique, no per-letter confidences left
    tie, up = strings["tie"], strings["up"]
    assert tie.getnext().tag.endswith("SP") and tie.getnext().getnext() is up
    assert float(tie.get("HPOS")) == 470 and float(tie.get("WIDTH")) + float(up.get("WIDTH")) == 150
    assert float(up.get("HPOS")) == 470 + float(tie.get("WIDTH")) and up.get("ID") != tie.get("ID")
    assert ocr["tie"] == ["tieup"] and tie.get("CC") is None
    # four Strings printed without a space (al l o f) read as two words: two Strings
    assert strings["all"].get("HPOS") == "640" and ocr["all"] == ["allof"] and "of" in strings
    # a stray mark removed: merged into its neighbour, the OCR's reading kept
    assert ocr["them"] == ["them •"]
    # over a line end: a merge is a hyphenated word, a split ends the hyphenation
    assert strings["unfor"].get("SUBS_CONTENT") == strings["tunate"].get("SUBS_CONTENT") == "unfortunate"
    line2 = strings["now"].getparent()
    assert not any(c.tag.endswith("HYP") for c in line2)
    assert strings["now"].get("SUBS_TYPE") is None and strings["known"].get("SUBS_TYPE") is None
    assert _read_back(written, "alto") == want


def test_alto_a_split_that_keeps_the_line_end_hyphen_is_written_as_a_compound(tmp_path):
    """The corrector splits a word reflow joined at a line-end hyphen, and keeps the hyphen (``now-\nknown`` ->
    ``now-known``, correct/stage.py): the file says so as for a compound reflow kept, the hyphen staying on its
    line (HYP) and each half its own word, SUBS_CONTENT the compound."""
    from reissue.ingest.back_common import kept_hyphen

    assert kept_hyphen("now-\nknown", "now-known") and kept_hyphen("now-\r\nknown", "now-known")
    assert not kept_hyphen("now-\nknown", "now known") and not kept_hyphen("now-\nknown", "nowknown")
    assert not kept_hyphen("now\nknown", "nowknown")
    fixes = [f for f in FIXES if f[0] != "nowknown"] + [("nowknown", "now-known")]
    doc, written = _written(tmp_path, "page.xml", ALTO, fixes)
    root = etree.parse(written[0]).getroot()
    strings = {s.get("CONTENT"): s for s in root.iter("{*}String")}
    now, known = strings["now"], strings["known"]
    assert (now.get("SUBS_TYPE"), known.get("SUBS_TYPE")) == ("HypPart1", "HypPart2")
    assert now.get("SUBS_CONTENT") == known.get("SUBS_CONTENT") == "now-known"
    assert any(c.tag.endswith("HYP") for c in now.getparent()) and "-known" not in strings
    assert "now-known" in _read_back(written, "alto")


def test_alto_without_sp_gets_no_sp_from_a_split(tmp_path):
    """ALTO that marks no spaces (words separated by the reader): a split adds no SP, which would
    make the reader take the line as one that marks its spaces."""
    text = re.sub(r"<SP[^>]*/>", "", ALTO)
    text = text.replace('CONTENT="al"', 'CONTENT="allof"').replace(
        '<String ID="S7" HPOS="680" VPOS="100" WIDTH="20" HEIGHT="40" CONTENT="l" WC="0.8"/>\n', "")
    text = re.sub(r'<String ID="S[89]"[^>]*/>\n', "", text)
    doc, written = _written(tmp_path, "page.xml", text, [("tieup", "tie up"), ("allof", "all of")])
    root = etree.parse(written[0]).getroot()
    assert not any(True for _ in root.iter("{*}SP"))
    assert _read_back(written, "alto") == _words(doc)


PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
<Metadata><Creator>test</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
<Page imageFilename="p.png" imageWidth="2000" imageHeight="1000">
<ReadingOrder><OrderedGroup id="ro"><RegionRefIndexed index="0" regionRef="r1"/></OrderedGroup></ReadingOrder>
<TextRegion id="r1"><Coords points="100,100 1900,100 1900,300 100,300"/>
{lines}
</TextRegion></Page></PcGts>
"""


def _page_line(no: int, y: int, words: list[str]) -> str:
    out, x = [], 100
    for k, w in enumerate(words):
        glyphs = "".join(f'<Glyph id="l{no}w{k}g{i}"><Coords points="{x + 20 * i},{y} {x + 20 * i + 20},{y} '
                         f'{x + 20 * i + 20},{y + 40} {x + 20 * i},{y + 40}"/><TextEquiv conf="0.8"><Unicode>{c}'
                         f'</Unicode></TextEquiv></Glyph>' for i, c in enumerate(w))
        out.append(f'<Word id="l{no}w{k}"><Coords points="{x},{y} {x + 20 * len(w)},{y} {x + 20 * len(w)},{y + 40} '
                   f'{x},{y + 40}"/>{glyphs}<TextEquiv conf="0.{5 + k % 4}"><Unicode>{w}</Unicode></TextEquiv></Word>')
        x += 20 * len(w) + 20
    return (f'<TextLine id="l{no}"><Coords points="100,{y} 1900,{y} 1900,{y + 40} 100,{y + 40}"/>{"".join(out)}'
            f'<TextEquiv><Unicode>{" ".join(words)}</Unicode></TextEquiv></TextLine>')


def test_page_merges_and_splits_are_written_the_standard_way(tmp_path):
    lines = [_page_line(1, 100, "The oa th was tieup for them • and the unfor".split()),
             _page_line(2, 150, "tunate men had gone home.".split())]
    fixes = [("oa th", "oath"), ("tieup", "tie up"), ("them •", "them"), ("unfor tunate", "unfortunate")]
    doc, written = _written(tmp_path, "page.xml", PAGE.format(lines="\n".join(lines)), fixes)
    want = _words(doc)
    page = etree.parse(next(w for w in written if "/page/" in w)).getroot()
    words = {w.get("id"): w for w in page.iter("{*}Word")}
    equivs = {i: [(te.get("index"), te.findtext("{*}Unicode")) for te in w.findall("{*}TextEquiv")]
              for i, w in words.items()}
    # merge: one Word over both boxes with both Words' glyphs, the OCR's reading as index 1
    assert equivs["l1w1"] == [("0", "oath"), ("1", "oa th")] and "l1w2" not in words
    src = {w.get("id"): w.find("{*}Coords").get("points").split() for w in
           etree.parse(str(tmp_path / "page.xml")).getroot().iter("{*}Word")}
    x0, y0 = src["l1w1"][0].split(",")
    x1, y1 = src["l1w2"][2].split(",")
    assert words["l1w1"].find("{*}Coords").get("points") == f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"
    assert len(words["l1w1"].findall("{*}Glyph")) == 4
    # split: a Word per part dividing the box, each glyph with the part it lies in
    tie = next(w for w in words.values() if equivs[w.get("id")][0] == ("0", "tie"))
    up = tie.getnext()
    assert equivs[up.get("id")][0] == ("0", "up") and up.get("id") != tie.get("id")
    assert [len(w.findall("{*}Glyph")) for w in (tie, up)] == [3, 2]
    assert equivs["l1w0"] == [(None, "The")]  # an untouched word keeps its TextEquiv as it was
    assert _read_back(written, "page") == want
    assert _read_back(written, "alto") == want  # the ALTO written from the PAGE geometry too


def test_regroup_finds_the_words_an_edit_changes_across():
    from reissue.ingest.back_common import _Change, regroup

    raw = "ab cd efgh ij"
    spans = [(0, 2), (3, 5), (6, 10), (11, 13)]
    assert regroup(raw, spans, []) == []
    merge = regroup(raw, spans, [_Change(2, 3, "")])  # the space between ab and cd removed
    assert [(g.first, g.stop, g.words, g.ocr) for g in merge] == [(0, 2, ["abcd"], "ab cd")]
    split = regroup(raw, spans, [_Change(8, 9, " g")])  # efgh -> ef gh
    assert [(g.first, g.stop, g.words) for g in split] == [(2, 3, ["ef", "gh"])]
    gone = regroup(raw, spans, [_Change(11, 13, "")])  # ij removed: merged with its neighbour
    assert [(g.first, g.stop, g.words) for g in gone] == [(2, 4, ["efgh"])]
    assert regroup(raw, spans, [_Change(8, 9, " g")], skip={2}) == []


def _alto_two_lines(first: list[tuple[str, dict]], second: list[tuple[str, dict]], hyp: bool) -> str:
    def line(no, words):
        out = []
        for k, (w, attrs) in enumerate(words):
            extra = "".join(f' {a}="{v}"' for a, v in attrs.items())
            out.append(f'<String ID="L{no}S{k}" HPOS="{100 + 200 * k}" VPOS="{100 * no}" WIDTH="150" HEIGHT="40" '
                       f'CONTENT="{w}"{extra}/>')
        return (f'<TextLine ID="L{no}" HPOS="100" VPOS="{100 * no}" WIDTH="1800" HEIGHT="40">' + "<SP/>".join(out)
                + ('<HYP CONTENT="-"/>' if hyp and no == 1 else "") + "</TextLine>")
    return ALTO.split("<TextBlock ID=\"B1\">")[0] + '<TextBlock ID="B1">' + line(1, first) + line(2, second) + \
        "</TextBlock></PrintSpace></Page></Layout></alto>"


@pytest.mark.parametrize("left,right,subs,want", [
    ("strpnglyrecom-", "Send", "strpnglyrecom-Send", "strpnglyrecom-Send"),  # a hyphen after the left part: kept
    ("KEEPERS.-", "Tarleton", "KEEPERS.-Tarleton", "KEEPERS.-Tarleton"),
    ("dedi", "('-ated", "dedi('-ated", "dedi('-ated"),  # the hyphen inside the right part: the word is joined
    ("fellow", "travellers", "fellow-travellers", "fellow-travellers"),
])
def test_subs_content_with_a_hyphen_where_the_line_breaks_is_a_compound(tmp_path, left, right, subs, want):
    """SUBS_CONTENT decides a word split over a line end: a hyphen in it right after the line's
    last word (whatever that word ends with) keeps the hyphen; one elsewhere does not."""
    src = tmp_path / "p.xml"
    src.write_text(_alto_two_lines([("The", {}), (left, {"SUBS_TYPE": "HypPart1", "SUBS_CONTENT": subs})],
                                   [(right, {"SUBS_TYPE": "HypPart2", "SUBS_CONTENT": subs}), ("went", {})],
                                   hyp=not left.endswith("-")), encoding="utf-8")
    assert _words(process(load_inputs([str(src)]), correct=False))[1] == want


def test_hocr_merges_and_splits_in_the_alto_written_from_it(tmp_path):
    """hOCR input gets ALTO v4 written from its geometry: a merge is one String, a split two with an
    SP between, a merge over a line end a hyphenated word; the file reads back as the edition."""
    def line(no, words):
        spans = "".join(f'<span class="ocrx_word" title="bbox {100 + 120 * k} {100 * no} {200 + 120 * k} '
                        f'{100 * no + 40}; x_wconf 90">{w}</span> ' for k, w in enumerate(words))
        return f'<span class="ocr_line" title="bbox 100 {100 * no} 1900 {100 * no + 40}">{spans}</span>'
    hocr = ('<!DOCTYPE html><html><head><title></title><meta name="ocr-system" content="tesseract"/></head><body>'
            '<div class="ocr_page" title="bbox 0 0 2000 1000"><div class="ocr_carea" title="bbox 100 100 1900 300">'
            '<p class="ocr_par">' + line(1, "The oa th was tieup for the unfor".split())
            + line(2, "tunate men who had gone home.".split()) + "</p></div></div></body></html>")
    fixes = [("oa th", "oath"), ("tieup", "tie up"), ("unfor tunate", "unfortunate")]
    doc, written = _written(tmp_path, "page.hocr", hocr, fixes)
    root = etree.parse(written[0]).getroot()
    strings = {s.get("CONTENT"): s for s in root.iter("{*}String")}
    assert [a.text for a in strings["oath"].iter("{*}ALTERNATIVE")] == ["oa th"] and "th" not in strings
    assert strings["tie"].getnext().tag.endswith("SP") and strings["tie"].getnext().getnext() is strings["up"]
    assert strings["unfor"].get("SUBS_CONTENT") == strings["tunate"].get("SUBS_CONTENT") == "unfortunate"
    assert _read_back(written, "alto") == _words(doc)


def _hyphenated_alto(lines: list[list[str]], joined: dict[int, str]) -> str:
    """An ALTO v4 page of ``lines`` (words), the last word of line ``i`` in ``joined`` hyphenated over the line end
    the way OmniPage and ABBYY write it: HYP, and ``SUBS_CONTENT`` the halves' letters joined."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">',
           "<Description><MeasurementUnit>pixel</MeasurementUnit></Description>",
           '<Layout><Page ID="P1" PHYSICAL_IMG_NR="1" WIDTH="2000" HEIGHT="1000"><PrintSpace HPOS="0" VPOS="0" '
           'WIDTH="2000" HEIGHT="1000">', '<TextBlock ID="B1">']
    n = 0
    for i, words in enumerate(lines):
        out.append(f'<TextLine ID="L{i}" HPOS="100" VPOS="{100 + 50 * i}" WIDTH="1800" HEIGHT="40">')
        x = 100
        for j, w in enumerate(words):
            n += 1
            subs = ""
            if i in joined and j == len(words) - 1:
                subs = f' SUBS_TYPE="HypPart1" SUBS_CONTENT="{joined[i]}"'
            elif i - 1 in joined and j == 0:
                subs = f' SUBS_TYPE="HypPart2" SUBS_CONTENT="{joined[i - 1]}"'
            out.append(f'<String ID="S{n}" HPOS="{x}" VPOS="{100 + 50 * i}" WIDTH="{20 * len(w)}" HEIGHT="40" '
                       f'CONTENT="{w}" WC="0.9"{subs}/>' + ('<SP WIDTH="20"/>' if j < len(words) - 1 else ""))
            x += 20 * len(w) + 20
        out.append(('<HYP CONTENT="-"/>' if i in joined else "") + "</TextLine>")
    return "\n".join(out + ["</TextBlock></PrintSpace></Page></Layout></alto>"])


def test_a_compound_the_ocr_file_joined_at_a_line_end_gets_its_hyphen_back(tmp_path):
    """The OCR file's reading of a hyphenated pair joins its letters (``SUBS_CONTENT="safetygun"``), so reflow joins
    it; the corrector reads two words there and splits them where the hyphen was printed: the hyphen comes back
    (``safety-gun``, a compound), unless the second word is a common one (``his body-\\nin the water``: the mark
    was no hyphen). Written back, the compound is HypPart1 + HYP + HypPart2."""
    lines = [["As", "the", "safety"], ["gun", "cannot", "possibly", "be", "discharged", "by", "accident,", "the", "owner"],
             ["may", "carry", "it", "loaded", "with", "no", "danger", "to", "himself", "or", "to", "his"],
             ["friends.", "The", "drowned", "man", "was", "found", "with", "a", "part", "of", "his", "body"],
             ["in", "the", "water", "near", "the", "old", "pier", "at", "the", "end", "of", "the", "street."]]
    src = tmp_path / "page.xml"
    src.write_text(_hyphenated_alto(lines, {0: "safetygun", 3: "bodyin"}), encoding="utf-8")
    doc = process(load_inputs([str(src)]))
    text = " ".join(p.text.text for p in doc.paragraphs)
    assert "the safety-gun cannot" in text and "his body in the water" in text
    written, problems = write_back(doc, str(tmp_path / "out"), GEN)
    assert not problems
    _check_files(written)
    strings = {s.get("CONTENT"): s for s in etree.parse(written[0]).getroot().iter("{*}String")}
    assert strings["safety"].get("SUBS_CONTENT") == strings["gun"].get("SUBS_CONTENT") == "safety-gun"
    assert strings["body"].get("SUBS_TYPE") is None and "-gun" not in strings
    assert _read_back(written, "alto") == text.split()


def test_a_compound_the_issue_prints_in_mid_line_keeps_its_hyphen_over_the_files_joined_reading(tmp_path):
    """``SUBS_CONTENT="copperfastened"`` is the engine's letters joined (OmniPage writes every pair so), while the
    same issue prints ``copper-fastened`` in mid-line: reflow keeps the hyphen. A pair the issue never prints so is
    joined as the file says."""
    lines = [["The", "brig", "Nelson,", "coppered", "and", "copper-fastened,", "sails", "on", "Friday;", "the", "brig"],
             ["Mary,", "coppered", "and", "copper"], ["fastened,", "sails", "on", "Monday", "next", "with", "the", "tide"],
             ["from", "the", "dock", "at", "the", "foot", "of", "the", "long", "ex"],
             ["change", "street", "for", "the", "port", "of", "New", "Orleans."]]
    src = tmp_path / "page.xml"
    src.write_text(_hyphenated_alto(lines, {1: "copperfastened,", 3: "exchange"}), encoding="utf-8")
    doc = process(load_inputs([str(src)]), correct=False)
    text = " ".join(p.text.text for p in doc.paragraphs)
    assert text.count("copper-fastened,") == 2 and "copperfastened" not in text
    assert "long exchange street" in text
