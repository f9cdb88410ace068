"""Index a generated library of >= 10,000 pages; report indexing pages/s and search latency.

    .venv/bin/python benchmarks/bench_index.py                 # 10,000 pages (50 issues x 200)
    .venv/bin/python benchmarks/bench_index.py --pages 2000    # quicker
    .venv/bin/python benchmarks/bench_index.py --workdir /tmp/bench-lib   # keep/reuse generated editions

Editions come from ``synth.generate_issue`` (synthetic OCR page dumps) built by
``reissue.pipeline.build_document`` (without OCR correction unless --correct: the benchmark is
about the index, not the corrector). When those are unavailable the test factory
(tests/conftest.py) builds editions from the synthetic pages instead.

Indexing is timed like ``reissue index``: read each edition.json, validate, insert in one
transaction, optimise the FTS index. Search latency is ``Library.search`` (count + top 20 ranked
hits with snippets and hit pages) over a query set drawn from the indexed text: common and rare
words, phrases, prefixes, boolean queries and title/year filters; the process is pinned to one core.
Also times the same queries through the HTTP API (/api/search on the production server, loopback,
JSON included): wall time, the process's CPU time per request, and the load average beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "devtools"))  # the synthetic generators (development only, not installed)


def pin_one_core():
    try:
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
        return True
    except (AttributeError, OSError):
        return False


def make_edition(seed: int, n_pages: int, correct: bool) -> dict:
    from synth import generate_issue

    issue = generate_issue(seed, n_pages)
    raws = [raw for _name, raw in issue.pages]
    try:
        from reissue.edition import document_to_dict
        from reissue.pipeline import build_document

        with tempfile.TemporaryDirectory() as td:
            for name, raw in issue.pages:
                with open(os.path.join(td, name), "w", encoding="utf-8", newline="") as fh:
                    fh.write(raw)
            doc = build_document([td], correct=correct)
        return document_to_dict(doc)
    except Exception as exc:  # pipeline unavailable or incomplete: the test factory builds it
        print(f"  (pipeline unavailable for seed {seed}: {type(exc).__name__}: {exc}; using the test factory)",
              file=sys.stderr)
        sys.path.insert(0, str(ROOT / "tests"))
        from conftest import build_edition

        return build_edition(raws, title=f"Synthetic Review {seed % 7}", volume=seed // 12 + 1,
                             number=seed % 12 + 1, year=1900 + seed % 60)


def generate(workdir: Path, total_pages: int, per_issue: int, correct: bool) -> list[Path]:
    from reissue.index import edition_id

    workdir.mkdir(parents=True, exist_ok=True)
    dirs, seen, pages, seed = [], set(), 0, 0
    t0 = time.perf_counter()
    while pages < total_pages:
        seed += 1
        d = workdir / f"issue-{seed:04d}"
        f = d / "edition.json"
        n = min(per_issue, total_pages - pages)
        if f.exists():
            ed = json.loads(f.read_text(encoding="utf-8"))
        else:
            ed = make_edition(seed, n, correct)
            eid = edition_id(ed)
            if eid in seen:  # two synthetic issues with the same title/volume/number/year
                ed["metadata"]["number"] = 1000 + seed
            d.mkdir(parents=True, exist_ok=True)
            f.write_text(json.dumps(ed, ensure_ascii=False), encoding="utf-8")
        seen.add(edition_id(ed))
        pages += len(ed["pages"])
        dirs.append(d)
        if seed % 10 == 0:
            print(f"  generated {pages} pages ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    return dirs


def build_queries(lib, n: int, rng: random.Random) -> list[dict]:
    rows = lib.db.execute("SELECT text FROM texts ORDER BY rowid").fetchall()
    sample = [r[0] for r in rng.sample(rows, min(3000, len(rows)))]
    words = Counter(w.lower() for t in sample for w in re.findall(r"[A-Za-z]{3,}", t))
    ranked = [w for w, _ in words.most_common()]
    common = ranked[:50]
    mid = ranked[200:2000] or ranked
    rare = [w for w, c in words.items() if c == 1] or ranked
    titles = lib.titles()
    years = lib.years()
    qs = []
    kinds = ["common", "mid", "rare", "phrase", "prefix", "and", "or", "not", "filter"]
    for i in range(n):
        k = kinds[i % len(kinds)]
        if k == "common":
            qs.append({"q": rng.choice(common), "kind": k})
        elif k == "mid":
            qs.append({"q": rng.choice(mid), "kind": k})
        elif k == "rare":
            qs.append({"q": rng.choice(rare), "kind": k})
        elif k == "phrase":
            t = rng.choice(sample).split()
            j = rng.randrange(max(1, len(t) - 3))
            ph = " ".join(re.sub(r"[^\w]", "", w) for w in t[j:j + 3]).strip()
            qs.append({"q": f'"{ph}"' if ph else rng.choice(mid), "kind": k})
        elif k == "prefix":
            w = rng.choice(mid)
            qs.append({"q": w[:4] + "*", "kind": k})
        elif k == "and":
            qs.append({"q": f"{rng.choice(mid)} AND {rng.choice(common)}", "kind": k})
        elif k == "or":
            qs.append({"q": f"{rng.choice(mid)} OR {rng.choice(mid)}", "kind": k})
        elif k == "not":
            qs.append({"q": f"{rng.choice(common)} NOT {rng.choice(mid)}", "kind": k})
        else:
            q = {"q": rng.choice(mid + common), "kind": k}
            if titles and rng.random() < 0.5:
                q["title"] = rng.choice(titles)
            elif years:
                q["year"] = rng.choice(years)
            qs.append(q)
    return qs


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--per-issue", type=int, default=200)
    ap.add_argument("--queries", type=int, default=270)
    ap.add_argument("--workdir", default=None, help="keep generated editions here (reused when present)")
    ap.add_argument("--correct", action="store_true", help="run the OCR corrector when building editions")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)

    from reissue.index import Library, load_edition_file

    pinned = pin_one_core()
    tmp = tempfile.TemporaryDirectory()
    workdir = Path(args.workdir) if args.workdir else Path(tmp.name) / "editions"
    print(f"generating {args.pages} pages in {workdir} ...", file=sys.stderr)
    dirs = generate(workdir, args.pages, args.per_issue, args.correct)

    db = Path(tmp.name) / "library.sqlite"
    t0 = time.perf_counter()
    eds, srcs = [], []
    for d in dirs:
        ed, src = load_edition_file(d)
        eds.append(ed)
        srcs.append(src)
    t_load = time.perf_counter() - t0
    lib = Library(str(db))
    t1 = time.perf_counter()
    lib.add_editions(eds, srcs, validated=True)  # load_edition_file validated them, as in `reissue index`
    t_insert = time.perf_counter() - t1
    t2 = time.perf_counter()
    lib.optimize()
    t_opt = time.perf_counter() - t2
    elapsed = time.perf_counter() - t0
    npages = sum(len(e["pages"]) for e in eds)
    ntexts = lib.db.execute("SELECT count(*) FROM texts").fetchone()[0]
    nwords = sum(len(p["text"].split()) for e in eds for p in e["paragraphs"])
    del eds
    size_mb = os.path.getsize(db) / 1e6

    rng = random.Random(7)
    queries = build_queries(lib, args.queries, rng)
    lib.close()
    lib = Library(str(db), readonly=True)
    for q in queries[:20]:  # warm the page cache like a running server
        lib.search(**q_args(q))
    lat, by_kind, totals = [], {}, []
    for q in queries:
        s = time.perf_counter()
        res = lib.search(**q_args(q))
        dt = (time.perf_counter() - s) * 1000
        lat.append(dt)
        by_kind.setdefault(q["kind"], []).append(dt)
        totals.append(res.total)
    lib.close()

    # the same queries through the HTTP API: the production server (waitress, as `reissue serve`) on
    # loopback in this process (pinned to the same core), one keep-alive client; each query is new to
    # the server's answer cache. Wall time and the process's CPU time per request (server + client):
    # on a machine shared with other work the wall time grows with the load, the CPU time does not.
    import http.client
    import threading
    from urllib.parse import urlencode

    from reissue.web.server import loopback_hosts, make_app, make_server

    app = make_app(str(db))
    srv = make_server(app, "127.0.0.1", 0, threads=4)
    port = srv.effective_port
    app.allowed_hosts = loopback_hosts("127.0.0.1", port)
    threading.Thread(target=srv.run, daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    api_lat, api_cpu, load = [], [], []
    for q in queries:
        params = {"q": q["q"]} | {k: q[k] for k in ("title", "year") if k in q}
        s, c = time.perf_counter(), time.process_time()
        conn.request("GET", "/api/search?" + urlencode(params))
        r = conn.getresponse()
        body = r.read()
        api_lat.append((time.perf_counter() - s) * 1000)
        api_cpu.append((time.process_time() - c) * 1000)
        assert r.status in (200, 400), (r.status, q)
        json.loads(body)
        load.append(os.getloadavg()[0])
    conn.close()
    time.sleep(0.5)  # let the server's thread finish the last answer before closing its sockets
    srv.close()

    result = {
        "pages": npages, "editions": len(dirs), "texts_indexed": ntexts, "words": nwords, "db_mb": round(size_mb, 1),
        "index_seconds": round(elapsed, 2), "load_seconds": round(t_load, 2), "insert_seconds": round(t_insert, 2),
        "optimize_seconds": round(t_opt, 2), "pages_per_second": round(npages / elapsed, 1),
        "queries": len(queries), "pinned_one_core": pinned,
        "search_ms": {"p50": round(statistics.median(lat), 2), "p95": round(pct(lat, 95), 2),
                      "max": round(max(lat), 2)},
        "api_search_ms": {"p50": round(statistics.median(api_lat), 2), "p95": round(pct(api_lat, 95), 2)},
        "api_search_cpu_ms": {"p50": round(statistics.median(api_cpu), 2), "p95": round(pct(api_cpu, 95), 2)},
        "load_average": {"min": round(min(load), 1), "max": round(max(load), 1), "cpus": os.cpu_count()},
        "by_kind_p95_ms": {k: round(pct(v, 95), 2) for k, v in sorted(by_kind.items())},
        "median_hits": statistics.median(totals),
    }
    print(f"indexed {npages} pages ({len(dirs)} editions, {ntexts} paragraphs+notes, {nwords:,} words, "
          f"{size_mb:.0f} MB) in {elapsed:.1f}s: {npages / elapsed:.0f} pages/s "
          f"(read+validate {t_load:.1f}s, insert {t_insert:.1f}s, optimize {t_opt:.1f}s)")
    print(f"search over {len(queries)} queries{' on one core' if pinned else ''}: "
          f"p50 {result['search_ms']['p50']} ms, p95 {result['search_ms']['p95']} ms, max {result['search_ms']['max']} ms; "
          f"/api/search over HTTP p50 {result['api_search_ms']['p50']} ms, p95 {result['api_search_ms']['p95']} ms "
          f"(CPU time p50 {result['api_search_cpu_ms']['p50']} ms, p95 {result['api_search_cpu_ms']['p95']} ms); "
          f"load average {result['load_average']['min']}-{result['load_average']['max']} on {os.cpu_count()} CPUs")
    print("p95 by query kind (ms): " + ", ".join(f"{k} {v}" for k, v in result["by_kind_p95_ms"].items()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    tmp.cleanup()
    return result


def q_args(q: dict) -> dict:
    return {"q": q["q"], "title": q.get("title"), "year": q.get("year")}


if __name__ == "__main__":
    main()
