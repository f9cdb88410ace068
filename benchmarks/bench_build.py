"""Build benchmark: `reissue build` on synthetic page dumps with known answers.

Generates issues with ``synth`` (fixed seeds), runs the pipeline in-process on each
(``reissue.pipeline.build_document`` then ``reissue.edition.document_to_dict``), scores the edition
against the truth with ``synth.score_edition`` (furniture, page numbers, metadata,
line-end hyphens, paragraph boundaries, footnotes) and measures speed and memory; then runs a
131-page and a 500-page issue through the command line (`reissue build`) in a child process and
reports seconds and peak RSS of each.

    .venv/bin/python benchmarks/bench_build.py                 # 20 issues x 15-25 pages
    .venv/bin/python benchmarks/bench_build.py --issues 5 --pages 20 --noise 0.05 --json
    .venv/bin/python benchmarks/bench_build.py --pipeline baseline   # trivial stand-in (scorer check)
    .venv/bin/python benchmarks/bench_build.py --issues 0 --no-scale  # only the side-by-side table

Then, unless ``--no-structure``, the side-by-side table of ``bench_structure.py``: generator 1 and
the independent generator 2 on held-out seeds (5000+ / 9000+, never looked at while tuning) and
the real pages of ``../shared/samples`` with hand-checked answers: furniture, page numbers,
metadata, paragraph boundaries, article boundary F1 with title and byline accuracy, and notes
(precision on pages without notes).

``--pipeline baseline`` removes nothing and splits paragraphs on blank lines; ``--pipeline
oracle`` returns the truth itself (every score must be 1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "devtools"))  # the synthetic generators (development only, not installed)

from synth import aggregate_scores, generate_issue, score_edition, truth_to_edition, write_issue  # noqa: E402


# ----------------------------------------------------------------------------------------------
# pipelines


def baseline_edition(paths: list[str]) -> dict:
    """Trivial stand-in: no furniture, no numbers, paragraphs split on blank lines within a page."""
    pages, paras = [], []
    for i, p in enumerate(paths):
        raw = Path(p).read_text(encoding="utf-8")
        pages.append({"index": i, "source": p, "number": None, "furniture": [], "raw": raw})
        for block in re.split(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)", raw):
            text = " ".join(block.split())
            if text:
                paras.append({"id": f"p{len(paras)}", "kind": "paragraph", "text": text, "pages": [i]})
    return {"format": "reissue-edition/1", "metadata": {}, "pages": pages, "paragraphs": paras,
            "footnotes": [], "edits": [], "problems": []}


def reissue_edition(paths: list[str], correct: bool) -> dict:
    from reissue.edition import document_to_dict
    from reissue.pipeline import build_document

    doc = build_document(paths, correct=correct)
    return document_to_dict(doc)


def run_pipeline(name: str, paths: list[str], truth: dict, correct: bool) -> dict:
    if name == "baseline":
        return baseline_edition(paths)
    if name == "oracle":
        return truth_to_edition(truth)
    return reissue_edition(paths, correct)


# ----------------------------------------------------------------------------------------------
# child-process runs (CLI path, peak RSS)


def _child_run(cmd: list[str], env: dict | None = None) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _pid, status, ru = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t0
    out = proc.stdout.read().decode(errors="replace")
    err = proc.stderr.read().decode(errors="replace")
    proc.stdout.close()
    proc.stderr.close()
    rc = os.waitstatus_to_exitcode(status)
    return {"seconds": round(dt, 3), "peak_rss_mb": round(ru.ru_maxrss / 1024, 1), "rc": rc,
            "stderr_tail": err[-600:] if rc else "", "stdout_tail": out[-300:] if rc else ""}


def scale_run(pipeline: str, n_pages: int, seed: int, correct: bool, tmp: Path, noise) -> dict:
    issue = generate_issue(seed, n_pages, layout={"noise": noise} if noise is not None else None)
    d = write_issue(issue, tmp / f"scale-{n_pages}")
    (d / "truth.json").rename(tmp / f"scale-{n_pages}-truth.json")  # the folder holds page files only
    out = tmp / f"scale-{n_pages}-out"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if pipeline == "reissue":
        cmd = [sys.executable, "-m", "reissue.cli", "build", str(d), "-o", str(out), "-q"]
        if not correct:
            cmd.append("--no-correct")
    else:
        cmd = [sys.executable, __file__, "--_child", pipeline, str(d), str(out)]
    r = _child_run(cmd, env)
    r.update(pages=len(issue.pages), correct=correct,
             pages_per_s=round(len(issue.pages) / r["seconds"], 2) if r["seconds"] else None)
    return r


def _child_main(pipeline: str, indir: str, outdir: str) -> int:
    paths = sorted(str(p) for p in Path(indir).glob("page-*.txt"))
    truth = json.loads((Path(indir).parent / f"{Path(indir).name}-truth.json").read_text(encoding="utf-8"))
    ed = run_pipeline(pipeline, paths, truth, False)
    Path(outdir).mkdir(parents=True, exist_ok=True)
    (Path(outdir) / "edition.json").write_text(json.dumps(ed), encoding="utf-8")
    return 0


# ----------------------------------------------------------------------------------------------
# report


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def print_report(res: dict, n_fail: int) -> None:
    s = res["scores"]
    rows = []
    fu = s["furniture"]
    rows.append(("furniture lines", f"P {_fmt(fu['precision'])}  R {_fmt(fu['recall'])}  F1 {_fmt(fu['f1'])}",
                 f"tp {fu['counts']['tp']} fp {fu['counts']['fp']} fn {fu['counts']['fn']}"))
    for k, v in sorted(fu["by_kind"].items()):
        c = fu["counts"]["by_kind"][k]
        rows.append((f"  {k}", f"P {_fmt(v['precision'])}  R {_fmt(v['recall'])}  F1 {_fmt(v['f1'])}",
                     f"truth {c['tp'] + c['fn']}, found as any kind {_fmt(v['detected_any_kind'])}"))
    conf = {k: v for k, v in fu["counts"]["confusion"].items() if k.split(" -> ")[0] != k.split(" -> ")[1]}
    if conf:
        rows.append(("  kind confusion", "truth -> predicted",
                     ", ".join(f"{k}: {v}" for k, v in sorted(conf.items(), key=lambda kv: -kv[1]))))
    pn = s["page_numbers"]
    rows.append(("page numbers", f"acc {_fmt(pn['accuracy'])}",
                 f"with folio {_fmt(pn['with_folio'])}, without {_fmt(pn['without_folio'])} "
                 f"({pn['counts']['nofolio_total']} pages)"))
    md = s["metadata"]
    rows.append(("metadata", f"acc {_fmt(md['accuracy'])}",
                 ", ".join(f"{k} {_fmt(v)}" for k, v in md["fields"].items()) + f"; spurious {md['spurious']}"))
    hy = s["hyphens"]
    hc = hy["counts"]
    rows.append(("line-end hyphens", f"acc {_fmt(hy['accuracy'])}",
                 f"join {_fmt(hy['join'])} ({hc['join_total']}), keep {_fmt(hy['keep'])} ({hc['keep_total']}), "
                 f"cross-page {_fmt(hy['cross_page'])} ({hc['cross_total']}), undecided {hc['undecided']}"))
    pa = s["paragraphs"]
    pc = pa["counts"]
    rows.append(("paragraph breaks", f"P {_fmt(pa['precision'])}  R {_fmt(pa['recall'])}  F1 {_fmt(pa['f1'])}",
                 f"truth {pc['truth_paragraphs']} paras, pred {pc['pred_paragraphs']}; headings {_fmt(pa['headings'])}; "
                 f"not broken at a page break {_fmt(pa['page_break_kept'])} ({pc['page_break_total']})"))
    rows.append(("  recall by cue", f"visible {_fmt(pa['recall_visible'])}",
                 f"hidden {_fmt(pa['recall_hidden'])} ({pc['hidden_total']} breaks with no blank/indent/drop cap/"
                 f"heading/short last line)"))
    rows.append(("body words", f"R {_fmt(pa['word_recall'])}  P {_fmt(pa['word_precision'])}",
                 f"truth {pc['truth_words']} words, pred {pc['pred_words']} (exact word matches; OCR noise included)"))
    fn = s["footnotes"]
    nc = fn["counts"]
    rows.append(("footnotes", f"R {_fmt(fn['recall'])}  P {_fmt(fn['precision'])}",
                 f"truth {nc['truth']}, pred {nc['pred']}; marker {_fmt(fn['marker'])}, page {_fmt(fn['page'])}, "
                 f"linked {_fmt(fn['linked'])}, text sim {_fmt(fn['text_similarity'])}, "
                 f"continued joined {_fmt(fn['continued_joined'])} ({nc['continued_total']})"))
    rows.append(("  pages without notes", f"clean {_fmt(fn.get('free_pages_clean'))}",
                 f"{nc.get('false_on_free_pages', 0)} false notes on {nc.get('free_pages', 0)} pages that have none"))
    if "articles" in s:
        ar = s["articles"]
        ac = ar["counts"]
        rows.append(("article starts", f"P {_fmt(ar['precision'])}  R {_fmt(ar['recall'])}  F1 {_fmt(ar['f1'])}",
                     f"tp {ac['tp']} fp {ac['fp']} fn {ac['fn']}; title {_fmt(ar['title'])}, byline {_fmt(ar['byline'])} "
                     f"({ac['matched']} articles found)"))
    if "issues_with_furniture_left" in res:
        rows.append(("issues with furniture left in body", str(res["issues_with_furniture_left"]),
                     f"of {res['issues']}; issues with wrong metadata or page numbers: {res['issues_with_wrong_metadata']}"))
    sp = res["speed"]
    rows.append(("speed (in-process)", f"{_fmt(sp['pages_per_s'])} pages/s",
                 f"{sp['pages']} pages in {_fmt(sp['seconds'])} s; process peak RSS {sp['process_peak_rss_mb']} MB"))
    for r in res.get("scale", []):
        rows.append((f"CLI {r['pages']} pages", f"{_fmt(r['seconds'])} s",
                     f"peak RSS {r['peak_rss_mb']} MB, {_fmt(r['pages_per_s'])} pages/s, correct={r['correct']}"
                     + (f", rc {r['rc']}: {r['stderr_tail'][-200:]}" if r["rc"] else "")))
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    print(f"bench_build: pipeline={res['pipeline']} issues={res['issues']} pages={res['pages']} "
          f"seed={res['seed']} noise={res['noise']} correct={res['correct']} text={res['text_source']} "
          f"commit={res['commit']} crashes={res['crashes']}")
    for a, b, c in rows:
        print(f"{a:<{w0}}  {b:<{w1}}  {c}")
    if n_fail:
        print(f"\nexamples of failures (first {n_fail} of each; page = 0-based page index in the issue):")
        for title, fails in res["failures"].items():
            if fails:
                print(f"-- {title}: {len(fails)}")
                for f in fails[:n_fail]:
                    print("   ", json.dumps(f, ensure_ascii=False))


# ----------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--_child":
        return _child_main(*sys.argv[2:5])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--issues", type=int, default=20)
    ap.add_argument("--pages", type=int, default=None, help="pages per issue (default: 15-25, seeded)")
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--noise", type=float, default=None, help="per-word OCR noise rate (default: per-issue layout)")
    ap.add_argument("--pipeline", choices=["reissue", "baseline", "oracle"], default="reissue")
    ap.add_argument("--correct", action="store_true", help="run OCR correction too (default: structure only)")
    ap.add_argument("--no-scale", action="store_true", help="skip the 131/500-page CLI runs")
    ap.add_argument("--scale-pages", default="131,500")
    ap.add_argument("--failures", type=int, default=5, help="failure examples to print per category")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--breakdown", action="store_true", help="print success rates per layout feature")
    ap.add_argument("--keep", default=None, help="write the generated issues and editions here")
    ap.add_argument("--text-source", default=None, help="clean text: HIPE folder, text file or 'builtin'")
    ap.add_argument("--no-structure", dest="structure", action="store_false",
                    help="skip the side-by-side table of both generators and the real pages")
    ap.add_argument("--structure-issues", type=int, default=12, help="issues per generator in that table")
    ap.add_argument("--structure-tune", action="store_true", help="that table on the tuning seeds")
    ap.add_argument("--samples", default=str(ROOT.parent / "shared" / "samples"), help="real pages (input only)")
    ap.add_argument("--score", nargs=2, metavar=("EDITION_JSON", "TRUTH_JSON"),
                    help="only score an existing edition.json against a truth.json, then exit")
    a = ap.parse_args(argv)
    if a.score:
        ed = json.loads(Path(a.score[0]).read_text(encoding="utf-8"))
        truth = json.loads(Path(a.score[1]).read_text(encoding="utf-8"))
        sc = score_edition(ed, truth)
        fails: dict = {"furniture": [], "page numbers": [], "hyphens": [], "paragraphs": [], "footnotes": [],
                       "metadata": []}
        _collect_failures(fails, truth.get("seed"), truth, ed, sc)
        if a.json:
            print(json.dumps({"scores": sc, "failures": fails}, indent=1, ensure_ascii=False))
        else:
            for sec in sc.values():
                sec["counts"].pop("failures", None)
            print_report({"pipeline": "given", "issues": 1, "pages": len(truth["pages"]), "seed": truth.get("seed"),
                          "noise": None, "correct": None, "text_source": truth.get("text_source"), "commit": "-",
                          "crashes": 0, "scores": sc, "failures": fails,
                          "speed": {"pages": 0, "seconds": 0, "pages_per_s": None, "process_peak_rss_mb": "-"}},
                         a.failures)
        return 0

    if a.issues < 1:
        return side_by_side(a)
    rng = random.Random(a.seed)
    lay = {"noise": a.noise} if a.noise is not None else None
    scores, fails = [], {"furniture": [], "page numbers": [], "hyphens": [], "paragraphs": [], "footnotes": [],
                         "metadata": []}
    total_pages, total_time, crashes = 0, 0.0, 0
    left_in_body = wrong_md = 0
    breakdown: dict = {}
    text_source = None
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmpd:
        tmp = Path(a.keep) if a.keep else Path(tmpd)
        for k in range(a.issues):
            seed = a.seed + k
            n = a.pages or rng.randint(15, 25)
            issue = generate_issue(seed, n, layout=lay, text_source=a.text_source)
            text_source = issue.truth["text_source"]
            d = write_issue(issue, tmp / f"issue-{seed}")
            paths = [str(d / name) for name, _ in issue.pages]
            t0 = time.perf_counter()
            try:
                ed = run_pipeline(a.pipeline, paths, issue.truth, a.correct)
            except Exception as exc:  # noqa: BLE001 - a crash is a result too
                print(f"issue seed {seed}: pipeline crashed: {type(exc).__name__}: {exc}", file=sys.stderr)
                ed = {"pages": [], "paragraphs": [], "footnotes": [], "edits": [], "metadata": {}}
                crashes += 1
            total_time += time.perf_counter() - t0
            total_pages += len(issue.pages)
            if a.keep:
                (d / "edition.json").write_text(json.dumps(ed, ensure_ascii=False), encoding="utf-8")
            sc = score_edition(ed, issue.truth)
            scores.append(sc)
            left_in_body += sc["furniture"]["counts"]["fn"] > 0
            wrong_md += (sc["metadata"]["counts"]["ok"] < sc["metadata"]["counts"]["total"]
                         or sc["page_numbers"]["counts"]["ok"] < sc["page_numbers"]["counts"]["total"])
            _collect_failures(fails, seed, issue.truth, ed, sc)
            _breakdown(breakdown, issue.truth, ed, sc)
        agg = aggregate_scores(scores)
        for sec in agg.values():
            sec["counts"].pop("failures", None)
        res = {"pipeline": a.pipeline, "issues": a.issues, "pages": total_pages, "seed": a.seed,
               "noise": a.noise, "correct": a.correct, "text_source": text_source, "scores": agg,
               "speed": {"pages": total_pages, "seconds": round(total_time, 3),
                         "pages_per_s": round(total_pages / total_time, 2) if total_time else None,
                         "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
               "failures": fails, "breakdown": breakdown, "crashes": crashes, "commit": _git_head(),
               "issues_with_furniture_left": left_in_body, "issues_with_wrong_metadata": wrong_md}
        if not a.no_scale:
            res["scale"] = [scale_run(a.pipeline, int(n), a.seed + 500 + i, a.correct, Path(tmp), a.noise)
                            for i, n in enumerate(a.scale_pages.split(",")) if n.strip()]
            if len(res["scale"]) >= 2 and all(r["rc"] == 0 for r in res["scale"]):
                r0, r1 = res["scale"][0], res["scale"][-1]
                res["rss_growth"] = {"pages": [r0["pages"], r1["pages"]],
                                     "rss_mb": [r0["peak_rss_mb"], r1["peak_rss_mb"]],
                                     "ratio": round(r1["peak_rss_mb"] / r0["peak_rss_mb"], 3)}
    if a.json:
        print(json.dumps(res, indent=1, ensure_ascii=False))
    else:
        print_report(res, a.failures)
        if a.breakdown:
            print_breakdown(breakdown)
        if "rss_growth" in res:
            g = res["rss_growth"]
            print(f"peak RSS {g['rss_mb'][0]} MB at {g['pages'][0]} pages vs {g['rss_mb'][1]} MB at "
                  f"{g['pages'][1]} pages (x{g['ratio']})")
    return side_by_side(a)


def side_by_side(a) -> int:
    """Both generators (held-out seeds) and the real pages side by side: bench_structure.py."""
    if not a.structure or a.pipeline != "reissue":
        return 0
    import bench_structure  # this folder is on sys.path when run as a script

    print("\nstructure, side by side (benchmarks/bench_structure.py; held-out seeds unless --structure-tune):",
          flush=True)
    return bench_structure.main(["--issues", str(a.structure_issues), "--samples", a.samples]
                                + (["--tune"] if a.structure_tune else []) + (["--json"] if a.json else []))


def _collect_failures(fails: dict, seed: int, truth: dict, ed: dict, sc: dict) -> None:
    """Concrete failure cases with issue seed, page index and line number."""
    tp = {(p["index"], f["line"]): (f["kind"], f["text"]) for p in truth["pages"] for f in p["furniture"]}
    pp = {}
    for i, p in enumerate(ed.get("pages", [])):
        for f in p.get("furniture", []):
            pp[(p.get("index", i), f.get("line"))] = f.get("kind")
    for key, (kind, text) in sorted(tp.items()):
        if pp.get(key) != kind:
            fails["furniture"].append({"seed": seed, "page": key[0], "line": key[1], "kind": kind,
                                       "got": pp.get(key), "text": text[:70]})
    blank = {(p["index"], li) for p in truth["pages"] for li in p["blank_lines"]}
    for key, kind in sorted(pp.items()):
        if key not in tp and key not in blank:
            fails["furniture"].append({"seed": seed, "page": key[0], "line": key[1], "kind": None, "got": kind,
                                       "text": _line_of(ed, key)})
    for p in truth["pages"]:
        got = ed["pages"][p["index"]].get("number") if p["index"] < len(ed.get("pages", [])) else None
        if got != p["number"]:
            fails["page numbers"].append({"seed": seed, "page": p["index"], "expected": p["number"], "got": got,
                                          "folio": p["folio"]})
    md = sc["metadata"]["counts"]
    if md["ok"] < md["total"]:
        fails["metadata"].append({"seed": seed, "expected": truth["metadata"],
                                  "got": {k: (ed.get("metadata") or {}).get(k) for k in truth["metadata"]}})
    for f in sc["hyphens"]["counts"]["failures"]:
        fails["hyphens"].append({"seed": seed, **f})
    for f in sc["paragraphs"]["counts"]["failures"]:
        fails["paragraphs"].append({"seed": seed, **f})
    for f in sc["footnotes"]["counts"]["failures"]:
        fails["footnotes"].append({"seed": seed, **f})
    for f in sc.get("articles", {}).get("counts", {}).get("failures", []):
        fails.setdefault("articles", []).append({"seed": seed, **f})


def _breakdown(bd: dict, truth: dict, ed: dict, sc: dict) -> None:
    """Success counts per layout feature: [ok, total] under 'category / feature'."""
    lay = truth["layout"]

    def add(cat: str, feat: str, ok: bool):
        v = bd.setdefault(f"{cat} / {feat}", [0, 0])
        v[0] += bool(ok)
        v[1] += 1

    pred = {}
    for i, p in enumerate(ed.get("pages", [])):
        for f in p.get("furniture", []):
            pred[(p.get("index", i), f.get("line"))] = f.get("kind")
    for p in truth["pages"]:
        for f in p["furniture"]:
            k = f["kind"]
            got = pred.get((p["index"], f["line"]))
            if k == "running-head":
                feat = f"{lay['head_case']} case, folio {lay['folio_pos']}"
            elif k == "folio":
                feat = f"{lay['folio_pos']}, {lay['folio_decor']}" + (", OCR-garbled" if p["folio"] != str(p["number"]) else "")
            elif k == "viewer-nav":
                feat = f"style {lay['viewer']}"
            elif k == "viewer-title":
                feat = f"style {lay['viewer_title_style']}"
            else:
                feat = lay["credit"]
            add(f"furniture {k} (any kind)", feat, got is not None)
    epages = ed.get("pages", [])
    for p in truth["pages"]:
        got = epages[p["index"]].get("number") if p["index"] < len(epages) else None
        feat = "no folio" if p["folio"] is None else ("viewer page differs" if lay["viewer_offset"] and lay["viewer"] else "folio")
        add("page number", feat, got == p["number"])
    fails = {(f["page"], f["marker"]) for f in sc["footnotes"]["counts"]["failures"] if f["type"] == "not-found"}
    imperfect = {(f["page"], f["marker"]) for f in sc["footnotes"]["counts"]["failures"] if f["type"] != "not-found"}
    for n in truth["footnotes"]:
        key = (n["page"], n["marker"])
        feat = f"{lay['note_style']}" + (", continued" if n["continued"] else "")
        add("footnote found", feat, key not in fails)
        add("footnote perfect", feat, key not in fails and key not in imperfect)
    hf = {(f["page"], f["line"]) for f in sc["hyphens"]["counts"]["failures"]}
    names = {"-": "hyphen", "\u2013": "en dash", "\u00b7": "middle dot", "\u00ac": "not sign", "\u00ad": "soft hyphen"}
    for h in truth["hyphens"]:
        feat = f"{h['kind']} {names.get(h['char'], repr(h['char']))}" + (", across pages" if h.get("cross_page") else "") \
            + (", in a footnote" if h.get("in_note") else "")
        add("line-end hyphen", feat, (h["page"], h["line"]) not in hf)
    missed = {f["paragraph"] for f in sc["paragraphs"]["counts"]["failures"] if f["type"] == "missed-boundary"}
    for para in truth["paragraphs"][1:]:
        vis = sorted(set(para.get("cues", [])) & {"blank", "indent", "dropcap", "heading", "short-line"})
        feat = f"style {lay['para_style']}, cues " + ("+".join(vis) if vis else "none")
        add("paragraph break found", feat, para["index"] not in missed)


def print_breakdown(bd: dict) -> None:
    print("\nbreakdown by layout feature (ok/total):")
    for k in sorted(bd):
        ok, tot = bd[k]
        flag = "  <--" if tot >= 5 and ok / tot < 0.8 else ""
        print(f"  {k:<75} {ok:>5}/{tot:<5} {ok / tot:6.3f}{flag}")


def _git_head() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _line_of(ed: dict, key) -> str:
    try:
        raw = ed["pages"][key[0]]["raw"]
        return re.split(r"\r\n|\r|\n", raw)[key[1]][:70]
    except (KeyError, IndexError, TypeError):
        return ""


if __name__ == "__main__":
    sys.exit(main())
