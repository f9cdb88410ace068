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
    data = json.loads(block)  # the search texts: every paragraph and note, as in edition.json
    assert [t["text"] for t in data["texts"]] == [p["text"] for p in ed["paragraphs"] + ed["footnotes"]]
    assert [p["key"] for p in data["pages"]] == ["5", "6", "7"]
    # exactly the three script elements we wrote: the "js" class, the data and the reader
    assert page.count("<script") == 3
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
    assert json.loads(block)["texts"][0]["text"] == ed["paragraphs"][0]["text"]
    assert embed_json({"a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e"}'


def test_untitled_edition_renders():
    ed = build_edition(["no number\n"], title=None, volume=None, number=None, year=None)
    page = render_edition_html(ed)
    assert "<title>Untitled </title>" in page


def _reading_text(html: str) -> str:
    html = re.sub(r'<h2 class="page-head">.*?</h2>', "", html)
    return re.sub(r"\s+", " ", re.sub(r'href="[^"]*"', "href", html)).strip()


def test_static_and_server_readers_render_a_page_the_same(tmp_path):
    """One renderer: the reading text of a page in edition.html is the server's, byte for byte
    (links aside: #p=KEY&at=ITEM there, /edition/ID/page/KEY#ITEM on the server)."""
    from reissue.index import Library
    from reissue.web.server import make_app
    from test_web import Client

    ed = sample_edition()
    static = render_edition_html(ed)
    db = str(tmp_path / "lib.sqlite")
    lib = Library(db)
    (eid,) = lib.add_editions([ed])
    lib.close()
    client = Client(make_app(db))
    for key in ("5", "6", "7"):
        server = client.get(f"/edition/{eid}/page/{key}")[2]
        got = re.search(r'<div class="text">(.*?)</div></section>', server, re.S).group(1)
        mine = re.search(rf'<div class="page-text" id="page-{key}"[^>]*>(.*?)</div>\n(?=<div class="page-text"|</div></section>)',
                         static, re.S).group(1)
        # a paragraph continued from the page before has its id only on its first page in edition.html
        got = re.sub(r'<p id="[^"]*" class="runon"', '<p class="runon"', got)
        assert _reading_text(mine) == _reading_text(got), key
        raw_server = re.search(r'<pre class="raw">(.*?)</pre>', server, re.S).group(1)
        raw_static = re.search(rf'<div class="page-raw" data-page="{int(key) - 5}"><pre class="raw">(.*?)</pre>',
                               static, re.S).group(1)
        assert raw_static == raw_server


def test_h_escapes_as_markupsafe_does():
    from markupsafe import Markup, escape

    from reissue.web.render import h

    for s in ["", "plain", "<a href=\"x\">'&amp;'</a>", "&&<<>>''\"\"", "x\ud800y", "— “quoted” ‘s’",
              Markup("<b>safe</b>"), 42, 0.5, None]:
        assert h(s) == ("" if s is None else str(escape(str(s)))), s
        assert type(h(s)) is str


def test_compiled_templates_are_current_and_render_the_same(monkeypatch):
    """edition.html's templates ship compiled (scripts/build_templates.py, rebuilt byte for byte): the
    page they write is the page the templates compiled from source write; a compiled folder whose
    manifest does not match the templates (or the Jinja) is not used."""
    import subprocess
    import sys
    from pathlib import Path

    from reissue.web import render, static

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "scripts" / "build_templates.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert render.compiled_current() and render._compiled_loader() is not None
    ed = sample_edition()
    monkeypatch.setattr(static, "_ENV", render.jinja_env())
    assert type(static._env().loader).__name__ == "ChoiceLoader"
    fast = render_edition_html(ed)
    monkeypatch.setattr(static, "_ENV", render.jinja_env(compiled=False))
    assert type(static._env().loader).__name__ == "PackageLoader"
    assert render_edition_html(ed) == fast
    import jinja2

    monkeypatch.setattr(jinja2, "__version__", "0.0")
    assert not render.compiled_current()
    monkeypatch.undo()
    monkeypatch.setattr(render, "COMPILED_TEMPLATES", ("edition.html", "_page.html", "base.html"))
    assert not render.compiled_current()  # a template the manifest does not know


def test_one_compiled_template_loader_per_process():
    # a Jinja ModuleLoader registers a weak proxy of its module in sys.modules; loaders made per
    # environment and collected later left dead proxies there, and a walk over sys.modules
    # (hypothesis does one) raised ReferenceError in CI. One loader is made and kept.
    import sys

    from reissue.web import render

    envs = [render.jinja_env() for _ in range(3)]
    proxies = [k for k in sys.modules if k.startswith("_jinja2_module_templates_")]
    assert len(proxies) <= 1, proxies
    assert len({id(e.loader) for e in envs}) == 3  # the environments are still separate
    for m in list(sys.modules.values()):
        getattr(m, "__file__", None)  # no dead proxy: this raises ReferenceError on one
