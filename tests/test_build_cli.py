"""`reissue build` as a user runs it: outputs, refusals, exit codes, bad input."""

import json
import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from reissue.cli import cli
from reissue.edition import rebuild_raw

EXAMPLE = Path(__file__).parent.parent / "examples" / "partisan-review-1939-v6n5"


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_build_example_writes_every_output(tmp_path):
    out = tmp_path / "ed"
    r = run("build", str(EXAMPLE), "-o", str(out), "--no-correct")
    assert r.exit_code == 0, r.output
    names = {p.name for p in out.iterdir()}
    assert {"edition.json", "edition.txt", "edition.md", "edition.tei.xml"} <= names
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert ed["format"] == "reissue-edition/1" and ed["generator"]["name"] == "reissue"
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
    md = (out / "edition.md").read_text(encoding="utf-8")
    assert md.startswith("---\ntitle:") and "[p. 5]" in md and "[p. 6]" in md and "[^n1]:" in md
    tei = etree.parse(str(out / "edition.tei.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert [pb.get("n") for pb in tei.findall(".//t:pb", ns)] == ["5", "6"]
    assert tei.find(".//t:note[@place='foot']", ns) is not None
    assert {fw.text for fw in tei.findall(".//t:fw", ns)} >= {"PARTISAN REVIEW", "Powered by FlippingBook"}
    assert tei.find(".//t:application", ns).get("version")


def test_refuses_non_empty_outdir_without_force(tmp_path):
    out = tmp_path / "ed"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = run("build", str(EXAMPLE), "-o", str(out), "--no-correct")
    assert r.exit_code == 2
    assert "not empty" in r.output and "--force" in r.output
    assert (out / "keep.txt").read_text() == "mine" and len(list(out.iterdir())) == 1
    assert run("build", str(EXAMPLE), "-o", str(out), "--no-correct", "--force").exit_code == 0


def test_explain_lists_edits(tmp_path):
    r = run("build", str(EXAMPLE), "-o", str(tmp_path / "o"), "--no-correct", "--explain")
    assert "hyphen-join" in r.output and "running-head" in r.output and "viewer-credit" in r.output


def test_bad_files_reported_and_good_pages_kept(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "01.txt").write_text("A page of text that is fine\nand runs on.\n")
    (src / "02.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (src / "03.txt").write_text("Another good page.\n")
    r = run("build", str(src), "-o", str(tmp_path / "o"), "--no-correct")
    assert r.exit_code == 3
    assert "02.txt" in r.output
    ed = json.loads((tmp_path / "o" / "edition.json").read_text())
    assert [p["source"] for p in ed["pages"]] == ["01.txt", "03.txt"]


def test_empty_folder_exit_4(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run("build", str(tmp_path / "empty"), "-o", str(tmp_path / "o"), "--no-correct")
    assert r.exit_code == 4 and "empty" in r.output


def test_zip_slip_nothing_written_outside(tmp_path):
    z = tmp_path / "pages.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("p1.txt", "First page text.\n")
        zf.writestr("../evil.txt", "should never be written\n")
    r = run("build", str(z), "-o", str(tmp_path / "o"), "--no-correct")
    assert r.exit_code == 3 and "evil.txt" in r.output
    assert not (tmp_path / "evil.txt").exists()
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == sorted(
        p.name for p in (tmp_path / "o").iterdir() if p.name.startswith("edition."))


def test_stdin_pages_split_on_form_feed(tmp_path):
    r = run("build", "-", "-o", str(tmp_path / "o"), "--no-correct",
            input="1\nFirst page body text.\n\f2\nSecond page body text.\n")
    assert r.exit_code == 0, r.output
    ed = json.loads((tmp_path / "o" / "edition.json").read_text())
    assert len(ed["pages"]) == 2


def test_page_that_is_only_furniture(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "p1.txt").write_text("12\nTHE REVIEW\nSome text of the body here.\n")
    (src / "p2.txt").write_text("13\nTHE REVIEW\n")
    r = run("build", str(src), "-o", str(tmp_path / "o"), "--no-correct")
    assert r.exit_code == 0, r.output
    ed = json.loads((tmp_path / "o" / "edition.json").read_text())
    assert [p["number"] for p in ed["pages"]] == [12, 13]
    assert ed["pages"][1]["furniture"] and rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]


def test_force_never_writes_through_planted_links(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "edition.json.tmp").symlink_to(victim)
    (out / "edition.txt").symlink_to(victim)
    r = run("build", str(EXAMPLE), "-o", str(out), "--no-correct", "--force")
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "precious"
    assert not (out / "edition.txt").is_symlink()


def test_build_with_correction_fixes_example_and_keeps_names(tmp_path):
    out = tmp_path / "ed"
    r = run("build", str(EXAMPLE), "-o", str(out))
    assert r.exit_code == 0, r.output
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    text = " ".join(p["text"] for p in ed["paragraphs"])
    for fixed in ("Comintern was agitating", "to be an imperialist", "but rather", "in turn led", "devastation"):
        assert fixed in text
    for name in ("Staviski", "Krivitsky", "Reichswehr"):
        assert name in text
    corr = [e for e in ed["edits"] if e["stage"] == "correct" and e["superseded_by"] is None]
    assert corr and all(0 < e["confidence"] <= 1 and e["before"] != e["after"] for e in corr)
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
    tei = (out / "edition.tei.xml").read_text(encoding="utf-8")
    assert "<sic>Comintem</sic>" in tei


def test_missing_input_is_a_usage_error_and_creates_nothing(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", str(tmp_path / "does-not-exist"), "-o", str(out)])
    assert r.exit_code == 2 and "input not found" in r.output
    assert not out.exists()


def test_build_threshold_is_checked_like_corrects(tmp_path):
    for cmd in (["build", str(tmp_path), "-o", str(tmp_path / "o")], ["correct", "-"]):
        r = CliRunner().invoke(cli, cmd + ["--threshold", "7"], input="x\n")
        assert r.exit_code == 2 and "threshold" in r.output.lower(), cmd


def test_text_outputs_name_an_unnumbered_page_by_its_place(tmp_path):
    # a page without a printed number: the JSON label falls back to the index (0), the text outputs
    # must not print that as "p. 0"
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("A first paragraph of plain prose with no page number at all.\n\n"
                               "Another paragraph follows here, also without a folio.\n")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", "--no-correct", "-o", str(out), str(src)])
    assert r.exit_code == 0, r.output
    md = (out / "edition.md").read_text()
    assert "[page [1]]" in md and "[p. 0]" not in md
