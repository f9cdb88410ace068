"""Stage contracts (reissue.contracts): declared requires/assigns, checked before a stage runs."""

import pytest

from reissue.contracts import REGISTRY, check_plan, provided
from reissue.errors import ReissueError, StageError
from reissue.ingest import document_from_texts
from reissue.edition import document_to_dict, rebuild_raw
from reissue.notes import detect_notes
from reissue.pipeline import process, stage_plan
from reissue.reflow import reflow

PAGE = ("THE QUARTERLY 5\n\nFirst paragraph of the text, which goes on for a while and then\nends here.\n\n"
        "Second paragraph, a little longer than the first one, and it also\nends here.\n\n"
        "Third paragraph with a call-out* in it and more words to make a line.\n\n* The note.\n")


def built():
    return process(document_from_texts([("p1.txt", PAGE)]), correct=False)


@pytest.mark.parametrize("correct", [True, False])
def test_the_default_pipeline_passes_its_checks(correct):
    plan = stage_plan(correct)
    check_plan(plan, ["ingest"])
    for name in plan:
        spec = REGISTRY[name]
        assert spec.func is not None and not spec.repeatable
        assert set(spec.requires) <= provided(["ingest"] + plan[:plan.index(name)])


def test_process_records_each_stage_once_with_its_parameters():
    doc = built()
    assert doc.stages == ["ingest"] + stage_plan(False)
    assert doc.parameters["normalize"] == {"mode": "ligatures"}
    assert doc.parameters["reflow"] == {"lang": "auto"}
    assert doc.parameters["lang"]["mode"] == "auto"  # what the stage records itself is kept


def test_a_stage_run_twice_is_refused_and_changes_nothing():
    doc = built()
    before = document_to_dict(doc)
    with pytest.raises(StageError, match="'reflow' has already run"):
        reflow(doc)
    assert document_to_dict(doc) == before
    assert rebuild_raw(document_to_dict(doc)) == [PAGE]
    with pytest.raises(StageError, match="'furniture' has already run"):
        process(doc, correct=False)  # the whole plan is checked before any stage runs
    assert document_to_dict(doc) == before


def test_a_missing_requirement_is_refused():
    doc = document_from_texts([("p1.txt", PAGE)])
    with pytest.raises(StageError) as err:
        detect_notes(doc)  # before furniture
    msg = str(err.value)
    assert "page.furniture" in msg and "run furniture first" in msg and "\n" not in msg
    assert isinstance(err.value, ReissueError)
    assert doc.stages == ["ingest"] and not doc.footnotes
    with pytest.raises(StageError, match="requires doc.paragraphs"):
        check_plan(["furniture", "notes", "articles"], ["ingest"])
    with pytest.raises(StageError, match="no stage named"):
        check_plan(["furniture", "spellcheck"], ["ingest"])
