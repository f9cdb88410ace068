"""Corrected ALTO and PAGE back out, in the library's own format.

For every input page file read as ALTO or PAGE XML, :func:`write_back` writes
``OUTDIR/alto/<name>.xml`` (ALTO v4) or ``OUTDIR/page/<name>.xml`` (PAGE 2019): the original file
with its structure, geometry and ids, each word's text replaced by its corrected form, and the
OCR's reading kept beside it (PAGE and hOCR input also get an ALTO v4 file written from their
geometry, :mod:`.alto_out`):

* ALTO: ``CONTENT`` is the corrected word, an ``<ALTERNATIVE PURPOSE="OCR">`` child keeps the OCR's;
  a ``<Processing>`` step in ``<Description>`` names the tool, its version and the model; a word
  that reflow joined over a line end is written the standard way (``HYP`` element, ``SUBS_TYPE``
  ``HypPart1``/``HypPart2`` and ``SUBS_CONTENT`` with the joined word, no hyphen inside ``CONTENT``);
* PAGE: each changed ``Word``/``TextLine`` gets ``TextEquiv index="0"`` (corrected) before
  ``TextEquiv index="1"`` (the OCR's, with its ``conf``); a ``MetadataItem`` of type
  ``processingStep`` names the tool, version and model.

The corrections written are the active edits of the stages that change letters (``correct``,
``review``, ``normalize``, mojibake repairs of ``ingest``), each narrowed to the letters it changes,
that lie inside one word (a word split over a line end counts as one: its correction is shared
out over the two halves). A correction across words is written the standard way
(:func:`.back_common.regroup`): a merge is one ``String``/``Word`` over the union of their boxes, a
split is ``String`` + ``SP`` + ``String`` (PAGE: a ``Word`` per part) dividing the box, the OCR's
reading of the span kept on the first; over a line end a merge is a hyphenated word
(``HypPart1``/``HypPart2``, ``SUBS_CONTENT``; PAGE: the first half ends in a hyphen) and a split
ends the hyphenation. A compound whose line-end hyphen the edition keeps gets ``SUBS_CONTENT``
with the hyphen, so a reader keeps it too. Furniture and notes reissue found are typed (ALTO ``TAGREFS`` to a
``StructureTag``; PAGE ``TextRegion/@type`` where the file leaves it untyped). Each file is parsed
again with the same reader, and each line's text must equal the page's raw line, so a word is never
written to the wrong place.

Modules: this one (entry points), :mod:`.alto_back` (ALTO in place), :mod:`.page_back` (PAGE in
place), :mod:`.alto_out` (ALTO from PAGE/hOCR geometry), :mod:`.back_common` (what they share).
"""

from __future__ import annotations

import os
import zipfile

from .decoding import decode_bytes, declared_encoding
from .limits import MAX_PAGE_BYTES
from .alto_back import _write_alto
from .alto_out import alto_from_pages
from .back_common import WriteEdits, _joins, corrected_word
from .common import BrokenMarkup, xml_root
from .formats import FORMATS
from .page_back import _write_page


def _read_again(path: str, member: str | None) -> bytes:
    """The bytes of an input page file (or of a member of a ZIP archive), within the ingest limit."""
    if member is None:
        with open(path, "rb") as f:
            data = f.read(MAX_PAGE_BYTES + 1)
    else:
        with zipfile.ZipFile(path) as zf, zf.open(member) as f:  # in memory only, never extracted
            data = f.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ValueError("over the page size limit")
    return data


def _written_back(fmt: str | None) -> tuple[str, ...]:
    """The corrected files written for a page of format ``fmt`` (the table :data:`.formats.FORMATS`)."""
    entry = FORMATS.get(fmt or "")
    return entry.written_back if entry else ()


def generator_for(model) -> dict:
    """The tool named in the files written back: reissue, its version, the correction model (None: off)."""
    from .. import __version__

    return {"name": "reissue", "version": __version__, "model": model}


