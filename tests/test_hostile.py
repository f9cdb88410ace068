"""Hostile inputs of issue 16: each becomes one clear line (or a clean build), never a traceback.

Every case is data: the files of one input folder, and what the build must show. Each is built with
`reissue build` in-process and checked: exit code 0 or 3 (never 1), no exception, every edition file
written and none left half-written, the TEI well-formed, and `rebuild_raw` of the written
edition.json equal to the raw text of every page.
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from lxml import etree

from reissue.cli import cli as main
from reissue.edition import rebuild_raw

ALTO = ('<alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT="{}"/></TextLine></TextBlock>'
        '</PrintSpace></Page></Layout></alto>')
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"

CASES = [
    # id, {file name (bytes): content (bytes)}, text the edition must hold, problem it must report
    ("xml-unknown-encoding", {b"a.xml": b'<?xml version="1.0" encoding="x-undefined"?>' + ALTO.format("caf\xe9").encode("latin-1")},
     "caf", None),
    ("xml-undefined-codec", {b"a.xml": b'<?xml version="1.0" encoding="undefined"?>' + ALTO.format("hello").encode()},
     "hello", None),
    ("xml-escape-codec", {b"a.xml": b'<?xml version="1.0" encoding="raw_unicode_escape"?>' + ALTO.format("a\\ud800b").encode()},
     "a\\ud800b", None),
    ("html-meta-unknown-charset", {b"a.html": b'<html><head><meta charset="x-foo"></head><body><div class="ocr_page">'
                                             b'<span class="ocr_line">hi th\xe9re</span></div></body></html>'},
     "hi th", None),
    ("mixed-encodings", {
        b"1.txt": "\ufeffHello world in UTF-16\n".encode("utf-16"),
        b"2.txt": "caf\u00e9 \u2014 \u201cquoted\u201d\n".encode("cp1252"),
        b"3.txt": "na\u00efve latin\n".encode("latin-1"),
        b"4.txt": b"bad \xff\xfe utf8 \xc3\x28 here\n",
        b"5.txt": b"cesu \xed\xa0\xbd\xed\xb8\x80 x\n",
        b"6.txt": b"ctrl \x02\x03 chars \x1b[31m red\n"}, "chars", None),
    ("file-name-not-utf8", {b"p\xff1.txt": b"some page text\n"}, "some page text", "not valid UTF-8"),
    ("c0-control", {b"1.txt": b"Hello \x02 world\nnext line\n"}, "Hello \x02 world", None),
    ("noncharacters", {b"1.txt": "a \ufffe b \uffff c \ufdd0 d \U0001fffe\n".encode("utf-8")}, "\ufffe", None),
    ("dotted-capital-i-line", {b"1.txt": "\u0130\n".encode("utf-8")}, "\u0130", None),
    ("dotless-i-lines", {b"1.txt": "ı\nıı\nİİİ\n".encode("utf-8")}, "ı", None),
    ("mojibake-dash-at-line-end", {b"1.txt": "The revolu\u00e2\u20ac\u201c\ntion was here.\n".encode("utf-8")},
     "revolution", None),
    # found by tests/test_fuzz.py: a line that a mojibake repair leaves blank ("Â " -> no-break space)
    ("mojibake-repair-leaves-line-blank", {b"1.txt": "\u00c2 \x0b".encode("utf-8")}, "", None),
    ("mojibake-repair-leaves-leading-blank", {b"1.txt": "\u00c2 \x0bthe end\n".encode("utf-8")}, "the end", None),
    ("mojibake-blank-lines-around-text", {b"1.txt": "\u00c2 \nword here\n\u00c2 \nmore\n\u00c2 \u00c2 ".encode("utf-8")},
     "word here more", None),
    ("page-custom-entity", {b"a.xml": (f'<?xml version="1.0"?>\n<!DOCTYPE PcGts [<!ENTITY foo "bar">]>\n'
                                      f'<PcGts xmlns="{PAGE_NS}"><Page imageWidth="9" imageHeight="9"><TextRegion id="r1">'
                                      '<TextLine id="l1"><TextEquiv><Unicode>before &foo; after text</Unicode></TextEquiv>'
                                      '</TextLine></TextRegion></Page></PcGts>').encode()},
     "before bar after text", None),
    ("page-undeclared-entity-kept-visible", {b"a.xml": (f'<?xml version="1.0"?>\n<!DOCTYPE PcGts [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                                      f'<PcGts xmlns="{PAGE_NS}"><Page imageWidth="9" imageHeight="9"><TextRegion id="r1">'
                                      '<TextLine id="l1"><TextEquiv><Unicode>one &x; two</Unicode></TextEquiv>'
                                      '</TextLine></TextRegion></Page></PcGts>').encode()},
     "one &x; two", None),
    ("doctype-subset-with-bracket", {b"a.xml": ('<?xml version="1.0"?>\n<!DOCTYPE alto [<!ENTITY x "a]>b">]>\n'
                                                + ALTO.format("hello")).encode()}, "hello", None),
    ("alto-nested-page", {b"a.xml": ("<alto><Layout>" + '<Page><PrintSpace><TextBlock><TextLine><String CONTENT="w"/></TextLine>' * 40
                                     + "</TextBlock></PrintSpace></Page>" * 40 + "</Layout></alto>").encode(),
                          b"b.txt": b"plain page\n"}, "plain page", "<Page> inside another <Page>"),
    ("alto-nested-textblock", {b"a.xml": ("<alto><Layout><Page><PrintSpace>" + "<TextBlock><TextLine><String CONTENT=\"w\"/></TextLine>" * 40
                                          + "</TextBlock>" * 40 + "</PrintSpace></Page></Layout></alto>").encode(),
                               b"b.txt": b"plain page\n"}, "plain page", "<TextBlock> inside another <TextBlock>"),
    ("page-over-char-limit", {b"a.txt": b"some words on a line\n" * 100_000, b"b.txt": b"plain page\n"},
     "plain page", "over the limit of 2,000,000 per page"),
    ("line-over-limit", {b"a.txt": b"word " * 20_001, b"b.txt": b"plain page\n"},
     "plain page", "over the limit of 100,000 per line"),
    ("alto-huge-attribute", {b"a.xml": ALTO.format("abcdefgh " * 12_000).encode(), b"b.txt": b"plain page\n"},
     "plain page", "over the limit of 100,000 per line"),
    ("hocr-deeper-than-parser-limit", {b"a.html": (b'<html><body><div class="ocr_page">' + b"<div>" * 400
                                                   + b'<span class="ocr_line">deep</span>' + b"</div>" * 401
                                                   + b"</body></html>"), b"b.txt": b"plain page\n"},
     "plain page", "nested deeper"),
    ("hocr-nested-page", {b"a.html": ("<html><body>" + '<div class="ocr_page"><span class="ocr_line">w ' * 60
                                      + "</span></div>" * 60 + "</body></html>").encode(),
                          b"b.txt": b"plain page\n"}, "plain page", "ocr_page inside another ocr_page"),
]


def _write_case(root, files: dict) -> str:
    folder = os.path.join(os.fsencode(str(root)), b"in")
    os.mkdir(folder)
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(data)
    return os.fsdecode(folder)


@pytest.mark.parametrize("case_id,files,text,problem", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_builds_or_reports(tmp_path, case_id, files, text, problem):
    folder = _write_case(tmp_path, files)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q"])
    assert res.exit_code in (0, 3), (res.exit_code, res.output, res.exception)
    assert isinstance(res.exception, (SystemExit, type(None))), res.exception
    # (ALTO and PAGE input also get their corrected files back in alto/ and page/)
    assert sorted(n for n in os.listdir(out) if n not in ("alto", "page")) == [
        "edition.html", "edition.json", "edition.md", "edition.tei.xml", "edition.txt"]
    assert not [n for n in os.listdir(tmp_path) if "tmp" in n]
    ed = json.loads((out / "edition.json").read_text("utf-8"))
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
    etree.parse(str(out / "edition.tei.xml"))  # well-formed
    body = " ".join(p["text"] for p in ed["paragraphs"])
    assert text in body, body
    if problem:
        assert any(problem in p for p in ed["problems"]) and res.exit_code == 3, ed["problems"]
    else:
        assert res.exit_code == 0, ed["problems"]


def test_unsafe_characters_are_written_as_g_and_recorded(tmp_path):
    folder = _write_case(tmp_path, {b"1.txt": b"Hello \x02 world\n"})
    out = tmp_path / "out"
    CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q"])
    ed = json.loads((out / "edition.json").read_text("utf-8"))
    assert [(u["char"], u["count"]) for u in ed["unsafe_characters"]] == [("U+0002", 1)]
    tei = etree.parse(str(out / "edition.tei.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    refs = [g.get("ref") for g in tei.iterfind(".//t:body//t:g", ns)]
    assert refs == ["#char-0002"]
    assert tei.find(".//t:charDecl/t:char[@{http://www.w3.org/XML/1998/namespace}id='char-0002']", ns) is not None
    assert "\x02" in (out / "edition.txt").read_text("utf-8")


def test_symlink_in_input_folder_refused_unless_followed(tmp_path):
    folder = _write_case(tmp_path, {b"1.txt": b"page one\n"})
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret words\n")
    os.symlink(secret, os.path.join(folder, "2.txt"))
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q"])
    assert res.exit_code == 3
    ed = json.loads((out / "edition.json").read_text("utf-8"))
    assert "secret" not in json.dumps(ed) and any("symbolic link" in p for p in ed["problems"])
    res = CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q", "--force",
                                    "--follow-symlinks"])
    assert res.exit_code == 0
    assert "top secret" in (out / "edition.txt").read_text("utf-8")


@pytest.mark.parametrize("where", ["same", "inside"])
def test_output_in_input_refused(tmp_path, where):
    folder = _write_case(tmp_path, {b"1.txt": b"page one\n"})
    out = folder if where == "same" else os.path.join(folder, "ed")
    res = CliRunner().invoke(main, ["build", folder, "-o", out, "--no-correct", "-q", "--force"])
    assert res.exit_code == 2 and "input folder" in res.output
    assert sorted(os.listdir(folder)) == ["1.txt"]


def test_failed_build_leaves_nothing(tmp_path, monkeypatch):
    import reissue.export as export

    folder = _write_case(tmp_path, {b"1.txt": b"page one\n"})
    out = tmp_path / "out"

    def boom(ed):
        raise RuntimeError("writer failed")

    monkeypatch.setattr(export, "iter_tei", boom)
    res = CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q"])
    assert res.exit_code != 0
    assert sorted(os.listdir(tmp_path)) == ["in"]  # no OUTDIR, no temporary folder


def test_rebuild_replaces_an_earlier_edition_whole(tmp_path):
    folder = _write_case(tmp_path, {b"1.txt": b"page one\n"})
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q"]).exit_code == 0
    (tmp_path / "in" / "1.txt").write_text("page two\n")
    assert CliRunner().invoke(main, ["build", folder, "-o", str(out), "--no-correct", "-q", "--force"]).exit_code == 0
    assert (out / "edition.txt").read_text() == "page two\n"
    assert sorted(os.listdir(tmp_path)) == ["in", "out"]


def test_archive_over_total_limit_refused_at_once(tmp_path, monkeypatch):
    import zipfile

    from reissue.ingest import limits

    monkeypatch.setattr(limits, "MAX_ARCHIVE_BYTES", 2_500)
    arc = tmp_path / "issue.zip"
    with zipfile.ZipFile(arc, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            zf.writestr(f"p{i}.txt", "word " * 200)  # 1,000 bytes each, compressed to a few
    other = tmp_path / "p.txt"
    other.write_text("plain page\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(arc), str(other), "-o", str(out), "--no-correct", "-q"])
    assert res.exit_code == 3, res.output
    ed = json.loads((out / "edition.json").read_text("utf-8"))
    assert [p["source"] for p in ed["pages"]] == [str(other)]
    assert any("over the limit of 2.5 KB per archive" in p for p in ed["problems"]), ed["problems"]
