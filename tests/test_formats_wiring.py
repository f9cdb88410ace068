"""Library formats through every command: corrected ALTO/PAGE written by `reissue batch` and
`reissue export --sources` as by `reissue build`, and an issue's METS file read inside a .zip
with the same safety as any archive member (fixtures in tests/data/formats/)."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from reissue.ingest import load_inputs
from reissue.edition import document_to_dict
from reissue.pipeline import build_command, process

DATA = Path(__file__).parent / "data" / "formats"
ISSUE = DATA / "mets-issue"


def zip_issue(path: Path, folder: Path, prefix: str = "", extra: dict | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, prefix + f.name)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def contents(path: str) -> list[str]:
    return [s.get("CONTENT") for s in etree.parse(path).getroot().iter("{*}String")]


# ----------------------------------------------------------------------------------------------
# METS inside a .zip


def test_mets_in_zip_reads_the_issue_as_the_folder_does(tmp_path):
    folder = process(load_inputs([str(ISSUE)]), correct=False)
    arc = zip_issue(tmp_path / "issue.zip", ISSUE, prefix="gazette/")
    doc = process(load_inputs([str(arc)]), correct=False)
    assert [p.raw for p in doc.pages] == [p.raw for p in folder.pages]
    assert [p.source for p in doc.pages] == [f"{arc}:gazette/b-first.xml", f"{arc}:gazette/a-second.xml"]
    a, b = document_to_dict(doc), document_to_dict(folder)
    assert [p["label"] for p in a["pages"]] == [p["label"] for p in b["pages"]] == ["iv", "[v]"]
    assert a["metadata"] == b["metadata"] and a["metadata"]["title"] == "The Test Gazette"
    assert a["structure"] == b["structure"] and a["structure"]
    # the page the METS names but the archive lacks is one problem line, as in a folder
    assert [p for p in a["problems"] if "c-missing.xml is missing" in p] and len(a["problems"]) == len(b["problems"])


def test_mets_in_zip_refuses_what_the_archive_refuses(tmp_path):
    mets = (ISSUE / "mets.xml").read_text(encoding="utf-8")
    mets = (mets.replace('xlink:href="a-second.xml"', 'xlink:href="../outside.xml"')
            .replace('xlink:href="c-missing.xml"', 'xlink:href="link.xml"'))
    arc = tmp_path / "issue.zip"
    with zipfile.ZipFile(arc, "w") as zf:
        zf.writestr("mets.xml", mets)
        zf.write(ISSUE / "b-first.xml", "b-first.xml")
        zf.write(ISSUE / "a-second.xml", "a-second.xml")
        link = zipfile.ZipInfo("link.xml")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "b-first.xml")
    doc = load_inputs([str(arc)])
    assert [p.source for p in doc.pages] == [f"{arc}:b-first.xml"]
    probs = "\n".join(doc.problems)
    assert "symbolic link inside the archive" in probs
    assert "points at ../outside.xml, outside the METS file's folder; refused" in probs
    assert "file link.xml is missing" in probs


def test_zip_with_unreadable_mets_reads_its_other_members(tmp_path):
    arc = tmp_path / "issue.zip"
    with zipfile.ZipFile(arc, "w") as zf:
        zf.writestr("mets.xml", "<mets xmlns='http://www.loc.gov/METS/'><broken")
        zf.write(ISSUE / "b-first.xml", "b-first.xml")
        zf.write(ISSUE / "a-second.xml", "a-second.xml")
    doc = load_inputs([str(arc)])
    assert [p.source.rsplit(":", 1)[1] for p in doc.pages] == ["a-second.xml", "b-first.xml"]  # by name
    assert len([p for p in doc.problems if "mets.xml" in p]) == 1 and "broken METS" in doc.problems[0]


# ----------------------------------------------------------------------------------------------
# corrected ALTO/PAGE from batch and export


def test_batch_writes_corrected_alto_and_page_beside_each_edition(tmp_path):
    from reissue.batch import batch_command

    coll = tmp_path / "coll"
    (coll / "fraktur").mkdir(parents=True)
    shutil.copy(DATA / "page_2013_double.xml", coll / "fraktur")
    zip_issue(coll / "gazette.zip", ISSUE)
    out = tmp_path / "out"
    r = CliRunner().invoke(batch_command, [str(coll), "-o", str(out), "--scheduler", "serial", "--no-correct", "-q"],
                           catch_exceptions=False)
    assert r.exit_code == 3, r.output  # the METS names a missing page: a problem, the issue is built
    report = {s["issue"]: s for s in json.loads((out / "batch-report.json").read_text())["issues"]}
    assert sorted(p for p in report["fraktur"]["outputs"] if "/" in p[len("fraktur/"):]) == [
        "fraktur/alto/page_2013_double.xml", "fraktur/page/page_2013_double.xml"]
    assert sorted(p for p in report["gazette"]["outputs"] if "/alto/" in p) == [
        "gazette/alto/a-second.xml", "gazette/alto/b-first.xml"]
    # the files written read back to the same text as the input
    for issue, name, src in (("gazette", "b-first.xml", ISSUE / "b-first.xml"),
                             ("fraktur", "page_2013_double.xml", DATA / "page_2013_double.xml")):
        back = process(load_inputs([str(out / issue / ("page" if issue == "fraktur" else "alto") / name)]),
                       correct=False)
        orig = process(load_inputs([str(src)]), correct=False)
        assert [p.text.text for p in back.paragraphs] == [p.text.text for p in orig.paragraphs]
    assert report["gazette"]["title"] == "The Test Gazette"  # MODS read from the METS inside the zip


def test_export_with_sources_writes_alto_with_the_review_decisions(tmp_path):
    from reissue.index import Library
    from reissue.review import edit_expect, export_command

    src = DATA / "alto_bnf_hyphen.xml"
    # a build whose corrections are known: two words of the page corrected by recorded edits
    doc = process(load_inputs([str(src)]), correct=False)
    para = doc.paragraphs[0]
    for k, after in ((4, "X1"), (1, "X0")):  # right to left, so the offsets of the first stay valid
        import re

        m = list(re.finditer(r"\S+", para.text.text))[k]
        para.text.replace(doc, m.start(), m.end(), after, stage="correct", rule="test", confidence=0.9)
    ed = document_to_dict(doc)
    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([ed])
    eid = lib.editions()[0]["id"]
    first = next(e for e in ed["edits"] if e["stage"] == "correct" and e["after"] == "X0")
    lib.decide(eid, action="reject", reviewer="Ann", edit=first["id"], expect=edit_expect(first))
    lib.close()
    out = tmp_path / "out"
    r = CliRunner().invoke(export_command, [db, eid, "-o", str(out), "--sources", str(src)])
    assert r.exit_code == 0, r.output
    got = contents(str(out / "alto" / "alto_bnf_hyphen.xml"))
    orig = contents(str(src))
    # the rejected correction is the OCR's word again; the other one is written, the OCR's kept
    # (a hyphen inside CONTENT is written the standard way, as the HYP element)
    changed = [(a, b) for a, b in zip(orig, got) if a != b and a.rstrip("-") != b]
    assert changed == [("son", "X1")]
    assert "X0" not in got
    alts = [a.text for a in etree.parse(str(out / "alto" / "alto_bnf_hyphen.xml")).iter("{*}ALTERNATIVE")]
    assert alts == [changed[0][0]]
    # without --sources: the edition only
    r = CliRunner().invoke(export_command, [db, eid, "-o", str(tmp_path / "o2")])
    assert r.exit_code == 0 and not (tmp_path / "o2" / "alto").exists()
    # sources that read differently: one line, the edition still written
    other = tmp_path / "other.xml"
    other.write_text(src.read_text(encoding="utf-8").replace('CONTENT="avec"', 'CONTENT="sans"'), encoding="utf-8")
    r = CliRunner().invoke(export_command, [db, eid, "-o", str(tmp_path / "o3"), "--sources", str(other)])
    assert r.exit_code == 0 and "reads differently in the sources" in r.output
    assert (tmp_path / "o3" / "edition.json").exists()


def test_build_writes_back_into_the_edition_atomically(tmp_path):
    """The corrected files appear with the edition (written in its temporary folder); an earlier
    build's alto/ folder is replaced with the edition, not mixed with it."""
    out = tmp_path / "out"
    r = CliRunner().invoke(build_command, [str(DATA / "alto_bnf_hyphen.xml"), "-o", str(out), "--no-correct", "-q"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (out / "alto").iterdir()) == ["alto_bnf_hyphen.xml"]
    r = CliRunner().invoke(build_command, [str(DATA / "alto_v4_tags.xml"), "-o", str(out), "--no-correct", "-q",
                                           "--force"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (out / "alto").iterdir()) == ["alto_v4_tags.xml"]
    assert not [p for p in tmp_path.iterdir() if "reissue-tmp" in p.name]


def test_page_regions_reissue_found_are_typed_and_the_file_validates(tmp_path):
    """Raw Tesseract PAGE types no region: the page number reissue finds becomes a page-number
    region in the PAGE written back, which still validates against the official PAGE 2019 schema."""
    import pytest

    from reissue.ingest.writeback import write_back

    src = Path(__file__).resolve().parents[2] / "shared" / "samples" / "berlinische-monatsschrift-1784-12" / \
        "page-tesseract" / "OCR-D-OCR-TESS-frk_0002.xml"
    if not src.exists():
        pytest.skip("shared samples absent")
    assert not [r for r in etree.parse(str(src)).getroot().iter("{*}TextRegion") if r.get("type")]
    doc = process(load_inputs([str(src)]), correct=False)
    folios = [f.text.strip() for p in doc.pages for f in p.furniture if f.kind == "folio"]
    assert folios
    written, problems = write_back(doc, str(tmp_path), {"name": "reissue", "version": "test", "model": "m"})
    assert not problems
    page = etree.parse(next(w for w in written if "/page/" in w)).getroot()
    typed = {r.get("type"): " ".join(t.text or "" for t in r.iter("{*}Unicode")) for r in page.iter("{*}TextRegion")
             if r.get("type")}
    assert "page-number" in typed and folios[0] in typed["page-number"]
    from test_readers import _page_schema

    schema = _page_schema()
    if schema is not None:
        assert schema.validate(etree.ElementTree(page)), schema.error_log
    back = process(load_inputs([next(w for w in written if "/page/" in w)]), correct=False)
    assert [(f.kind, f.text) for p in back.pages for f in p.furniture] == \
        [(f.kind, f.text) for p in doc.pages for f in p.furniture]


def test_batch_takes_the_format_options_of_build(tmp_path):
    """`reissue batch --normalize --mets-use` builds each issue as `reissue build` does with them, and
    the manifest records them (an issue finished with other options is built again)."""
    from reissue.batch import batch_command

    coll = tmp_path / "coll"
    (coll / "fraktur").mkdir(parents=True)
    shutil.copy(DATA / "page_2013_double.xml", coll / "fraktur")
    shutil.copytree(ISSUE, coll / "gazette")
    out = tmp_path / "out"
    args = ["--normalize", "historical", "--mets-use", "NOPE"]
    r = CliRunner().invoke(batch_command, [str(coll), "-o", str(out), "--scheduler", "serial", "--no-correct", "-q",
                                           *args], catch_exceptions=False)
    assert r.exit_code == 3, r.output
    report = {s["issue"]: s for s in json.loads((out / "batch-report.json").read_text())["issues"]}
    assert any("no file group USE='NOPE'" in p for p in report["gazette"]["problems"])
    for issue in ("fraktur", "gazette"):
        one = tmp_path / f"one-{issue}"
        CliRunner().invoke(build_command, [str(coll / issue), "-o", str(one), "--no-correct", "-q", *args])
        assert (out / issue / "edition.txt").read_text("utf-8") == (one / "edition.txt").read_text("utf-8")
    ed = json.loads((out / "fraktur" / "edition.json").read_text("utf-8"))
    assert "ſ" in "".join(p["raw"] for p in ed["pages"]) and "ſ" not in (out / "fraktur" / "edition.txt").read_text()
    manifest = [json.loads(line) for line in (out / "batch-manifest.jsonl").read_text().splitlines() if line.strip()]
    assert any(m.get("key", {}).get("options", {}).get("normalize") == "historical" for m in manifest), manifest
