"""Byte-identity check of `reissue build` between this tree and a peer tree (e.g. a worktree of main).

Builds each input with both trees (child processes, each tree's src/ first on the path) and compares
every file the build writes (edition.json/.txt/.md/.tei.xml/.html, the ALTO/PAGE written back, whose
time stamps alone may differ), and the exit status and messages.
Inputs: the real samples (../shared/samples by default) and generated issues of both generators
(the 131-page speed issue among them). Exit status 1 if any output differs.

    .venv/bin/python benchmarks/check_build_identical.py --peer /tmp/main-tree [--correct] [--samples DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _inputs(samples: Path, gen_dir: Path) -> list[tuple[str, list[str]]]:
    out = []
    s = samples
    for name, paths in [
        ("partisan-review", [s / "partisan-review-1939-v6n5"]),
        ("chronam-alto", [s / "chronam-new-york-tribune" / "ocr.xml"]),
        ("chronam-txt", [s / "chronam-new-york-tribune" / "ocr.txt"]),
        ("bl-1832-mets", [s / "bl-liverpool-standard-1832-11-23"]),
        ("bm-1784-alto-gt", [s / "berlinische-monatsschrift-1784-12" / "alto-gt"]),
        ("bm-1784-page-gt", [s / "berlinische-monatsschrift-1784-12" / "page-gt"]),
        ("bm-1784-page-tess", [s / "berlinische-monatsschrift-1784-12" / "page-tesseract"]),
    ]:
        if not all(p.exists() for p in paths):
            raise SystemExit(f"sample {name} not found in {s}")
        out.append((name, [str(p) for p in paths]))
    out += [(p.name, [str(p)]) for p in sorted(gen_dir.iterdir()) if p.is_dir()]
    return out


def _generate(gen_dir: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "devtools"))
    from synth import generate_issue, write_issue
    from synth.alt import generate_alt_issue

    for name, issue in [("gen1-1500-131", generate_issue(1500, 131)), ("gen1-5000", generate_issue(5000, 12)),
                        ("gen1-5001", generate_issue(5001, 12)), ("gen2-9000", generate_alt_issue(9000)),
                        ("gen2-9001", generate_alt_issue(9001))]:
        d = write_issue(issue, gen_dir / name)
        (d / "truth.json").unlink(missing_ok=True)


def _build(src: Path, inputs: list[str], out: Path, correct: bool) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-m", "reissue.cli", "build", *inputs, "-o", str(out), "-q", "--force"]
    if not correct:
        cmd.append("--no-correct")
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return p.returncode, p.stderr


# the write-back files carry the time they were written (ALTO processingDateTime, PAGE Created/LastChange)
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")


def _same(a: Path, b: Path) -> bool:
    if filecmp.cmp(a, b, shallow=False):
        return True
    return a.suffix == ".xml" and _STAMP.sub(b"T", a.read_bytes()) == _STAMP.sub(b"T", b.read_bytes())


def _files(d: Path) -> set[str]:
    return {str(p.relative_to(d)) for p in d.rglob("*") if p.is_file()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", required=True, help="the other tree (a checkout with src/)")
    ap.add_argument("--samples", default=str(ROOT.parent / "shared" / "samples"))
    ap.add_argument("--correct", action="store_true", help="also build with correction (slower)")
    a = ap.parse_args(argv)
    if not Path(a.samples).is_dir():
        print(f"no samples folder {a.samples}: give --samples", file=sys.stderr)
        return 2
    trees = [ROOT / "src", Path(a.peer).resolve() / "src"]
    bad = 0
    with tempfile.TemporaryDirectory(prefix="check-identical-") as tmpd:
        tmp = Path(tmpd)
        gen = tmp / "gen"
        gen.mkdir()
        _generate(gen)
        modes = [False, True] if a.correct else [False]
        for name, inputs in _inputs(Path(a.samples), gen):
            for correct in modes:
                outs = []
                for k, src in enumerate(trees):
                    out = tmp / f"out-{name}-{int(correct)}-{k}"
                    rc, err = _build(src, inputs, out, correct)
                    outs.append((out, rc, err))
                (o1, rc1, e1), (o2, rc2, e2) = outs
                label = f"{name}{' (corrected)' if correct else ''}"
                diffs = []
                if rc1 != rc2 or e1 != e2:
                    diffs.append(f"exit {rc1} vs {rc2} / stderr differs" if e1 != e2 else f"exit {rc1} vs {rc2}")
                f1, f2 = _files(o1) if o1.exists() else set(), _files(o2) if o2.exists() else set()
                if f1 != f2:
                    diffs.append(f"files only here {sorted(f1 - f2)}, only in peer {sorted(f2 - f1)}")
                diffs += [f for f in sorted(f1 & f2) if not _same(o1 / f, o2 / f)]
                n = len(f1)
                print(f"{label:<32} {n:3d} files  " + ("identical" if not diffs else "DIFFERS: " + ", ".join(diffs)))
                bad += bool(diffs)
    print("all identical" if not bad else f"{bad} builds differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
