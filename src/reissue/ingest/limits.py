"""LIMITS of what one input may hold (README "Limits"): a page over them is refused at once with one
line, never a stall. Constants read at call time, so a test may lower them on this module."""

from __future__ import annotations

import re

# Limits (README "Limits"): a page over them is refused at once with one line, never a stall.
MAX_PAGE_BYTES = 20_000_000  # one input file (a multi-page ALTO/hOCR/PAGE file counts once)
MAX_PAGE_CHARS = 2_000_000  # text of one page (a whole issue in one file without pages is larger)
MAX_LINE_CHARS = 100_000  # one line of a page (OCR lines are < 1,000; one ALTO attribute is one line)
MAX_ARCHIVE_BYTES = 1_000_000_000  # all members of one .zip, decompressed (declared sizes)
_BREAKS = re.compile(r"\r\n|\r|\n")


def over_limits(raw: str) -> str | None:
    """Why a page is refused (too long, or a line too long), or None."""
    if len(raw) > MAX_PAGE_CHARS:
        return f"page text has {len(raw):,} characters, over the limit of {MAX_PAGE_CHARS:,} per page"
    if len(raw) > MAX_LINE_CHARS:
        pos = 0
        for no, m in enumerate(_BREAKS.finditer(raw), 1):
            if m.start() - pos > MAX_LINE_CHARS:
                return f"line {no} has {m.start() - pos:,} characters, over the limit of {MAX_LINE_CHARS:,} per line"
            pos = m.end()
        if len(raw) - pos > MAX_LINE_CHARS:
            return (f"its last line has {len(raw) - pos:,} characters, over the limit of {MAX_LINE_CHARS:,} "
                    "per line")
    return None
