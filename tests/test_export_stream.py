"""Streaming edition writing (issue 16): the files written from the lazy view of a Document are the
files the whole edition dict gives; the rebuild check refuses gaps and overlaps; a temporary folder
left by a killed writer is removed by the next write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import SAMPLE_CORRECTIONS, SAMPLE_PAGES, build_document

from reissue import export
from reissue.export_stream import LazyList, check_rebuild, edition_view, iter_json
from reissue.edition import RebuildError, document_to_dict, rebuild_raw
from reissue.web.static import render_edition_html

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _doc(**kw):
    return build_document(SAMPLE_PAGES, corrections=SAMPLE_CORRECTIONS, **kw)


def test_lazy_view_has_the_fields_of_the_edition_dict():
    doc = _doc()
    view = edition_view(doc)
    assert isinstance(view["paragraphs"], LazyList)
    assert json.loads(json.dumps({k: [dict(x) for x in v] if isinstance(v, LazyList) else v
                                  for k, v in view.items()})) == json.loads(json.dumps(document_to_dict(doc)))
    assert view["edits"][3] == document_to_dict(doc)["edits"][3]


def test_a_paragraph_view_is_the_paragraphs_dict_field_by_field():
    """Each paragraph of an edition view makes its fields when read; whole, it is paragraph_to_dict's
    dict (the same keys in the same order), whichever field is read first."""
    from reissue.edition import paragraph_to_dict

    doc = _doc()
    view = edition_view(doc)
    assert len(view["paragraphs"]) == len(doc.paragraphs) > 3
    for k, para in enumerate(doc.paragraphs):
        want = paragraph_to_dict(doc, para)
        lazy = view["paragraphs"][k]
        key = list(want)[k % len(want)]
        assert lazy[key] == want[key] and lazy.get("nothing") is None and "spans" in lazy
        assert list(dict(lazy).items()) == list(want.items())


@pytest.mark.parametrize("kw", [{"indent": 1, "ensure_ascii": False}, {"indent": 1, "ensure_ascii": True},
                                {"ensure_ascii": False, "separators": (",", ":")}, {}])
def test_iter_json_is_json_dumps(kw):
    ed = document_to_dict(_doc())
    ed["problems"] = ["a\nb", "\ud800 lone"]
    ed["empty"] = []
    assert "".join(iter_json(ed, **kw)) == json.dumps(ed, **kw)
    view = edition_view(_doc())
    whole = document_to_dict(_doc())
    assert "".join(iter_json(view, **kw)) == json.dumps(whole, **kw)


def test_written_files_are_those_of_the_whole_edition(tmp_path):
    doc = _doc()
    doc.problems = ["a problem with a lone surrogate \udcff in a file name"]
    export.write_edition(doc, str(tmp_path / "out"))
    ed = document_to_dict(doc)
    ed["unsafe_characters"] = export.unsafe_characters(ed)
    out = tmp_path / "out"
    raw = (out / "edition.json").read_bytes()
    assert raw.isascii()  # the surrogate: all escaped
    assert json.loads(raw) == ed
    # one line per list item (encoded in C), the rest as json.dumps(indent=1) lays it out
    lines = raw.decode().splitlines()
    items = [x for x in lines if x.startswith("  {") and x.rstrip(",").endswith("}")]
    assert len(items) == sum(len(ed[k]) for k in ("pages", "paragraphs", "footnotes", "edits"))
    assert [json.loads(x.rstrip(",")) for x in items[:len(ed["pages"])]] == ed["pages"]
    assert (out / "edition.txt").read_text(encoding="utf-8") == export.to_text(ed)
    assert (out / "edition.md").read_text(encoding="utf-8") == export.to_markdown(ed)
    assert (out / "edition.tei.xml").read_bytes() == export.to_tei(ed)
    assert (out / "edition.html").read_text(encoding="utf-8") == render_edition_html(ed).replace("\udcff", "\ufffd")
    assert rebuild_raw(json.loads(raw)) == [p.raw for p in doc.pages]


def test_check_rebuild_refuses_a_gap_and_an_overlap():
    doc = _doc()
    check_rebuild(doc)  # the edition as built is whole
    e = next(e for e in doc.edits if e.superseded_by is None and e.end > e.start + 1 and e.start > 0)
    e.start += 1  # the edit now covers one character less: a gap
    e.before = e.before[1:]
    with pytest.raises(RebuildError, match="gap or overlap"):
        check_rebuild(doc)
    e.start -= 2  # and now one character more than its place: an overlap
    e.before = doc.pages[e.page].raw[e.start:e.end]
    with pytest.raises(RebuildError, match="gap or overlap"):
        check_rebuild(doc)
    with pytest.raises(RebuildError):  # the whole-dict check agrees
        rebuild_raw(document_to_dict(doc))


def test_stale_temporary_folders_are_removed_by_the_next_write(tmp_path):
    host = export._tmp_prefix(str(tmp_path / "x")).split("@", 1)[1]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f".out.reissue-tmp-{dead.pid}@{host}abcd1234"
    live = tmp_path / f".other.reissue-tmp-{os.getppid()}@{host}abcd1234"
    other_host = tmp_path / ".out.reissue-tmp-123@elsewhere-abcd1234"
    for d in (gone, live, other_host):
        d.mkdir()
        (d / "edition.json").write_text("{")
    export.write_edition(_doc(), str(tmp_path / "out"))
    assert sorted(os.listdir(tmp_path)) == sorted(["out", live.name, other_host.name])
    old = time.time() - export.STALE_TMP_SECONDS - 10
    os.utime(other_host, (old, old))
    export.write_edition(_doc(), str(tmp_path / "out"), force=True)
    assert sorted(os.listdir(tmp_path)) == sorted(["out", live.name])


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{tests!r}]
    from conftest import build_document
    from reissue import export
    real = export.iter_tei

    def slow(ed):
        open({flag!r}, "w").close()
        time.sleep(60)
        yield from real(ed)

    export.iter_tei = slow
    export.write_edition(build_document(["page one.\\n", "page two.\\n"]), {out!r})
""")


