"""`reissue batch`: discovery, layout, broken issues, safe names, report, exit codes, Dask = serial."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import reissue
from reissue import batch
from reissue.batch import MANIFEST_NAME, REPORT_NAME, batch_command, discover_issues, safe_name
from reissue.export import write_edition
from reissue.pipeline import build_document
from reportkit import without_timing
from synth import generate_issue, write_issue

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def run(*args):
    return CliRunner().invoke(batch_command, [str(a) for a in args], catch_exceptions=False)


def tree(root: Path, skip: Path | None = None) -> dict[str, bytes | None]:
    """Every path under root (files with their bytes), leaving out ``skip``."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        if skip is not None and (d == skip or skip in d.parents):
            continue
        for n in dirnames:
            out[str((d / n).relative_to(root)) + "/"] = None
        for n in filenames:
            if d / n != skip:
                out[str((d / n).relative_to(root))] = (d / n).read_bytes()
    return out


def load_report(outroot: Path) -> dict:
    return json.loads((outroot / REPORT_NAME).read_text(encoding="utf-8"))


def edition(outroot: Path, name: str) -> dict:
    return json.loads((outroot / name / "edition.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def synth_issues(tmp_path_factory) -> Path:
    """Three small synthetic issues written once: issue-2, issue-10 (folders), issue-3 (pages only)."""
    root = tmp_path_factory.mktemp("synth")
    for seed in (2, 3, 10):
        write_issue(generate_issue(seed, 3), root / f"issue-{seed}")
    return root


@pytest.fixture
def collection(tmp_path, synth_issues) -> Path:
    """issue-2/ and issue-10/ (with truth.json), issue-3.zip (pages only), in shuffled creation order."""
    coll = tmp_path / "coll"
    coll.mkdir()
    for name in ("issue-10", "issue-2"):
        shutil.copytree(synth_issues / name, coll / name)
    with zipfile.ZipFile(coll / "issue-3.zip", "w") as zf:
        for p in sorted((synth_issues / "issue-3").glob("page-*.txt")):
            zf.write(p, p.name)
    return coll


# ----------------------------------------------------------------------------------------------
# the `reissue batch` entry (the line proposed for reissue.cli.COMMANDS)

CLI_ENTRY = ("reissue.batch", "batch_command", "Build every issue of a collection (serially or on Dask).")


def test_reachable_through_the_reissue_command_group(collection, tmp_path, monkeypatch):
    from reissue import cli

    monkeypatch.setitem(cli.COMMANDS, "batch", CLI_ENTRY)
    r = CliRunner().invoke(cli.cli, ["batch", "--help"])
    assert r.exit_code == 0 and "COLLECTION" in r.output and "--scheduler" in r.output
    r = CliRunner().invoke(cli.cli, ["batch", str(collection), "-o", str(tmp_path / "o"), "--no-correct",
                                     "--scheduler", "serial", "-q"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o" / REPORT_NAME).is_file()


# ----------------------------------------------------------------------------------------------
# names and discovery


@pytest.mark.parametrize("name", ["../x", "..", ".", "", "a/../../b", "..\\..\\win", "/etc/passwd", "-", "...",
                                  " lead and trail ", "con", "CON.txt", "nul", "a\x00b", "\x01\x02", "a" * 300,
                                  "~", "$HOME", "x:y", "C:\\x"])
def test_safe_name_is_one_plain_component(name, tmp_path):
    s = safe_name(name)
    assert s and s not in (".", "..") and not s.startswith((".", "-"))
    assert re.fullmatch(r"[\w.\-]+", s) and len(s) <= 80
    assert s.split(".")[0].casefold() not in {"con", "nul", "prn", "aux"}
    joined = os.path.normpath(os.path.join(tmp_path, s))
    assert os.path.dirname(joined) == str(tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_safe_name_property(name):
    s = safe_name(name)
    assert s and s not in (".", "..") and "/" not in s and "\\" not in s and "\x00" not in s
    assert not s.startswith(".") and len(s) <= 80
    assert safe_name(s) == s  # idempotent: a safe name stays as it is


def test_safe_name_keeps_ordinary_names():
    assert safe_name("issue-12") == "issue-12"
    assert safe_name("Partisan Review 1939 v6n5") == "Partisan-Review-1939-v6n5"
    assert safe_name("Ça ira, n° 3") == "Ça-ira-n-3"
    assert safe_name("ﬁle½") == "file1-2"  # NFKC spells out the ligature and the fraction


def test_discovery_natural_order_kinds_and_skips(tmp_path):
    coll = tmp_path / "c"
    coll.mkdir()
    for n in ("issue-10", "issue-2", "Issue-1", "nested/inner", "empty", ".hidden", "__MACOSX"):
        (coll / n).mkdir(parents=True)
    for n in ("issue-10", "issue-2", "Issue-1", "nested/inner", ".hidden", "__MACOSX"):
        (coll / n / "p1.txt").write_text("text\n")
    (coll / "issue-3.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (coll / "loose.txt").write_text("a loose page\n")
    (coll / "notes.md").write_text("readme\n")
    found = discover_issues(str(coll))
    assert [(i.entry, i.kind) for i in found.issues] == [
        ("Issue-1", "folder"), ("issue-2", "folder"), ("issue-3.zip", "zip"), ("issue-10", "folder")]
    assert [i.name for i in found.issues] == ["Issue-1", "issue-2", "issue-3", "issue-10"]
    assert all(os.path.isabs(i.path) for i in found.issues)
    skipped = " | ".join(found.skipped)
    assert "empty: empty folder" in skipped and "nested: no files, only sub-folders" in skipped
    assert "2 loose files" in skipped


def test_discovery_unique_names_and_reserved(tmp_path):
    coll = tmp_path / "c"
    coll.mkdir()
    for n in ("x", "a b", "a-b", "A-B", "batch-report.json", "-.-", ".hidden"):
        (coll / n).mkdir()
        (coll / n / "p.txt").write_text("t\n")
    for z in ("x.zip", "-.zip", "_..zip", "...zip"):
        (coll / z).write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    found = discover_issues(str(coll), reserved={REPORT_NAME})
    names = [i.name for i in found.issues]
    assert len({n.casefold() for n in names}) == len(names), names
    assert REPORT_NAME.casefold() not in {n.casefold() for n in names}
    assert all(re.fullmatch(r"[\w.\-]+", n) and not n.startswith(".") for n in names)
    by_entry = {i.entry: i.name for i in found.issues}
    assert by_entry["x"] == "x" and by_entry["x.zip"] == "x-2"
    assert by_entry["-.-"] == "issue" and by_entry["-.zip"] == "issue-2" and by_entry["_..zip"] == "issue-3"
    assert ".hidden" not in by_entry and "...zip" not in by_entry  # hidden entries are never issues


def test_outroot_equal_to_or_inside_the_collection_is_refused(collection):
    """As `reissue build -o INPUT` is refused: the next run would read the editions as an issue."""
    before = tree(collection)
    for out in (collection / "out", collection, collection / "issue-2" / "ed"):
        r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial", "--force")
        assert r.exit_code == 2, r.output
        assert "reissue: error: " in r.output and "output folder is " in r.output and "collection folder" in r.output
        assert tree(collection) == before  # nothing written, not even OUTROOT


# ----------------------------------------------------------------------------------------------
# building


def test_serial_build_layout_and_editions_equal_single_builds(collection, tmp_path, monkeypatch):
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(["issue-2", "issue-3", "issue-10", REPORT_NAME, MANIFEST_NAME])
    rep = load_report(out)
    for s in rep["issues"]:
        files = sorted(p.name for p in (out / s["issue"]).iterdir())
        assert files == sorted(Path(o).name for o in s["outputs"])
        assert {"edition.json", "edition.txt", "edition.md", "edition.tei.xml"} <= set(files)
        assert all((out / o).is_file() for o in s["outputs"])
    # a folder issue is built exactly as `reissue build issue-2` builds it in the collection folder
    single = tmp_path / "single"
    monkeypatch.chdir(collection)
    write_edition(build_document(["issue-2"], correct=False), str(single))
    assert edition(out, "issue-2") == json.loads((single / "edition.json").read_text(encoding="utf-8"))
    # a zip issue names its pages by the archive's name, not by where the collection lies
    ed3 = edition(out, "issue-3")
    assert [p["source"] for p in ed3["pages"]] == [f"issue-3.zip:page-00{k}.txt" for k in (1, 2, 3)]
    assert str(tmp_path) not in json.dumps(ed3)


def test_report_content(collection, tmp_path):
    out = tmp_path / "out"
    assert run(collection, "-o", out, "--no-correct", "--scheduler", "serial").exit_code == 0
    rep = load_report(out)
    assert rep["format"] == "reissue-batch/1" and rep["scheduler"] == "serial" and rep["exit_code"] == 0
    assert rep["worker_versions"] == [reissue.__version__] and rep["skipped"] == []
    assert rep["options"] == {"correct": False, "threshold": None, "force": False, "lang": "auto", "follow_symlinks": False,
                              "normalize": "ligatures", "mets_use": None}
    issues = rep["issues"]
    assert [s["source"] for s in issues] == ["issue-2", "issue-3.zip", "issue-10"]
    assert [s["kind"] for s in issues] == ["folder", "zip", "folder"]
    for s in issues:
        ed = edition(out, s["issue"])
        assert s["status"] == "ok" and s["error"] is None and s["problems"] == []
        assert s["pages"] == len(ed["pages"]) and s["paragraphs"] == len(ed["paragraphs"])
        assert s["notes"] == len(ed["footnotes"])
        assert s["corrections"] == sum(1 for e in ed["edits"] if e["stage"] == "correct" and e["superseded_by"] is None)
        assert s["title"] == ed["metadata"]["title"] and s["year"] == ed["metadata"]["year"]
        assert isinstance(s["seconds"], float) and s["seconds"] >= 0
    # truth.json next to the pages is noted as skipped, which is not a problem
    assert issues[0]["skipped_files"] and "truth.json" not in json.dumps(issues[1]["skipped_files"])
    assert "(.json)" in issues[0]["skipped_files"][0]
    tot = rep["totals"]
    assert tot["issues"] == 3 and tot["ok"] == 3 and tot["failed"] == tot["problems"] == 0
    for k in ("pages", "paragraphs", "notes", "corrections"):
        assert tot[k] == sum(s[k] for s in issues)


def test_broken_issue_reported_while_others_build(collection, tmp_path):
    (collection / "issue-5").mkdir()
    (collection / "issue-5" / "scan.txt").write_bytes(PNG)
    (collection / "issue-7.zip").write_bytes(b"PK\x03\x04 this is no zip archive")
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 3, r.output
    rep = load_report(out)
    by = {s["issue"]: s for s in rep["issues"]}
    assert [s["issue"] for s in rep["issues"]] == ["issue-2", "issue-3", "issue-5", "issue-7", "issue-10"]
    assert by["issue-7"]["status"] == "failed" and "not a readable ZIP" in by["issue-7"]["error"]
    assert str(collection) not in by["issue-7"]["error"] and "issue-7.zip" in by["issue-7"]["error"]
    bad = by["issue-5"]
    assert bad["status"] == "failed" and bad["error_type"] == "NoPagesError" and bad["exit_code"] == 4
    assert "PNG" in bad["error"] and "\n" not in bad["error"] and bad["outputs"] == []
    assert not (out / "issue-5").exists()
    assert all(by[n]["status"] == "ok" and (out / n / "edition.json").is_file() for n in ("issue-2", "issue-3", "issue-10"))
    assert rep["totals"]["failed"] == 2 and rep["exit_code"] == 3
    assert "issue-5: failed:" in r.output and "PNG" in r.output


def test_issue_with_problems_is_built_and_exit_3(collection, tmp_path):
    (collection / "issue-2" / "page-009.txt").write_bytes(PNG)
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 3, r.output
    s = load_report(out)["issues"][0]
    assert s["status"] == "problems" and s["n_problems"] == 1 and "page-009.txt" in s["problems"][0]
    assert (out / "issue-2" / "edition.json").is_file()
    assert any("page-009.txt" in p for p in edition(out, "issue-2")["problems"])


def test_unexpected_exception_is_one_issue_failure(collection, tmp_path, monkeypatch):
    import reissue.pipeline as pipeline

    real = pipeline.process

    def flaky(doc, **kw):
        if any("issue-3.zip" in p.source for p in doc.pages):
            raise RuntimeError("boom\nsecond line")
        return real(doc, **kw)

    monkeypatch.setattr(pipeline, "process", flaky)
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 3, r.output
    by = {s["issue"]: s for s in load_report(out)["issues"]}
    assert by["issue-3"]["status"] == "failed" and by["issue-3"]["error"] == "RuntimeError: boom second line"
    assert by["issue-3"]["where"].startswith("test_batch.py:")
    assert by["issue-2"]["status"] == by["issue-10"]["status"] == "ok"


def test_none_built_exit_4(tmp_path):
    coll = tmp_path / "c"
    for n in ("a", "b"):
        (coll / n).mkdir(parents=True)
        (coll / n / "x.txt").write_bytes(PNG)
    out = tmp_path / "out"
    r = run(coll, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 4, r.output
    rep = load_report(out)
    assert rep["exit_code"] == 4 and rep["totals"]["failed"] == 2


def test_no_issue_at_all_exit_4_and_nothing_written(tmp_path):
    coll = tmp_path / "c"
    (coll / "empty").mkdir(parents=True)
    (coll / "loose.txt").write_text("x\n")
    out = tmp_path / "out"
    r = run(coll, "-o", out, "--no-correct")
    assert r.exit_code == 4 and "no issue found" in r.output
    assert not out.exists()


def test_usage_errors_exit_2(collection, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = run(collection, "-o", out, "--no-correct")
    assert r.exit_code == 2 and "not empty" in r.output and "--force" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    r = run(collection, "-o", tmp_path / "o2", "--no-correct", "--scheduler", "bogus")
    assert r.exit_code == 2 and "unknown scheduler" in r.output
    r = run(tmp_path / "missing", "-o", tmp_path / "o3", "--no-correct")
    assert r.exit_code == 2 and "not found" in r.output
    monkeypatch.setattr(batch.runners, "have_dask", lambda: False)
    r = run(collection, "-o", tmp_path / "o4", "--no-correct", "--scheduler", "local")
    assert r.exit_code == 2 and "needs Dask" in r.output
    assert not (tmp_path / "o2").exists() and not (tmp_path / "o4").exists()


def test_auto_scheduler_is_serial_without_dask(collection, tmp_path, monkeypatch):
    monkeypatch.setattr(batch.runners, "have_dask", lambda: False)
    out = tmp_path / "out"
    assert run(collection, "-o", out, "--no-correct").exit_code == 0
    assert load_report(out)["scheduler"] == "serial"


def test_auto_scheduler_small_collection_is_serial_large_or_workers_is_local(collection, tmp_path, monkeypatch):
    chosen = []
    monkeypatch.setattr(batch.runners, "have_dask", lambda: True)
    monkeypatch.setattr(batch.runners, "run_serial", lambda tasks, on_done: chosen.append("serial") or
                        [on_done(i, batch.build_issue(t)) for i, t in enumerate(tasks)])
    monkeypatch.setattr(batch.runners, "run_dask", lambda tasks, on_done, **kw: chosen.append(kw["scheduler"]) or
                        [on_done(i, batch.build_issue(t)) for i, t in enumerate(tasks)])
    files = sum(batch.count_files(i) for i in discover_issues(str(collection)).issues)
    assert files == 3 + 3 + 3 + 2  # pages, and truth.json in the two folders
    batch.run_batch(str(collection), str(tmp_path / "a"), correct=False, workers=None)
    batch.run_batch(str(collection), str(tmp_path / "b"), correct=False, workers=2)
    monkeypatch.setitem(batch.AUTO_LOCAL_MIN_FILES, False, files)
    batch.run_batch(str(collection), str(tmp_path / "c"), correct=False, workers=None)
    assert chosen[:2] == ["serial", "local"]
    assert chosen[2] == ("local" if (os.cpu_count() or 1) > 1 else "serial")


def test_missing_correction_model_exit_6_before_any_work(collection, tmp_path, monkeypatch):
    import reissue.correct as correct

    monkeypatch.setattr(correct, "default_model_path", lambda: str(tmp_path / "no-such-model.json.gz"))
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--scheduler", "serial")
    assert r.exit_code == 6 and "model" in r.output and "--no-correct" in r.output
    assert not out.exists()


# ----------------------------------------------------------------------------------------------
# nothing written outside OUTROOT


def test_nothing_written_outside_outroot(tmp_path, synth_issues):
    coll = tmp_path / "coll"
    coll.mkdir()
    # hostile-looking entry names: dots, dashes, spaces, a name that is only dots once .zip is cut
    shutil.copytree(synth_issues / "issue-2", coll / "x..")
    shutil.copytree(synth_issues / "issue-10", coll / " -- spaced  ")
    with zipfile.ZipFile(coll / "-..zip", "w") as zf:
        zf.write(synth_issues / "issue-3" / "page-001.txt", "page-001.txt")
        zf.writestr("../../escape.txt", "an unsafe member\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    # a pre-planted link in OUTROOT where an issue folder will go
    os.symlink(outside, out / "x", target_is_directory=True)
    before = tree(tmp_path, skip=out)
    r = run(coll, "-o", out, "--no-correct", "--scheduler", "serial", "--force")
    assert r.exit_code == 3, r.output
    assert tree(tmp_path, skip=out) == before  # the collection and everything beside OUTROOT unchanged
    assert list(outside.iterdir()) == []
    rep = load_report(out)
    by = {s["source"]: s for s in rep["issues"]}
    assert by["x.."]["issue"] == "x" and by["x.."]["status"] == "failed" and "symbolic link" in by["x.."]["error"]
    assert by[" -- spaced  "]["issue"] == "spaced" and by[" -- spaced  "]["status"] == "ok"
    assert by["-..zip"]["issue"] == "issue" and by["-..zip"]["status"] == "problems"
    assert "unsafe member" in by["-..zip"]["problems"][0]
    for dirpath, _dirs, files in os.walk(out):
        for f in files:
            assert Path(os.path.realpath(os.path.join(dirpath, f))).is_relative_to(out.resolve())


def test_output_folder_that_would_overwrite_the_collection_is_refused(tmp_path, synth_issues):
    base = tmp_path / "base"
    coll = base / "coll"
    coll.mkdir(parents=True)
    shutil.copytree(synth_issues / "issue-2", coll / "coll")  # an issue named like the collection itself
    shutil.copytree(synth_issues / "issue-10", coll / "other")
    before = tree(coll)
    r = run(coll, "-o", base, "--no-correct", "--scheduler", "serial", "--force")
    assert r.exit_code == 3, r.output
    assert tree(coll) == before
    by = {s["issue"]: s for s in load_report(base)["issues"]}
    assert by["coll"]["status"] == "failed" and "overwrite the input" in by["coll"]["error"]
    assert by["other"]["status"] == "ok"


# ----------------------------------------------------------------------------------------------
# index


def test_index_built_editions(collection, tmp_path):
    (collection / "bad").mkdir()
    (collection / "bad" / "x.txt").write_bytes(PNG)
    out = tmp_path / "out"
    db = tmp_path / "lib.sqlite"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial", "--index", db)
    assert r.exit_code == 3, r.output
    ix = load_report(out)["index"]
    assert ix["errors"] == [] and len(ix["indexed"]) == 3 and ix["via"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM editions").fetchone()[0] == 3


def test_index_skipped_with_note_when_module_has_no_api(collection, tmp_path, monkeypatch):
    import reissue.index as ix

    for attr in ("index_editions", "Library", "load_edition_file"):
        monkeypatch.delattr(ix, attr, raising=False)
    out = tmp_path / "out"
    db = tmp_path / "lib.sqlite"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial", "--index", db)
    assert r.exit_code == 0, r.output
    assert "indexing skipped" in load_report(out)["index"]["note"] and "indexing skipped" in r.output
    assert not db.exists()


# ----------------------------------------------------------------------------------------------
# Dask


def _without_timing(rep: dict) -> dict:
    return without_timing(rep, {"scheduler", "workers"})  # a serial and a Dask run compared


def test_local_cluster_equals_serial(collection, tmp_path):
    pytest.importorskip("distributed")
    (collection / "broken").mkdir()
    (collection / "broken" / "x.txt").write_bytes(PNG)
    ser, dsk = tmp_path / "serial", tmp_path / "dask"
    assert run(collection, "-o", ser, "--no-correct", "--scheduler", "serial").exit_code == 3
    r = run(collection, "-o", dsk, "--no-correct", "--scheduler", "local", "--workers", "2")
    assert r.exit_code == 3, r.output
    rs, rd = load_report(ser), load_report(dsk)
    assert rd["scheduler"] == "local" and rd["workers"] == 2
    # built in worker processes, not in this one
    assert all(s["worker"] and s["worker"].rsplit(":", 1)[1] != str(os.getpid()) for s in rd["issues"])
    assert all(s["worker"].rsplit(":", 1)[1] == str(os.getpid()) for s in rs["issues"])
    assert _without_timing(rs) == _without_timing(rd)
    assert _same_but_dates(ser, dsk)


def _same_but_dates(a: Path, b: Path) -> bool:
    """TEI headers carry today's date: compare files with any ISO date masked."""
    ta, tb = tree(a, skip=a / REPORT_NAME), tree(b, skip=b / REPORT_NAME)
    for t in (ta, tb):  # the manifest records timings and workers as the report does
        t.pop(MANIFEST_NAME)
    mask = re.compile(rb"\d{4}-\d{2}-\d{2}")
    return ta.keys() == tb.keys() and all(
        (mask.sub(b"D", ta[k]) if ta[k] else ta[k]) == (mask.sub(b"D", tb[k]) if tb[k] else tb[k]) for k in ta)


def test_existing_scheduler_by_address(collection, tmp_path):
    distributed = pytest.importorskip("distributed")
    import logging

    ser, dsk = tmp_path / "serial", tmp_path / "dask"
    assert run(collection, "-o", ser, "--no-correct", "--scheduler", "serial").exit_code == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        addr = cluster.scheduler_address
        assert addr.startswith("tcp://")
        r = run(collection, "-o", dsk, "--no-correct", "--scheduler", addr)
        assert r.exit_code == 0, r.output
        assert len(cluster.scheduler_info["workers"]) == 1  # the cluster is left running for its owner
    rd = load_report(dsk)
    assert rd["scheduler"] == addr and rd["workers"] == 1
    assert _without_timing(load_report(ser)) == _without_timing(rd)


def test_unreachable_scheduler_exit_2(collection, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(batch.runners, "CONNECT_TIMEOUT", 1)
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert r.exit_code == 2 and "cannot reach the Dask scheduler" in r.output, r.output
    assert not (out / REPORT_NAME).exists()


def test_warns_when_workers_run_another_version(collection, tmp_path, monkeypatch):
    real = batch.build_issue

    def other_version(task):
        s = real(task)
        s["reissue_version"] = "0.0.1"
        return s

    monkeypatch.setattr(batch.worker, "build_issue", other_version)
    out = tmp_path / "out"
    r = run(collection, "-o", out, "--no-correct", "--scheduler", "serial")
    assert r.exit_code == 0, r.output
    assert "built by reissue 0.0.1" in r.output and load_report(out)["worker_versions"] == ["0.0.1"]


def test_cluster_that_cannot_start(collection, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")

    class Broken:
        def __init__(self, *a, **kw):
            raise RuntimeError("Nanny failed to start.")

    monkeypatch.setattr(distributed, "LocalCluster", Broken)
    # asked for explicitly: a one-line error, exit 1, nothing built
    r = run(collection, "-o", tmp_path / "a", "--no-correct", "--scheduler", "local", "--workers", "2")
    assert r.exit_code == 1 and "cannot start a Dask LocalCluster (Nanny failed to start.)" in r.output, r.output
    assert not (tmp_path / "a" / REPORT_NAME).exists()
    # chosen by auto: built serially, with a note
    monkeypatch.setattr(batch.runners, "have_dask", lambda: True)
    r = run(collection, "-o", tmp_path / "b", "--no-correct", "--workers", "2")
    assert r.exit_code == 0, r.output
    rep = load_report(tmp_path / "b")
    assert rep["scheduler"] == "serial" and "built serially instead" in rep["notes"][0]
    assert "note: cannot start a Dask LocalCluster" in r.output


def test_worker_that_dies_on_an_issue_is_that_issue_failing(collection, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    import dask

    def dies_on_issue_3(task):  # defined here, so it travels by value to the worker processes
        import os as _os

        from reissue.batch import build_issue

        if task["issue"] == "issue-3":
            _os._exit(17)  # the worker process dies as on a segfault or the OOM killer
        return build_issue(task)

    monkeypatch.setattr(batch.worker, "build_issue", dies_on_issue_3)
    out = tmp_path / "out"
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        r = run(collection, "-o", out, "--no-correct", "--scheduler", "local", "--workers", "2")
    assert r.exit_code == 3, r.output
    by = {s["issue"]: s for s in load_report(out)["issues"]}
    assert by["issue-3"]["status"] == "failed" and by["issue-3"]["error"].startswith("the worker failed on this issue")
    assert by["issue-3"]["error_type"] == "KilledWorker"
    assert by["issue-2"]["status"] == by["issue-10"]["status"] == "ok"
