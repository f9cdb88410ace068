"""Tests for reissue.ingest: inputs, decoding, OCR XML formats, mojibake edits, bad input."""

from __future__ import annotations

import io
import os
import shutil
import statistics
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reissue.chars import MOJIBAKE_SINGLES, MOJIBAKE_SUSPECT
from reissue.errors import InputError, NoPagesError
from reissue.ingest import decode_bytes, BinaryContent, document_from_texts, load_inputs, natural_key, sniff_format
from reissue.model import Document, Paragraph, Piece, TrackedText
from reissue.edition import document_to_dict, rebuild_raw

DATA = Path(__file__).parent / "data" / "ingest"


# ----------------------------------------------------------------------------------------------
# helpers


def cover_with_paragraphs(doc: Document) -> None:
    """One paragraph per page made of its lines (with their edits) and verbatim line ends,
    the way later stages keep every raw character covered."""
    for page in doc.pages:
        tt = TrackedText()
        for ln in page.lines:
            tt.append(ln.text)
            if ln.eol_end > ln.end:
                tt.append(Piece(page.index, ln.end, ln.eol_end, page.raw[ln.end:ln.eol_end]))
        doc.paragraphs.append(Paragraph(f"p{page.index}", tt))


def assert_rebuilds(doc: Document) -> None:
    cover_with_paragraphs(doc)
    assert rebuild_raw(document_to_dict(doc)) == [p.raw for p in doc.pages]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# ----------------------------------------------------------------------------------------------
# folders, order, skipped files


def test_folder_natural_order_and_sources(tmp_path):
    for name in ["page10.txt", "page2.txt", "Page3.txt", "page1.txt"]:
        write(tmp_path / name, f"text of {name}\n")
    doc = load_inputs([str(tmp_path)])
    assert [p.source for p in doc.pages] == ["page1.txt", "page2.txt", "Page3.txt", "page10.txt"]
    assert [p.index for p in doc.pages] == [0, 1, 2, 3]
    assert doc.pages[3].raw == "text of page10.txt\n"
    assert doc.pages[0].info["format"] == "text"
    assert doc.problems == []
    assert doc.stages == ["ingest"]


def test_natural_key_orders_numbers_by_value():
    names = ["p10", "p9", "p1", "p100", "a2b10", "a2b9"]
    assert sorted(names, key=natural_key) == ["a2b9", "a2b10", "p1", "p9", "p10", "p100"]


def test_hidden_and_non_page_files_are_skipped_with_one_note(tmp_path):
    write(tmp_path / "001.txt", "one")
    write(tmp_path / "002.txt", "two")
    write(tmp_path / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path / "meta.json", "{}")
    write(tmp_path / "README.md", "# notes")
    write(tmp_path / "scan1.jpg", b"\xff\xd8\xff\xe0")
    write(tmp_path / "scan2.jpg", b"\xff\xd8\xff\xe0")
    (tmp_path / "sub").mkdir()
    doc = load_inputs([str(tmp_path)])
    assert [p.source for p in doc.pages] == ["001.txt", "002.txt"]
    assert len(doc.problems) == 1
    note = doc.problems[0]
    assert "\n" not in note and "skipped 4 files" in note and ".jpg x2" in note and ".json" in note
    # notes can be kept apart from real problems
    notes: list[str] = []
    doc = load_inputs([str(tmp_path)], notes=notes)
    assert doc.problems == [] and notes == [note]


def test_text_page_beside_its_layout_file_is_read_once(tmp_path):
    """A text dump beside the ALTO of the same name (Chronicling America's ocr.txt and ocr.xml) is the same
    page twice: the ALTO is read, the text skipped with a note; a text file without a twin is read."""
    alto = (Path(__file__).parent / "data" / "formats" / "alto_v4_tags.xml").read_bytes()
    write(tmp_path / "ocr.xml", alto)
    write(tmp_path / "ocr.txt", "the same page as plain text")
    write(tmp_path / "other.txt", "a page of its own")
    notes: list[str] = []
    doc = load_inputs([str(tmp_path)], notes=notes)
    assert [p.source for p in doc.pages] == ["ocr.xml", "other.txt"]
    assert doc.pages[0].info["format"] == "alto"
    assert len(notes) == 1 and "ocr.txt" in notes[0] and "beside a layout file" in notes[0]
    # the text file named on its own is read
    assert [p.source for p in load_inputs([str(tmp_path / "ocr.txt")]).pages] == [str(tmp_path / "ocr.txt")]
    # the same in an archive: twins only within one folder of the archive
    zpath = tmp_path / "issue.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("p1/ocr.xml", alto)
        zf.writestr("p1/ocr.txt", "twin")
        zf.writestr("p2/ocr.txt", "no twin here")
    notes = []
    doc = load_inputs([str(zpath)], notes=notes)
    assert [p.source.split(":")[-1] for p in doc.pages] == ["p1/ocr.xml", "p2/ocr.txt"]
    assert len(notes) == 1 and "p1/ocr.txt" in notes[0]


