import json
import re

import pytest
from click.testing import CliRunner

from conftest import sample_edition
from reissue.index import Library
from reissue.edition import document_from_dict, document_to_dict, rebuild_raw
from reissue.review import apply_decisions, edit_expect, export_command, overlay

EID = "the-test-quarterly-v6-n5-1939"


def corr(edition, before):
    return next(e for e in edition["edits"] if e["stage"] == "correct" and e["before"] == before)


def decided(tmp_path, edition):
    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([edition])
    brown = corr(edition, "hrown")
    com = corr(edition, "Comintem")
    lib.decide(EID, action="reject", reviewer="Ann", edit=brown["id"], expect=edit_expect(brown))
    lib.decide(EID, action="rewrite", reviewer="Bob", edit=com["id"], text="Komintern", expect=edit_expect(com))
    p4 = lib.text_item(EID, "p4")["text"]
    s = p4.index("guards")
    lib.decide(EID, action="manual", reviewer="Cy", item="p4", start=s, end=s + 6, text="wardens", expect="guards")
    # a manual correction in the same paragraph as a rejected correction, left of it
    p2 = lib.text_item(EID, "p2")["text"]
    s = p2.index("quick")
    lib.decide(EID, action="manual", reviewer="Cy", item="p2", start=s, end=s + 5, text="swift", expect="quick")
    return db, lib


def test_apply_decisions_on_the_document(tmp_path, edition):
    db, lib = decided(tmp_path, edition)
    doc = document_from_dict(edition)
    applied, problems = apply_decisions(doc, lib.decisions(EID))
    lib.close()
    assert problems == []
    assert applied == 4  # reject, rewrite, 2 manual (accept records nothing)
    out = document_to_dict(doc)
    texts = {p["id"]: p["text"] for p in out["paragraphs"]}
    assert texts["p2"].startswith("The swift hrown fox")
    assert "Komintern" in texts["p2"]
    assert "crossing wardens" in texts["p4"]
    review = [e for e in out["edits"] if e["stage"] == "review"]
    assert {e["rule"] for e in review} == {"reject", "rewrite", "manual"}
    assert all(e["note"].split()[0] in ("Ann", "Bob", "Cy") for e in review)
    # the originals are superseded, never lost: the raw OCR still rebuilds exactly
    assert corr(out, "hrown")["superseded_by"] is not None
    assert rebuild_raw(out) == [p["raw"] for p in out["pages"]]


def test_overlay_matches_export(tmp_path, edition):
    db, lib = decided(tmp_path, edition)
    decisions = lib.decisions(EID)
    doc = document_from_dict(edition)
    apply_decisions(doc, decisions)
    exported = {p.id: p.text.text for p in doc.paragraphs}
    for pid in ("p2", "p3", "p4"):
        item = lib.text_item(EID, pid)
        edits = lib.edits(EID)
        shown = "".join(p["text"] for p in overlay(item, edits, decisions))
        assert shown == exported[pid]
    lib.close()


def lib_decisions(db):
    lib = Library(db, readonly=True)
    try:
        return lib.decisions(EID)
    finally:
        lib.close()


