"""A build without correction of plain-text pages in English imports only what it uses: not ftfy (no
line it might change), not the library (sqlite3), not statistics (no font sizes), not wordfreq nor
msgpack (reflow's words from the shipped compact list). Each was a measurable part of the build's
start-up (bench_structure.py --speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys
from reissue.cli import main
try:
    main(["build", sys.argv[1], "-o", sys.argv[2], "-q", "--no-correct"])
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""


def test_a_plain_text_build_imports_only_what_it_uses(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    prose = ("The committee met on Tuesday • and the hand-\nwritten minutes were read aloud to the mem-\n"
             "bers of the society, who approved them.\n\n") * 6
    for i in range(3):
        (pages / f"page-{i + 1:03d}.txt").write_text(f"{i + 1}\n\n" + prose, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", CHILD, str(pages), str(tmp_path / "out")], capture_output=True,
                         text=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, check=True)
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "reissue.web.static" in mods and "reissue.lang" in mods  # the build ran
    for name in ("ftfy", "wcwidth", "sqlite3", "reissue.index", "statistics", "wordfreq", "msgpack"):
        assert name not in mods, name


def test_correcting_imports_no_training_code():
    """The corrector at run time (issue 14, engine shape) needs none of the training modules: what both
    use (char_rules, caps_word) lives in tokens.py."""
    child = ("import sys, json\nfrom reissue.correct import Corrector\n"
             "Corrector().correct_text('The qnestion is whether tbe people will follow.')\n"
             "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, check=True)
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "reissue.correct.engine" in mods  # the corrector ran
    for name in ("reissue.correct.train", "reissue.correct.vet_train"):
        assert name not in mods, name
