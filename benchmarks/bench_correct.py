#!/usr/bin/env python
"""OCR correction benchmark on the HIPE-OCRepair dev splits of one language (``--lang en|fr|de``).

For each dev split it runs several correction systems over every document's OCR text and
scores the outputs with :mod:`reissue.evaluate` (the re-implementation of the official
HIPE-OCRepair scorer; ``--check-official`` also scores them with ``hipe_ocrepair_scorer``):

* ``no correction``: the OCR text as is (the baseline every other row is compared with);
* ``symspellpy lookup``: the classic dictionary baseline - every word (run of letters) that is
  not in symspellpy's bundled English frequency dictionary is replaced by its best ``lookup``
  suggestion (max edit distance 2, ``Verbosity.TOP``), case and punctuation kept;
* ``symspellpy lookup_compound`` (only with ``--systems ...,compound``: slow, ~300 words/s):
  symspellpy's line-by-line compound correction (splits and joins words too; output lower-case
  without punctuation, which the scorer ignores anyway);
* ``reissue``: ``reissue.correct.Corrector(threshold=...).correct_text`` with the shipped model of
  the language (``--model`` another), the same path as ``reissue correct --hipe`` (``n/a`` when
  that module cannot be imported).

For ``reissue`` it also reports the **clean-text damage**: the ground truth of every document is
fed to the corrector as if it were the OCR, and the cMER micro of its output against that same
ground truth is the share of characters it damaged (0 = left clean text alone).

Each system runs in its own fresh Python process (so its peak RSS, from
``resource.getrusage``, is its own). Words per second = OCR words (whitespace-separated) of
the split divided by the time spent in the correction calls only (also per CPU second); model /
dictionary loading is timed separately, in wall and CPU seconds (on a shared machine, compare the
systems' load times within one run, not across runs). reissue's load includes its context model (and
numpy's import), which it would otherwise load at its first proposal (``Corrector.preload``, since
2026-12-04); the words per CPU second are those once everything is loaded. What stays in the timed calls
is what a long run makes once per word form (its candidate search and scores: a split read alone in a
fresh process goes slower than after another one, ``--splits``).

    .venv/bin/python benchmarks/bench_correct.py                     # English: all splits, default systems
    .venv/bin/python benchmarks/bench_correct.py --lang de           # German dev splits, none vs reissue
    .venv/bin/python benchmarks/bench_correct.py --lang de --unseen-books   # + dta19 on books not in train
    .venv/bin/python benchmarks/bench_correct.py --limit 20 --systems none,lookup
    .venv/bin/python benchmarks/bench_correct.py --json out.json --check-official
    .venv/bin/python benchmarks/bench_correct.py --versus ../peer --rounds 3   # speed: this tree / that one
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

LANG_SPLITS = {
    "en": ("icdar2017-dev", "overproof-dev", "impresso-snippets-dev"),
    "fr": ("icdar2017-dev", "impresso-snippets-dev"),
    "de": ("dta19-l0-dev", "dta19-l1-dev", "dta19-l2-dev", "impresso-snippets-dev", "impresso-nzz-dev"),
}
SPLITS = LANG_SPLITS["en"]
SYSTEMS = {
    "none": "no correction",
    "lookup": "symspellpy lookup",
    "compound": "symspellpy lookup_compound",
    "reissue": "reissue",
}


def default_data(lang: str = "en") -> Path:
    for c in (REPO.parent / f"shared/data/hipe-{lang}", REPO / f"shared/data/hipe-{lang}"):
        if (c / f"{LANG_SPLITS[lang][0]}.jsonl").is_file():
            return c
    return REPO.parent / f"shared/data/hipe-{lang}"


# ------------------------------------------------------------------------------ systems
# Each builder returns a function text -> corrected text; building it is the "load" step.


def build_none(threshold):
    return lambda text: text


def _symspell(bigrams: bool = False):
    from importlib.resources import files

    from symspellpy import SymSpell

    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    sym.load_dictionary(str(files("symspellpy") / "frequency_dictionary_en_82_765.txt"), term_index=0,
                        count_index=1)
    if bigrams:
        sym.load_bigram_dictionary(str(files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt"),
                                   term_index=0, count_index=2)
    return sym


_LETTERS = re.compile(r"[^\W\d_]+")


def build_lookup(threshold):
    from symspellpy import Verbosity

    sym = _symspell()
    words = sym.words
    cache: dict[str, str] = {}

    def fix(m: re.Match) -> str:
        w = m.group()
        if len(w) < 2:
            return w
        got = cache.get(w)
        if got is None:
            if w.lower() in words:
                got = w
            else:
                sugg = sym.lookup(w, Verbosity.TOP, max_edit_distance=2, transfer_casing=True)
                got = sugg[0].term if sugg else w
            cache[w] = got
        return got

    return lambda text: _LETTERS.sub(fix, text)


def build_compound(threshold):
    sym = _symspell(bigrams=True)

    def correct(text: str) -> str:
        out = []
        for line in text.split("\n"):
            if line.strip():
                sugg = sym.lookup_compound(line, max_edit_distance=2, ignore_non_words=True)
                out.append(sugg[0].term if sugg else line)
            else:
                out.append(line)
        return "\n".join(out)

    return correct


def build_reissue(threshold, lang="en", model=None):
    from importlib.resources import files

    from reissue.correct import Corrector  # may not exist yet: the caller reports "n/a"

    if model is None:
        model = str(files("reissue") / "data" / f"correct-model-{lang}.json.gz")
    # loaded whole before the timing of the corrections starts: the context model (and numpy), which
    # the first proposal would load, counts in the load, not in the first split's words per CPU second
    corrector = Corrector(model, threshold=threshold)
    if hasattr(corrector, "preload"):  # (a tree of before it, --versus)
        corrector.preload()

    from reissue.correct.hipe import correct_hipe_text

    def correct(text: str, meta: dict | None = None) -> str:
        # the same path as `reissue correct --hipe`: corrections, then line-end hyphens written the
        # way the ground truth writes them
        return correct_hipe_text(corrector, text,
                                 whitespace_normalised=bool((meta or {}).get("whitespace_normalised")))

    return correct


DEFAULT_SYSTEMS = "none,lookup,reissue"

BUILDERS = {"none": build_none, "lookup": build_lookup, "compound": build_compound, "reissue": build_reissue}


# ------------------------------------------------------------------------------ worker


def load_split(data: Path, split: str, limit: int | None) -> list[dict]:
    from reissue.evaluate import load_jsonl

    return list(load_jsonl(data / f"{split}.jsonl"))[:limit]


def unseen_books(data: Path, records: dict[str, list[dict]]) -> dict[str, list[int]]:
    """For each dta19 dev split: the indices of its records whose book (``publication_title``) has no
    page in any dta19 train file (the data README: 7 dev books also have pages in train)."""
    seen = set()
    for f in sorted(data.glob("dta19-*-train.jsonl")):
        for rec in load_split(data, f.stem, None):
            seen.add((rec.get("document_metadata") or {}).get("publication_title"))
    out = {}
    for split, recs in records.items():
        if split.startswith("dta19"):
            out[split] = [i for i, r in enumerate(recs)
                          if (r.get("document_metadata") or {}).get("publication_title") not in seen]
    return out


def run_system(system: str, data: str, splits: list[str], limit: int | None, threshold, lang: str = "en",
               model: str | None = None) -> dict:
    """Runs in a fresh process: load the data, build the system, correct every document (reissue:
    also every document's ground truth, for the clean-text damage; not timed)."""
    data = Path(data)
    records = {s: load_split(data, s, limit) for s in splits}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    c0 = time.process_time()
    try:
        correct = (build_reissue(threshold, lang, model) if system == "reissue" else BUILDERS[system](threshold))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return {"system": system, "error": f"{type(exc).__name__}: {exc}"}
    load_s = time.perf_counter() - t0
    result = {"system": system, "load_s": load_s, "load_cpu_s": time.process_time() - c0, "splits": {}}
    for split, recs in records.items():
        outputs, seconds, cpu, words = [], 0.0, 0.0, 0
        for rec in recs:
            text = rec["ocr_hypothesis"]["transcription_unit"]
            words += len(text.split())
            t = time.perf_counter()
            c = time.process_time()
            out = correct(text, rec.get("document_metadata")) if system == "reissue" else correct(text)
            seconds += time.perf_counter() - t
            cpu += time.process_time() - c
            outputs.append(out)
        result["splits"][split] = {"outputs": outputs, "seconds": seconds, "cpu_seconds": cpu, "words": words}
        if system == "reissue":
            result["splits"][split]["clean_outputs"] = [correct(rec["ground_truth"]["transcription_unit"], None)
                                                         for rec in recs]
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_before_load_mb"] = rss_before / 1024
    return result


def run_isolated(system: str, args) -> dict:
    if args.in_process:
        return run_system(system, str(args.data), args.splits, args.limit, args.threshold, args.lang, args.model)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(run_system, (system, str(args.data), args.splits, args.limit, args.threshold, args.lang,
                                       args.model))


# ------------------------------------------------------------------------------ scoring


def score(records: list[dict], outputs: list[str], check_official: bool) -> dict:
    from reissue.evaluate import score_records
    from reissue.evaluate_metrics import DRAWS, cmer_change

    recs = []
    for rec, out in zip(records, outputs):
        r = dict(rec)
        r["ocr_postcorrection_output"] = {"transcription_unit": out}
        recs.append(r)
    res = score_records(recs, draws=DRAWS)["averaged"]  # one split = one dataset
    # the change against no correction, and how sure it is: a bootstrap interval over the split's documents
    # (evaluate_metrics.change_interval)
    change = cmer_change(res)
    res["cmer_change"] = 0.0 if change is None else change
    ci = res.pop("cmer_change_interval", None)
    res["cmer_change_95"] = "-" if ci is None else f"{100 * ci[0]:+.1f}..{100 * ci[1]:+.1f}%"
    if check_official:
        import copy
        import io
        import contextlib

        from hipe_ocrepair_scorer import Evaluation

        with contextlib.redirect_stderr(io.StringIO()):
            off = Evaluation(copy.deepcopy(recs)).score_over_datasets(normalize=True)["averaged_scores"]
        res["official_max_abs_diff"] = max(abs(off[k][0] - res[k]) for k in off)
    return res


# the columns that say nothing of no correction (its speed, its change against itself)
NOT_OF_NONE = ("words_per_s", "words_per_cpu_s", "cmer_change", "cmer_change_95")

COLUMNS = (
    ("cMER micro", "cmer_micro", "{:.4f}"),
    ("change", "cmer_change", "{:+.2%}"),
    ("95% interval", "cmer_change_95", "{}"),
    ("wMER micro", "wmer_micro", "{:.4f}"),
    ("cMER macro", "cmer_macro", "{:.4f}"),
    ("pref", "pref_score_cmer_macro", "{:+.3f}"),
    ("improved", "improved", "{}"),
    ("damaged", "damaged", "{}"),
    ("words/s", "words_per_s", "{:,.0f}"),
    ("clean damage", "clean_damage_cmer", "{:.5f}"),
    ("words/CPU-s", "words_per_cpu_s", "{:,.0f}"),
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", choices=sorted(LANG_SPLITS), default="en",
                    help="language: its dev splits, data folder and shipped model (default en)")
    ap.add_argument("--data", type=Path, default=None, help="folder with the hipe-<lang> JSONL files "
                    "(default: ../shared/data/hipe-<lang> relative to the repository root)")
    ap.add_argument("--splits", default=None, help="comma-separated split names (default: the dev splits)")
    ap.add_argument("--model", default=None, help="reissue: this model file instead of the shipped one")
    ap.add_argument("--systems", default=None,
                    help=f"comma-separated, of {','.join(SYSTEMS)} (default {DEFAULT_SYSTEMS} in English, "
                    "none,reissue otherwise: symspellpy is English only; compound is slow: about 300 words/s)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents of each split")
    ap.add_argument("--threshold", type=float, default=None, help="reissue Corrector threshold")
    ap.add_argument("--json", type=Path, default=None, help="also write all numbers to this JSON file")
    ap.add_argument("--check-official", action="store_true",
                    help="also score with hipe_ocrepair_scorer and report the largest difference")
    ap.add_argument("--unseen-books", action="store_true",
                    help="German: also score the dta19 dev splits on the books that have no page in any dta19 "
                    "train file (publication_title), as extra rows '<split> unseen books'")
    ap.add_argument("--in-process", action="store_true",
                    help="run every system in this process (peak RSS is then cumulative)")
    ap.add_argument("--versus", type=Path, default=None,
                    help="speed only: reissue's words per CPU second with this checkout (repository root) and "
                    "with another, in alternating fresh processes (--rounds), and their ratio")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of --versus (default 3)")
    ap.add_argument("--speed-rounds", type=int, default=0, metavar="N",
                    help="speed only: each of the systems but none and compound in N fresh processes, taking turns; "
                    "per split their words per CPU second, the fastest and the median round, and reissue's ratio to "
                    "symspellpy lookup (on a shared machine another process only ever adds time: the fastest round "
                    "is the nearest to the code's own cost, as timeit advises)")
    args = ap.parse_args(argv)
    args.data = args.data or default_data(args.lang)
    args.splits = args.splits or ",".join(LANG_SPLITS[args.lang])
    args.systems = args.systems or (DEFAULT_SYSTEMS if args.lang == "en" else "none,reissue")
    if args.check_official:
        try:
            import hipe_ocrepair_scorer  # noqa: F401
        except Exception as exc:  # noqa: BLE001
            print(f"--check-official ignored: hipe_ocrepair_scorer is not importable ({exc})")
            args.check_official = False
    args.splits = [s for s in args.splits.split(",") if s]
    systems = [s for s in args.systems.split(",") if s]
    for s in systems:
        if s not in SYSTEMS:
            ap.error(f"unknown system {s!r} (choose from {', '.join(SYSTEMS)})")
    for s in args.splits:
        if not (args.data / f"{s}.jsonl").is_file():
            ap.error(f"{args.data / (s + '.jsonl')} not found (use --data)")

    if args.versus is not None:
        return versus(args)
    if args.speed_rounds:
        return speed_rounds(args, [s for s in systems if s not in ("none", "compound")])
    records = {s: load_split(args.data, s, args.limit) for s in args.splits}
    unseen = unseen_books(args.data, records) if args.unseen_books else {}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; data: {args.data}"
          + (f"; first {args.limit} docs per split" if args.limit else ""), flush=True)

    report = {"lang": args.lang, "model": args.model, "data": str(args.data), "limit": args.limit, "threshold": args.threshold,
              "in_process": args.in_process, "systems": {}}
    for system in systems:
        t = time.perf_counter()
        res = run_isolated(system, args)
        if "error" in res:
            print(f"{SYSTEMS[system]}: n/a ({res['error']})", flush=True)
            report["systems"][system] = {"label": SYSTEMS[system], "error": res["error"]}
            continue
        entry = {"label": SYSTEMS[system], "load_s": res["load_s"], "load_cpu_s": res["load_cpu_s"],
                 "peak_rss_mb": res["peak_rss_mb"],
                 "splits": {}}
        for split, out in res["splits"].items():
            sc = score(records[split], out["outputs"], args.check_official)
            sc["words"] = out["words"]
            sc["correct_s"] = out["seconds"]
            sc["words_per_s"] = out["words"] / out["seconds"] if out["seconds"] > 0 else float("inf")
            cpu = out.get("cpu_seconds", 0.0)
            sc["words_per_cpu_s"] = out["words"] / cpu if cpu > 0 else float("inf")
            if "clean_outputs" in out:
                clean = [dict(r, ocr_hypothesis={"transcription_unit": r["ground_truth"]["transcription_unit"]})
                         for r in records[split]]
                sc["clean_damage_cmer"] = score(clean, out["clean_outputs"], False)["cmer_micro"]
            entry["splits"][split] = sc
            if split in unseen:
                keep = unseen[split]
                sub = score([records[split][i] for i in keep], [out["outputs"][i] for i in keep], False)
                if "clean_outputs" in out:
                    clean = [dict(records[split][i], ocr_hypothesis={
                        "transcription_unit": records[split][i]["ground_truth"]["transcription_unit"]}) for i in keep]
                    sub["clean_damage_cmer"] = score(clean, [out["clean_outputs"][i] for i in keep], False)["cmer_micro"]
                sub["docs"] = len(keep)
                entry["splits"][f"{split} unseen books"] = sub
        keys = ("cmer_micro", "wmer_micro", "cmer_macro", "wmer_macro", "pref_score_cmer_macro")
        whole = [v for k, v in entry["splits"].items() if k in records]
        entry["mean_over_splits"] = {k: sum(v[k] for v in whole) / len(whole) for k in keys}
        report["systems"][system] = entry
        print(f"{SYSTEMS[system]}: load {res['load_s']:.2f} s, peak RSS {res['peak_rss_mb']:.0f} MB, "
              f"run {time.perf_counter() - t:.1f} s", flush=True)

    print_tables(report, args.splits + [f"{s} unseen books" for s in args.splits if s in unseen])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


