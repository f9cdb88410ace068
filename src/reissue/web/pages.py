"""What one page of an issue shows, for both readers: the library server (``views_reader``) and the
self-contained ``edition.html`` (``static``). Both render the result with the same Jinja macros
(``templates/_page.html``), so the two readers cannot drift apart.

Input: the texts on the page as the library stores them (``reissue.textrows.text_rows`` /
``Library.texts_on_page``), the edits they point at and the live review decisions.
"""

from __future__ import annotations

from ..decisions import overlay
from .render import render_slice


def block_html(t: dict, edits: dict[int, dict], live: list[dict], lo: int, hi: int, query, callouts):
    pieces = overlay(t, edits, [d for d in live if d["edit"] is not None or d["item"] == t["item"]])
    return render_slice(t, pieces, lo, hi, query, callouts)


def page_blocks(texts: list[dict], idx: int, by_idx: dict[int, dict], edits: dict[int, dict],
                live: list[dict], query=None) -> tuple[list[dict], list[dict]]:
    """(blocks, notes) of page ``idx``: each block one paragraph's part on this page (run-on parts
    say where they come from and go to), each note a footnote printed on it."""
    paragraphs = [t for t in texts if t["kind"] != "footnote"]
    note_rows = [t for t in texts if t["kind"] == "footnote"]
    callouts: dict[str, dict[int, dict]] = {}
    for n in note_rows:
        if n["paragraph"] and n["callout"] is not None:
            callouts.setdefault(n["paragraph"], {})[n["callout"]] = n
    blocks = []
    for t in paragraphs:
        pbs = t["page_breaks"] or [{"index": t["first_page"], "offset": 0}]
        mine = [i for i, b in enumerate(pbs) if b["index"] == idx]
        if mine:
            i = mine[0]
            lo = pbs[i]["offset"]
            hi = pbs[i + 1]["offset"] if i + 1 < len(pbs) else len(t["text"])
        else:
            i, lo, hi = 0, 0, len(t["text"])
        blocks.append({
            "item": t["item"], "heading": t["kind"] == "heading", "lang": t.get("lang"), "runon": i > 0,
            "from": by_idx.get(pbs[i - 1]["index"]) if i > 0 else None,
            "to": by_idx.get(pbs[i + 1]["index"]) if i + 1 < len(pbs) else None,
            "html": block_html(t, edits, live, lo, hi, query, callouts.get(t["item"], {}))})
    notes = [{"item": n["item"], "marker": n["marker"], "lang": n.get("lang"),
              "back": bool(n["paragraph"] and n["callout"] is not None),
              "html": block_html(n, edits, live, 0, len(n["text"]), query, {})} for n in note_rows]
    return blocks, notes


def main_lang_of(texts: list[dict]) -> str | None:
    """The language of most paragraphs (the others show theirs); ties go to the first code."""
    counts: dict[str, int] = {}
    for t in texts:
        count_lang(counts, t)
    return main_lang(counts)


def count_lang(counts: dict[str, int], t: dict) -> None:
    """Count a text's language for :func:`main_lang` (paragraphs only)."""
    if t["kind"] != "footnote" and t.get("lang"):
        counts[t["lang"]] = counts.get(t["lang"], 0) + 1


def main_lang(counts: dict[str, int]) -> str | None:
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None
