"""Review decisions as data: their status against the indexed edition and how they show in a text.

Used by the library (``reissue.index``), the reader (``reissue.web``) and export (``reissue.review``);
it imports none of them (no import loop). See ``reissue.review`` for what a decision is.
"""

from __future__ import annotations

from .edition import CORRECTION_STAGES as REVIEWABLE_STAGES, edit_expect  # noqa: F401  (the edition format)

ACTIONS = ("accept", "reject", "rewrite")


def decision_status(lib, eid: str, d: dict) -> str:
    """'ok'; 'applied' when the indexed edition is an export that already holds it; else why it is stale."""
    if d.get("edit") is not None:
        e = lib.edits(eid, ids=[d["edit"]]).get(d["edit"])
        if e is None:
            return "stale: the correction is gone"
        if edit_expect(e) != d.get("expect"):
            return "stale: the correction changed"
        if e.get("superseded_by") is not None:
            later = lib.edits(eid, ids=[e["superseded_by"]]).get(e["superseded_by"])
            if later is not None and later["stage"] == "review":
                return "applied"
        return "ok"
    item = lib.text_item(eid, d.get("item") or "")
    if item is None:
        return "stale: the paragraph is gone"
    s, e = d.get("start"), d.get("end")
    if s is None or e is None or not (0 <= s <= e <= len(item["text"])):
        return "stale: the text changed"
    if item["text"][s:e] != d.get("expect"):
        if item["text"][s:s + len(d.get("text") or "")] == d.get("text") and any(
                sp[5] is not None and sp[3] == s for sp in item["spans"]):
            return "applied"
        return "stale: the text changed"
    return "ok"


def is_stale(status: str) -> bool:
    return status.startswith("stale")


def overlay(item: dict, edits: dict[int, dict], decisions: list[dict]) -> list[dict]:
    """Display pieces of one paragraph/footnote with review decisions applied.

    Each piece: ``{"a", "b"}`` (offsets in the indexed text), ``"text"`` (what to show),
    ``"edit"`` (the edit dict for a reviewable correction or None), ``"decision"`` (or None),
    ``"manual"`` (True for a reviewer's correction of the text).
    """
    text = item["text"]
    by_edit = {d["edit"]: d for d in decisions if d.get("edit") is not None}
    pieces: list[dict] = []
    for _pg, _rs, _re, ts, te, eid in item["spans"]:
        if ts == te and eid is None:
            continue
        e = edits.get(eid) if eid is not None else None
        piece = {"a": ts, "b": te, "text": text[ts:te], "edit": None, "decision": None, "manual": False}
        if e is not None and e["stage"] == "review":
            piece["edit"] = e  # a reviewer's decision already in the edition (exported, re-indexed)
        elif e is not None and e["stage"] in REVIEWABLE_STAGES:
            piece["edit"] = e
            d = by_edit.get(eid)
            if d is not None and d.get("expect") == edit_expect(e):
                piece["decision"] = d
                if d["action"] == "reject":
                    piece["text"] = e["before"]
                elif d["action"] == "rewrite":
                    piece["text"] = d.get("text") or ""
        pieces.append(piece)
    manual = sorted((d for d in decisions if d.get("edit") is None and d.get("item") == item["item"]),
                    key=lambda d: (d["start"], d["end"]))
    for d in manual:
        s, e = d["start"], d["end"]
        if not (0 <= s <= e <= len(text)) or text[s:e] != d.get("expect"):
            continue
        pieces = _apply_manual(pieces, s, e, d)
    return pieces


def _apply_manual(pieces: list[dict], s: int, e: int, d: dict) -> list[dict]:
    # the range must not cut through a correction or an earlier manual piece
    for p in pieces:
        if (p["edit"] is not None or p["manual"]) and p["a"] < e and s < p["b"] and not (s <= p["a"] and p["b"] <= e):
            return pieces
    out: list[dict] = []
    inserted = False
    manual = {"a": s, "b": e, "text": d.get("text") or "", "edit": None, "decision": d, "manual": True}
    for p in pieces:
        a, b = p["a"], p["b"]
        if b <= s or (a >= e and (inserted or s < e)):
            out.append(p)
            continue
        if a < s:
            out.append(dict(p, b=s, text=p["text"][: s - a]))
        if not inserted:
            out.append(manual)
            inserted = True
        if b > e:
            out.append(dict(p, a=e, text=p["text"][e - a:]))
    if not inserted:
        out.append(manual)
    return out


