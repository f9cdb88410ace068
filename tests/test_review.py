import json

import pytest
from click.testing import CliRunner

from conftest import sample_edition
from reissue.index import Library
from reissue.model import document_from_dict, document_to_dict, rebuild_raw
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
