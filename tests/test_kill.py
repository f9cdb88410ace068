"""`kill -9` in the middle of `reissue index` (and of `reissue batch`): nothing is lost or half-written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import build_edition, write_edition

CLI = "import sys; from reissue.cli import main; main(sys.argv[1:])"


def reissue_proc(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def wait_then_kill(proc: subprocess.Popen, ready, timeout: float = 300.0) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` holds; fails when it finished first.

    ``proc`` is stopped (SIGSTOP) while ``ready()`` looks at what it wrote and killed while still
    stopped, so it cannot run on between a check that holds and the kill, however long a loaded
    machine keeps this process waiting; it runs on (SIGCONT) only between checks."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"finished (rc {proc.returncode}) before it could be killed midway: "
                        f"{proc.stderr.read().decode(errors='replace')[-500:]}")
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            hit = ready()
        except BaseException:
            os.kill(proc.pid, signal.SIGCONT)
            raise
        if hit:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.02)
    proc.kill()
    pytest.fail("never reached the point to kill it at")


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_kill_9_during_index_leaves_library_intact_and_rerun_completes(tmp_path):
    n_eds, n_pages = 120, 12
    pages = [f"{i + 1}\nPage {i} of a long run of text about the harbour and the fleet.\n\n"
             + "Another paragraph with some words to index on this page. " * 20 + "\n"
             for i in range(n_pages)]
    dirs = []
    for k in range(n_eds):
        ed = build_edition(pages, number=k + 1)
        dirs.append(write_edition(ed, tmp_path / f"ed-{k:03d}"))
    db = tmp_path / "lib.sqlite"
    proc = reissue_proc("index", *dirs, "--db", db, "--no-optimize")
    wait_then_kill(proc, lambda: _count(db, "SELECT count(*) FROM editions") >= 3)
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.execute("INSERT INTO fts(fts) VALUES ('integrity-check')")  # raises when the index is corrupt
    kept = con.execute("SELECT id, page_count, n_paragraphs + n_footnotes FROM editions").fetchall()
    assert 3 <= len(kept) < n_eds, "the kill did not land midway"
    for eid, npages, ntexts in kept:  # every edition that is there is there whole
        assert con.execute("SELECT count(*) FROM pages WHERE edition=?", (eid,)).fetchone()[0] == npages
        assert con.execute("SELECT count(*) FROM texts WHERE edition=?", (eid,)).fetchone()[0] == ntexts > 0
    assert con.execute("SELECT count(DISTINCT edition) FROM pages").fetchone()[0] == len(kept)
    con.close()

    done = subprocess.run([sys.executable, "-c", CLI, "index", *map(str, dirs), "--db", str(db)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM editions").fetchone()[0] == n_eds
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == n_eds * n_pages
    texts = con.execute("SELECT count(*) FROM texts").fetchone()[0]
    assert con.execute("SELECT count(*) FROM fts").fetchone()[0] == texts
    con.close()