def test_export_command_writes_edition_with_decisions(tmp_path, edition):
    db, lib = decided(tmp_path, edition)
    lib.close()
    out = tmp_path / "out"
    r = CliRunner().invoke(export_command, [db, EID, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "4 review decision(s) applied" in r.output
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert "The swift hrown fox" in ed["paragraphs"][1]["text"]
    assert (out / "edition.html").exists()
    # every decision is credited in the export: accepts too (review-decisions.json), reviewers in TEI
    rev = json.loads((out / "review-decisions.json").read_text(encoding="utf-8"))
    assert len(rev["decisions"]) == len(lib_decisions(db)) and {d["action"] for d in rev["history"]} >= {"reject"}
    tei = (out / "edition.tei.xml").read_text(encoding="utf-8")
    for d in rev["decisions"]:
        rid = "rev-" + "".join(ch if ch.isalnum() else "-" for ch in d["reviewer"].lower()).strip("-")
        assert f'xml:id="{rid}"' in tei and f'<change who="#{rid}"' in tei
        if d["action"] in ("rewrite", "manual"):  # a <corr> of the reviewer's text names them
            assert f'resp="#{rid}">{d["text"]}</corr>' in tei
    # not empty any more: refuse without --force, then overwrite with it
    r = CliRunner().invoke(export_command, [db, EID, "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    r = CliRunner().invoke(export_command, [db, EID, "-o", str(out), "--force"])
    assert r.exit_code == 0
    # unknown edition, missing library
    r = CliRunner().invoke(export_command, [db, "nope", "-o", str(tmp_path / "o2")])
    assert r.exit_code == 2 and "no edition 'nope'" in r.output
    r = CliRunner().invoke(export_command, [str(tmp_path / "missing.sqlite"), EID, "-o", str(tmp_path / "o3")])
    assert r.exit_code == 2 and "no such library" in r.output


def test_stale_decisions_are_reported_not_applied(tmp_path, edition):
    db, lib = decided(tmp_path, edition)
    lib.add_editions([sample_edition(corrections={"hrown": ("brown", 0.92)})])  # rebuilt without Comintem fix
    lib.close()
    out = tmp_path / "out"
    r = CliRunner().invoke(export_command, [db, EID, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "stale" in r.output or "changed" in r.output
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    text = ed["paragraphs"][1]["text"]
    assert "Komintern" not in text and "Comintem" in text


@pytest.mark.parametrize("action", ["reject", "rewrite"])
def test_decision_on_correction_in_a_footnote(tmp_path, action):
    ed = sample_edition(corrections={"footnote": ("foot-note", 0.5)})
    e = corr(ed, "footnote")
    doc = document_from_dict(ed)
    d = {"edit": e["id"], "action": action, "text": "Footnote", "expect": edit_expect(e), "reviewer": "Z",
         "at": "2026-01-01T00:00:00Z"}
    applied, problems = apply_decisions(doc, [d])
    assert (applied, problems) == (1, [])
    assert doc.footnotes[0].text.text.startswith("A footnote" if action == "reject" else "A Footnote")
    out = document_to_dict(doc)
    assert rebuild_raw(out) == [p["raw"] for p in out["pages"]]


def test_reindexing_the_exported_edition_marks_decisions_applied(tmp_path, edition):
    from reissue.index import index_command, stale_decisions
    from reissue.review import decision_status
    from reissue.web.server import make_app
    from test_web import Client

    db, lib = decided(tmp_path, edition)
    lib.close()
    out = tmp_path / "out"
    assert CliRunner().invoke(export_command, [db, EID, "-o", str(out)]).exit_code == 0
    r = CliRunner().invoke(index_command, [str(out), "--db", db])
    assert r.exit_code == 0 and "warning" not in r.output, r.output
    lib = Library(db, readonly=True)
    statuses = sorted(decision_status(lib, EID, d) for d in lib.decisions(EID))
    assert statuses == ["applied"] * 4
    assert stale_decisions(lib, EID) == []
    assert lib.search("swift").total == 1 and lib.search("wardens").total == 1
    lib.close()
    body = Client(make_app(db)).get(f"/edition/{EID}/page/5")[2]
    assert "Reviewer&#39;s correction: “quick” → “swift”" in body
    assert "stale" not in body


HOSTILE_NAME = '<script>alert(1)</script> *Ann* [x](javascript:y)'
HOSTILE_TEXT = '"><img src=x onerror=alert(1)>'


def test_accept_leaves_a_credited_trace_in_every_export(tmp_path, edition):
    """reissue export: an accepted correction is credited in TEI (resp, respStmt, change), in the
    txt/md "Review" section and in edition.json "review"; hostile review input stays escaped."""
    from lxml import etree

    from reissue.cli import cli

    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([edition])
    com, brown = corr(edition, "Comintem"), corr(edition, "hrown")
    lib.decide(EID, action="accept", reviewer=HOSTILE_NAME, edit=com["id"], expect=edit_expect(com))
    lib.decide(EID, action="rewrite", reviewer="Bob", edit=brown["id"], text=HOSTILE_TEXT, expect=edit_expect(brown))
    lib.close()
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["export", db, EID, "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "2 review decision(s) applied" in r.output
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
    rec = {x["action"]: x for x in ed["review"]}
    assert rec["accept"]["reviewer"] == HOSTILE_NAME and rec["accept"]["after"] == "Comintern"
    assert rec["accept"]["correction"]["edit"] == com["id"] and rec["rewrite"]["after"] == HOSTILE_TEXT
    assert corr(ed, "Comintem")["superseded_by"] == rec["accept"]["edit"]  # kept, superseded, text unchanged
    assert "Comintern" in ed["paragraphs"][1]["text"]
    # TEI: the accepted correction names the program and the reviewer; one respStmt and change each
    tei = etree.parse(str(out / "edition.tei.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    resp = {c.text: c.get("resp") for c in tei.iterfind(".//t:corr", ns)}
    rid = "rev-" + "".join(ch if ch.isalnum() else "-" for ch in HOSTILE_NAME.lower()).strip("-")
    assert resp["Comintern"] == f"#reissue #{rid}" and resp[HOSTILE_TEXT] == "#rev-bob"
    names = [n.text for n in tei.iterfind(".//t:titleStmt/t:respStmt/t:name", ns)]
    assert HOSTILE_NAME in names and "Bob" in names
    changes = {c.get("who"): c.text for c in tei.iterfind(".//t:revisionDesc/t:change", ns)}
    assert "1 accepted" in changes[f"#{rid}"] and "1 rewritten" in changes["#rev-bob"]
    raw_tei = (out / "edition.tei.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw_tei and "<img" not in raw_tei
    # txt and md: a closing Review section, one line per decision
    txt = (out / "edition.txt").read_text(encoding="utf-8")
    review_txt = txt[txt.rindex("Review\n"):]
    assert "“Comintem” → “Comintern” accepted by " + HOSTILE_NAME in review_txt
    assert "rewritten by Bob" in review_txt and "the automatic correction was “brown”" in review_txt
    md = (out / "edition.md").read_text(encoding="utf-8")
    section = md[md.index("## Review"):]
    assert section.count("\n- ") == 2 and "accepted by" in section
    assert not re.search(r"(?<!\\)[<>\[\]*]", section)  # every markup character is escaped
    assert "\\<script\\>" in section and "\\*Ann\\*" in section
    # the static reader escapes it too
    html = (out / "edition.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    # indexing the export again: the accept shows as already in the edition, not stale
    from reissue.index import index_command
    from reissue.review import decision_status

    assert CliRunner().invoke(index_command, [str(out), "--db", db]).exit_code == 0
    lib = Library(db, readonly=True)
    assert sorted(decision_status(lib, EID, d) for d in lib.decisions(EID)) == ["applied", "applied"]
    lib.close()


def test_review_lines_are_one_line_each_and_say_what_a_reject_kept():
    from reissue.review_trace import review_line

    base = {"page": 5, "reviewer": "Ada\nL.", "at": "2026-01-01T10:00:00Z"}
    accept = review_line(base | {"action": "accept", "before": "henevo-\nlence", "after": "benevolence",
                                 "correction": {"edit": 1, "after": "benevolence"}})
    assert "\n" not in accept and "“henevo- lence” → “benevolence” accepted by Ada L. on 2026-01-01" in accept
    reject = review_line(base | {"action": "reject", "before": "he", "after": "he", "correction": {"edit": 2, "after": "be"}})
    assert reject.startswith("p. 5: “he” kept as printed, the automatic correction “be” rejected by Ada L.")