def test_explicit_file_list_keeps_given_order_and_names(tmp_path):
    a = write(tmp_path / "b.txt", "bee")
    b = write(tmp_path / "a.txt", "ay")
    doc = load_inputs([str(a), str(b)])
    assert [p.source for p in doc.pages] == [str(a), str(b)]
    assert [p.raw for p in doc.pages] == ["bee", "ay"]


def test_progress_is_reported(tmp_path):
    for i in range(3):
        write(tmp_path / f"{i}.txt", "x")
    seen = []
    load_inputs([str(tmp_path)], progress=lambda done, total, src: seen.append((done, total, src)))
    assert seen == [(1, 3, "0.txt"), (2, 3, "1.txt"), (3, 3, "2.txt")]


# ----------------------------------------------------------------------------------------------
# decoding


@pytest.mark.parametrize("text", ["plain ascii", "café “quoted” — naïve ﬁ", "Ärger über Öl"])
def test_utf8_and_bom(tmp_path, text):
    write(tmp_path / "a.txt", text.encode("utf-8"))
    write(tmp_path / "b.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    doc = load_inputs([str(tmp_path)])
    assert [p.raw for p in doc.pages] == [text, text]
    assert [p.encoding for p in doc.pages] == ["utf-8", "utf-8-sig"]
    # the bytes can be rebuilt exactly from raw + encoding
    assert doc.pages[1].raw.encode(doc.pages[1].encoding) == (tmp_path / "b.txt").read_bytes()


def test_cp1252_curly_quotes(tmp_path):
    text = "He said \u201cnever\u201d \u2014 it\u2019s done\u2026"
    write(tmp_path / "p.txt", text.encode("cp1252"))
    doc = load_inputs([str(tmp_path)])
    page = doc.pages[0]
    assert page.encoding == "cp1252" and page.raw == text
    assert doc.edits == []  # correctly decoded text is not "repaired"


def test_latin1(tmp_path):
    text = "Caf\u00e9 na\u00efve \u00a7 3"
    write(tmp_path / "p.txt", text.encode("latin-1"))
    doc = load_inputs([str(tmp_path)])
    assert doc.pages[0].encoding == "latin-1" and doc.pages[0].raw == text


def test_latin1_with_bytes_undefined_in_cp1252():
    # 0x81 and 0x8d do not exist in cp1252: the bytes are latin-1 (with C1 controls)
    text, enc = decode_bytes(b"abc \x81\x8d d\xe9f")
    assert enc == "latin-1" and text == "abc \x81\x8d d\u00e9f"


def test_utf16_with_bom():
    text, enc = decode_bytes("caf\u00e9\r\nline".encode("utf-16"))
    assert enc == "utf-16" and text == "caf\u00e9\r\nline"


def test_crlf_and_cr_kept_in_raw(tmp_path):
    raw = "first line\r\nsecond\rthird\nfourth\r\n"
    write(tmp_path / "p.txt", raw.encode())
    page = load_inputs([str(tmp_path)]).pages[0]
    assert page.raw == raw
    assert [ln.str for ln in page.lines] == ["first line", "second", "third", "fourth"]
    assert [ln.eol(page.raw) for ln in page.lines] == ["\r\n", "\r", "\n", "\r\n"]


# ----------------------------------------------------------------------------------------------
# mojibake


def test_mojibake_repaired_as_recorded_edits(tmp_path):
    raw = "The caf\u00c3\u00a9 was \u00e2\u20ac\u0153open\u00e2\u20ac\x9d.\r\nClean \u201cline\u201d \u2014 kept.\n"
    write(tmp_path / "p.txt", raw.encode("utf-8"))
    doc = load_inputs([str(tmp_path)])
    page = doc.pages[0]
    assert page.raw == raw  # raw is never changed
    assert page.lines[0].str == "The caf\u00e9 was \u201copen\u201d."
    assert page.lines[1].str == "Clean \u201cline\u201d \u2014 kept."  # curly quotes and dashes untouched
    assert doc.edits and all(e.stage == "ingest" and e.rule.startswith("ftfy:") for e in doc.edits)
    for e in doc.edits:
        assert page.raw[e.start:e.end] == e.before
        assert len(e.before) <= 3  # minimal regions, not whole lines
    assert_rebuilds(doc)


def test_ftfy_does_not_touch_faithful_text():
    text = "\ufb01ne \uff21\uff22 \u201cq\u201d \u2018s\u2019 &amp; co\u00adop e\u0301 phil\u00b7 \u00bd"
    doc = document_from_texts([("a", text)])
    assert doc.edits == [] and doc.pages[0].lines[0].str == text


def _ftfy_badness_branches():
    """The alternatives of the installed ftfy's badness pattern, each as its list of elements: the set
    of characters an element matches when it is a plain class or literal, else None (a repeat, a
    negated class, a category such as \\s, an anchor)."""
    import re._constants as C
    import re._parser as P

    from ftfy.badness import BADNESS_RE

    def chars_of(op, av):
        if op is C.LITERAL:
            return {chr(av)}
        if op is C.IN:
            out = set()
            for o, a in av:
                if o is C.LITERAL:
                    out.add(chr(a))
                elif o is C.RANGE:
                    out.update(map(chr, range(a[0], a[1] + 1)))
                else:  # NEGATE, CATEGORY
                    return None
            return out
        return None

    (op, (_none, branches)), = P.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert op is C.BRANCH
    return [[chars_of(o, a) for o, a in br] for br in branches]


def test_mojibake_suspect_covers_ftfy_badness():
    # chars.MOJIBAKE_SUSPECT lets ingest skip ftfy on a line it cannot change: every alternative of
    # ftfy's badness pattern needs a character of MOJIBAKE_SINGLES, or two non-ASCII characters in a row
    singles = set(MOJIBAKE_SINGLES)
    for elements in _ftfy_badness_branches():
        required = [e is not None and all(ord(c) > 127 for c in e) for e in elements]
        if any(a and b for a, b in zip(required, required[1:])):
            continue  # two non-ASCII characters in a row
        needed = [e for e, r in zip(elements, required) if r]
        assert needed, f"an alternative of ftfy's badness pattern needs no non-ASCII character: {elements}"
        assert any(e <= singles for e in needed), f"not in MOJIBAKE_SINGLES: {sorted(set().union(*needed) - singles)}"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n1" + "\u00e9\u00fc\u2019\u201c\u2022\u00c3\u00a9\u00e2\u20ac"
                                        "\u0153\u00c2\u00a0\x85\x93\u00d8\u00b0\u00d7\u00b2\u0432\u0402"),
               max_size=12))
