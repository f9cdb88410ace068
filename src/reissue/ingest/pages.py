"""PAGES: one decoded file -> its page(s) in a :class:`Document`, through the same code for every input.

The file's format is told by its content (:func:`.formats.sniff_format`) and its text read by the
parser registered for that format in :data:`.formats.FORMATS`; each page is checked against the
limits (:mod:`.limits`), split into lines and repaired for mojibake (:mod:`.mojibake`).
"""

from __future__ import annotations

from typing import Iterable

from ..contracts import declare
from ..model import Document, Page
from . import limits
from .decoding import BinaryContent, add_problem, decode_bytes, declared_encoding
from .formats import FORMATS, BrokenMarkup, root_name, sniff_format
from .mojibake import repair_mojibake

# the stage that makes a Document: load_inputs and document_from_texts record it in doc.stages
declare("ingest", assigns=("doc.pages", "page.lines", "doc.source_metadata", "doc.structure"))

__all__ = ["add_page", "add_from_text", "add_from_bytes", "document_from_texts"]


def add_page(doc: Document, source: str, raw: str, encoding: str, info: dict) -> Page | None:
    why = limits.over_limits(raw)
    if why:
        add_problem(doc, source, f"{why}; refused", "split it into pages of ordinary size (one file per page), "
                    "with line breaks between the lines")
        return None
    page = Page(index=len(doc.pages), source=source, raw=raw, encoding=encoding)
    page.info.update(info)
    page.lines = page.split_lines()
    doc.pages.append(page)
    if not raw.strip():
        add_problem(doc, source, "empty page, no text" if not raw else "empty page, only white space",
                    "kept as a blank page so page numbering stays right; check the OCR output")
    repair_mojibake(doc, page)
    return page


def add_from_text(doc: Document, source: str, text: str, encoding: str) -> int:
    """Add the page(s) of one decoded file; returns the number of pages added."""
    fmt = sniff_format(text)
    if fmt == "xml":
        add_problem(doc, source, f"markup with root <{root_name(text)}> that is neither ALTO, hOCR nor PAGE XML",
                    "export the OCR as plain text, ALTO, hOCR or PAGE XML")
        return 0
    if FORMATS[fmt].parse is None:  # METS: it describes an issue, it is not a page
        add_problem(doc, source, "a METS file among the pages, not read as a page",
                    "pass the METS file, or the folder holding it, as the input to read the issue it describes")
        return 0
    reader = FORMATS[fmt]
    try:
        pages = reader.parse(text)
    except BrokenMarkup as exc:
        add_problem(doc, source, f"broken {reader.label}: {exc}", "repair or re-export the file")
        return 0
    if not pages:
        add_problem(doc, source, f"{reader.label} without any page", "check the OCR export")
        return 0
    added = 0
    for k, pp in enumerate(pages):
        src = source if len(pages) == 1 else f"{source}#{k + 1}"
        added += add_page(doc, src, pp.raw, encoding, dict(pp.info, format=fmt)) is not None
    return added


def add_from_bytes(doc: Document, source: str, data: bytes) -> int:
    try:
        text, enc = decode_bytes(data, declared_encoding(data))
    except BinaryContent as exc:
        add_problem(doc, source, exc.what, exc.todo)
        return 0
    return add_from_text(doc, source, text, enc)


def document_from_texts(items: Iterable[tuple[str, str]]) -> Document:
    """A Document from ``[(source, text), ...]`` through the same per-page code as files."""
    doc = Document()
    for source, text in items:
        add_from_text(doc, source, text, "utf-8")
    doc.stages.append("ingest")
    return doc