# ------------------------------------------------------------------------------ --versus

# a child of --versus: reissue of the checkout argv[1] (its src first on the path; this file's own src is
# put last, so that importing this module does not put it first), run as run_system runs it
_CHILD = """import json, sys
root, bench, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path[:0] = [root + "/src", bench]
sys.path.append(args.pop("own_src"))
import reissue, bench_correct
res = bench_correct.run_system("reissue", **args)
print(json.dumps({"tree": reissue.__file__, "error": res.get("error"),
                  "splits": {k: [v["words"], v["cpu_seconds"]] for k, v in res.get("splits", {}).items()}}))
"""


def versus(args) -> int:
    """reissue's words per CPU second with this checkout and with ``args.versus``, in fresh processes,
    alternating (this one first in odd rounds), and per split the median of the rounds' ratios."""
    import statistics
    import subprocess

    roots = [REPO, args.versus.resolve()]
    child = {"data": str(args.data), "splits": args.splits, "limit": args.limit, "threshold": args.threshold,
             "lang": args.lang, "model": args.model, "own_src": str(REPO / "src")}
    got: list[list[dict]] = [[], []]
    for r in range(args.rounds):
        for k in ((0, 1) if r % 2 == 0 else (1, 0)):
            out = subprocess.run([sys.executable, "-c", _CHILD, str(roots[k]), str(Path(__file__).resolve().parent),
                                  json.dumps(child)], capture_output=True, text=True, check=True).stdout
            res = json.loads(out.strip().splitlines()[-1])
            if res["error"]:
                raise SystemExit(f"{roots[k]}: {res['error']}")
            if not res["tree"].startswith(str(roots[k])):
                raise SystemExit(f"{roots[k]}: its reissue was not the one imported ({res['tree']})")
            got[k].append({s: w / c for s, (w, c) in res["splits"].items()})
            print(f"round {r + 1} {roots[k]}: " + ", ".join(f"{s} {v:,.0f}" for s, v in got[k][-1].items()), flush=True)
    print(f"words per CPU second, median of {args.rounds} rounds: this ({REPO}) / that ({roots[1]})")
    for s in args.splits:
        a, b = [x[s] for x in got[0]], [x[s] for x in got[1]]
        ratios = [x / y for x, y in zip(a, b)]
        print(f"{s:24s} {statistics.median(a):9,.0f} {statistics.median(b):9,.0f}  x{statistics.median(ratios):.3f} "
              f"(rounds: {' '.join(f'{x:.2f}' for x in ratios)})")
    return 0