def test_mojibake_suspect_skips_only_unchanged_lines(text):
    import ftfy

    from reissue.ingest.mojibake import _ftfy_config

    if not MOJIBAKE_SUSPECT.search(text):
        assert ftfy.fix_and_explain(text, config=_ftfy_config()).text == text


def test_cp1252_decoded_utf8_file_gets_repaired(tmp_path):
    # a UTF-8 file with one stray cp1252 byte is decoded as cp1252; ftfy then repairs the rest
    data = "na\u00efve caf\u00e9".encode("utf-8") + b" \x96 end"
    write(tmp_path / "p.txt", data)
    doc = load_inputs([str(tmp_path)])
    page = doc.pages[0]
    assert page.encoding == "cp1252"
    assert page.raw == data.decode("cp1252")
    assert page.lines[0].str.startswith("na\u00efve caf\u00e9")
    assert_rebuilds(doc)


def _mojibake(s: str) -> str:
    return s.encode("utf-8").decode("cp1252", errors="replace")


_pieces = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["\r\n", "\r", "\n", " ", "\f", "\t", "caf\u00e9", "\u201cq\u201d", "\u2014", "\ufb01",
                     "\xad", "\u2028", "\x85", "\x93x\x94", "\u00e2\u20ac\u2122", "\u00c3\u00a9"]),
    st.text(alphabet="\u00e9\u00fc\u2019\u201c\u201d\u2014\u00e0\u00f1\u00df", min_size=1, max_size=6).map(_mojibake),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_pieces, max_size=12).map("".join), min_size=1, max_size=3))
