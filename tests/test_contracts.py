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


# ---------------------------------------------------------------- property: any sequence of stages

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

LINES = ["THE QUARTERLY 5", "", "First paragraph of the text, which goes on for a while and then",
         "ends here.", "Second paragraph with a call-out* in it and more words to make a line.", "* The note.",
         "revolu-", "tion of the imperial ism", "12"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(LINES), min_size=1, max_size=12).map("\n".join), min_size=1, max_size=2),
       st.lists(st.sampled_from(stage_plan(False)), max_size=12))
def test_any_sequence_of_stages_is_run_or_refused_and_rebuilds(texts, names):
    doc = document_from_texts([(f"p{i}.txt", t) for i, t in enumerate(texts)])
    for name in names:
        before = document_to_dict(doc)
        try:
            REGISTRY[name].func(doc)
        except StageError:
            assert document_to_dict(doc) == before  # refused before it changed anything
            continue
        assert doc.stages.count(name) == 1
    if "reflow" in doc.stages:  # from reflow on, paragraphs, notes and edits cover every raw character
        assert rebuild_raw(document_to_dict(doc)) == texts
