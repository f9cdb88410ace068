"""Golden files: whole page dumps in, expected edition out (kept as data under tests/golden/).

Each case folder holds ``input/`` (page files) and the expected ``edition.txt`` and
``summary.json`` of `reissue build --no-correct`. After a deliberate change, regenerate with
``REISSUE_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff like code.
"""

import json
import os
from pathlib import Path

import pytest

from reissue.export import to_text
from reissue.edition import document_to_dict, rebuild_raw
from reissue.pipeline import build_document

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir())
UPDATE = os.environ.get("REISSUE_UPDATE_GOLDEN") == "1"


def summary(ed: dict) -> dict:
    return {
        "metadata": {k: ed["metadata"][k] for k in ("title", "volume", "number", "year", "page_count")},
        "pages": [{"source": p["source"], "number": p["number"],
                   "furniture": [[f["kind"], f["text"]] for f in p["furniture"]]} for p in ed["pages"]],
        "paragraphs": [{"id": p["id"], "kind": p["kind"], "pages": p["pages"], "start": p["text"][:40],
                        "end": p["text"][-40:]} for p in ed["paragraphs"]],
        "footnotes": [{"marker": f["marker"], "page": f["page"], "paragraph": f["paragraph"],
                       "start": f["text"][:40]} for f in ed["footnotes"]],
        "hyphens": sorted((e["rule"], e["note"]) for e in ed["edits"] if e["rule"].startswith("hyphen")),
        "articles": [{"title": a["title"], "byline": a["byline"], "section": a["section"], "pages": a["pages"],
                      "paragraphs": [a["paragraphs"][0], a["paragraphs"][-1]] if a["paragraphs"] else []}
                     for a in ed["articles"]],
        "contents": ed["contents"],
    }


@pytest.mark.parametrize("case", CASES)
def test_golden(case):
    folder = GOLDEN / case
    doc = build_document([str(folder / "input")], correct=False)
    ed = document_to_dict(doc)
    got_text = to_text(ed)
    got_summary = json.dumps(summary(ed), ensure_ascii=False, indent=1) + "\n"
    if UPDATE:
        (folder / "edition.txt").write_text(got_text, encoding="utf-8")
        (folder / "summary.json").write_text(got_summary, encoding="utf-8")
    assert got_text == (folder / "edition.txt").read_text(encoding="utf-8")
    assert got_summary == (folder / "summary.json").read_text(encoding="utf-8")
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]


@pytest.mark.parametrize("case", CASES)
def test_golden_idempotent(case):
    """Building again from the edition's own reading text changes no paragraph."""
    folder = GOLDEN / case
    ed = document_to_dict(build_document([str(folder / "input")], correct=False))
    paras = [p["text"] for p in ed["paragraphs"]]
    from pagekit import build
    _, again = build(["\n\n".join(paras)])
    assert [p["text"] for p in again["paragraphs"]] == paras
