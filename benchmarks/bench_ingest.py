"""Ingest speed: 131 pages as a folder of .txt, a .zip, ALTO, hOCR and PAGE XML.

Pages are the two example pages repeated; the XML variants carry the same text, one String/word
element per word with geometry. Prints best-of-N wall and CPU time and tracemalloc peak.

    .venv/bin/python benchmarks/bench_ingest.py [--pages 131] [--repeat 5]
"""
from __future__ import annotations

import argparse
import glob
import os
import tempfile
import time
import tracemalloc
import zipfile
from xml.sax.saxutils import escape, quoteattr

from reissue.ingest import load_inputs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if not os.path.isdir(os.path.join(ROOT, "examples")):
    ROOT = os.getcwd()


def alto(lines):
    out = ['<?xml version="1.0" encoding="UTF-8"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">'
           '<Styles><TextStyle ID="s" FONTSIZE="10"/></Styles><Layout><Page WIDTH="2000" HEIGHT="3000"><PrintSpace>'
           '<TextBlock ID="b1" STYLEREFS="s">']
    for i, ln in enumerate(lines):
        y = 100 + 45 * i
        out.append(f'<TextLine HPOS="100" VPOS="{y}" WIDTH="1800" HEIGHT="40">')
        out += [f'<String CONTENT={quoteattr(w)} HPOS="{100 + 110 * j}" VPOS="{y}" WIDTH="100" HEIGHT="40" WC="0.9"/><SP/>'
                for j, w in enumerate(ln.split())]
        out.append("</TextLine>")
    out.append("</TextBlock></PrintSpace></Page></Layout></alto>")
    return "".join(out)


def hocr(lines):
    out = ['<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
           '<div class="ocr_page" title="bbox 0 0 2000 3000"><div class="ocr_carea"><p class="ocr_par" id="par_1">']
    for i, ln in enumerate(lines):
        y = 100 + 45 * i
        out.append(f'<span class="ocr_line" title="bbox 100 {y} 1900 {y + 40}; x_size 40">')
        out += [f'<span class="ocrx_word" title="bbox {100 + 110 * j} {y} {200 + 110 * j} {y + 40}; x_wconf 90">{escape(w)}</span> '
                for j, w in enumerate(ln.split())]
        out.append("</span>")
    out.append("</p></div></div></body></html>")
    return "".join(out)


def pagexml(lines):
    out = ['<?xml version="1.0" encoding="UTF-8"?><PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
           '<Page imageWidth="2000" imageHeight="3000"><TextRegion id="r1"><Coords points="0,0 1,1"/>']
    for i, ln in enumerate(lines):
        y = 100 + 45 * i
        words = "".join(f'<Word><Coords points="{100 + 110 * j},{y} {200 + 110 * j},{y + 40}"/><TextEquiv><Unicode>{escape(w)}</Unicode></TextEquiv></Word>'
                        for j, w in enumerate(ln.split()))
        out.append(f'<TextLine id="l{i}"><Coords points="100,{y} 1900,{y} 1900,{y + 40} 100,{y + 40}"/>{words}'
                   f'<TextEquiv><Unicode>{escape(ln)}</Unicode></TextEquiv></TextLine>')
    out.append("</TextRegion></Page></PcGts>")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=131)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    src = [open(f, "rb").read() for f in sorted(glob.glob(os.path.join(ROOT, "examples", "*", "*.txt")))]
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {}
        for fmt, ext, make in [("text", "txt", None), ("alto", "xml", alto), ("hocr", "hocr", hocr), ("page", "xml", pagexml)]:
            d = os.path.join(tmp, fmt)
            os.mkdir(d)
            for i in range(a.pages):
                data = src[i % len(src)]
                if make:
                    data = make(data.decode("utf-8").splitlines()).encode("utf-8")
                with open(os.path.join(d, f"page{i + 1}.{ext}"), "wb") as f:
                    f.write(data)
            dirs[fmt] = d
        zpath = os.path.join(tmp, "pages.zip")
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
            for i in range(a.pages):
                zf.writestr(f"issue/page{i + 1}.txt", src[i % len(src)])
        dirs["zip"] = zpath
        big = os.path.join(tmp, "big")
        os.mkdir(big)
        with open(os.path.join(big, "1.txt"), "wb") as f:
            f.write(b"ok")
        with open(os.path.join(big, "2.txt"), "wb") as f:
            for _ in range(50):
                f.write(b"x" * (1 << 20))
        dirs["50MB refused"] = big
        load_inputs([dirs["text"]])  # imports
        print(f"{'input':<14} {'pages':>5} {'lines':>6} {'MB':>6} {'wall ms':>8} {'cpu ms':>7} {'peak MB':>8}")
        for name, path in dirs.items():
            walls, cpus = [], []
            for _ in range(a.repeat):
                w, c = time.perf_counter(), time.process_time()
                doc = load_inputs([path])
                walls.append(time.perf_counter() - w)
                cpus.append(time.process_time() - c)
            tracemalloc.start()
            load_inputs([path])
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            size = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)) if os.path.isdir(path) else os.path.getsize(path)
            print(f"{name:<14} {len(doc.pages):>5} {sum(len(p.lines) for p in doc.pages):>6} {size / 1e6:>6.1f} "
                  f"{min(walls) * 1000:>8.0f} {min(cpus) * 1000:>7.0f} {peak / 1e6:>8.1f}")


if __name__ == "__main__":
    main()
