import json
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import build_edition, sample_edition, write_edition
from reissue.errors import EditionError, QueryError
from reissue.index import Library, edition_id, index_command, page_keys, query_terms, validate_edition


def counts(db):
    con = sqlite3.connect(db)
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("editions", "pages", "texts", "edits", "fts", "text_pages", "decisions")}
    con.close()
    return out


def test_edition_id_is_stable_and_falls_back_to_a_hash(edition):
    assert edition_id(edition) == "the-test-quarterly-v6-n5-1939"
    assert edition_id(sample_edition()) == edition_id(edition)
    bare = build_edition(["just some text\n"], title=None, volume=None, number=None, year=None)
    other = build_edition(["other text\n"], title=None, volume=None, number=None, year=None)
    assert edition_id(bare).startswith("edition-")
    assert edition_id(bare) != edition_id(other)
    assert edition_id(bare) == edition_id(json.loads(json.dumps(bare)))


def test_page_keys_use_unique_printed_numbers():
    assert page_keys([5, 6, None, 6, 8]) == ["5", "s2", "s3", "s4", "8"]


def test_index_adds_everything_and_reindex_replaces(tmp_path, edition):
    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([edition])
    first = counts(db)
    assert first["editions"] == 1
    assert first["pages"] == len(edition["pages"])
    assert first["texts"] == len(edition["paragraphs"]) + len(edition["footnotes"])
    assert first["fts"] == first["texts"]
    assert first["edits"] == len(edition["edits"])
    lib.add_editions([edition])
    lib.add_editions([sample_edition()])
    assert counts(db) == first
    assert lib.search("zebra").total == 1
    e = lib.edition("the-test-quarterly-v6-n5-1939")
    assert e["n_corrections"] == sum(1 for x in edition["edits"] if x["stage"] == "correct")
    assert lib.edition_json(e["id"]) == edition
    lib.close()


@pytest.mark.parametrize("mutate, message", [
    (lambda e: e.update(format="something-else/2"), "not a reissue edition"),
    (lambda e: e.pop("paragraphs"), "'paragraphs' missing"),
    (lambda e: e["paragraphs"][0].update(text=123), "has no id or text"),
    (lambda e: e["paragraphs"][1]["spans"].pop(), "spans do not cover"),
    (lambda e: e["edits"][0].update(page=99), "points at no page"),
    (lambda e: e["metadata"].update(year="1939; DROP TABLE editions"), "metadata.year"),
])
def test_broken_editions_are_refused(edition, mutate, message):
    mutate(edition)
    with pytest.raises(EditionError, match=message):
        validate_edition(edition)


def test_cli_index_and_refusal_leaves_library_unchanged(tmp_path, edition):
    db = str(tmp_path / "lib.sqlite")
    good = write_edition(edition, tmp_path / "good")
    r = CliRunner().invoke(index_command, [str(good), "--db", db])
    assert r.exit_code == 0, r.output
    assert "the-test-quarterly-v6-n5-1939" in r.output
    before = counts(db)
    other = write_edition(build_edition(["9\nA new issue.\n"], title="New Title", year=1950), tmp_path / "other")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "edition.json").write_text('{"format": "reissue-edition/1", "pages": [', encoding="utf-8")
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"format": "tei", "x": 1}), encoding="utf-8")
    for bad in (broken, foreign, tmp_path / "empty-dir-without-edition"):
        if not bad.exists():
            bad.mkdir()
        r = CliRunner().invoke(index_command, [str(other), str(bad), "--db", db])
        assert r.exit_code == EditionError.exit_code
        assert "error" in r.output and "unchanged" in r.output
        assert "Traceback" not in r.output
        assert counts(db) == before
    # re-index through the CLI: still one edition
    r = CliRunner().invoke(index_command, [str(good), str(other), "--db", db])
    assert r.exit_code == 0, r.output
    assert counts(db)["editions"] == 2


def test_search_syntax_filters_and_pages(library):
    lib = Library(str(library), readonly=True)
    assert lib.search("zebra").total == 2
    assert lib.search("zebra", title="Zoology Monthly").total == 1
    assert lib.search("zebra", year=1939).total == 1
    assert lib.search("zebra", year=2001).total == 0
    assert lib.search('"quick brown fox"').total == 1
    assert lib.search('"brown quick fox"').total == 0
    assert lib.search("migrat*").total == 1
    assert lib.search("zebra NOT migrations").total == 1
    assert lib.search("zebra OR tyranny").total == 3  # p2 (tyranny), p3 (zebra), zoology (zebra)
    assert lib.search("onerror").total == 1  # notes are indexed too
    res = lib.search("brown")
    pages = sorted((h.paragraph, h.page) for h in res.hits)
    # the second "brown" sits in the part of p3 that runs on to page 6
    assert pages == [("p2", 5), ("p3", 6)]
    assert all(h.snippet_plain().count("brown") >= 1 for h in res.hits)
    for h in res.hits:
        for a, b in h.snippet_marks():
            assert h.snippet_plain()[a:b].lower() == "brown"
    lib.close()