def test_property_raw_rebuilds_after_ingest(texts):
    assume(all(sniff_format(t) == "text" for t in texts))
    doc = document_from_texts([(f"p{i}", t) for i, t in enumerate(texts)])
    assert [p.raw for p in doc.pages] == texts
    for page in doc.pages:
        assert len(page.lines) == len(page.split_lines())
        for ln in page.lines:
            assert "\n" not in ln.str and "\r" not in ln.str
    for e in doc.edits:
        assert doc.pages[e.page].raw[e.start:e.end] == e.before
    assert_rebuilds(doc)


# ----------------------------------------------------------------------------------------------
# stdin


def test_stdin_form_feeds():
    data = "one\r\ntwo\fcaf\u00c3\u00a9\f\fthree\n\f".encode("utf-8")
    doc = load_inputs(["-"], stdin=io.BytesIO(data))
    assert [p.source for p in doc.pages] == ["<stdin>:1", "<stdin>:2", "<stdin>:3", "<stdin>:4"]
    assert [p.raw for p in doc.pages] == ["one\r\ntwo", "caf\u00c3\u00a9", "", "three\n"]
    assert doc.pages[1].lines[0].str == "caf\u00e9"
    assert len(doc.problems) == 1 and doc.problems[0].startswith("<stdin>:3: empty page")


def test_stdin_oversize_page_refused_others_kept():
    data = b"small\f" + b"x" * 5000 + b"\fafter"
    doc = load_inputs(["-"], stdin=io.BytesIO(data), max_page_bytes=1000)
    assert [p.raw for p in doc.pages] == ["small", "after"]
    assert len(doc.problems) == 1 and "<stdin>:2" in doc.problems[0] and "over the limit" in doc.problems[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\f", b"")), max_size=6),
       st.sampled_from([b"", b"\n", b" \r\n"]), st.integers(1, 7), st.integers(0, 10))
def test_property_stdin_chunking(pages, tail, chunk, limit):
    from reissue.ingest.sources import _stdin_pages

    data = b"\f".join(pages) + (b"\f" + tail if pages else b"")
    got = list(_stdin_pages(io.BytesIO(data), limit, chunk_size=chunk))
    # reference: split on form feeds; a last page of white space after a form feed is no page
    parts = data.split(b"\f") if data else []
    if len(parts) > 1 and not parts[-1].strip() and len(parts[-1]) <= limit:
        parts.pop()
    want = [(i + 1, (p if len(p) <= limit else None), len(p)) for i, p in enumerate(parts)]
    assert got == want


def test_empty_stdin():
    with pytest.raises(NoPagesError, match="no text on standard input"):
        load_inputs(["-"], stdin=io.BytesIO(b""))


# ----------------------------------------------------------------------------------------------
# zip archives


