"""Shared fixtures: a small factory that builds editions (edition.json dicts) with the model API.

``build_edition(pages, ...)`` turns a list of raw page texts into a ``reissue-edition/1`` dict the
way the pipeline would, but with simple rules, so the index, the web reader and the static page can
be tested without the real pipeline:

* a first line made of digits is the folio (printed page number; removed as furniture);
* a line starting with ``* `` is a footnote (its marker is removed, the call-out ``*`` stays in the
  paragraph that contains it);
* blank lines separate paragraphs; a paragraph that does not end a sentence at the end of a page
  runs on to the next page; a short all-caps block is a heading;
* line breaks become spaces, ``-\\n`` joins words (stage ``reflow``);
* ``corrections={"wrong": ("right", confidence)}`` records OCR corrections (stage ``correct``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import sys

import pytest

# the synthetic generators are a development tool outside the installed package (devtools/synth)
_DEVTOOLS = str(Path(__file__).resolve().parents[1] / "devtools")
if _DEVTOOLS not in sys.path:
    sys.path.insert(0, _DEVTOOLS)

from reissue.edition import document_to_dict
from reissue.model import Document, Footnote, Metadata, Page, Paragraph, TrackedText

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'


def build_document(pages: list[str], *, title="The Test Quarterly", volume=6, number=5, year=1939,
                   corrections: dict | None = None, source_prefix="page") -> Document:
    doc = Document(metadata=Metadata(title=title, volume=volume, number=number, year=year,
                                     page_count=len(pages)))
    doc.stages = ["test-factory"]
    corrections = corrections or {}
    open_para: TrackedText | None = None  # paragraph running on from the previous page
    notes: list[tuple[TrackedText, int]] = []
    para_no = 0

    def close(tt: TrackedText | None):
        nonlocal para_no
        if tt is None or not tt.text.strip():
            return
        text = tt.text
        kind = "heading" if (len(text) < 60 and text.upper() == text and re.search(r"[A-Z]", text)) else "paragraph"
        para_no += 1
        doc.paragraphs.append(Paragraph(f"p{para_no}", tt, kind))

    for index, raw in enumerate(pages):
        page = Page(index=index, source=f"{source_prefix}_{index:03d}.txt", raw=raw)
        lines = page.split_lines()
        page.lines = lines
        doc.pages.append(page)
        i = 0
        if lines and lines[0].str.strip().isdigit():
            ln = lines[0]
            page.number = int(ln.str.strip())
            page.number_source = "folio"
            eid = doc.remove_span(index, ln.start, ln.eol_end, stage="furniture", rule="folio",
                                  note="page number")
            from reissue.model import FurnitureLine
            page.furniture.append(FurnitureLine("folio", ln.str, 0, ln.start, ln.eol_end, eid))
            i = 1
        block: list = []

        def flush_block(at_page_end: bool):
            nonlocal open_para
            if not block:
                return
            start, end = block[0].start, block[-1].end
            tt = TrackedText.verbatim(index, start, end, raw)
            # join lines: "-\n" -> "", "\n" -> " " (right to left keeps offsets valid)
            text = tt.text
            for m in reversed(list(re.finditer(r"-\r?\n|\r?\n|\r", text))):
                new = "" if m.group().startswith("-") else " "
                tt.replace(doc, m.start(), m.end(), new, stage="reflow",
                           rule="dehyphenate" if new == "" else "join-lines", note="line break joined")
            # line terminator of the block's last line
            last = block[-1]
            if at_page_end and last.eol_end > last.end and not re.search(r"[.!?:\"]\s*$", tt.text):
                # the paragraph runs on: the page-final newline becomes a space
                nl = TrackedText.verbatim(index, last.end, last.eol_end, raw)
                tt.append(nl)
                tt.replace(doc, len(tt.text) - len(nl.text), len(tt.text), " ", stage="reflow",
                           rule="join-pages", note="paragraph continues on next page")
                carry = True
            else:
                if last.eol_end > last.end:
                    doc.remove_span(index, last.end, last.eol_end, stage="reflow", rule="paragraph-end",
                                    note="paragraph break")
                carry = at_page_end and not re.search(r"[.!?:\"]\s*$", tt.text)
            if open_para is not None:
                open_para.append(tt)
                tt = open_para
                open_para = None
            if carry:
                open_para = tt
            else:
                close(tt)
            block.clear()

        body = lines[i:]
        # trailing body lines before footnotes
        for j, ln in enumerate(body):
            s = ln.str
            if ln.kind == "blank":
                flush_block(False)
                if ln.eol_end > ln.start:
                    doc.remove_span(index, ln.start, ln.eol_end, stage="reflow", rule="blank-line",
                                    note="blank line between paragraphs")
                continue
            if s.startswith("* "):
                flush_block(True)
                doc.remove_span(index, ln.start, ln.start + 2, stage="notes", rule="note-marker",
                                note="footnote marker")
                nt = TrackedText.verbatim(index, ln.start + 2, ln.end, raw)
                if ln.eol_end > ln.end:
                    doc.remove_span(index, ln.end, ln.eol_end, stage="notes", rule="note-end",
                                    note="end of footnote")
                notes.append((nt, index))
                continue
            rest_is_notes = all(x.kind == "blank" or x.str.startswith("* ") for x in body[j + 1:])
            block.append(ln)
            if rest_is_notes:
                flush_block(True)
        flush_block(True)
    if open_para is not None:
        close(open_para)

    for k, (nt, pidx) in enumerate(notes, 1):
        doc.footnotes.append(Footnote(f"n{k}", "*", nt, pidx))
    # OCR corrections
    for wrong, (right, conf) in corrections.items():
        for tt in list(doc.texts()):
            while True:
                m = re.search(r"\b" + re.escape(wrong) + r"\b", tt.text)
                if not m:
                    break
                tt.replace(doc, m.start(), m.end(), right, stage="correct", rule="lexicon",
                           confidence=conf, note=f"'{wrong}' is not a word; '{right}' is")
    # call-outs of the footnotes
    for fn in doc.footnotes:
        for para in doc.paragraphs:
            if fn.page in para.pages():
                pos = para.text.text.find("*")
                if pos >= 0:
                    fn.paragraph, fn.anchor = para.id, para.text.anchor_at(pos)
                    break
    return doc


def build_edition(pages: list[str], **kw) -> dict:
    return document_to_dict(build_document(pages, **kw))


SAMPLE_PAGES = [
    "5\n"
    "THIS QUARTER\n"
    "\n"
    "The quick hrown fox jumps over the lazy dog. The Comintem was agitat-\n"
    "ing for a world crusade against tyranny.*\n"
    "\n"
    f"A second paragraph with {HOSTILE_SCRIPT} in it and the word zebra that runs\n"
    "on to the next\n"
    f"* A footnote about {HOSTILE_IMG} things.\n",
    "6\n"
    "page and ends here with the hrown word again.\n"
    "\n"
    "Final paragraph mentioning crossing guards and the quick reader.\n",
    "7\n"
    "LAST PAGE\n"
    "\n"
    "Nothing else happens on the last page, except a quiet ending.\n",
]

SAMPLE_CORRECTIONS = {"hrown": ("brown", 0.92), "Comintem": ("Comintern", 0.71)}


def sample_edition(**kw) -> dict:
    args = dict(corrections=SAMPLE_CORRECTIONS)
    args.update(kw)
    return build_edition(SAMPLE_PAGES, **args)


def write_edition(edition: dict, outdir: Path) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "edition.json").write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    return outdir


@pytest.fixture
def edition() -> dict:
    return sample_edition()


@pytest.fixture
def edition_dir(tmp_path, edition) -> Path:
    return write_edition(edition, tmp_path / "ed1")


@pytest.fixture
def library(tmp_path, edition):
    """A library with the sample edition and a second, different issue."""
    from reissue.index import Library

    db = tmp_path / "library.sqlite"
    lib = Library(str(db))
    lib.add_editions([edition, build_edition(
        ["12\nAnother issue about zebra migrations in the spring.\n\nA second paragraph.\n"],
        title="Zoology Monthly", volume=1, number=2, year=1951)])
    lib.close()
    return db


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def chromium_path() -> str | None:
    for c in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or ""):
        if c and os.path.exists(c):
            return c
    return None


# Property tests explore the same examples on every run (CI must not fail on a draw no one can
# reproduce); HYPOTHESIS_PROFILE=explore draws new examples locally.
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("ci", derandomize=True, database=None)
_hyp_settings.register_profile("explore", derandomize=False)
_hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
