"""Footnote call-outs in parentheses, '(1)': placed after the ')' in Markdown and TEI, and linked
as printed (the whole '(1)') in both readers: the library's server-rendered page and the static
edition.html (issue 13 item 7)."""

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pagekit import body, build
from test_web import Client

from reissue.index import Library
from reissue.notes import printed_callout
from reissue.web.server import make_app


def _edition_with_paren_note():
    lines = (["12"] + body(n=8) + ["as the minister said (1) and the people listened while", "the rain fell."]
             + body(n=3, start=2) + ["(1) See the report of the commission on the matter."])
    _, ed = build(["\n".join(lines)])
    ed["metadata"].update(title="The Paren Review", volume=1, number=1, year=1901)
    return ed


def test_printed_callout_spans_the_brackets():
    text = "said (1) and * then¹ and [2]"
    assert printed_callout(text, text.index("(1)"), "1") == text.index("(1)") + 3
    assert printed_callout(text, text.index("*"), "*") == text.index("*") + 1
    assert printed_callout(text, text.index("¹"), "1") == text.index("¹") + 1
    assert printed_callout(text, text.index("[2]"), "2") == text.index("[2]") + 3
    assert printed_callout(text, text.index("(1)"), "2") is None  # another note's call-out
    assert printed_callout(text, 0, "1") is None


def test_markdown_and_tei_put_the_note_after_the_bracket():
    from reissue.export import to_markdown, to_tei

    ed = _edition_with_paren_note()
    assert ed["footnotes"][0]["paragraph"]
    assert "said (1)[^n1]" in to_markdown(ed)
    assert "said (1)<note" in to_tei(ed).decode()


def test_server_reader_links_the_whole_paren_callout(tmp_path):
    ed = _edition_with_paren_note()
    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    lib.add_editions([ed])
    eid = lib.editions()[0]["id"]
    lib.close()
    c = Client(make_app(db))
    status, _, page = c.get(f"/edition/{eid}/page/12")
    assert status == 200
    links = re.findall(r'<sup class="callout"><a href="#fn-([^"]+)"[^>]*>([^<]*)</a></sup>', page)
    assert [t for _, t in links] == ["(1)"]
    assert f'id="fn-{links[0][0]}"' in page


@pytest.mark.browser
def test_static_reader_links_the_whole_paren_callout(tmp_path):
    from test_browser import _require_browser, new_page

    from reissue.web.static import render_edition_html

    exe = _require_browser()
    from playwright.sync_api import sync_playwright

    html_path = tmp_path / "edition.html"
    html_path.write_text(render_edition_html(_edition_with_paren_note()), encoding="utf-8")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = new_page(b)
        page.goto(html_path.as_uri())
        link = page.locator("sup.callout a")
        assert link.count() == 1 and link.inner_text() == "(1)"
        assert link.get_attribute("href") == "#fn-n1"
        b.close()


@settings(max_examples=500, deadline=None)
@example("said.\u0663 and")  # an Arabic-Indic digit is a digit of CALLOUT's \\d
@example("a word* (1) and ¹ there")
@given(st.text(alphabet=st.sampled_from("ab .,;)\"’([]\t*†‡§¶¹²³⁰1209٣") | st.characters(), max_size=14))
def test_a_line_without_a_call_out_mark_has_no_call_out(text):
    """notes._callouts skips a line MAY_CALL does not match: every call-out CALLOUT finds has a mark."""
    from reissue.notes import CALLOUT, MAY_CALL

    if MAY_CALL.search(text) is None:
        assert CALLOUT.search(text) is None
    for m in CALLOUT.finditer(text):
        assert MAY_CALL.search(m.group())
