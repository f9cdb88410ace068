"""Line-end hyphens in the language of the page: join/keep decisions against HIPE ground truth.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_hyphens.py [--split train|dev] [--data ../shared/data]

The HIPE ground truths mark a word broken at the line end (``¬\\n``; dta19: ``—\\n``, where it
marks every line-end hyphen) apart from a hyphen that stays (``-\\n``, not counted for dta19).
Each document is read as printed (every mark written ``-``), the language of its page is chosen
as ``reissue build`` does (:func:`reissue.reflow.hyphen_languages`: the identifier on the page's
text), and every line-end hyphen is decided by :func:`reissue.reflow.hyphen_decision` with that
language's lexicon, against the English lexicon for every page (reissue before, and ``--lang
none`` now). Speed: seconds of choosing the page languages as a ratio to the decisions with the
English lexicon, in the same run.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from reissue.ingest import document_from_texts
from reissue.reflow import Lexicon, hyphen_decision, hyphen_languages

HERE = Path(__file__).resolve().parent.parent
BREAK = re.compile(r"([^\W\d_]+)([¬—-])\n([^\W\d_]+)")
FILES = ["hipe-en/overproof", "hipe-en/impresso-snippets", "hipe-fr/impresso-snippets",
         "hipe-de/impresso-snippets", "hipe-de/impresso-nzz", "hipe-de/dta19-l0"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--data", default=str(HERE.parent / "shared" / "data"))
    args = ap.parse_args()
    from reissue.lang import identify_texts

    identify_texts(["the identifier is loaded before timing"])
    t_lang = t_dec = 0.0
    print(f"{'file (' + args.split + ')':34} {'pages':>5} {'page languages':22} "
          f"{'joins: en lexicon':>18} {'page lang':>10} {'keeps: en':>10} {'page lang':>10}")
    for name in FILES:
        path = Path(args.data) / f"{name}-{args.split}.jsonl"
        if not path.is_file():
            print(f"{name}: {path} not found", file=sys.stderr)
            continue
        res: Counter = Counter()
        langs: Counter = Counter()
        n = 0
        for line in path.open(encoding="utf-8"):
            gt = json.loads(line)["ground_truth"]["transcription_unit"]
            cases = [(m.group(1), m.group(3), "keep" if m.group(2) == "-" else "join") for m in BREAK.finditer(gt)
                     if not (m.group(2) == "-" and "dta19" in name)]
            if not cases:
                continue
            n += 1
            printed = re.sub(r"[¬—]\n", "-\n", gt)
            t0 = time.process_time()
            doc = document_from_texts([("p.txt", printed)])
            lang = hyphen_languages(doc, [ln for p in doc.pages for ln in p.lines]).get(0, "en")
            t1 = time.process_time()
            langs[lang] += 1
            lex = Lexicon([printed])
            for left, right, want in cases:
                for mode, lg in (("en", "en"), ("page", lang)):
                    got = hyphen_decision(left, right, lex, "-", lg)[0]
                    res[mode, want, got == want or (want == "keep" and got == "suspend")] += 1
            t_lang += t1 - t0
            t_dec += time.process_time() - t1

        def cell(mode, want):
            ok, bad = res[mode, want, True], res[mode, want, False]
            return f"{ok}/{ok + bad}" if ok + bad else "-"

        print(f"{name:34} {n:>5} {' '.join(f'{k}:{v}' for k, v in langs.most_common(3)):22} "
              f"{cell('en', 'join'):>18} {cell('page', 'join'):>10} {cell('en', 'keep'):>10} {cell('page', 'keep'):>10}")
    print(f"choosing the page languages took {t_lang:.2f} CPU-s, {t_lang / max(t_dec, 1e-9):.1f}x the time of "
          f"the hyphen decisions (both lexicons, with building the document lexicons)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
