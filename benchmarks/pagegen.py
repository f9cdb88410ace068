"""Generated page text for the scale benchmarks (bench_scale_stages.py, bench_edition_memory.py):
one generator, so both measure the same kind of page.

A page: a running head, body lines of 7-11 words drawn from a fixed word list, paragraphs of
``paragraph`` lines (the last one short, ending a sentence, then a blank line), a line-end hyphen
(``revolu-`` / ``tionary``) every ``hyphen_every`` lines, and the folio. With ``run_on`` the page's
last paragraph does not end on the page: it continues on the next one (a paragraph across a page
break, as reflow joins them)."""

from __future__ import annotations

import random

WORDS = ("the of and to in that was for his with as on by at from which this had not are but be have "
         "committee revolution literature government question socialist movement criticism writers "
         "people political american history economic national workers international culture").split()


def page_text(rng: random.Random, n_lines: int, folio: int, *, paragraph: int = 12, hyphen_every: int = 9,
              run_on: bool = False) -> str:
    lines = ["PARTISAN REVIEW", ""]
    for i in range(n_lines):
        words = [rng.choice(WORDS) for _ in range(rng.randint(7, 11))]
        if i % paragraph == paragraph - 1 and not (run_on and i == n_lines - 1):
            lines += [" ".join(words[:3]) + ".", ""]
        elif i % hyphen_every == hyphen_every // 2:
            lines.append(" ".join(words) + " revolu-")
            lines.append("tionary " + " ".join(words[:6]))
        else:
            lines.append(" ".join(words))
    lines += ["", str(folio)]
    return "\n".join(lines) + "\n"
