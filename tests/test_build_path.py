"""One build path: `reissue build` and `reissue batch` both go through pipeline.build_edition, which
returns a build report."""

import json

import pytest
from click.testing import CliRunner

from reissue import pipeline
from reissue.batch import batch_command
from reissue.errors import UsageError
from reissue.pipeline import BuildOptions, build_command, build_edition

PAGE = "7\n\nA paragraph of text that is long enough to be body text on this page,\nand it ends here.\n"


@pytest.fixture
def calls(monkeypatch):
    seen = []
    real = pipeline.build_edition

    def spy(inputs, outdir, options=BuildOptions(), **kw):
        seen.append(options)
        return real(inputs, outdir, options, **kw)

    monkeypatch.setattr(pipeline, "build_edition", spy)
    return seen


def test_build_and_batch_share_one_build_function(tmp_path, calls):
    issue = tmp_path / "coll" / "issue-1"
    issue.mkdir(parents=True)
    (issue / "p1.txt").write_text(PAGE, encoding="utf-8")
    r = CliRunner().invoke(build_command, [str(issue), "-o", str(tmp_path / "one"), "--no-correct", "-q"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(batch_command, [str(tmp_path / "coll"), "-o", str(tmp_path / "many"), "--no-correct",
                                           "--scheduler", "serial"])
    assert r.exit_code == 0, r.output
    assert len(calls) == 2 and all(not o.correct for o in calls)
    one = json.loads((tmp_path / "one" / "edition.json").read_text(encoding="utf-8"))
    many = json.loads((tmp_path / "many" / "issue-1" / "edition.json").read_text(encoding="utf-8"))
    assert many["paragraphs"] == one["paragraphs"] and many["edits"] == one["edits"]


def test_build_report(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p1.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "notes.pdf").write_bytes(b"%PDF-1.4 not a page")
    rep = build_edition([str(tmp_path / "in")], str(tmp_path / "out"), BuildOptions(correct=False))
    c = rep.counts()
    assert c["pages"] == len(rep.doc.pages) == 1 and c["printed_pages"] == [7, 7] and c["paragraphs"] == 1
    assert rep.written and all(w.startswith(str(tmp_path / "out")) for w in rep.written)
    assert rep.notes and not rep.doc.problems and rep.seconds > 0  # the skipped file is a note, not a problem
    rep2 = build_edition([str(tmp_path / "in")], str(tmp_path / "out2"), BuildOptions(correct=False),
                         notes_in_edition=True)
    assert rep2.doc.problems == rep2.notes


@pytest.mark.parametrize("bad", [{"normalize": "nfkc"}, {"threshold": 1.5}])
def test_build_options_are_validated(bad):
    with pytest.raises(UsageError):
        BuildOptions(**bad)
