"""The one query parser (reissue.query), on the shared table tests/data/query_cases.json — the same
table tests/test_browser.py runs through query.js in Chromium — plus properties: whatever a person
types becomes a valid FTS5 query, and matching in Python agrees with SQLite's FTS5."""

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reissue.query import describe, hit_spans, matches, parse, to_fts

CASES = json.loads((Path(__file__).parent / "data" / "query_cases.json").read_text(encoding="utf-8"))["cases"]
QUERY_JS = Path(__file__).parents[1] / "src" / "reissue" / "web" / "static" / "query.js"


@pytest.mark.parametrize("case", CASES, ids=[repr(c["q"]) for c in CASES])
def test_shared_cases(case):
    node = parse(case["q"])
    assert to_fts(node) == case["fts"]
    assert describe(node) == case["describe"]
    for t in case["texts"]:
        assert matches(node, t["text"]) == t["match"]
        if t["match"]:
            assert [t["text"][a:b] for a, b in hit_spans(node, t["text"])] == t["hits"]


def _fts():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    return db


TEXTS = [c["texts"][i]["text"] for c in CASES[:1] for i in range(3)] + ["Or not, and AND; NOT-or", "Ünïcödé çafé ÉTÉ"]
ALPHABET = list("ab zé\"“”*()-:^+,.'’{}[]\\<>&%\x00\u2028") + ["AND", "or", "Not", "stalin", "café", "u.s.s.r."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=12).map("".join))
def test_any_input_is_a_valid_fts5_query_that_matches_like_python(q):
    db = _fts()
    db.executemany("INSERT INTO f (rowid, text) VALUES (?, ?)", list(enumerate(TEXTS)))
    node = parse(q)
    fts = to_fts(node)
    if not fts:
        return
    got = {r[0] for r in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (fts,))}  # never raises
    assert got == {i for i, t in enumerate(TEXTS) if matches(node, t)}


def test_query_js_agrees_on_the_shared_table_under_node():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed (the browser test runs the same table in Chromium)")
    script = ("const fs=require('fs');global.window={};eval(fs.readFileSync(process.argv[1],'utf8'));"
              "const Q=window.reissueQuery;const C=JSON.parse(fs.readFileSync(process.argv[2],'utf8')).cases;"
              "const out=C.map(c=>{const n=Q.parse(c.q);return{fts:Q.toFts(n),describe:Q.describe(n),"
              "texts:c.texts.map(t=>{const m=Q.matches(n,t.text);return{match:m,hits:m?Q.hitSpans(n,t.text)"
              ".map(s=>t.text.slice(s[0],s[1])):[]}})}});console.log(JSON.stringify(out));")
    res = subprocess.run([node, "-e", script, str(QUERY_JS), str(Path(__file__).parent / "data" / "query_cases.json")],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    for case, g in zip(CASES, got):
        assert g["fts"] == case["fts"] and g["describe"] == case["describe"], case["q"]
        assert [{"match": t["match"], "hits": t["hits"]} for t in case["texts"]] == g["texts"], case["q"]
