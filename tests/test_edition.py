"""The edition format has one owner, reissue.edition; write_edition refuses an edition that does not
rebuild its raw text (safe mode) and writes nothing."""

import os

import pytest

from pagekit import build
from reissue import decisions, edition, index, review
from reissue.errors import EditionError
from reissue.export import write_edition

PAGE = ("First paragraph of the text, which goes on for a while and then\nends here.\n\n"
        "Second paragraph with a call-out* in it.\n\n* The note.\n")


def test_one_module_owns_the_edition_format():
    assert review.apply_decisions is edition.apply_decisions
    assert index.page_keys is edition.page_keys and index.validate_edition is edition.validate
    assert index.load_edition_file is edition.load and index.FORMAT == edition.FORMAT
    assert decisions.edit_expect is edition.edit_expect
    assert decisions.REVIEWABLE_STAGES == edition.CORRECTION_STAGES


def test_write_edition_refuses_a_broken_edition_and_writes_nothing(tmp_path):
    doc, ed = build([PAGE])
    assert edition.rebuild_raw(ed) == [PAGE]
    edition.check_rebuild(ed)
    lost = doc.paragraphs.pop(0)  # its raw text is now covered by nothing
    out = tmp_path / "out"
    with pytest.raises(EditionError, match="does not rebuild the raw OCR exactly") as err:
        write_edition(doc, str(out))
    assert "\n" not in str(err.value) and "nothing written" in str(err.value)
    assert os.listdir(tmp_path) == []  # no folder, no temporary folder
    doc.paragraphs.insert(0, lost)
    write_edition(doc, str(out))
    assert (out / "edition.json").exists()


def test_a_changed_raw_text_is_refused():
    _doc, ed = build([PAGE])
    changed = PAGE.replace("First", "Frist")
    at = next(i for i, (a, b) in enumerate(zip(PAGE, changed)) if a != b)
    ed["pages"][0]["raw"] = changed
    with pytest.raises(EditionError, match=f"page 0 differs at raw offset {at}\\)"):
        edition.check_rebuild(ed)


def test_active_edits_and_corrections():
    edits = [{"id": 0, "page": 0, "start": 5, "end": 6, "stage": "correct", "superseded_by": 2},
             {"id": 1, "page": 0, "start": 1, "end": 2, "stage": "reflow", "superseded_by": None},
             {"id": 2, "page": 0, "start": 4, "end": 7, "stage": "review", "superseded_by": None},
             {"id": 3, "page": 1, "start": 0, "end": 1, "stage": "correct", "superseded_by": None}]
    assert [e["id"] for e in edition.active_edits(edits)] == [1, 2, 3]
    assert [e["id"] for e in edition.active_edits(edits, page=0)] == [1, 2]
    assert [e["id"] for e in edition.active_corrections(edits)] == [3]


def test_validation_checks_anchors():
    _doc, ed = build([PAGE])
    edition.validate(ed)
    ed["footnotes"][0]["anchor"] = [7, 0]
    with pytest.raises(EditionError, match="malformed anchor"):
        edition.validate(ed)