def test_kill_9_during_write_edition_leaves_nothing_after_the_next_build(tmp_path):
    out, flag = tmp_path / "out", tmp_path / "writing"
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = KILLED_WRITER.format(tests=os.path.join(ROOT, "tests"), flag=str(flag), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        for _ in range(600):
            if flag.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert flag.exists(), "the writer did not start"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    left = [n for n in os.listdir(tmp_path) if n != "writing"]
    assert len(left) == 1 and left[0].startswith(".out.reissue-tmp-")  # killed midway: only the hidden folder
    assert not out.exists()
    export.write_edition(_doc(), str(out))
    assert sorted(os.listdir(tmp_path)) == ["out", "writing"]
    assert sorted(os.listdir(out)) == sorted(export.FILES)


def test_compact_drops_the_lines_texts_and_keeps_the_edition():
    """process() ends with Document.compact(): a line's own TrackedText is dropped where it is still
    the raw line (remade when asked for), the index of active edits too (remade when an edit is
    recorded); the edition and the rule against overlapping edits are unchanged."""
    from reissue.errors import EditOverlapError

    doc = _doc()
    lines = [(p, ln) for p in doc.pages for ln in p.lines]
    dropped = [ln for _p, ln in lines if ln._text is None]
    assert len(dropped) > len(lines) // 2
    whole = document_to_dict(doc)
    for p, ln in lines:
        assert ln.str == ln.text.text
    assert all(ln.text.text == p.raw[ln.start:ln.end] for p, ln in lines if ln in dropped)
    doc.compact()
    assert document_to_dict(doc) == whole
    e = next(e for e in doc.edits if e.superseded_by is None and e.end > e.start + 1)
    with pytest.raises(EditOverlapError):  # the index, remade from the edits, still sees e
        doc.record_edit("test", "overlap", e.page, e.start + 1, e.end + 1, "x")
    doc.compact()
    new = doc.record_edit("test", "cover", e.page, e.start, e.end, "x")
    assert doc.edits[e.id].superseded_by == new


def test_has_xml_unsafe_is_the_unsafe_class():
    """The fast test of the XML-unsafe characters answers as XML_UNSAFE does for every BMP character, every
    plane's last two and first characters, and texts mixing them."""
    import random

    from reissue.chars import XML_UNSAFE, escape_unsafe, has_xml_unsafe

    chars = [chr(o) for o in range(0x10000)]
    for plane in range(1, 17):
        chars += [chr((plane << 16) + k) for k in (0, 1, 0xFFFD, 0xFFFE, 0xFFFF)]
    rng = random.Random(3)
    chars += [chr(rng.randrange(0x10000, 0x110000)) for _ in range(5000)]
    for ch in chars:
        assert has_xml_unsafe(ch) == bool(XML_UNSAFE.search(ch)), hex(ord(ch))
    for _ in range(2000):
        s = "".join(rng.choice(chars) if rng.random() < 0.05 else "a" for _ in range(rng.randrange(0, 40)))
        assert has_xml_unsafe(s) == bool(XML_UNSAFE.search(s))
        assert escape_unsafe(s) == XML_UNSAFE.sub(lambda m: (f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                                                             else f"\\U{ord(m.group()):08x}"), s)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é\n\U0001f600\udcff\ud800\udfff\ufffd"), max_size=12))
def test_text_files_encode_a_lone_surrogate_as_the_replacement_character(text):
    from reissue.chars import without_surrogates
    from reissue.export import _utf8

    assert _utf8(text) == without_surrogates(text).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=4), kids, max_size=4),
                    max_leaves=12))
def test_the_item_encoder_made_once_writes_what_json_writes(value):
    import json

    from reissue.export_stream import _one_encoder

    for ascii_ in (True, False):
        enc = json.JSONEncoder(ensure_ascii=ascii_)
        one = _one_encoder(enc)
        assert one(value) == enc.encode(value) and one([value, value]) == enc.encode([value, value])
