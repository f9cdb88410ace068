"""Corrections below edition.CERTAIN are shown as uncertain: in the reader's text and original view (class
``doubt``, said in the tip) and in TEI (``cert``); a reviewer's decision settles them."""

import re

from reissue.edition import CERTAIN, PROBABLE, certainty, uncertain
from reissue.web.render import render_original, render_slice

TEXT = "the hrown fox and the lazy dcg"


def _edit(eid, before, after, conf, stage="correct"):
    s = TEXT.index(before)
    return {"id": eid, "stage": stage, "rule": "confusion", "start": s, "end": s + len(before), "before": before,
            "after": after, "confidence": conf, "note": "", "superseded_by": None, "page": 0}


def _pieces(edits, decisions=None):
    """The pieces of render_slice for TEXT with the edits applied (each edit a piece of its own)."""
    out, pos = [], 0
    for e in edits:
        out.append({"a": pos, "b": e["start"], "text": TEXT[pos:e["start"]], "edit": None, "manual": False,
                    "decision": None})
        out.append({"a": e["start"], "b": e["end"], "text": e["after"], "edit": e, "manual": False,
                    "decision": (decisions or {}).get(e["id"])})
        pos = e["end"]
    out.append({"a": pos, "b": len(TEXT), "text": TEXT[pos:], "edit": None, "manual": False, "decision": None})
    return out


def _spans(html):
    return {m.group(3): (m.group(1), m.group(2)) for m in
            re.finditer(r'<span class="([^"]*)" tabindex="0" data-tip="([^"]*)"[^>]*>([^<]*)</span>', html)}


def test_a_correction_below_certain_is_marked_uncertain_in_the_reading_text():
    sure, doubt = _edit(1, "hrown", "brown", 0.92), _edit(2, "dcg", "dog", 0.62)
    got = _spans(render_slice({"text": TEXT}, _pieces([sure, doubt]), 0, len(TEXT), None, {}))
    assert got["brown"][0] == "chg" and "uncertain" not in got["brown"][1]
    assert got["dog"][0] == "chg doubt" and "confidence 0.62 · uncertain" in got["dog"][1]


def test_a_reviewed_correction_is_no_longer_uncertain():
    doubt = _edit(2, "dcg", "dog", 0.62)
    accepted = {2: {"action": "accept", "reviewer": "Ada", "at": "2026-12-06T08:00:00Z"}}
    got = _spans(render_slice({"text": TEXT}, _pieces([doubt], accepted), 0, len(TEXT), None, {}))
    assert got["dog"][0] == "chg d-accept" and "uncertain" not in got["dog"][1]


def test_the_original_view_marks_the_same_corrections():
    edits = {1: _edit(1, "hrown", "brown", 0.92), 2: _edit(2, "dcg", "dog", 0.62),
             3: _edit(3, "lazy ", "lazy", 0.5, stage="reflow")}  # not a correction: never uncertain
    got = _spans(render_original(TEXT, edits, {}))
    assert got["hrown"][0] == "e e-correct" and got["dcg"][0] == "e e-correct doubt"
    assert got["lazy "][0] == "e e-reflow"
    assert _spans(render_original(TEXT, edits, {2: {"action": "reject", "reviewer": "Ada", "at": ""}}))["dcg"][0] \
        == "e e-correct"


def test_certainty_is_the_tei_cert_of_a_confidence():
    assert PROBABLE < CERTAIN
    assert [certainty(c) for c in (1.0, CERTAIN, CERTAIN - 1e-9, PROBABLE, PROBABLE - 1e-9, 0.0)] == \
        ["high", "high", "medium", "medium", "low", "low"]
    assert uncertain(_edit(1, "dcg", "dog", CERTAIN - 0.01)) and not uncertain(_edit(1, "dcg", "dog", CERTAIN))
