"""Plain-text reader: the decoded text is the page's raw text exactly (line endings untouched)."""

from __future__ import annotations

from .common import ParsedPage

FORMAT = "text"
LABEL = "plain text"


def parse(text: str) -> list[ParsedPage]:
    return [ParsedPage(text, {})]
