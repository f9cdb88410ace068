"""FORMATS: the one table of the input formats, and :func:`sniff_format`, which tells a decoded file's
format by its content.

Each page format has one reader module here (:mod:`.text`, :mod:`.alto`, :mod:`.hocr`, :mod:`.page`),
``parse(text) -> [ParsedPage]``, and its writers beside it (:mod:`.alto_back` writes corrected ALTO
into the input's own file, :mod:`.page_back` PAGE, :mod:`.alto_out` new ALTO from PAGE/hOCR geometry;
:mod:`.writeback` runs them). METS (:mod:`.mets`) describes an issue, not a page: it has no
``parse`` and is read by :mod:`.mets_sources`.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Callable

from . import alto, hocr, page, text
from .common import BrokenMarkup, ParsedPage, xml_root

__all__ = ["FORMATS", "Format", "sniff_format", "root_name", "BrokenMarkup", "ParsedPage"]


@dataclass(frozen=True)
class Format:
    name: str  #: as recorded in ``page.info["format"]``
    label: str  #: as named in messages
    parse: "Callable[[str], list[ParsedPage]] | None"  #: None: not a page file (METS)
    written_back: tuple[str, ...] = ()  #: the corrected files written for input of this format (``OUTDIR/<fmt>/``)


def _reader(module, written_back: tuple[str, ...] = ()) -> Format:
    return Format(module.FORMAT, module.LABEL, module.parse, written_back)


#: format name -> :class:`Format`; every input format is registered here and only here
FORMATS: dict[str, Format] = {f.name: f for f in (
    _reader(text),
    _reader(alto, ("alto",)),
    _reader(hocr, ("alto",)),
    _reader(page, ("alto", "page")),
    Format("mets", "METS", None),
)}

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

