"""`reissue batch` resumes: the manifest, reruns, --force, kill -9 midway; fsspec URLs."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reissue.batch import MANIFEST_NAME, REPORT_NAME, batch_command, run_batch
from synth import generate_issue, write_issue
from reportkit import without_timing
from test_kill import CLI, wait_then_kill

DATE = re.compile(rb"\d{4}-\d{2}-\d{2}")


def run(*args):
    return CliRunner().invoke(batch_command, [str(a) for a in args], catch_exceptions=False)


def editions(root: Path) -> dict[str, bytes]:
    """Every file under OUTROOT but the report and the manifest (TEI dates masked)."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            rel = str(p.relative_to(root))
            if rel not in (REPORT_NAME, MANIFEST_NAME):
                out[rel] = DATE.sub(b"D", p.read_bytes())
    return out


def manifest_lines(root: Path) -> list[dict]:
    lines = (root / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == "reissue-batch-manifest/1"
    return [json.loads(x) for x in lines[1:]]


def strip(rep):
    return without_timing(rep, {"resumed", "collection"})  # a resumed run, or one from a URL, compared


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth-resume")
    for seed in range(1, 5):
        write_issue(generate_issue(seed, 2), root / f"issue-{seed}")
    return root


@pytest.fixture
def coll(tmp_path, synth) -> Path:
    c = tmp_path / "coll"
    shutil.copytree(synth, c)
    with zipfile.ZipFile(c / "issue-9.zip", "w") as zf:
        for p in sorted((synth / "issue-1").glob("page-*.txt")):
            zf.write(p, p.name)
    return c


def test_rerun_skips_finished_redoes_changed_and_force_rebuilds(coll, tmp_path):
    out = tmp_path / "out"
    first = run_batch(str(coll), str(out), scheduler="serial", correct=False)
    assert first["exit_code"] == 0 and first["resumed"] == 0
    recs = manifest_lines(out)
    assert [r["issue"] for r in recs] == ["issue-1", "issue-2", "issue-3", "issue-4", "issue-9"]
    assert all(r["key"]["digest"] and r["key"]["options"] == {"correct": False, "threshold": None} for r in recs)
    before = editions(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.glob("*/edition.json")}

    # unchanged: nothing is built again, same report, same files
    again = run_batch(str(coll), str(out), scheduler="serial", correct=False)
    assert again["resumed"] == 5 and again["totals"]["pages_per_second"] == 0
    assert strip(again) == strip(first)
    assert editions(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/edition.json")} == mtimes
    assert len(manifest_lines(out)) == 5

    # one page changed, one edition deleted, one manifest line torn: those three are built again
    page = sorted((coll / "issue-2").glob("page-*.txt"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    shutil.rmtree(out / "issue-3")
    lines = (out / MANIFEST_NAME).read_bytes().splitlines(keepends=True)
    (out / MANIFEST_NAME).write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])  # issue-9 torn
    third = run_batch(str(coll), str(out), scheduler="serial", correct=False)
    assert third["resumed"] == 2 and third["exit_code"] == 0
    rebuilt = {p.parent.name for p in out.glob("*/edition.json") if p.stat().st_mtime_ns != mtimes.get(p)}
    assert rebuilt == {"issue-2", "issue-3", "issue-9"}
    assert "A line added later." in (out / "issue-2" / "edition.txt").read_text(encoding="utf-8")
    recs = manifest_lines(out)
    assert sorted(r["issue"] for r in recs) == ["issue-1", "issue-2", "issue-3", "issue-4", "issue-9"]

    # other options are another build: all again; --force: all again
    assert run_batch(str(coll), str(out), scheduler="serial", correct=False, threshold=0.9)["resumed"] == 0
    assert run_batch(str(coll), str(out), scheduler="serial", correct=False, threshold=0.9)["resumed"] == 5
    forced = run_batch(str(coll), str(out), scheduler="serial", correct=False, threshold=0.9, force=True)
    assert forced["resumed"] == 0 and len(manifest_lines(out)) == 5


def test_failed_issue_is_not_finished(coll, tmp_path):
    (coll / "broken").mkdir()
    (coll / "broken" / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    out = tmp_path / "out"
    assert run(coll, "-o", out, "--no-correct", "--scheduler", "serial").exit_code == 3
    assert "broken" not in {r["issue"] for r in manifest_lines(out)}
    r = run(coll, "-o", out, "--no-correct", "--scheduler", "serial")  # resumed without --force
    assert r.exit_code == 3 and "5 issue(s) finished by an earlier run" in r.output
    rep = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    assert rep["resumed"] == 5 and [s["issue"] for s in rep["issues"] if s["status"] == "failed"] == ["broken"]


def test_kill_9_midway_then_rerun_gives_identical_output_without_duplicates(tmp_path):
    coll = tmp_path / "coll"
    for seed in range(1, 15):
        write_issue(generate_issue(100 + seed, 2), coll / f"issue-{seed}")
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert run_batch(str(coll), str(ref), scheduler="serial", correct=False)["exit_code"] == 0
    cmd = [sys.executable, "-c", CLI, "batch", str(coll), "-o", str(out), "--no-correct", "--scheduler", "serial", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def some_finished():
        try:
            return len((out / MANIFEST_NAME).read_bytes().splitlines()) >= 4  # the header and 3 issues
        except OSError:
            return False

    wait_then_kill(proc, some_finished)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / REPORT_NAME).exists()
    finished_before = {r["issue"] for r in manifest_lines(out)}
    assert 3 <= len(finished_before) < 14

    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rep = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    assert rep["resumed"] >= len(finished_before)
    assert editions(out) == editions(ref)  # nothing half-written, nothing missing, no stray folder
    recs = manifest_lines(out)
    assert sorted(r["issue"] for r in recs) == sorted(f"issue-{k}" for k in range(1, 15))  # each once
    refrep = json.loads((ref / REPORT_NAME).read_text(encoding="utf-8"))
    assert strip(rep) == strip(refrep)


# ----------------------------------------------------------------------------------------------
# fsspec URLs


def test_memory_urls_in_and_out_equal_local(coll, tmp_path):
    fsspec = pytest.importorskip("fsspec")
    mem = fsspec.filesystem("memory")
    root = f"/reissue-test-{os.getpid()}"
    try:
        for dirpath, _dirs, files in os.walk(coll):
            for f in files:
                rel = Path(dirpath, f).relative_to(coll).as_posix()
                mem.pipe_file(f"{root}/coll/{rel}", Path(dirpath, f).read_bytes())
        local = tmp_path / "local"
        ref = run_batch(str(coll), str(local), scheduler="serial", correct=False)
        r = run(f"memory://{root}/coll", "-o", f"memory://{root}/out", "--no-correct", "--scheduler", "serial")
        assert r.exit_code == 0, r.output
        rep = json.loads(mem.cat_file(f"{root}/out/{REPORT_NAME}"))
        assert strip(rep) == strip(ref)
        for p in local.glob("*/*"):
            got = mem.cat_file(f"{root}/out/{p.parent.name}/{p.name}")
            assert DATE.sub(b"D", got) == DATE.sub(b"D", p.read_bytes()), p
        assert not [p for p in mem.find(f"{root}/out") if "/.reissue-tmp" in p]
        # resumed from the manifest on the store
        again = run_batch(f"memory://{root}/coll", f"memory://{root}/out", scheduler="serial", correct=False)
        assert again["resumed"] == 5
        # indexing editions that lie on the store
        db = tmp_path / "lib.sqlite"
        ix = run_batch(f"memory://{root}/coll", f"memory://{root}/out", scheduler="serial", correct=False,
                       index=str(db))["index"]
        assert ix["errors"] == [] and len(ix["indexed"]) == 5
        r = run(f"memory://{root}/coll", "-o", f"memory://{root}/o2", "--no-correct", "--scheduler", "local")
        assert r.exit_code == 2 and "worker processes do not share" in r.output
    finally:
        if mem.exists(root):
            mem.rm(root, recursive=True)


def test_fsspec_staging_left_by_kill_9_is_swept_by_the_next_run(coll, tmp_path, monkeypatch):
    """A worker killed while building an issue for an fsspec store leaves its local staging folder;
    the next run removes it, but not a folder a live batch is using (its lock is held)."""
    fsspec = pytest.importorskip("fsspec")
    import tempfile

    from reissue.batch import storage

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    env = {**os.environ, "TMPDIR": str(tmp)}
    code = ("import os; from reissue.batch import storage; s = storage.Staging(storage.STAGING_PREFIX); "
            "open(os.path.join(s.path, 'edition.json'), 'w').write('half'); print(s.path, flush=True); "
            "os.kill(os.getpid(), 9)")
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert p.returncode == -signal.SIGKILL, p.stderr
    killed = Path(p.stdout.strip())
    assert killed.is_dir() and killed.parent == Path(storage._staging_root())
    live = storage.Staging(storage.FETCH_PREFIX)  # another batch's, in use
    root = f"/reissue-staging-test-{os.getpid()}"
    mem = fsspec.filesystem("memory")
    try:
        rep = run_batch(str(coll), f"memory://{root}/out", scheduler="serial", correct=False)
        assert rep["exit_code"] == 0
        assert not killed.exists()
        assert sorted(os.listdir(storage._staging_root())) == [os.path.basename(live.path)]
    finally:
        live.remove()
        if mem.exists(root):
            mem.rm(root, recursive=True)
    assert os.listdir(storage._staging_root()) == []


def test_file_url_root_with_plain_processes(coll, tmp_path):
    pytest.importorskip("fsspec")
    ref = run_batch(str(coll), str(tmp_path / "ref"), scheduler="serial", correct=False)
    out = tmp_path / "out"
    rep = run_batch(coll.as_uri(), out.as_uri(), scheduler="processes", workers=2, correct=False)
    assert rep["scheduler"] == "processes" and rep["exit_code"] == 0
    assert strip(rep) == {**strip(ref), "scheduler": "processes", "workers": 2}
    assert editions(out) == editions(tmp_path / "ref")


def test_unknown_url_protocol_is_one_line(tmp_path):
    pytest.importorskip("fsspec")
    r = run("nosuchproto://x/y", "-o", tmp_path / "o", "--no-correct")
    assert r.exit_code == 2 and "cannot open nosuchproto://x/y" in r.output


def _dies_on_issue_3(task):  # module level: the process pool pickles it by name
    from reissue.batch import worker

    if task["issue"] == "issue-3":
        os._exit(17)  # the worker process dies as on a segfault or the OOM killer
    return worker.base_summary(task) | {"status": "ok", "reissue_version": "x"}


def test_plain_process_that_dies_fails_only_what_was_in_flight(coll, tmp_path, monkeypatch):
    from reissue import batch

    monkeypatch.setattr(batch.runners, "IN_FLIGHT_PER_WORKER", 1)
    monkeypatch.setattr(batch.worker, "build_issue", _dies_on_issue_3)
    rep = run_batch(str(coll), str(tmp_path / "out"), scheduler="processes", workers=1, correct=False)
    by = {s["issue"]: s for s in rep["issues"]}
    assert by["issue-3"]["status"] == "failed" and by["issue-3"]["error"].startswith("the worker failed on this issue")
    assert [k for k, s in by.items() if s["status"] == "ok"] == ["issue-1", "issue-2", "issue-4", "issue-9"]


def test_report_written_as_encoded_is_json_dumps_and_summaries_share_their_keys(tmp_path):
    """The report (every issue's summary) is written as it is encoded: the bytes of json.dumps; the
    driver keeps each summary with the keys (and repeated values) of every other one."""
    import pickle

    from reissue.batch.reporting import write_report
    from reissue.batch.worker import base_summary, shared_summary

    task = {"issue": "issue-1", "entry": "issue-1", "kind": "folder"}
    sums = [shared_summary(pickle.loads(pickle.dumps(dict(base_summary(dict(task, issue=f"i-{n}")), status="ok"))))
            for n in range(2000)]
    a, b = sums[0], sums[1]
    assert all(ka is kb for ka, kb in zip(a, b)) and a["status"] is b["status"]
    report = {"format": "x", "issues": sums, "notes": ["é \u2028"]}
    write_report(str(tmp_path), report)
    data = (tmp_path / REPORT_NAME).read_bytes()
    assert len(data) > 1 << 17  # several pieces
    assert data == (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