def test_zip_members_natural_order_and_zip_slip_refused(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    arc = work / "issue.zip"
    with zipfile.ZipFile(arc, "w") as zf:
        zf.writestr("issue/p10.txt", "ten")
        zf.writestr("issue/p2.txt", "two \u00c3\u00a9")
        zf.writestr("issue/p1.txt", "one")
        zf.writestr("../evil.txt", "evil")
        zf.writestr("/abs/evil2.txt", "evil")
        zf.writestr("__MACOSX/issue/._p1.txt", b"\x00\x05\x16\x07")
        zf.writestr("issue/meta.json", "{}")
        link = zipfile.ZipInfo("issue/p3.txt")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    before = listing(tmp_path)
    doc = load_inputs([str(arc)])
    assert [p.source for p in doc.pages] == [f"{arc}:issue/p1.txt", f"{arc}:issue/p2.txt", f"{arc}:issue/p10.txt"]
    assert [p.raw for p in doc.pages] == ["one", "two \u00c3\u00a9", "ten"]
    assert doc.pages[1].lines[0].str == "two \u00e9"
    evil = [m for m in doc.problems if "evil" in m]
    assert len(evil) == 2 and all("refused" in m and "\n" not in m for m in evil)
    assert any(m.startswith(f"{arc}:issue/p3.txt: symbolic link") for m in doc.problems)
    assert any("skipped 1 file" in m for m in doc.problems)
    assert listing(tmp_path) == before  # nothing extracted anywhere
    assert not (tmp_path / "evil.txt").exists()


def test_broken_zip_is_a_problem_not_a_crash(tmp_path):
    bad = write(tmp_path / "bad.zip", b"PK\x03\x04 this is not really a zip")
    good = write(tmp_path / "good.txt", "fine")
    doc = load_inputs([str(bad), str(good)])
    assert [p.raw for p in doc.pages] == ["fine"]
    assert len(doc.problems) == 1 and doc.problems[0].startswith(f"{bad}: not a readable ZIP archive")


def test_zip_member_over_limit(tmp_path):
    arc = tmp_path / "a.zip"
    with zipfile.ZipFile(arc, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "a" * 100_000)
        zf.writestr("ok.txt", "ok")
    doc = load_inputs([str(arc)], max_page_bytes=10_000)
    assert [p.raw for p in doc.pages] == ["ok"]
    assert len(doc.problems) == 1 and "big.txt" in doc.problems[0] and "over the limit" in doc.problems[0]


# ----------------------------------------------------------------------------------------------
# bad input never stops the batch


def test_binary_files_are_problems_and_others_load(tmp_path):
    write(tmp_path / "01.txt", "first page")
    write(tmp_path / "02.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # an image named .txt
    write(tmp_path / "03.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    write(tmp_path / "04.txt", b"abc\x00\x01\x02def")
    write(tmp_path / "05.txt", bytes(range(1, 9)) * 50)
    write(tmp_path / "06.txt", "last page")
    doc = load_inputs([str(tmp_path)])
    assert [p.source for p in doc.pages] == ["01.txt", "06.txt"]
    assert [p.index for p in doc.pages] == [0, 1]
    assert len(doc.problems) == 4
    srcs = [m.split(":", 1)[0] for m in doc.problems]
    assert srcs == ["02.txt", "03.txt", "04.txt", "05.txt"]
    assert "PNG" in doc.problems[0] and "PDF" in doc.problems[1] and "NUL" in doc.problems[2]
    for m in doc.problems:
        assert "\n" not in m and m.endswith(")") and " (" in m


def test_decode_bytes_rejects_binary():
    with pytest.raises(BinaryContent):
        decode_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")


def test_huge_single_line_page_refused_without_loading_it(tmp_path):
    write(tmp_path / "01.txt", "before")
    with open(tmp_path / "02.txt", "wb") as f:
        block = b"x" * (1 << 20)
        for _ in range(50):
            f.write(block)
    write(tmp_path / "03.txt", "after")
    tracemalloc.start()
    try:
        doc = load_inputs([str(tmp_path)])
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.raw for p in doc.pages] == ["before", "after"]
    assert len(doc.problems) == 1
    assert doc.problems[0].startswith("02.txt: page is 52.4 MB, over the limit of 20.0 MB")
    assert peak < 2_000_000  # the 50 MB file was never read into memory


def test_empty_file_kept_as_blank_page(tmp_path):
    write(tmp_path / "1.txt", "one")
    write(tmp_path / "2.txt", b"")
    write(tmp_path / "3.txt", "three")
    doc = load_inputs([str(tmp_path)])
    assert [p.raw for p in doc.pages] == ["one", "", "three"]
    assert doc.pages[1].lines[0].kind == "blank"
    assert len(doc.problems) == 1 and doc.problems[0].startswith("2.txt: empty page")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    write(tmp_path / "1.txt", "one")
    p = write(tmp_path / "2.txt", "two")
    p.chmod(0)
    try:
        doc = load_inputs([str(tmp_path)])
    finally:
        p.chmod(0o644)
    assert [pg.raw for pg in doc.pages] == ["one"]
    assert doc.problems[0].startswith("2.txt: cannot be read")


def test_missing_input_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        load_inputs([str(tmp_path / "nope")])


def test_empty_folder_raises_no_pages(tmp_path):
    with pytest.raises(NoPagesError, match=f"no page files found in {tmp_path}"):
        load_inputs([str(tmp_path)])
    write(tmp_path / "only.json", "{}")
    with pytest.raises(NoPagesError, match="no page files found"):
        load_inputs([str(tmp_path)])


def test_all_pages_bad_raises_no_pages_with_count(tmp_path):
    write(tmp_path / "a.txt", b"\x00\x01binary")
    write(tmp_path / "b.txt", b"%PDF-1.4")
    with pytest.raises(NoPagesError) as ei:
        load_inputs([str(tmp_path)])
    msg = str(ei.value)
    assert "2 problems" in msg and "\n" not in msg
    assert ei.value.exit_code == 4


# ----------------------------------------------------------------------------------------------
# OCR XML formats


def _check_lines_info(page):
    assert page.info["lines"] is not None
    assert len(page.info["lines"]) == len(page.split_lines())
    for ln, d in zip(page.lines, page.info["lines"]):
        assert bool(d.get("blank")) == (ln.str == "")


def test_alto_v4_namespaced(tmp_path):
    doc = load_inputs([str(DATA / "alto_v4.xml")])
    page = doc.pages[0]
    assert page.info["format"] == "alto"
    assert (page.info["width"], page.info["height"]) == (2000, 3000)
    assert page.info["printed_number"] == "313"
    assert page.raw.split("\n") == [
        "THIS QUARTER", "",
        "Stalin has been trans¬", "formed overnight.*", "",  # the HYP element's own CONTENT
        "A new paragraph.", "",
        "* See the note.", "",
        "313"]
    _check_lines_info(page)
    info = {ln.str: d for ln, d in zip(page.lines, page.info["lines"])}
    assert info["THIS QUARTER"]["region"] == "top-margin"
    assert info["313"]["region"] == "bottom-margin"
    assert info["Stalin has been trans¬"]["hyphen"] is True
    assert info["Stalin has been trans¬"]["hyphen_word"] == "transformed"  # SUBS_CONTENT
    assert info["formed overnight.*"] == {"x": 100, "y": 250, "w": 1700, "h": 42, "block": "b1", "id": "l2",
                                          "region": "print-space", "font_size": 10}
    # the footnote is set in smaller type than the body
    body = statistics.median(d["font_size"] for s, d in info.items() if s and not s.startswith("*"))
    assert info["* See the note."]["font_size"] < body
    assert page.info["font_size_source"] == "style"


def test_alto_without_namespace_and_latin1_declaration():
    doc = load_inputs([str(DATA / "alto_v2_plain.xml"), str(DATA / "alto_latin1.xml")])
    a, b = doc.pages
    assert a.raw == "Caf\u00e9 society\nmeets tonight."
    # geometry of a line without attributes comes from its strings; sizes from line heights
    assert a.info["lines"][1] == {"x": 50, "y": 100, "w": 250, "h": 30, "block": "TB1",
                                  "region": "print-space", "font_size": 30}
    assert a.info["font_size_source"] == "line-height"
    assert b.raw == "Caf\u00e9 na\u00efve" and b.encoding == "latin-1"


def test_hocr_sample():
    doc = load_inputs([str(DATA / "sample.hocr")])
    page = doc.pages[0]
    assert page.info["format"] == "hocr"
    assert page.raw == "PARTISAN\n\nThe critics &\npoets.2\n\n2 Footnote text."
    _check_lines_info(page)
    d = page.info["lines"]
    assert d[0]["region"] == "header" and d[0]["block"] == "par_1_1"
    assert d[2]["block"] == d[3]["block"] == "par_1_2"
    assert (d[2]["x"], d[2]["y"], d[2]["w"], d[2]["h"]) == (100, 200, 1500, 40)
    assert d[5]["font_size"] < d[2]["font_size"]
    assert (page.info["width"], page.info["height"]) == (1700, 2200)


def test_hocr_multi_page_and_no_word_spans():
    html = ("<html><body>"
            "<div class='ocr_page' title='bbox 0 0 100 200'><span class='ocr_line' title='bbox 1 2 30 12'>first "
            "page</span></div>"
            "<div class='ocr_page' title='bbox 0 0 100 200'><span class='ocr_line' title='bbox 1 2 30 12'>second"
            "</span><span class='ocr_line' title='bbox 1 20 30 40'>more</span></div></body></html>")
    doc = document_from_texts([("two.html", html)])
    assert [p.source for p in doc.pages] == ["two.html#1", "two.html#2"]
    assert [p.raw for p in doc.pages] == ["first page", "second\nmore"]
    # no x_fsize and no x_size: sizes are the bbox heights
    assert [d["font_size"] for d in doc.pages[1].info["lines"]] == [10, 20]


def test_page_xml_reading_order_and_footnote_region():
    doc = load_inputs([str(DATA / "page_2019.xml")])
    page = doc.pages[0]
    assert page.info["format"] == "page"
    # ReadingOrder puts the header first, then the body, then the footnote (document order differs);
    # the TextEquiv with the lowest index wins; a line without its own TextEquiv joins its words
    assert page.raw == "THE REVIEW\n\nFirst line of the body1\nsecond line.\n\n1 A small note."
    _check_lines_info(page)
    d = page.info["lines"]
    assert [x.get("region") for x in d] == ["header", None, "paragraph", "paragraph", None, "footnote"]
    assert d[5]["font_size"] < d[2]["font_size"]
    assert (d[2]["x"], d[2]["y"], d[2]["w"], d[2]["h"]) == (100, 200, 1400, 40)
    assert (page.info["width"], page.info["height"]) == (1600, 2400)


def test_page_xml_2010_points_and_region_text_only():
    xml = ("<?xml version='1.0' encoding='UTF-8'?>"
           "<PcGts xmlns='http://schema.primaresearch.org/PAGE/gts/pagecontent/2010-03-19'>"
           "<Page imageWidth='800' imageHeight='1200'>"
           "<TextRegion id='a' custom='structure {type:footnote;}'><Coords><Point x='10' y='1000'/>"
           "<Point x='300' y='1000'/><Point x='300' y='1030'/></Coords>"
           "<TextEquiv><Unicode>note one\nnote two</Unicode></TextEquiv></TextRegion>"
           "<TextRegion id='b'><TextLine id='l'><Coords><Point x='10' y='20'/><Point x='110' y='45'/></Coords>"
           "<TextEquiv><Unicode>body</Unicode></TextEquiv></TextLine></TextRegion>"
           "</Page></PcGts>")
    doc = document_from_texts([("p.xml", xml)])
    page = doc.pages[0]
    assert page.raw == "note one\nnote two\n\nbody"  # no ReadingOrder: document order
    _check_lines_info(page)
    d = page.info["lines"]
    assert d[0]["region"] == "footnote" and d[0]["block"] == "a"
    assert (d[3]["x"], d[3]["y"], d[3]["w"], d[3]["h"]) == (10, 20, 100, 25)
    assert d[3]["font_size"] == 25  # no TextStyle: line height


def test_broken_xml_is_a_problem_with_line_number(tmp_path):
    shutil.copy(DATA / "broken_alto.xml", tmp_path / "p1.xml")
    write(tmp_path / "p2.txt", "still here")
    doc = load_inputs([str(tmp_path)])
    assert [p.raw for p in doc.pages] == ["still here"]
    assert len(doc.problems) == 1
    assert doc.problems[0].startswith("p1.xml: broken ALTO XML: line 9")


def test_text_starting_with_angle_bracket_stays_text():
    for t in ["<The Editor>", "<b>old</b> OCR <i>", "< 3 pages", "<p>unclosed"]:
        assert sniff_format(t) == "text"
        doc = document_from_texts([("a", t)])
        assert doc.pages[0].raw == t and doc.problems == []
    assert sniff_format("<doc><p>well formed</p></doc>") == "xml"


def test_two_folders_keep_sources_apart(tmp_path):
    write(tmp_path / "a" / "1.txt", "a1")
    write(tmp_path / "b" / "1.txt", "b1")
    doc = load_inputs([str(tmp_path / "a"), str(tmp_path / "b")])
    assert [p.source for p in doc.pages] == [str(tmp_path / "a" / "1.txt"), str(tmp_path / "b" / "1.txt")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_explicit_pipe_is_read_but_folder_pipe_refused(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t = threading.Thread(target=lambda: fifo.write_bytes(b"from a pipe\n"))
    t.start()
    doc = load_inputs([str(fifo)])
    t.join()
    assert doc.pages[0].raw == "from a pipe\n"
    write(tmp_path / "p.txt", "page")
    doc = load_inputs([str(tmp_path)])  # a pipe in a folder would block: refused
    assert [p.raw for p in doc.pages] == ["page"]
    assert doc.problems[0].startswith("pipe: not a regular file")


def test_format_sniffed_from_content_not_extension(tmp_path):
    shutil.copy(DATA / "alto_v4.xml", tmp_path / "page.txt")
    write(tmp_path / "z.xml", "Not markup at all < 3 pages")
    doc = load_inputs([str(tmp_path)])
    assert [p.info["format"] for p in doc.pages] == ["alto", "text"]
    assert sniff_format("<?xml version='1.0'?>\n<!-- c -->\n<PcGts xmlns='x'/>") == "page"
    assert sniff_format("<mets:mets xmlns:mets='http://www.loc.gov/METS/'></mets:mets>") == "mets"
    assert sniff_format("<?xml version='1.0'?><catalog><book/></catalog>") == "xml"


def test_unknown_xml_is_a_problem(tmp_path):
    write(tmp_path / "catalog.xml", "<?xml version='1.0'?><catalog xmlns='http://example.org/'/>")
    write(tmp_path / "p.txt", "text")
    doc = load_inputs([str(tmp_path)])
    assert [p.raw for p in doc.pages] == ["text"]
    assert doc.problems[0].startswith("catalog.xml: markup with root <catalog>")


def test_empty_mets_falls_back_to_the_folder(tmp_path):
    write(tmp_path / "mets.xml", "<?xml version='1.0'?><mets xmlns='http://www.loc.gov/METS/'/>")
    write(tmp_path / "p.txt", "text")
    doc = load_inputs([str(tmp_path)])
    assert [p.raw for p in doc.pages] == ["text"]
    assert "METS lists no readable page file" in doc.problems[0]


def test_no_external_entities(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOPSECRET")
    alto = (f'<?xml version="1.0"?><!DOCTYPE alto [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            '<alto><Layout><Page><PrintSpace><TextBlock><TextLine>'
            '<String CONTENT="safe"/></TextLine><TextLine>&xxe;<String CONTENT="x&xxe;"/></TextLine>'
            '</TextBlock></PrintSpace></Page></Layout></alto>')
    doc = document_from_texts([("x.xml", alto)])
    assert all("TOPSECRET" not in p.raw for p in doc.pages)


def test_xml_pages_rebuild_and_repair_mojibake():
    alto = ('<alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT="caf\u00c3\u00a9"/>'
            '<String CONTENT="ok"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>')
    doc = document_from_texts([("m.xml", alto)])
    assert doc.pages[0].raw == "caf\u00c3\u00a9 ok"
    assert doc.pages[0].lines[0].str == "caf\u00e9 ok"
    assert_rebuilds(doc)


_xml_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r \u2028\x85")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.lists(st.text(_xml_chars, max_size=8), max_size=4), max_size=3), min_size=1, max_size=3),
       st.booleans())
def test_property_alto_lines_match_info(blocks, hyphen):
    from xml.sax.saxutils import quoteattr

    body = []
    for b in blocks:
        body.append("<TextBlock>")
        for words in b:
            body.append("<TextLine>" + "".join(f"<String CONTENT={quoteattr(w)}/><SP/>" for w in words)
                        + ("<HYP CONTENT='-'/>" if hyphen else "") + "</TextLine>")
        body.append("</TextBlock>")
    alto = ("<alto xmlns='http://www.loc.gov/standards/alto/ns-v2#'><Layout><Page><PrintSpace>"
            + "".join(body) + "</PrintSpace></Page></Layout></alto>")
    doc = document_from_texts([("a.xml", alto)])
    page = doc.pages[0]
    assert page.info["format"] == "alto"
    _check_lines_info(page)
    # blank lines only between blocks, never two in a row, never first or last
    kinds = ["blank" if d.get("blank") else "text" for d in page.info["lines"]]
    assert "blank\tblank" not in "\t".join(kinds)
    if page.raw:
        assert kinds[0] == kinds[-1] == "text"
    assert_rebuilds(doc)


def test_document_from_texts_same_per_page_code():
    doc = document_from_texts([("a", "one\r\ntwo"), ("b", "")])
    assert [p.source for p in doc.pages] == ["a", "b"]
    assert [ln.str for ln in doc.pages[0].lines] == ["one", "two"]
    assert doc.problems and doc.problems[0].startswith("b: empty page")