def attach_sources(doc, sources: list[str], mets_use: str | None = None) -> list[str]:
    """Re-read the input an edition was built from (``reissue export --sources``) and give each of
    ``doc``'s pages the file it came from and its geometry, so that :func:`write_back` can write it
    again; a page is paired only when the input's page at the same place has the same raw text.
    Returns problem lines (a page that reads differently is not written back)."""
    from ..errors import ReissueError
    from .sources import load_inputs

    notes: list[str] = []
    try:
        src = load_inputs(list(sources), notes=notes, mets_use=mets_use)
    except ReissueError as exc:
        return [f"corrected ALTO/PAGE not written: the sources cannot be read ({exc})"]
    problems = list(src.problems)
    if len(src.pages) != len(doc.pages):
        problems.append(f"{', '.join(sources)}: {len(src.pages)} pages read, the edition has {len(doc.pages)}; "
                        f"pages are paired in order where their raw text is the same (give the input of the build)")
    for page, other in zip(doc.pages, src.pages):
        if page.raw != other.raw:
            problems.append(f"{other.source}: page {page.index + 1} of the edition ({page.source}) reads differently "
                            f"in the sources; its corrected ALTO/PAGE is not written (give the input of the build)")
        elif _written_back(other.info.get("format")):
            page.info.update({k: v for k, v in other.info.items() if k not in page.info or k == "lines"})
            page.lines = page.lines or page.split_lines()  # a page read from edition.json has none yet
    return problems


def writer_into(doc, generator: dict, problems: list[str]):
    """``also`` for :func:`reissue.export.write_edition`: writes the corrected ALTO/PAGE into the
    edition's temporary folder (so they appear with the edition), adding its problems to ``problems``."""
    def also(folder: str) -> list[str]:
        written, probs = write_back(doc, folder, generator)
        problems.extend(probs)
        return written
    return also


def write_back(doc, outdir: str, generator: dict | None = None) -> tuple[list[str], list[str]]:
    """Write corrected ALTO/PAGE for every page read from such a file; returns (paths, problems)."""
    from ..export import _write

    generator = generator or {"name": "reissue"}
    edits = WriteEdits(doc)
    files: dict[tuple, list] = {}
    for page in doc.pages:
        fmt = page.info.get("format")
        if _written_back(fmt) and page.info.get("path"):
            files.setdefault((page.info["path"], page.info.get("member")), []).append(page)
    written, problems = [], []
    used: set[tuple[str, str]] = set()

    def put(sub: str, path: str, data: bytes) -> None:
        base = os.path.splitext(os.path.basename(path))[0] + ".xml"
        name, n = base, 2
        while (sub, name) in used:
            name = f"{os.path.splitext(base)[0]}-{n}.xml"
            n += 1
        used.add((sub, name))
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)
        written.append(_write(outdir, os.path.join(sub, name), data))

    for (path, member), pages in files.items():
        fmt = pages[0].info["format"]
        name = member or path
        path = f"{path}:{member}" if member else path
        stats = {"words": 0, "hyphens": 0, "crossing": 0, "lines_unmatched": 0}
        try:
            outs = _written_back(fmt)
            if "alto" in outs and fmt != "alto":
                # every input with geometry also gets ALTO v4, written from what the reader kept
                put("alto", name, alto_from_pages(doc, pages, generator, edits, _joins, corrected_word, dict(stats)))
            if fmt in outs:  # the input's own file, corrected in place
                try:
                    data = _read_again(pages[0].info["path"], member)
                    text, _enc = decode_bytes(data, declared_encoding(data))
                    root = xml_root(text)
                except (OSError, ValueError, BrokenMarkup, zipfile.BadZipFile, KeyError) as exc:
                    problems.append(f"{path}: not written back as {fmt.upper()}: the input file cannot be read again "
                                    f"({exc}) (keep the input files in place until the build is done)")
                    continue
                if fmt == "alto":
                    out = _write_alto(doc, pages, root, generator, edits, stats)
                else:
                    out = _write_page(doc, pages[0], root, generator, edits, stats)
                if stats["lines_unmatched"]:
                    problems.append(f"{path}: {stats['lines_unmatched']} lines read differently than at ingest; their "
                                    f"words were not written back (the file changed during the build?)")
                put(fmt, name, out)
        except Exception as exc:  # an input this writer cannot rebuild: the edition stands without it
            problems.append(f"{path}: corrected {fmt.upper()} not written ({type(exc).__name__}: {exc}) "
                            f"(the edition files are complete; please report the input)")
    return written, problems
