"""Synthetic page dumps with known answers, and the scorer that compares an edition with them.

``generate_issue(seed)`` lays out clean prose as the raw OCR text dumps of a digitized periodical
would show it: running heads alternating verso/recto, folios (top, bottom or inside the head line,
sometimes OCR-garbled or missing), viewer chrome (title lines, navigation lists, credits), drop
caps, paragraph styles, line-end hyphens (rejoined words and kept compounds), footnotes (also
continued on the next page), headings and OCR-like noise. Everything that was put on a page is
recorded in ``SynthIssue.truth`` (JSON-serialisable), so ``score_edition`` can grade what
``reissue build`` made of the pages.

Clean text: by default the ground truth of the HIPE train split named by ``$REISSUE_SYNTH_TEXT``, else
``<checkout>/../shared/data/hipe-en`` (read at run time, never shipped) when that folder exists, else a
small built-in text.

This package is a development tool: it lives in ``devtools/`` (not installed with reissue; nothing in
``src/reissue`` imports it). Tests put ``devtools`` on ``sys.path`` (tests/conftest.py), benchmarks do
the same themselves.

Command line: ``PYTHONPATH=src:devtools python -m synth OUTDIR --issues N --pages M --seed S``.

``truth.json`` (format ``reissue-synth-truth/1``; pages and lines are 0-based, lines numbered as
:meth:`reissue.model.Page.split_lines` numbers them):

* ``metadata``: title, volume, number, year, page_count as the pages show them (``None`` where no
  page shows it); ``issue``: the full facts (also those not printed); ``layout``: the drawn layout;
* ``pages[]``: index, name, number (printed page number, also where no folio is printed), folio
  (the folio text as printed, maybe OCR-garbled, or ``None``), verso, furniture[] (line, kind, text;
  kinds: running-head, folio, viewer-title, viewer-nav, viewer-credit), body_lines, heading_lines,
  note_lines, blank_lines, line_count;
* ``paragraphs[]`` in reading order: index, kind (paragraph | heading), role (title | byline |
  subheading for headings), text (clean, as printed: headings in their case, no call-out marks),
  pages, page_numbers, first_line [page, line], page_breaks [[page, index of the first word printed
  there]], dropcap, cues (what marks its start: blank, indent, dropcap, heading, short-line,
  sentence-end, page-top), callouts [{word, note, marker}];
* ``hyphens[]``: page, line, offset (raw offset of the hyphen char), char, kind (join: a word broken
  at the line end; keep: a real compound broken after its hyphen), word (the clean word), prefix,
  suffix, cross_page, in_note (and note: id);
* ``footnotes[]``: id, marker (``*``, ``†``, ``1``...), marker_raw (as printed: ``(1)``...), text
  (clean), page, page_number, paragraph (index of the paragraph with the call-out), callout_word,
  continued, pages, lines [[page, line]], parts (text on each page).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .gen import SynthIssue, generate_issue, write_issue  # noqa: F401
from .parts import choose_layout  # noqa: F401
from .score import aggregate_scores, score_edition, truth_to_edition  # noqa: F401
from .text import DEFAULT_TEXT_DIR, FURNITURE_KINDS, HYPHEN_CHARS, SYMBOL_MARKERS, TextSource, fallback_source, load_text_source  # noqa: F401


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synth",
                                 description="Write synthetic OCR page dumps with their truth.json.")
    ap.add_argument("outdir")
    ap.add_argument("--issues", type=int, default=1)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--noise", type=float, default=None, help="per-word OCR noise rate (default: drawn per issue)")
    ap.add_argument("--text-source", default=None,
                    help=f"folder of HIPE *-train.jsonl, a text file, or 'builtin' (default: {DEFAULT_TEXT_DIR} if present)")
    a = ap.parse_args(argv)
    if a.issues < 1 or a.pages < 1:
        ap.error("--issues and --pages must be at least 1")
    lay = {"noise": a.noise} if a.noise is not None else None
    for k in range(a.issues):
        issue = generate_issue(a.seed + k, a.pages, text_source=a.text_source, layout=lay)
        d = write_issue(issue, Path(a.outdir) / f"issue-{a.seed + k:04d}")
        print(f"{d}: {len(issue.pages)} pages, {len(issue.truth['paragraphs'])} paragraphs, "
              f"{len(issue.truth['footnotes'])} footnotes, {len(issue.truth['hyphens'])} line-end hyphens")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
