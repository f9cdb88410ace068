#!/usr/bin/env python
"""The corrector's speed in this checkout against another one, the two taking turns document by document.

``bench_correct.py --versus`` runs each checkout over whole splits in fresh processes, one after the other: on
a shared machine the load changes between two runs, and its rounds' ratios spread from x0.7 to x1.5 (stop 47).
Here both checkouts are loaded once, each in a process of its own, and the documents are corrected in turns,
this one first at even documents of even repeats, so both see the same moments of the machine: the ratios of
repeats stay within a few percent. Its words per CPU second are lower than those of a run alone (the two
processes take turns in the processor's caches, and the corrector's lookups wait on memory): read the ratio.

Each repeat corrects every document once, from caches as empty as after loading (each process forks a child
per repeat, which corrects the documents and exits): what a fresh run pays for a word form it has not met,
and for the first document, is paid in every repeat. The time is CPU time of the correction calls only, as
``bench_correct.py`` measures it (the same path as ``reissue correct --hipe``: ``build_reissue``). Needs
``os.fork`` (Linux, macOS).

    .venv/bin/python benchmarks/bench_speed_ab.py ../peer                  # English dev splits, 3 repeats
    .venv/bin/python benchmarks/bench_speed_ab.py ../peer --reps 5 --splits overproof-dev
    .venv/bin/python benchmarks/bench_speed_ab.py . --params '{"fallback": false}'   # what a setting costs

``--params`` / ``--that-params`` change decoding parameters (``Params.replace``) of this checkout's / the other's
corrector after loading its shipped model; with them the other checkout may be this one (``.``). A parameter read
when the model is built (``lm_weights``, the lexicon's) does not take effect this way.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench_correct import LANG_SPLITS, REPO, default_data, load_split

# a server of one checkout: its reissue (its src first on the path), the documents of the splits; per repeat a
# forked child corrects the documents it is asked for and answers each with its CPU seconds
_SERVER = """import json, os, sys, time
root, bench, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path[:0] = [root + "/src", bench]
from pathlib import Path
import reissue, bench_correct
assert reissue.__file__.startswith(root), reissue.__file__
model = None
if args.get("params"):  # decoding parameters of this side changed (--params / --that-params)
    from reissue.correct.model import load_model, model_path_for
    model = load_model(model_path_for(args["lang"]))
    model.params = model.params.replace(**args["params"])
correct = bench_correct.build_reissue(None, args["lang"], model)
docs = [(r["ocr_hypothesis"]["transcription_unit"], r.get("document_metadata"))
        for s in args["splits"] for r in bench_correct.load_split(Path(args["data"]), s, args["limit"])]
print("ready", len(docs), flush=True)
for line in sys.stdin:
    if line.strip() != "fork":
        break
    pid = os.fork()
    if pid == 0:
        print("forked", flush=True)  # (nothing more is sent before: the parent's buffer holds no line of the child's)
        for ask in sys.stdin:
            if ask.strip() == "end":
                os._exit(0)
            k = int(ask)
            c = time.process_time()
            correct(*docs[k])
            print(time.process_time() - c, flush=True)
    os.waitpid(pid, 0)
    print("done", flush=True)
"""


def _server(root: Path, args, params: dict) -> subprocess.Popen:
    child = {"data": str(args.data), "splits": args.splits, "lang": args.lang, "limit": args.limit, "params": params}
    return subprocess.Popen([sys.executable, "-c", _SERVER, str(root), str(Path(__file__).resolve().parent),
                             json.dumps(child)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _ask(p: subprocess.Popen, line: str) -> str:
    p.stdin.write(line + "\n")
    p.stdin.flush()
    return p.stdout.readline().strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("that", type=Path, help="the other checkout (its repository root)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--splits", nargs="+", default=None)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=None, help="documents per split")
    ap.add_argument("--params", type=json.loads, default={},
                    help="JSON object of decoding parameters changed in this checkout's corrector")
    ap.add_argument("--that-params", type=json.loads, default={},
                    help="... in the other checkout's (with --params, THAT may be this same checkout: what a setting costs)")
    args = ap.parse_args(argv)
    args.splits = args.splits or list(LANG_SPLITS[args.lang])
    args.data = args.data or default_data(args.lang)
    recs = {s: load_split(args.data, s, args.limit) for s in args.splits}
    words = [len(r["ocr_hypothesis"]["transcription_unit"].split()) for s in args.splits for r in recs[s]]
    bounds, at = [], 0
    for s in args.splits:
        bounds.append((s, at, at + len(recs[s])))
        at += len(recs[s])
    roots = [REPO, args.that.resolve()]
    servers = [_server(r, args, ps) for r, ps in zip(roots, (args.params, args.that_params))]
    try:
        for p, r in zip(servers, roots):
            got = p.stdout.readline().split()
            if got[:1] != ["ready"] or int(got[1]) != len(words):
                raise SystemExit(f"{r}: its server did not start ({' '.join(got) or 'no answer'})")
        per_rep: list[list[dict]] = [[], []]
        for rep in range(args.reps):
            for p in servers:
                if _ask(p, "fork") != "forked":
                    raise SystemExit("a server did not fork")
            cpu = [[0.0] * len(words), [0.0] * len(words)]
            for k in range(len(words)):
                for side in ((0, 1) if (k + rep) % 2 == 0 else (1, 0)):
                    cpu[side][k] = float(_ask(servers[side], str(k)))
            for p in servers:
                if _ask(p, "end") != "done":
                    raise SystemExit("a server did not finish its repeat")
            for side in (0, 1):
                per_rep[side].append({s: sum(cpu[side][i:j]) for s, i, j in bounds})
            print(f"repeat {rep + 1}: " + ", ".join(f"{s} x{per_rep[1][-1][s] / per_rep[0][-1][s]:.3f}"
                                                   for s, _i, _j in bounds), flush=True)
    finally:
        for p in servers:
            try:
                p.stdin.write("quit\n")
                p.stdin.close()
            except OSError:
                pass
            p.wait()
    print(f"words per CPU second, median of {args.reps} repeats: this ({roots[0]}) / that ({roots[1]}); "
          "ratio > 1: this one is faster")
    for s, i, j in bounds:
        n = sum(words[i:j])
        a, b = [x[s] for x in per_rep[0]], [x[s] for x in per_rep[1]]
        ratios = [y / x for x, y in zip(a, b)]
        print(f"{s:24s} {n / statistics.median(a):9,.0f} {n / statistics.median(b):9,.0f}  "
              f"x{statistics.median(ratios):.3f} (repeats: {' '.join(f'{x:.3f}' for x in ratios)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
