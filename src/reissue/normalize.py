"""NORMALIZE: characters of the print written the way readers and the corrector expect.

``--normalize none|ligatures|historical`` (default ``ligatures``):

* ``none``: the reading text keeps every character as the OCR gave it;
* ``ligatures``: typographic ligatures become their letters (``ﬁ`` -> ``fi``, ``ﬂ`` -> ``fl``,
  ``ﬀ`` -> ``ff``, ``ﬃ``, ``ﬄ``, ``ﬅ``, ``ﬆ``, ``ĳ``): the same word, written as letters, so
  ``ﬁnd`` is searched, read and corrected as ``find``;
* ``historical``: also the long s (``ſ`` -> ``s``) and the combining e of Fraktur umlauts
  (``aͤ`` -> ``ä``).

The raw text of every page keeps the characters (``pages[].raw``); each change is an edit of stage
``normalize`` (rule ``ligature`` or ``historical``) on the reading text of paragraphs and notes,
made before correction so that the corrector works on the normalised form.
"""

from __future__ import annotations

import re

from .chars import HISTORICAL, LIGATURES
from .contracts import stage
from .model import Document

STAGE = "normalize"
MODES = ("none", "ligatures", "historical")


def _table(mode: str) -> dict[str, tuple[str, str]]:
    if mode not in MODES:
        raise ValueError(f"unknown normalisation {mode!r} (use one of {', '.join(MODES)})")
    table: dict[str, tuple[str, str]] = {}
    if mode in ("ligatures", "historical"):
        table.update({k: (v, "ligature") for k, v in LIGATURES.items()})
    if mode == "historical":
        table.update({k: (v, "historical") for k, v in HISTORICAL.items()})
        # ﬅ is ſt: with the long s normalised too, it is st
        table["\ufb05"] = ("st", "ligature")
    return table


@stage("normalize", requires=("doc.paragraphs", "doc.footnotes"), assigns=("text.normalized",))
def normalize_document(doc: Document, mode: str = "ligatures") -> Document:
    """Stage: record one edit per normalised character (sequence) in paragraphs and notes."""
    table = _table(mode)
    if table:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
        for tt in doc.texts():
            for m in reversed(list(pattern.finditer(tt.text))):
                after, rule = table[m.group()]
                tt.replace(doc, m.start(), m.end(), after, stage=STAGE, rule=rule, confidence=1.0,
                           note=f"{m.group()!r} written as {after!r} (--normalize {mode})")
    doc.stages.append(STAGE)
    return doc