@pytest.mark.parametrize("q", ['"unbalanced', "AND", "zebra AND", "(zebra", "NEAR(", "col:zebra", "*"])
def test_raw_mode_errors_raise_query_error_and_plain_mode_never_does(library, q):
    lib = Library(str(library), readonly=True)
    lib.search(q)  # plain input is always a valid query
    with pytest.raises(QueryError) as exc:
        lib.search(q, raw=True)
    assert "fts5:" not in exc.value.message and "syntax error near" not in exc.value.message
    with pytest.raises(QueryError):
        lib.search("x" * 600)
    lib.close()


def test_query_terms_for_highlighting():
    assert query_terms('"working class" AND imperial* NOT hitler') == ["working class", "imperial*"]
    assert query_terms("Comintern's OR u.s.s.r.") == ["comintern s", "u s s r"]


def test_decisions_survive_reindex_and_go_stale_when_text_changes(tmp_path, edition):
    from reissue.index import stale_decisions
    from reissue.review import edit_expect

    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    (eid,) = lib.add_editions([edition])
    corr = next(e for e in edition["edits"] if e["stage"] == "correct")
    lib.decide(eid, action="reject", reviewer="Ann", edit=corr["id"], expect=edit_expect(corr))
    lib.add_editions([edition])
    assert len(lib.decisions(eid)) == 1 and stale_decisions(lib, eid) == []
    # a rebuilt edition without that correction: the decision is kept but stale
    changed = sample_edition(corrections={})
    lib.add_editions([changed])
    assert len(lib.decisions(eid)) == 1
    assert len(stale_decisions(lib, eid)) == 1
    lib.close()


def test_search_sees_review_decisions(tmp_path, edition):
    from reissue.review import edit_expect

    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    (eid,) = lib.add_editions([edition])
    com = next(e for e in edition["edits"] if e["stage"] == "correct" and e["before"] == "Comintem")
    lib.decide(eid, action="rewrite", reviewer="Ann", edit=com["id"], text="Komintern", expect=edit_expect(com))
    p4 = lib.text_item(eid, "p4")["text"]
    s = p4.index("guards")
    lib.decide(eid, action="manual", reviewer="Ann", item="p4", start=s, end=s + 6, text="wardens", expect="guards")
    assert lib.search("Komintern").total == 1 and lib.search("Comintern").total == 0
    assert lib.search("wardens").total == 1 and lib.search("guards").total == 0
    lib.add_editions([edition])  # re-indexing keeps them applied
    assert lib.search("Komintern").total == 1 and lib.search("wardens").total == 1
    lib.decide(eid, action="undo", reviewer="Ann", item="p4", start=s, end=s + 6)
    assert lib.search("wardens").total == 0 and lib.search("guards").total == 1
    lib.close()


def test_library_open_errors_are_one_line(tmp_path, edition_dir):
    from reissue.errors import ReissueError

    r = CliRunner().invoke(index_command, [str(edition_dir), "--db", str(tmp_path / "no" / "such" / "dir" / "l.sqlite")])
    assert r.exit_code == 1 and "cannot open the library" in r.output and "Traceback" not in r.output
    notlib = tmp_path / "edition.sqlite"
    notlib.write_text("this is not sqlite", encoding="utf-8")
    with pytest.raises(ReissueError, match="not a reissue library"):
        Library(str(notlib), readonly=True)
    odd = tmp_path / "a dir with spaces & #?"
    odd.mkdir()
    Library(str(odd / "l.sqlite")).close()
    Library(str(odd / "l.sqlite"), readonly=True).close()


def test_very_common_words_come_unranked_in_library_order(tmp_path, monkeypatch):
    import reissue.search as index

    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([build_edition([f"{i}\nThe common word here, number {i}.\n" for i in range(1, 8)],
                                    title="Common", year=1900)])
    ranked = lib.search("common")
    assert ranked.ranked and ranked.total == 7
    monkeypatch.setattr(index, "RANK_LIMIT", 3)
    res = lib.search("common")
    assert not res.ranked and res.total == 7
    assert [h.page for h in res.hits] == list(range(1, 8))  # reading order
    assert lib.search("number AND 5").ranked
    lib.close()


def test_an_editions_decisions_are_found_by_index_not_by_a_scan(tmp_path, edition):
    """Adding an edition looks up its review decisions (and `reissue index` its stale ones) once per
    edition: with a scan of the whole table that is editions x decisions for a library."""
    from reissue.index import Library

    lib = Library(str(tmp_path / "lib.sqlite"))
    for q in ("SELECT 1 FROM decisions WHERE edition=? LIMIT 1", "SELECT * FROM decisions WHERE edition=? ORDER BY id"):
        plan = " ".join(r[3] for r in lib.db.execute("EXPLAIN QUERY PLAN " + q, ("x",)))
        assert "SCAN decisions" not in plan and "decisions_edition" in plan, plan
    lib.close()
