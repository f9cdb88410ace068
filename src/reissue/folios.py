"""Folios: printed page numbers read from their candidates with the sequence predicting gaps
and misreads, and where a number may stand to be a folio at all (line geometry)."""

from __future__ import annotations

from collections import Counter

from .model import Document, Line

EDGE_LINES = 3  # with geometry, a folio stands among the physically first or last lines of a page


def folio_place_ok(page, ln: Line) -> bool:
    """Where the format gives line geometry (ALTO, PAGE, hOCR), a folio stands where furniture does:
    among the physically first or last lines of the page, or outside the text column (left or right
    of every body line). Reading order alone can put a table's numbers at the edge of the text;
    their place on the page cannot. Without geometry every candidate passes."""
    info = page.info.get("lines") if isinstance(page.info, dict) else None
    if not info:
        return True
    boxes = [(n, d) for n, d in enumerate(info) if isinstance(d, dict) and d.get("y") is not None
             and d.get("h") is not None and d.get("x") is not None and d.get("w") is not None]
    mine = next((d for n, d in boxes if n == ln.no), None)
    if mine is None or len(boxes) < 2 * EDGE_LINES + 2:
        return True
    by_y = sorted(boxes, key=lambda nd: nd[1]["y"])
    edge = {n for n, _ in by_y[:EDGE_LINES]} | {n for n, _ in by_y[-EDGE_LINES:]}
    if ln.no in edge:
        return True
    mid = (mine["y"] + mine["h"] / 2)
    top = min(d["y"] for _, d in boxes)
    bottom = max(d["y"] + d["h"] for _, d in boxes)
    if mid <= top + 0.05 * (bottom - top) or mid >= bottom - 0.05 * (bottom - top):
        return True  # in the head or foot band of the page
    # beside the text: nothing else on the page overlaps it horizontally at its height
    others = [d for n, d in boxes if n != ln.no and d["y"] < mine["y"] + mine["h"] and mine["y"] < d["y"] + d["h"]]
    return not any(d["x"] < mine["x"] + mine["w"] and mine["x"] < d["x"] + d["w"] for d in others) and bool(others)


def fit_numbers(doc: Document, per_page: dict[int, list[tuple[int, str]]]) -> None:
    """Printed page numbers from folio candidates, with the sequence predicting gaps and misreads."""
    n = len(doc.pages)
    best: list[int | None] = [None] * n
    for i, cands in per_page.items():
        # a printed folio wins over a viewer caption
        printed = [v for v, k in cands if k != "viewer"]
        best[i] = (printed or [v for v, _ in cands])[0]
    offsets = Counter(v - i for i, v in enumerate(best) if v is not None)
    accepted: list[int | None] = [None] * n
    for i, v in enumerate(best):
        if v is None:
            continue
        neighbours = [(j, best[j]) for j in (i - 1, i + 1) if 0 <= j < n and best[j] is not None]
        agrees = any(w - j == v - i for j, w in neighbours)
        # accept when a neighbour agrees, when the offset is the common one, or when nothing contradicts
        if agrees or offsets[v - i] >= 2 or not neighbours:
            accepted[i] = v
            doc.pages[i].number_source = "folio" if any(k != "viewer" for _, k in per_page[i]) else "viewer-title"
    # fill gaps and misreads from runs: a page between accepted neighbours that agree on the offset
    supported = sum(1 for v in accepted if v is not None)
    if supported >= 2:
        for _ in range(2):
            for i in range(n):
                if accepted[i] is not None:
                    continue
                left = next(((j, accepted[j]) for j in range(i - 1, -1, -1) if accepted[j] is not None), None)
                right = next(((j, accepted[j]) for j in range(i + 1, n) if accepted[j] is not None), None)
                pred = None
                if left and right and left[1] - left[0] == right[1] - right[0]:
                    pred = left[1] + (i - left[0])
                elif left and not right and offsets[left[1] - left[0]] >= 2:
                    pred = left[1] + (i - left[0])
                elif right and not left and offsets[right[1] - right[0]] >= 2:
                    pred = right[1] - (right[0] - i)
                if pred is not None and pred > 0:
                    accepted[i] = pred
                    doc.pages[i].number_source = "sequence"
    for i, v in enumerate(accepted):
        doc.pages[i].number = v
