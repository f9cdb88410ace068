"""READERS: one module per OCR format, each ``parse(text) -> [ParsedPage]``, registered in :data:`READERS`.

:func:`sniff_format` tells the format of a decoded file by its content.
"""

from __future__ import annotations

import re

from . import alto, hocr, mets, page, text
from .common import BrokenMarkup, ParsedPage, line_layout, xml_root

__all__ = ["READERS", "mets", "sniff_format", "BrokenMarkup", "ParsedPage", "root_name", "line_layout"]

#: format name -> reader module (``FORMAT``, ``LABEL``, ``parse``)
READERS = {m.FORMAT: m for m in (text, alto, hocr, page)}

# the DOCTYPE's internal subset may hold "]>" inside quoted entity values or comments
_PROLOG = re.compile(r"""\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!(?i:DOCTYPE)(?:"[^"]*"|'[^']*'|[^\['">])*"""
                     r"""(?:\[(?:"[^"]*"|'[^']*'|<!--.*?-->|[^\]"'<]|<(?!--))*\]\s*)?>|<![^>]*>)\s*)*""", re.S)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_HOCR_MARK = re.compile(r"""class\s*=\s*["'][^"']*\b(?:ocr_page|ocr_line|ocrx_word|ocr_carea|ocr_par)\b""")


def root_name(text: str) -> str:
    s = text.lstrip("\ufeff \t\r\n")[:65536]
    m = _PROLOG.match(s)
    r = _ROOT.match(s[m.end():] if m else s)
    return r.group(1) if r else "?"


def sniff_format(text: str) -> str:
    """``"text"``, ``"alto"``, ``"hocr"``, ``"page"``, ``"mets"`` or ``"xml"`` (markup of another kind)."""
    s = text.lstrip("\ufeff \t\r\n")
    if not s.startswith("<"):
        return "text"
    head = s[:65536]
    m = _PROLOG.match(head)
    rest = head[m.end():] if m else head
    r = _ROOT.match(rest)
    if not r:
        return "text"
    local = r.group(1).rsplit(":", 1)[-1]
    if local.lower() == "alto":
        return "alto"
    if local == "PcGts":
        return "page"
    if local == "mets":
        return "mets"
    if _HOCR_MARK.search(head) or (len(s) > 65536 and _HOCR_MARK.search(s)):
        return "hocr"
    if s.startswith(("<?xml", "<!DOCTYPE", "<!doctype")) or local.lower() == "html":
        return "xml"
    # text that merely starts with "<" (an OCR line such as "<The Editor>") stays text unless
    # the whole page is well-formed XML
    if s.rstrip().endswith(">"):
        try:
            xml_root(s)
            return "xml"
        except BrokenMarkup:
            pass
    return "text"