def speed_rounds(args, systems: list[str]) -> int:
    """Words per CPU second of each system in ``args.speed_rounds`` fresh processes each, the systems
    taking turns (the order reversed every other round); per split the fastest and the median round of
    each, and reissue's ratio to symspellpy lookup: of the fastest rounds, and the median of the rounds'
    own ratios (each round's two runs were made one after the other)."""
    import statistics

    got: dict[str, list[dict]] = {s: [] for s in systems}
    for r in range(args.speed_rounds):
        for system in (systems if r % 2 == 0 else systems[::-1]):
            res = run_isolated(system, args)
            if "error" in res:
                raise SystemExit(f"{SYSTEMS[system]}: {res['error']}")
            got[system].append({s: v["words"] / v["cpu_seconds"] for s, v in res["splits"].items()})
            print(f"round {r + 1} {system}: " + ", ".join(f"{s} {v:,.0f}" for s, v in got[system][-1].items()),
                  flush=True)
    print(f"words per CPU second in {args.speed_rounds} rounds: fastest / median")
    for s in args.splits:
        cells = []
        for system in systems:
            v = [x[s] for x in got[system]]
            cells.append(f"{system} {max(v):,.0f} / {statistics.median(v):,.0f}")
        if "reissue" in got and "lookup" in got:
            a, b = [x[s] for x in got["reissue"]], [x[s] for x in got["lookup"]]
            ratios = [x / y for x, y in zip(a, b)]
            cells.append(f"reissue / lookup: fastest x{max(a) / max(b):.3f}, median of rounds x{statistics.median(ratios):.3f}")
        print(f"{s:24s} " + "; ".join(cells))
    return 0


