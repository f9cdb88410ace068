#!/usr/bin/env python
"""Would a collection's words keep names? Issue 14 defines a name as a capitalised word "seen elsewhere in the
document or collection" and asks that names stay unless the evidence is overwhelming. The corrector uses the
document (a bonus for a word printed elsewhere in it, ``scoring._doc_bonus``); this script measures the collection.

HIPE-OCRepair has no collections, so one is simulated: the collection of an English train document is the OCR of the
other train documents of its source (``hipe.source_of``: an icdar2017 periodical, an overproof newspaper, an impresso
title), as a library's OCR of one title's other issues would be. The held-out run is ``bench_correct_cv.py``'s (its
options pass through), with one guard added after the corrector: an edit of a word that looks like a name (a
capitalised word of ``--min-len`` letters or more, not all capitals, not at a sentence's start unless ``--anywhere``)
is refused, unless its confidence reaches ``--overwhelming``, where the collection

* prints the word (lower-cased) in at least ``--docs`` other documents, and
* prints the correction no more often than the word (``--never``: not at all).

It prints ``bench_correct_cv.py``'s table and the edits the guard refused, most frequent first. Compare with a plain
``bench_correct_cv.py`` run of the same options (the guard is the only difference; the vetters are trained as
without it, as a guard shipped in the build stage would be).

    .venv/bin/python benchmarks/bench_collection_names.py --context --damage
    .venv/bin/python benchmarks/bench_collection_names.py --context --damage --docs 1 --never
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO / "src", REPO / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import bench_correct_cv  # noqa: E402  (after the path)
import reissue.correct.hipe as hipe  # noqa: E402
from bench_correct import default_data  # noqa: E402
from reissue.correct.tokens import whole_words  # noqa: E402

WORD = re.compile(r"[^\W\d_][^\W\d_'’]*")


class Collections:
    """Per source, the documents printing each lower-cased word and how often it is printed (OCR of train)."""

    def __init__(self, data: Path, splits: tuple[str, ...]):
        self.docs: dict[str, Counter] = defaultdict(Counter)
        self.words: dict[str, Counter] = defaultdict(Counter)
        self.of_text: dict[str, tuple[str, Counter]] = {}
        for split in splits:
            with open(data / f"{split}.jsonl", encoding="utf-8") as fh:
                for line in fh:
                    r = json.loads(line)
                    src = hipe.source_of(r["document_metadata"]["document_id"])
                    ocr, gt = r["ocr_hypothesis"]["transcription_unit"], r["ground_truth"]["transcription_unit"]
                    own = Counter(w.lower() for w in WORD.findall(ocr))
                    self.docs[src].update(own.keys())
                    self.words[src].update(own)
                    # the ground truth corrected as the OCR (--damage) is judged by the collection of its OCR
                    self.of_text[ocr] = self.of_text[gt] = (src, own)

    def elsewhere(self, text: str, word: str) -> tuple[int, int] | None:
        """(other documents printing word, times they print it), or None for a text of no source."""
        got = self.of_text.get(text)
        if got is None:
            return None
        src, own = got
        return self.docs[src][word] - (1 if own[word] else 0), self.words[src][word] - own[word]


def name_like(text: str, start: int, word: str, min_len: int, anywhere: bool = False) -> bool:
    """A capitalised word, not all capitals, of min_len letters or more, inside a sentence (after a word, a figure,
    a comma or a semicolon: not after a stop, nor at the text's start) unless ``anywhere``."""
    if len(word) < min_len or not word[:1].isupper() or word.isupper():
        return False
    before = text[:start].rstrip(" \t\n\"'‘’“”(")
    return anywhere or (bool(before) and (before[-1].isalnum() or before[-1] in ",;"))


def refused(coll: Collections, text: str, c, *, docs: int, never: bool, overwhelming: float, min_len: int,
            anywhere: bool = False) -> bool:
    """Does the guard refuse the correction ``c`` (widened to its word) of ``text``?"""
    word = c.before.strip(".,;:!?\"'’()")
    seen = coll.elsewhere(text, word.lower()) if WORD.fullmatch(word) else None
    if seen is None or c.confidence >= overwhelming \
            or not name_like(text, c.start + c.before.index(word), word, min_len, anywhere):
        return False
    printed = coll.elsewhere(text, c.after.strip(".,;:!?\"'’()").lower())[1]
    return seen[0] >= docs and (printed == 0 if never else printed <= seen[1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2, help="other documents of the collection printing the word")
    ap.add_argument("--never", action="store_true", help="the correction is never printed in the collection")
    ap.add_argument("--overwhelming", type=float, default=0.99, help="a confidence that overrides the guard")
    ap.add_argument("--min-len", type=int, default=4)
    ap.add_argument("--anywhere", action="store_true", help="a capitalised word at a sentence's start too")
    ap.add_argument("--show", type=int, default=30, help="the refused edits listed")
    args, rest = ap.parse_known_args(argv)
    data = next((Path(rest[i + 1]) for i, a in enumerate(rest[:-1]) if a == "--data"), None) or default_data("en")
    coll = Collections(data, bench_correct_cv.SPLITS)
    how = {"docs": args.docs, "never": args.never, "overwhelming": args.overwhelming, "min_len": args.min_len,
           "anywhere": args.anywhere}
    refusals: Counter = Counter()
    plain = hipe.correct_hipe_text

    def guarded(corrector, text: str, **kw) -> str:
        """``correct_hipe_text`` itself, the corrector's corrections (widened to words) less those refused."""
        corrections = corrector.corrections

        def kept(t: str, vocab, **options) -> list:
            keep = []
            for c in whole_words(t, corrections(t, vocab, **options)):
                if refused(coll, t, c, **how):
                    refusals[(c.before, c.after)] += 1
                else:
                    keep.append(c)
            return keep

        corrector.corrections = kept  # (for this text only: the instance's attribute, removed below)
        try:
            return plain(corrector, text, **kw)
        finally:
            del corrector.corrections

    hipe.correct_hipe_text = guarded
    try:
        rc = bench_correct_cv.main(rest)
    finally:
        hipe.correct_hipe_text = plain
    print(f"guard: {args.docs}+ other documents, correction printed {'never' if args.never else 'no more often'}, "
          f"confidence under {args.overwhelming}: {sum(refusals.values())} edits refused (OCR and clean runs)")
    for (word, after), n in refusals.most_common(args.show):
        print(f"  {n:3d}  {word} -> {after}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
