"""`reissue batch --follow-symlinks` and `--lang`, with the semantics of `reissue build` (issue 16)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reissue.batch import batch_command
from reissue.batch.manifest import MANIFEST_NAME, build_key
from reissue.cli import cli as main

PAGE = "THE WEEKLY REVIEW\n\nThe committee met on Tuesday and the report was read aloud to the members.\n"
SECRET = "a secret line from outside the collection\n"


def run(*args):
    return CliRunner().invoke(batch_command, [str(a) for a in args], catch_exceptions=False)


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text(encoding="utf-8"))


@pytest.fixture
def linked(tmp_path) -> Path:
    """coll/a: a page and a link to a file outside; coll/b: a link to an issue folder outside."""
    outside = tmp_path / "outside"
    (outside / "issue").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "issue" / "1.txt").write_text(PAGE)
    coll = tmp_path / "coll"
    (coll / "a").mkdir(parents=True)
    (coll / "a" / "1.txt").write_text(PAGE)
    os.symlink(outside / "secret.txt", coll / "a" / "2.txt")
    os.symlink(outside / "issue", coll / "b", target_is_directory=True)
    return coll


def _texts(out: Path, issue: str) -> str:
    ed = json.loads((out / issue / "edition.json").read_text(encoding="utf-8"))
    return "\n".join(p["raw"] for p in ed["pages"])


def test_symlinks_are_refused_by_default_as_in_build(linked, tmp_path):
    out = tmp_path / "out"
    r = run(linked, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 3, r.output
    rep = report(out)
    assert [s["issue"] for s in rep["issues"]] == ["a"]  # the linked issue folder is not an issue
    assert any(n.startswith("b: a symbolic link; refused") for n in rep["skipped"])
    assert "secret" not in _texts(out, "a")
    # `reissue build` on the same folder refuses the same link
    b = CliRunner().invoke(main, ["build", str(linked / "a"), "-o", str(tmp_path / "single"), "--no-correct", "-q"])
    single = json.loads((tmp_path / "single" / "edition.json").read_text(encoding="utf-8"))
    assert [p["raw"] for p in single["pages"]] == [p["raw"] for p in json.loads((out / "a" / "edition.json").read_text())["pages"]]
    assert b.exit_code == 3


def test_follow_symlinks_reads_them_and_is_part_of_the_manifest_key(linked, tmp_path):
    out = tmp_path / "out"
    r = run(linked, "-o", out, "--no-correct", "--scheduler", "serial", "--follow-symlinks")
    assert r.exit_code == 0, r.output
    rep = report(out)
    assert [s["issue"] for s in rep["issues"]] == ["a", "b"] and rep["options"]["follow_symlinks"] is True
    assert "secret" in _texts(out, "a") and "committee" in _texts(out, "b")
    # a rerun without the option does not take the issues built with it as finished
    r = run(linked, "-o", out, "--no-correct", "--scheduler", "serial")
    assert report(out)["resumed"] == 0 and "secret" not in _texts(out, "a")
    # the target of a followed link changed: the issue is built again
    run(linked, "-o", out, "--no-correct", "--scheduler", "serial", "--follow-symlinks")
    (tmp_path / "outside" / "secret.txt").write_text("another secret line\n")
    r = run(linked, "-o", out, "--no-correct", "--scheduler", "serial", "--follow-symlinks")
    assert report(out)["resumed"] == 1 and "another secret" in _texts(out, "a")


def test_lang_option_as_in_build(tmp_path):
    coll = tmp_path / "coll"
    (coll / "x").mkdir(parents=True)
    (coll / "x" / "1.txt").write_text(PAGE)
    out = tmp_path / "out"
    r = run(coll, "-o", out, "--no-correct", "--scheduler", "serial", "--lang", "de")
    assert r.exit_code == 0, r.output
    ed = json.loads((out / "x" / "edition.json").read_text(encoding="utf-8"))
    b = CliRunner().invoke(main, ["build", str(coll / "x"), "-o", str(tmp_path / "single"), "--no-correct", "-q",
                                  "--lang", "de"])
    assert b.exit_code == 0, b.output
    single = json.loads((tmp_path / "single" / "edition.json").read_text(encoding="utf-8"))
    assert [p["lang"] for p in ed["paragraphs"]] == [p["lang"] for p in single["paragraphs"]] == ["de"] * len(ed["paragraphs"])
    assert ed["metadata"]["languages"] == single["metadata"]["languages"]
    assert report(out)["options"]["lang"] == ["de"]
    line = [json.loads(x) for x in (out / MANIFEST_NAME).read_text().splitlines()[1:]][0]
    assert line["key"]["options"]["lang"] == "de"
    r = run(coll, "-o", out, "--no-correct", "--scheduler", "serial", "--lang", "auto")
    assert report(out)["resumed"] == 0  # another language option: built again
    r = run(coll, "-o", out, "--no-correct", "--scheduler", "serial", "--lang", "xx-bad")
    assert r.exit_code == 2 and "--lang" in r.output


def test_default_options_keep_the_manifest_key_of_earlier_runs():
    assert build_key("d", "1", None, False, None) == {"digest": "d", "version": "1", "model": None,
                                                      "options": {"correct": False, "threshold": None}}
