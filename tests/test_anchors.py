"""Anchors are raw-text positions: a review decision that changes the text before a footnote's
call-out does not move the call-out (issue 13, item 6: `reissue export` wrote `ag[^n1]reed`)."""

import json
import re

from click.testing import CliRunner

from conftest import sample_edition
from reissue.index import Library
from reissue.review import export_command

EID = "the-test-quarterly-v6-n5-1939"


def _export_with_manual_decision(tmp_path, before: str, after: str):
    ed = sample_edition()
    note = ed["footnotes"][0]
    para = next(p for p in ed["paragraphs"] if p["id"] == note["paragraph"])
    assert para["text"][note["callout"]] == "*"  # the call-out as built
    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([ed])
    s = para["text"].index(before)
    assert s < note["callout"]  # the decision changes text before the call-out
    lib.decide(EID, action="manual", reviewer="Cy", item=para["id"], start=s, end=s + len(before), text=after,
               expect=before)
    lib.close()
    out = tmp_path / "out"
    r = CliRunner().invoke(export_command, [db, EID, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out, note["id"]


def test_a_decision_before_a_call_out_does_not_move_it(tmp_path):
    out, nid = _export_with_manual_decision(tmp_path, "quick", "very quick")
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    note = next(f for f in ed["footnotes"] if f["id"] == nid)
    para = next(p for p in ed["paragraphs"] if p["id"] == note["paragraph"])
    assert "The very quick" in para["text"]
    assert para["text"][note["callout"]] == "*"
    md = (out / "edition.md").read_text(encoding="utf-8")
    assert re.search(r"tyranny\.\\\*\[\^" + nid + r"\]", md), md
    tei = (out / "edition.tei.xml").read_text(encoding="utf-8")
    assert re.search(r"tyranny\.\*<note [^>]*xml:id=\"" + nid + '"', tei), tei


def test_a_shorter_text_before_a_call_out_does_not_move_it(tmp_path):
    out, nid = _export_with_manual_decision(tmp_path, "The quick", "A")
    md = (out / "edition.md").read_text(encoding="utf-8")
    assert re.search(r"tyranny\.\\\*\[\^" + nid + r"\]", md), md


# ---------------------------------------------------------------- property: any decisions, any order

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from pagekit import build  # noqa: E402
from reissue.edition import document_from_dict, document_to_dict, rebuild_raw  # noqa: E402
from reissue.review import apply_decisions  # noqa: E402

WORDS = ["the", "war", "policy", "an", "of", "and", "imperial", "ism", "revolu-", "tion", "Kremlin", "a"]
body_line = st.lists(st.sampled_from(WORDS), min_size=3, max_size=10).map(" ".join)
call_line = st.tuples(body_line, st.sampled_from(["*", "1", "(1)"])).map(lambda t: f"{t[0]} end.{t[1]} And more")
note_line = st.sampled_from(["* A note at the foot.", "1 A note here.", "(1) Note one."])
page = st.tuples(st.lists(st.one_of(body_line, call_line, st.just("")), min_size=2, max_size=12),
                 st.lists(note_line, max_size=2)).map(lambda t: "\n".join(t[0] + [""] + t[1]) + "\n")
decision = st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1),
                     st.sampled_from(["", "x", "a longer replacement", "—"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(page, min_size=1, max_size=2), st.lists(decision, max_size=6))
def test_decisions_keep_raw_and_call_outs(texts, picks):
    doc, ed = build(texts)
    raws = [p["raw"] for p in ed["pages"]]
    if not ed["paragraphs"]:
        return
    decisions = []
    for k, (wp, ws, wl, new) in enumerate(picks):
        para = ed["paragraphs"][min(int(wp * len(ed["paragraphs"])), len(ed["paragraphs"]) - 1)]
        n = len(para["text"])
        s = min(int(ws * n), n)
        e = min(s + int(wl * 12), n)
        decisions.append({"item": para["id"], "start": s, "end": e, "text": new, "expect": para["text"][s:e],
                          "action": "manual", "reviewer": f"r{k}", "at": "2026-01-01T00:00:00Z"})
    doc = document_from_dict(ed)
    apply_decisions(doc, decisions)
    out = document_to_dict(doc)
    assert rebuild_raw(out) == raws
    paras = {p["id"]: p for p in out["paragraphs"]}
    for f in out["footnotes"]:
        if f["paragraph"] is None or f["anchor"] is None:
            continue
        pg, raw_at = f["anchor"]
        text = paras[f["paragraph"]]["text"]
        # where the call-out is still verbatim text, the offset written points at it
        verbatim = [sp for sp in paras[f["paragraph"]]["spans"] if sp[5] is None and sp[0] == pg and sp[1] <= raw_at < sp[2]]
        if verbatim:
            assert text[f["callout"]] == raws[pg][raw_at]
