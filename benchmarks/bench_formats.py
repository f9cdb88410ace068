"""Library formats on the real samples: hyphen joins, furniture, page numbers, letters, METS.

    .venv/bin/python benchmarks/bench_formats.py [--samples ../shared/samples] [--no-doubt]

For the Berlinische Monatsschrift ground truth (PAGE and ALTO) the expected reading is computed from
the ground truth itself: every line-end hyphen of a line followed by another line of the same region
is a word break the transcriber kept, so the word must come out joined exactly once. The same
pages are also read with the line-end hyphens written as Fraktur '⸗' (U+2E17) and '=' (as
Transkribus and other ground truth do), and as raw Tesseract PAGE output. Furniture and page
numbers are compared with the region types of the PAGE ground truth. Speed is given as a ratio
against reading the library's own plain text of the same ChronAm page in the same run.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from pathlib import Path

from lxml import etree

from reissue.ingest import document_from_texts, load_inputs
from reissue.edition import document_to_dict, rebuild_raw
from reissue.pipeline import process

HERE = Path(__file__).resolve().parent.parent


def build(doc):
    doc = process(doc, correct=False)
    d = document_to_dict(doc)
    assert rebuild_raw(d) == [p.raw for p in doc.pages], "raw text does not rebuild"
    return doc, d


WORD = r"[\w\u0300-\u036f]+"  # letters with combining marks (Fraktur e over a, o, u: aͤ)


def _letter(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "LM"


def letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def gt_breaks(files: list[Path]) -> tuple[list[str], int, list[str]]:
    """Ground-truth lines of PAGE files, and the words broken by a line-end hyphen inside a region."""
    lines, words = [], []
    for f in files:
        root = etree.parse(str(f)).getroot()
        for reg in root.iter("{*}TextRegion"):
            tls = [tl.findtext("{*}TextEquiv/{*}Unicode") or "" for tl in reg.findall("{*}TextLine")]
            lines += tls
            for a, b in zip(tls, tls[1:]):
                a, b = a.rstrip(), b.lstrip()
                if a[-1:] in "-⸗=¬" and _letter(a[-2:-1]) and b[:1].isalpha():
                    left = re.findall(WORD, a)[-1]
                    right = re.findall(WORD, b)[0]
                    words.append(left + right)
    return lines, len(words), words


def with_hyphen(files: list[Path], hyphen: str) -> list[tuple[str, str]]:
    """The PAGE files with every line-final '-' written as ``hyphen`` (line and word level)."""
    out = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        text = re.sub(r"([\w\u0300-\u036f])-(</Unicode>)", lambda m: m.group(1) + hyphen + m.group(2), text)
        text = text.replace("<Unicode>-</Unicode>", f"<Unicode>{hyphen}</Unicode>")
        out.append((f.name, text))
    return out


def joined_count(d: dict, words: list[str]) -> tuple[int, int]:
    """(words found joined exactly once in the reading text, hyphenated halves left over)."""
    text = "\n".join(p["text"] for p in d["paragraphs"]) + "\n" + "\n".join(f["text"] for f in d["footnotes"])
    ok = 0
    for w in set(words):
        ok += min(words.count(w), len(re.findall(rf"(?<![\w\u0300-\u036f]){re.escape(w)}(?![\w\u0300-\u036f])", text)))
    left = len(re.findall(r"\w[-⸗=¬]\s", text))
    return ok, left


def furniture_of(d: dict) -> list[tuple[str, str]]:
    return [(f["kind"], f["text"]) for p in d["pages"] for f in p["furniture"]]


def gt_furniture(files: list[Path]) -> list[str]:
    kinds = {"page-number": "folio", "catch-word": "catch-word", "signature-mark": "signature-mark",
             "header": "running-head", "footer": "running-foot", "marginalia": "marginalia"}
    out = []
    for f in files:
        for reg in etree.parse(str(f)).getroot().iter("{*}TextRegion"):
            if reg.get("type") in kinds:
                out.append(kinds[reg.get("type")])
    return out


def readback(name: str, path: Path) -> None:
    """Build with correction, write the corrected ALTO/PAGE back, read each file set back without
    correction: the words whose reading differs from the edition's (merges and splits across words
    stay in the edition only)."""
    import difflib
    import tempfile

    from reissue.ingest.writeback import write_back

    doc = process(load_inputs([str(path)]), correct=True)
    words = " ".join(p.text.text for p in doc.paragraphs).split()
    across = [e for e in doc.edits if e.stage == "correct" and e.superseded_by is None
              and len(e.before.split()) != len(e.after.split())]
    with tempfile.TemporaryDirectory() as tmp:
        written, problems = write_back(doc, tmp, {"name": "reissue", "version": "bench", "model": "default"})
        for fmt in ("alto", "page"):
            files = [w for w in written if f"/{fmt}/" in w]
            if not files:
                continue
            back = " ".join(p.text.text for p in process(load_inputs(files), correct=False).paragraphs).split()
            sm = difflib.SequenceMatcher(a=words, b=back, autojunk=False)
            diffs = [(" ".join(words[i1:i2]), " ".join(back[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes()
                     if op != "equal"]
            print(f"{name}, corrected {fmt.upper()} read back: {len(diffs)} places (of {len(words)} words) differ from the "
                  f"edition's reading text ({sum(1 for e in doc.edits if e.stage == 'correct' and e.superseded_by is None)}"
                  f" corrections, {len(across)} of them merge or split words; problems {len(problems)})"
                  + (f"; {diffs[:6]}" if diffs else ""))


def doubt_changes(name: str, path: Path, stage) -> None:
    """Corrections of a page with and without doubted dictionary words as candidates: the edits the
    hook adds and removes, each in its context, for reading (the samples have no ground truth)."""
    runs = {}
    shipped = stage.OCR_DOUBT_Q
    for q in (0.0, shipped):
        t0 = time.process_time()
        stage.OCR_DOUBT_Q = q
        try:
            doc = process(load_inputs([str(path)]), correct=True)
        finally:
            stage.OCR_DOUBT_Q = shipped
        runs[q] = (doc, {(e.page, e.start, e.end, e.before, e.after): e for e in doc.edits
                         if e.stage == "correct" and e.superseded_by is None}, time.process_time() - t0)
    (base, t_base), (doc, got, t_doubt) = runs[0.0][1:], runs[stage.OCR_DOUBT_Q]
    added = sorted(k for k in got if k not in base)
    lost = sorted(k for k in base if k not in got)
    par = doc.parameters["correct"]
    print(f"{name}: doubted = the {stage.OCR_DOUBT_Q:.0%} of words least sure (confidence < "
          f"{par['ocr_doubt_below']}), an edit needing p >= {stage.OCR_DOUBT_MIN}: {len(base)} corrections without, "
          f"{len(got)} with; {len(added)} added, {len(lost)} removed; correction CPU time "
          f"{t_doubt / max(t_base, 1e-9):.2f}x the run without")
    for sign, keys, d in (("+", added, got), ("-", lost, base)):
        for k in keys:
            pg, a, b, before, after = k
            raw = doc.pages[pg].raw
            ctx = (raw[max(0, a - 40):a] + "[" + before + " -> " + after + "]" + raw[b:b + 40]).replace("\n", " ")
            print(f"  {sign} {ctx!r} p={d[k].confidence:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", default=str(HERE.parent / "shared" / "samples"))
    ap.add_argument("--no-doubt", action="store_true", help="skip the doubted-words measurement (about 4 CPU minutes)")
    args = ap.parse_args()
    S = Path(args.samples)
    bm = S / "berlinische-monatsschrift-1784-12"
    if not bm.is_dir():
        print(f"samples not found in {S}", file=sys.stderr)
        return 2
    gt_files = sorted((bm / "page-gt").glob("*.xml"))
    gt_lines, n_breaks, words = gt_breaks(gt_files)
    want_furn = gt_furniture(gt_files)
    print(f"Berlinische Monatsschrift ground truth: {len(gt_files)} pages, {len(gt_lines)} lines, "
          f"{letters(''.join(gt_lines))} letters, {n_breaks} words broken by a line-end hyphen, "
          f"furniture regions {sorted(want_furn)}")
    print(f"{'input':34} {'letters':>9} {'joined':>8} {'left':>5} {'furniture':>10} {'numbers':>10}  notes")
    rows = [("PAGE GT", load_inputs([str(bm / "page-gt")])),
            ("PAGE GT, hyphens as U+2E17 ⸗", document_from_texts(with_hyphen(gt_files, "⸗"))),
            ("PAGE GT, hyphens as =", document_from_texts(with_hyphen(gt_files, "="))),
            ("ALTO GT", load_inputs([str(bm / "alto-gt")])),
            ("Tesseract PAGE (OCR, with errors)", load_inputs([str(bm / "page-tesseract")]))]
    for name, doc in rows:
        doc, d = build(doc)
        ok, left = joined_count(d, words)
        furn = furniture_of(d)
        nums = [p["number"] for p in d["pages"]]
        n_let = sum(letters(p.raw) for p in doc.pages)
        print(f"{name:34} {n_let:>9} {ok:>4}/{n_breaks:<3} {left:>5} {len(furn):>4}/{len(want_furn):<5} "
              f"{str(nums):>10}  footnotes={len(d['footnotes'])} furniture={sorted(k for k, _ in furn)}")
    # PAGE GT reading text against the ground truth's own words, in order
    doc, d = build(load_inputs([str(bm / "page-gt")]))
    got = " ".join(p["text"] for p in d["paragraphs"]).split()
    want = []
    for f in gt_files:
        root = etree.parse(str(f)).getroot()
        order = [r.get("regionRef") for r in root.iter("{*}RegionRefIndexed")]
        regs = {r.get("id"): r for r in root.iter("{*}TextRegion")}
        for rid in order:
            reg = regs[rid]
            if reg.get("type") in ("page-number", "catch-word", "signature-mark", "header", "footer", "marginalia"):
                continue
            text = "\n".join(tl.findtext("{*}TextEquiv/{*}Unicode") or "" for tl in reg.findall("{*}TextLine"))
            text = re.sub(r"([\w\u0300-\u036f])[-⸗=]\n(\w)", r"\1\2", text)
            want.append(" ".join(text.split()))
    want_text = " ".join(want).replace("A ufkl", "Aufkl")  # the drop capital is its word's first letter
    same = " ".join(got) == " ".join(want_text.split())
    print(f"PAGE GT reading text identical to the ground truth (hyphens joined, drop capital merged, "
          f"furniture out): {same}" + ("" if same else f" ({len(got)} vs {len(want_text.split())} words)"))

    # ChronAm ALTO (docWorks, HYP + SUBS_CONTENT)
    ca = S / "chronam-new-york-tribune"
    xml = (ca / "ocr.xml").read_text(encoding="utf-8")
    root = etree.fromstring(xml.encode())
    src_letters = sum(letters(s.get("CONTENT") or "") for s in root.iter("{*}String"))
    n_hyp = sum(1 for _ in root.iter("{*}HYP"))
    n_subs = sum(1 for s in root.iter("{*}String") if s.get("SUBS_TYPE") == "HypPart1")
    def best(path, n=3):
        times = []
        for _ in range(n):
            t0 = time.process_time()
            d = load_inputs([str(path)])
            times.append(time.process_time() - t0)
        return min(times), d

    best(ca / "ocr.txt", 1)  # warm up imports and caches
    t_alto, doc = best(ca / "ocr.xml")
    t_txt, _ = best(ca / "ocr.txt")
    doc, d = build(doc)
    joins = [e for e in d["edits"] if e["rule"] == "hyphen-join"]
    by_subs = sum(1 for e in joins if "as the file says" in e["note"] or e["confidence"] >= 0.99)
    page = doc.pages[0]
    join_lines = {ln.no for e in joins for ln in page.lines if e["page"] == 0 and ln.start <= e["start"] <= ln.eol_end}
    hyp_lines = [ln.no for ln in page.lines if page.info["lines"][ln.no].get("hyphen")]
    hyp_joined = sum(1 for no in hyp_lines if no in join_lines)
    doubled = len(re.findall(r"\w--\w", "\n".join(p["text"] for p in d["paragraphs"])))
    print(f"ChronAm ALTO: {src_letters} letters in CONTENT, {sum(letters(p.raw) for p in doc.pages)} read; "
          f"{n_hyp} HYP, {n_subs} SUBS_CONTENT; {hyp_joined}/{len(hyp_lines)} HYP lines joined, {len(joins)} line-end joins "
          f"in all ({by_subs} as SUBS_CONTENT says), "
          f"{doubled} doubled hyphens; reading the ALTO took {t_alto:.2f} CPU-s, {t_alto / max(t_txt, 1e-9):.1f}x "
          f"the CPU time of the library's plain text of the same page (best of 3)")

    # BL issue through its METS
    bl = S / "bl-liverpool-standard-1832-11-23"
    doc = load_inputs([str(bl)])
    doc, d = build(doc)
    arts = [s for s in d.get("structure", []) if s["type"] == "article"]
    print(f"BL issue via METS: {len(d['pages'])} pages labelled {[p.info.get('mets_label') for p in doc.pages]}, "
          f"numbers {[p['number'] for p in d['pages']]}, title {d['metadata']['title']!r}, "
          f"date {d['metadata'].get('date')}, {len(arts)} articles ({sum(1 for a in arts if a['label'])} titled, "
          f"{sum(1 for a in arts if a['spans'])} located in the text), problems {len(d['problems'])}")

    # OCR confidences against the corrector: how many of its edits change words the engine was sure of
    from reissue.ingest.confidence import OcrConfidence

    # (before = without the guard, i.e. the same input with its confidences dropped before correction)
    import reissue.correct.stage as stage

    for name, path in (("ChronAm ALTO (WC)", ca / "ocr.xml"), ("BL ALTO (WC), 8 pages", bl),
                       ("Tesseract PAGE (conf)", bm / "page-tesseract")):
        for when in ("without the OCR guard", "with the OCR guard"):
            guard = stage._ocr_guard
            if when.startswith("without"):
                stage._ocr_guard = lambda doc, doubt_q=None: None
            try:
                doc = process(load_inputs([str(path)]), correct=True)
            finally:
                stage._ocr_guard = guard
            conf = OcrConfidence(doc)
            edits = [e for e in doc.edits if e.stage == "correct" and e.superseded_by is None]
            sure = [e for e in edits if (c := conf.of_raw(e.page, e.start, e.end)) is not None and c >= conf.sure]
            low = [e for e in edits if (c := conf.of_raw(e.page, e.start, e.end)) is not None and c < conf.median]
            print(f"{name}, {when}: {len(edits)} corrections; {len(sure)} change words the engine was sure of "
                  f"(conf >= {conf.sure:.2f}, the document's median {conf.median:.2f}; "
                  f"{sum(e.confidence >= stage.OCR_STRONG for e in sure)} of them strong, p >= {stage.OCR_STRONG}), "
                  f"{len(low)} change words below the median; {len(doc.ocr_kept)} not made by the guard; "
                  f"e.g. {[(e.before, e.after) for e in sure[:4]]}"
                  + (f", kept {[(k[1], k[2]) for k in doc.ocr_kept[:6]]}" if doc.ocr_kept else ""))

    # corrected files back out, read back: the same reading text?
    for name, path in (("ChronAm ALTO", ca / "ocr.xml"), ("BL ALTO via METS", bl), ("ALTO GT", bm / "alto-gt"),
                       ("PAGE GT", bm / "page-gt"), ("Tesseract PAGE", bm / "page-tesseract")):
        readback(name, path)

    # the other end: dictionary words the engine doubted made correction candidates (OCR_DOUBT_Q)
    if not args.no_doubt:
        for name, path in (("ChronAm ALTO (WC)", ca / "ocr.xml"), ("BL ALTO (WC), 8 pages", bl),
                           ("Tesseract PAGE (conf), German", bm / "page-tesseract")):
            doubt_changes(name, path, stage)

    # synthetic fixtures: BnF hyphenation, Fraktur strings, PAGE types, hOCR gutter
    fx = HERE / "tests" / "data" / "formats"
    doc, d = build(load_inputs([str(fx / "alto_bnf_hyphen.xml")]))
    text = "\n".join(p["text"] for p in d["paragraphs"])
    print(f"BnF-style ALTO fixture: 'lentement' {text.count('lentement')}x, 'lente--' {text.count('lente--')}x, "
          f"'porte-monnaie' kept {text.count('porte-monnaie')}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
