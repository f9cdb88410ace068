"""The self-contained edition.html (no browser needed here; see test_browser.py for the real thing)."""

import json
import re

from conftest import HOSTILE_SCRIPT, build_edition, sample_edition
from reissue.web.static import embed_json, render_edition_html


def data_block(page: str) -> str:
    m = re.search(r'<script type="application/json" id="edition-data">(.*?)</script>', page, re.S)
    assert m
    return m.group(1)


def test_edition_is_embedded_escaped_and_round_trips():
    ed = sample_edition(title=f"Evil {HOSTILE_SCRIPT} Quarterly")
    page = render_edition_html(ed)
    block = data_block(page)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block) == ed
    # exactly the two script elements we wrote: the data and the reader
    assert page.count("<script") == 2
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; Quarterly" in page


def test_no_network_and_strict_csp():
    page = render_edition_html(sample_edition())
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "fetch(" not in page and "XMLHttpRequest" not in page
    assert "innerHTML" not in page


def test_js_line_separators_and_script_end_in_text_are_safe():
    ed = build_edition(["1\nline\u2028sep and </script><script>alert(2)</script> and <!-- x\n"])
    block = data_block(render_edition_html(ed))
    assert "\u2028" not in block and "</script" not in block.lower() and "<!--" not in block
    assert json.loads(block) == ed
    assert embed_json({"a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e"}'


def test_untitled_edition_renders():
    ed = build_edition(["no number\n"], title=None, volume=None, number=None, year=None)
    page = render_edition_html(ed)
    assert "<title>Untitled </title>" in page
