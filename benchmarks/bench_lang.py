#!/usr/bin/env python
"""Language identification benchmark on the HIPE-OCRepair data of en, fr and de (OCR text, noisy).

* ``--compare``: the offline identifiers from PyPI (py3langid, pycld2, lingua-language-detector,
  each only when installed) on random snippets of 5, 10, 20 and 50 words and on whole records:
  accuracy per language and speed (ms per call).
* default: ``reissue.lang`` as the pipeline uses it. Every record's OCR text is cut into units of
  N words (one document per record, so the document prior is at work), and each unit's ``lang`` is
  compared with the record's language; ``null`` counts as wrong. Also *mixed* documents: the units of
  a record plus one unit of another language, which must not be given the record's language
  ("harm": the foreign text would be corrected by the wrong model).
* ``--tune``: the same over a grid of threshold x min_words (use on train only);
  ``--tune-contest``: over a grid of ``contest`` x ``short_words`` (units shorter than that which the
  identifier alone reads as another language get no language).
* ``--build``: the time of ``reissue build`` (correction on) with identification (``--lang auto``)
  against without it (``--lang <the issue's main language>``, as ``--lang auto`` finds it: every
  paragraph of that language, no identifier loaded), each in a fresh process, best of ``--repeat``,
  on the bundled example pages, a generated issue of ``--pages`` pages and the sample pages.

    .venv/bin/python benchmarks/bench_lang.py --split train --compare
    .venv/bin/python benchmarks/bench_lang.py --split train --tune
    .venv/bin/python benchmarks/bench_lang.py --split dev --build
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))
LANGS = ("en", "fr", "de")
BUCKETS = (5, 10, 20, 50)


def data_root() -> Path:
    for c in (REPO.parent / "shared/data", REPO / "shared/data"):
        if (c / "hipe-en").is_dir():
            return c
    return REPO.parent / "shared/data"


def records(lang: str, split: str, limit: int | None) -> list[str]:
    out = []
    for f in sorted((data_root() / f"hipe-{lang}").glob(f"*-{split}.jsonl")):
        rows = [json.loads(line) for line in open(f, encoding="utf-8") if line.strip()]
        if split == "dev":  # splits carved from train are marked; they are dev all the same
            pass
        out += [r["ocr_hypothesis"]["transcription_unit"] or "" for r in rows[:limit]]
    return out


def chunks(text: str, n: int) -> list[str]:
    w = text.split()
    return [" ".join(w[i:i + n]) for i in range(0, len(w) - n + 1, n)]


def compare(data: dict, rng: random.Random, per: int) -> None:
    systems = {}
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        systems["py3langid (all 140)"] = lambda t: ident.classify(t)[0]
        from reissue.lang import CANDIDATES

        ident2 = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident2.set_languages([c for c in CANDIDATES if c in ident2.labels])
        systems[f"py3langid ({len(CANDIDATES)} candidates)"] = lambda t: ident2.classify(t)[0]
    except ImportError:
        pass
    try:
        import pycld2

        def cld2(t):
            try:
                return pycld2.detect(t)[2][0][1]
            except pycld2.error:
                return None
        systems["pycld2"] = cld2
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder

        t0 = time.perf_counter()
        lin = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
        print(f"lingua: all languages loaded in {time.perf_counter() - t0:.1f}s")

        def lingua(t):
            r = lin.detect_language_of(t)
            return r.iso_code_639_1.name.lower() if r else None
        systems["lingua (all 75)"] = lingua
    except ImportError:
        pass
    for n in BUCKETS + (0,):
        sets = {}
        for lang in LANGS:
            pool = [c for t in data[lang] for c in (chunks(t, n) if n else [t])]
            rng.shuffle(pool)
            sets[lang] = pool[:per]
        for name, f in systems.items():
            accs, calls, t0 = [], 0, time.perf_counter()
            for lang in LANGS:
                ok = sum(f(s) == lang for s in sets[lang])
                calls += len(sets[lang])
                accs.append(f"{lang} {ok / max(len(sets[lang]), 1):.3f}")
            ms = (time.perf_counter() - t0) / max(calls, 1) * 1000
            print(f"{'whole records' if not n else f'{n:>3} words':>13}  {name:<28} {'  '.join(accs)}  {ms:.2f} ms/call")


def evaluate(data: dict, rng: random.Random, params: dict | None, buckets=BUCKETS, quiet=False) -> dict:
    from reissue.lang import identify_texts

    res = {}
    for n in buckets:
        for lang in LANGS:
            ok = tot = null = 0
            harm = foreign = foreign_ok = 0
            wrong: Counter = Counter()
            for text in data[lang]:
                units = chunks(text, n)
                if not units:
                    continue
                # a mixed document: one unit of another language among this record's
                other = rng.choice([x for x in LANGS if x != lang])
                pool = chunks(rng.choice(data[other]), n)
                extra = [rng.choice(pool)] if pool else []
                ds = identify_texts(units + extra, "auto", params)
                for d in ds[:len(units)]:
                    tot += 1
                    ok += d.lang == lang
                    null += d.lang is None
                    if d.lang not in (lang, None):
                        wrong[d.lang] += 1
                for d in ds[len(units):]:
                    foreign += 1
                    foreign_ok += d.lang == other
                    harm += d.lang == lang
            res[(n, lang)] = {"units": tot, "accuracy": ok / max(tot, 1), "null": null / max(tot, 1),
                              "wrong": dict(wrong.most_common(3)), "foreign_accuracy": foreign_ok / max(foreign, 1),
                              "harm": harm / max(foreign, 1)}
            if not quiet:
                r = res[(n, lang)]
                print(f"{n:>3} words  {lang}  units {tot:>5}  accuracy {r['accuracy']:.4f}  null {r['null']:.4f}  "
                      f"wrong {r['wrong']}  | one foreign unit: accuracy {r['foreign_accuracy']:.3f}  "
                      f"given the document's language {r['harm']:.3f}")
    return res


def tune(data: dict) -> None:
    for thr in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        for mw in (1, 3, 5, 8):
            res = evaluate(data, random.Random(7), {"threshold": thr, "min_words": mw}, (5, 10, 20), quiet=True)
            acc = {n: min(res[(n, lang)]["accuracy"] for lang in LANGS) for n in (5, 10, 20)}
            harm = {n: max(res[(n, lang)]["harm"] for lang in LANGS) for n in (5, 10, 20)}
            print(f"threshold {thr:<5} min_words {mw}:  worst accuracy 5/10/20 words "
                  f"{acc[5]:.4f} {acc[10]:.4f} {acc[20]:.4f}   worst harm {harm[5]:.4f} {harm[10]:.4f} {harm[20]:.4f}")


def _memoise_identifier() -> None:
    """The grids identify the same units again and again: keep the identifier's answers."""
    import reissue.lang as L

    if getattr(L.probabilities, "memo", None) is None:
        raw = L.probabilities
        memo: dict = {}

        def probabilities(text, languages=None):
            key = (text, languages)
            got = memo.get(key)
            if got is None:
                got = memo[key] = raw(text, languages)
            return got

        probabilities.memo = memo
        L.probabilities = probabilities


