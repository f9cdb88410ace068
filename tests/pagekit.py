"""Helpers for the pipeline tests: build an edition from page texts in memory."""

from reissue.ingest import document_from_texts
from reissue.edition import document_to_dict
from reissue.pipeline import process


def build(pages, correct=False):
    doc = document_from_texts([(f"page-{i:03d}.txt", t) for i, t in enumerate(pages)])
    process(doc, correct=correct)
    return doc, document_to_dict(doc)


def body(width=60, n=10, start=0, words=None):
    """n justified-looking lines of plain prose (no sentence ends inside lines)."""
    words = words or ("the quiet reader turns another page of the old magazine and finds "
                      "that every column still speaks of distant cities and forgotten quarrels "
                      "while the lamp burns low beside a window open to the evening air").split()
    out, line, i = [], [], start
    while len(out) < n:
        w = words[i % len(words)]
        i += 1
        if len(" ".join(line + [w])) > width and line:
            out.append(" ".join(line))
            line = []
        line.append(w)
    return out
