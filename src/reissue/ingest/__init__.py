"""INGEST: read OCR page dumps (folder, files, zip, stdin, METS) into a :class:`~reissue.model.Document`.

Public functions:

* :func:`load_inputs` - folder / file list / ``.zip`` / ``-`` (stdin, pages separated by ``\\f``);
* :func:`document_from_texts` - ``[(source, text), ...]`` for tests and benchmarks.

Every page goes through the same code: bytes are checked (binary? too big?), decoded
(:mod:`.decoding`: UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp1252, latin-1), sniffed and parsed by
the reader of its format, registered in the one table :data:`.formats.FORMATS` (:mod:`.text`,
:mod:`.alto`, :mod:`.hocr`, :mod:`.page`; METS in :mod:`.mets`), split into lines and repaired for
mojibake with ftfy (:mod:`.mojibake`), each repair recorded as an edit.

Modules: :mod:`.sources` (folders, zip, stdin, METS issues via :mod:`.mets_sources`; the limits are
:mod:`.limits`), :mod:`.pages` (one file -> its pages), :mod:`.decoding`, :mod:`.mojibake`,
:mod:`.formats` (the table and the sniffer), one reader module per format with its writers beside
it (:mod:`.alto_back`, :mod:`.page_back`, :mod:`.alto_out`, run by :mod:`.writeback`), and
:mod:`.confidence` (the OCR's word confidences for the corrector).

``Page.raw`` is the decoded text exactly (line endings untouched). For XML formats it is the
text layer, one raw line per OCR line, a blank line between blocks/regions, and
``page.info["lines"]`` holds one dict of geometry per raw line.

Bad input never stops the batch: per-file problems become one-line messages in
``doc.problems`` (``"<source>: <what happened> (<what to do>)"``); only a missing input path
(:class:`~reissue.errors.InputError`) or no page at all (:class:`~reissue.errors.NoPagesError`) raise.
"""

from __future__ import annotations

from .decoding import BinaryContent, decode_bytes
from .formats import FORMATS, sniff_format
from .mojibake import repair_mojibake
from .pages import document_from_texts
from .sources import load_inputs, natural_key

__all__ = ["load_inputs", "document_from_texts", "decode_bytes", "natural_key", "sniff_format",
           "repair_mojibake", "BinaryContent", "FORMATS"]