def print_tables(report: dict, splits: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(170, Console().width))
    for split in splits + ["mean over splits"]:
        docs = next((e["splits"][split].get("docs") for e in report["systems"].values()
                     if split in e.get("splits", {})), None)
        table = Table(title=split + (f" ({docs} documents)" if docs is not None else ""), title_justify="left")
        table.add_column("system")
        cols = COLUMNS if split != "mean over splits" else (
            ("cMER micro", "cmer_micro", "{:.4f}"), ("wMER micro", "wmer_micro", "{:.4f}"),
            ("cMER macro", "cmer_macro", "{:.4f}"), ("pref", "pref_score_cmer_macro", "{:+.3f}"))
        for label, _k, _f in cols:
            table.add_column(label, justify="right")
        check = any("official_max_abs_diff" in e.get("splits", {}).get(split, {})
                    for e in report["systems"].values())
        if check:
            table.add_column("|official diff|", justify="right")
        for entry in report["systems"].values():
            if "error" in entry:
                table.add_row(entry["label"], *["n/a"] * (len(cols) + check))
                continue
            sc = entry["mean_over_splits"] if split == "mean over splits" else entry["splits"][split]
            row = [("-" if k not in sc or (k in NOT_OF_NONE and entry["label"] == SYSTEMS["none"])
                    else f.format(sc[k])) for _l, k, f in cols]
            if check:
                row.append(f"{sc['official_max_abs_diff']:.1e}" if "official_max_abs_diff" in sc else "")
            table.add_row(entry["label"], *row)
        console.print(table)
    where = "all systems in one process" if report.get("in_process") else "one process per system"
    table = Table(title=f"resources ({where})", title_justify="left")
    for c in ("system", "load s", "load CPU s", "peak RSS MB"):
        table.add_column(c, justify="right" if c != "system" else "left")
    for entry in report["systems"].values():
        if "error" not in entry:
            table.add_row(entry["label"], f"{entry['load_s']:.2f}", f"{entry['load_cpu_s']:.2f}",
                          f"{entry['peak_rss_mb']:.0f}")
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