def tune_contest(data: dict) -> None:
    """Short units that the identifier alone reads as another language (``contest``, ``short_words``)."""
    _memoise_identifier()
    for sw in (10, 20):
        for contest in (None, 2.0, 3.0, 5.0, 10.0):
            res = evaluate(data, random.Random(7), {"contest": contest, "short_words": sw}, (5, 10, 20), quiet=True)
            acc = " ".join(f"{res[(n, lang)]['accuracy']:.3f}" for n in (5, 10, 20) for lang in LANGS)
            harm = " ".join(f"{res[(n, lang)]['harm']:.3f}" for n in (5, 10, 20) for lang in LANGS)
            print(f"short_words {sw} contest {contest}: accuracy (5/10/20 words x en fr de) {acc}   "
                  f"harm {harm}", flush=True)


def _main_language(exe: list, case: Path, env: dict) -> str | None:
    """The issue's main language as ``--lang auto`` finds it (metadata.languages of the edition)."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(exe + [str(case), "-o", out, "--force", "-q", "--lang", "auto"], env=env, capture_output=True)
        for p in Path(out).rglob("edition.json"):
            langs = json.loads(p.read_text(encoding="utf-8")).get("metadata", {}).get("languages") or []
            return langs[0] if langs else None
    return None


def build_times(repeat: int, pages: int = 40) -> None:
    """Build time with identification (``--lang auto``) against the same build told the issue's main
    language (``--lang <that one>``: every paragraph of it, no identifier loaded), so that the ratio
    is the cost of identifying, not of correcting with another language's model. On the bundled
    example pages, a generated English issue of ``pages`` pages (devtools/synth, seed 11) and the
    sample pages."""
    samples = data_root().parent / "samples"
    cases = [REPO / "examples" / "partisan-review-1939-v6n5"]
    tmp = tempfile.TemporaryDirectory(prefix="bench-lang-")
    if pages:
        sys.path.insert(0, str(REPO / "devtools"))
        from synth import generate_issue, write_issue

        d = write_issue(generate_issue(11, pages), Path(tmp.name) / f"generated-{pages}-pages")
        (d / "truth.json").unlink()
        cases.append(d)
    for p in (sorted(samples.iterdir()) if samples.is_dir() else []):
        if p.is_dir():  # a folder of pages, or of folders of pages (one per format)
            subs = [q for q in sorted(p.iterdir()) if q.is_dir()]
            cases += subs if subs and not any(q.is_file() and q.suffix != ".md" for q in p.iterdir()) else [p]
    exe = [sys.executable, "-m", "reissue.cli", "build"]
    env = {**__import__("os").environ, "PYTHONPATH": str(REPO / "src")}
    import resource

    tot = {"fixed": 0.0, "auto": 0.0}
    cpu = {"fixed": 0.0, "auto": 0.0}
    for case in cases:
        main = _main_language(exe, case, env) or "en"
        best, best_cpu = {}, {}
        for _ in range(repeat):
            for mode in ("fixed", "auto"):  # interleaved, so that a busy moment of the machine hits both
                with tempfile.TemporaryDirectory() as out:
                    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t0 = time.perf_counter()
                    r = subprocess.run(exe + [str(case), "-o", out, "--force", "-q", "--lang",
                                              main if mode == "fixed" else "auto"], env=env,
                                       capture_output=True, text=True)
                    wall = time.perf_counter() - t0
                    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    c = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
                    if r.returncode not in (0, 3):
                        print(r.stderr)
                best[mode] = min(best.get(mode, 1e9), wall)
                best_cpu[mode] = min(best_cpu.get(mode, 1e9), c)
        for mode in best:
            tot[mode] += best[mode]
            cpu[mode] += best_cpu[mode]
        print(f"build {case.name:<26} --lang {main} {best['fixed']:.2f}s (cpu {best_cpu['fixed']:.2f}s)  --lang auto "
              f"{best['auto']:.2f}s (cpu {best_cpu['auto']:.2f}s)  ratio wall {best['auto'] / best['fixed']:.3f} "
              f"cpu {best_cpu['auto'] / best_cpu['fixed']:.3f}", flush=True)
    if cases:
        print(f"build, all inputs: --lang auto / --lang <main language> = wall {tot['auto'] / tot['fixed']:.3f}, "
              f"cpu {cpu['auto'] / cpu['fixed']:.3f} (target <= 1.10)")
    tmp.cleanup()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--limit", type=int, default=None, help="records per file")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--tune-contest", action="store_true")
    ap.add_argument("--versus", default=None,
                    help='also evaluate with these parameters (JSON), e.g. \'{"contest": null}\'')
    ap.add_argument("--per", type=int, default=300, help="snippets per language and length (--compare)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--pages", type=int, default=40, help="pages of the generated issue of --build (0: none)")
    a = ap.parse_args(argv)
    data = {lang: records(lang, a.split, a.limit) for lang in LANGS}
    print(f"split {a.split}: " + ", ".join(f"{lang} {len(v)} records" for lang, v in data.items()))
    if a.compare:
        compare(data, random.Random(1), a.per)
    elif a.tune:
        tune(data)
    elif a.tune_contest:
        tune_contest(data)
    elif not a.build:
        from reissue.lang import PARAMS

        t0 = time.perf_counter()
        from reissue.lang import _identifier

        _identifier()
        print(f"reissue.lang {json.dumps(PARAMS)}; identifier loaded in {time.perf_counter() - t0:.2f}s")
        if a.versus:
            _memoise_identifier()
        evaluate(data, random.Random(7), None)
        if a.versus:
            print(f"versus {a.versus}:")
            evaluate(data, random.Random(7), json.loads(a.versus))
    if a.build:
        build_times(a.repeat, a.pages)


if __name__ == "__main__":
    main()
