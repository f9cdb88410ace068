"""End-to-end tests in headless Chromium (Debian's chromium driven by Playwright; no browser download).

They skip when chromium or playwright is missing, except under CI=true where they must run.
Screenshots (desktop and phone width) are kept in test-artifacts/.
"""

import os
import re
import threading

import pytest

from conftest import build_edition, chromium_path, sample_edition, write_edition

pytestmark = pytest.mark.browser

EID = "the-test-quarterly-v6-n5-1939"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


def _require_browser():
    exe = chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        exe = None
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium/playwright missing under CI=true: install Debian's chromium (bash .ci/run does)")
        pytest.skip("headless Chromium not available: apt-get install chromium (never `playwright install`)")
    return exe


@pytest.fixture(scope="module")
def browser():
    exe = _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    from reissue.index import Library
    from reissue.web.server import loopback_hosts, make_app, make_server

    db = str(tmp_path / "library.sqlite")
    lib = Library(db)
    lib.add_editions([sample_edition(), build_edition(
        ["12\nAnother issue about zebra migrations in the spring.\n\nA second paragraph.\n"],
        title="Zoology Monthly", volume=1, number=2, year=1951)])
    lib.close()
    app = make_app(db, review=True)
    srv = make_server(app, "127.0.0.1", 0)
    port = srv.server_address[1]
    app.allowed_hosts = loopback_hosts("127.0.0.1", port)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{port}", db
    srv.shutdown()
    srv.server_close()


def new_page(browser, viewport=None):
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
    page.problems = []
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: page.problems.append(f"js error: {e}"))
    page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
            and page.problems.append(f"console: {m.text}"))
    return page


def no_hostile_effects(page):
    assert page.problems == []
    assert page.locator("img").count() == 0
    assert page.evaluate("() => document.querySelectorAll('script:not([src]):not([type])').length") == 0 \
        or page.url.startswith("file:")


def no_horizontal_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_library_reader_search_toggle_and_review(browser, server, artifacts):
    base, db = server
    page = new_page(browser)
    page.goto(base + "/")
    page.screenshot(path=str(artifacts / "server-library.png"), full_page=True)
    page.get_by_role("link", name=re.compile(r"Vol\. 6 No\. 5")).click()
    page.wait_for_url(re.compile(r"/page/5$"))
    assert "tyranny" in page.locator(".clean").inner_text()
    # a correction under edition.CERTAIN (Comintern, 0.71) is shown as uncertain, a sure one (brown, 0.92) is not
    doubt = page.locator(".clean .chg.doubt")
    assert doubt.count() == 1 and doubt.inner_text() == "Comintern" and "uncertain" in doubt.get_attribute("data-tip")
    assert doubt.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dashed"
    assert page.locator(".clean .chg:not(.doubt)", has_text="brown").first.evaluate(
        "e => getComputedStyle(e).borderBottomStyle") == "dotted"
    # hostile OCR text shows as text, nothing runs
    assert "<script>alert(1)</script>" in page.locator(".clean").inner_text()
    assert '"><img src=x onerror=alert(1)>' in page.locator(".notes").inner_text()
    no_hostile_effects(page)
    page.screenshot(path=str(artifacts / "server-reader.png"), full_page=True)

    # page through with the keyboard
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"/page/6$"))
    assert "continued from p. 5" in page.locator(".clean").inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"/page/7$"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"/page/6$"))

    # toggle the original OCR: both views side by side, changes explained
    assert not page.locator(".original").is_visible()
    page.click("#toggle-original")
    assert page.locator(".original").is_visible()
    assert "view=original" in page.url
    chg = page.locator("pre.raw .e-correct").first
    assert chg.inner_text() == "hrown"
    chg.hover()
    assert "confidence 0.92" in chg.get_attribute("data-tip")
    page.screenshot(path=str(artifacts / "server-original.png"), full_page=True)
    page.keyboard.press("ArrowLeft")  # the choice is kept while paging
    page.wait_for_url(re.compile(r"/page/5\?view=original$"))
    assert page.locator(".original").is_visible()

    # search across the library and land on the hit
    page.fill("#q-top", "zebra")
    page.press("#q-top", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=zebra"))
    assert page.locator(".hits li").count() == 2
    page.screenshot(path=str(artifacts / "server-search.png"), full_page=True)
    page.locator(".hits a.go", has_text="Test Quarterly").click()
    page.wait_for_url(re.compile(r"/page/5\?hl=zebra#p3$"))
    hit = page.locator(".clean mark.hit")
    assert hit.first.inner_text().lower() == "zebra"
    assert hit.first.is_visible()
    # what used to be an FTS5 syntax error is searched as typed; in advanced mode it is a friendly message
    page.goto(base + "/search?q=%22unbalanced")
    assert page.locator(".error").count() == 0
    page.goto(base + "/search?q=%22unbalanced&advanced=1")
    assert "could not be understood" in page.locator(".error").inner_text()

    # review: reject a correction, see it after reload
    page.goto(base + f"/edition/{EID}/page/5")
    page.fill("#reviewer", "Ada Reviewer")
    row = page.locator("tr", has=page.locator("del", has_text="hrown"))
    row.locator("button[data-action=reject]").click()
    page.wait_for_url(re.compile(r"/page/5#edit-\d+$"))
    page.reload()
    rejected = page.locator(".clean .chg.d-reject")
    assert rejected.first.inner_text() == "hrown"
    assert "Rejected by Ada Reviewer" in rejected.first.get_attribute("data-tip")
    assert "Ada Reviewer" in row.inner_text()
    # correct any word: select it in the text, type the replacement
    page.locator("#p2 span.t", has_text="lazy").first.evaluate("""el => {
        const node = el.firstChild, at = node.textContent.indexOf('lazy');
        const r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + 4);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r);
        el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    assert page.locator("#manual-form input[name=find]").input_value() == "lazy"
    page.fill("#manual-form input[name=text]", "sleepy")
    page.click("#manual-form button[type=submit]")
    page.wait_for_url(re.compile(r"#p2$"))
    page.reload()
    assert "sleepy" in page.locator("#p2").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "server-review.png"), full_page=True)
    no_hostile_effects(page)
    # all corrections of the issue in one list, least confident first; review from there
    page.get_by_role("link", name=re.compile("Review all 3 corrections")).click()
    page.wait_for_url(re.compile(r"/corrections$"))
    first = page.locator("tbody tr").first
    assert "Comintem" in first.inner_text()
    first.locator("button[data-action=accept]").click()
    page.wait_for_url(re.compile(r"/corrections\?page=1#edit-\d+$"))
    assert "Accepted by Ada Reviewer" in page.locator("tbody tr").first.inner_text()
    page.screenshot(path=str(artifacts / "server-corrections.png"), full_page=True)
    page.close()

    # phone width: readable, no sideways scrolling
    phone = new_page(browser, PHONE)
    for name, path in (("library", "/"), ("reader", f"/edition/{EID}/page/5?hl=zebra"),
                       ("original", f"/edition/{EID}/page/6?view=original"), ("search", "/search?q=brown")):
        phone.goto(base + path)
        no_horizontal_scroll(phone)
        phone.screenshot(path=str(artifacts / f"server-phone-{name}.png"), full_page=True)
    assert phone.problems == []
    phone.close()


def test_hostile_urls_in_browser(browser, server):
    base, _ = server
    page = new_page(browser)
    for path in ("/edition/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
                 "/search?q=%3Cscript%3Ealert(1)%3C/script%3E&title=%3Cb%3E", f"/edition/{EID}/page/5?hl=%3Cscript%3Ealert(1)%3C/script%3E",
                 "/static/..%2f..%2fetc%2fpasswd"):
        resp = page.goto(base + path)
        assert resp.status in (200, 400, 404)
        assert "root:" not in page.content()
    no_hostile_effects(page)
    page.close()


def test_static_edition_page(browser, tmp_path, artifacts):
    from reissue.web.static import render_edition_html

    out = write_edition(sample_edition(), tmp_path / "ed")
    html_path = out / "edition.html"
    html_path.write_text(render_edition_html(sample_edition()), encoding="utf-8")
    page = new_page(browser)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html_path.as_uri())
    assert page.locator("#pageno").inner_text().startswith("p. 5")
    assert "<script>alert(1)</script>" in page.locator("#text").inner_text()
    no_hostile_effects(page)
    page.screenshot(path=str(artifacts / "static-reader.png"), full_page=True)
    page.keyboard.press("ArrowRight")
    assert page.evaluate("location.hash").startswith("#p=6")
    assert "continued from p. 5" in page.locator("#text").inner_text()
    page.click("#toggle-original")
    assert page.locator(".page-raw.current pre.raw").is_visible()
    assert page.locator(".page-raw.current .e-correct").first.inner_text() == "hrown"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("location.hash").startswith("#p=5&view=original")
    page.screenshot(path=str(artifacts / "static-original.png"), full_page=True)
    # search within the issue, go to the hit on the next page
    page.fill("#q", "brown")
    page.press("#q", "Enter")
    results = page.locator("#results-list li")
    assert results.count() == 2
    results.nth(1).locator("a.go").click()
    assert page.evaluate("location.hash").startswith("#p=6")
    assert page.locator(".page-text.current mark.hit").first.inner_text() == "brown"
    page.screenshot(path=str(artifacts / "static-search.png"), full_page=True)
    # the hash picks the page on load
    page.goto(html_path.as_uri() + "#p=7")
    assert "quiet ending" in page.locator("#text").inner_text()
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    assert page.problems == []
    page.close()
    phone = new_page(browser, PHONE)
    phone.goto(html_path.as_uri())
    no_horizontal_scroll(phone)
    phone.screenshot(path=str(artifacts / "static-phone.png"), full_page=True)
    # the original OCR opens in place on a phone, without a scroll jump
    y0 = phone.evaluate("window.scrollY")
    phone.click("#toggle-original")
    top = phone.evaluate("document.querySelector('.original').getBoundingClientRect().top")
    assert top < PHONE["height"] and phone.evaluate("window.scrollY") == y0
    assert phone.locator(".page-raw.current .e-correct").first.is_visible() and not phone.locator(".clean").is_visible()
    no_horizontal_scroll(phone)
    phone.screenshot(path=str(artifacts / "static-phone-original.png"), full_page=False)
    phone.close()
    # without JavaScript every page reads, one after the other (the same HTML the server renders)
    ctx = browser.new_context(java_script_enabled=False)
    nojs = ctx.new_page()
    nojs.goto(html_path.as_uri())
    text = nojs.locator("#text").inner_text()
    assert "THIS QUARTER" in text and "continued from p. 5" in text and "quiet ending" in text
    assert text.index("THIS QUARTER") < text.index("quiet ending")
    assert not nojs.locator("#toggle-original").is_visible()  # its toolbar needs the script
    nojs.screenshot(path=str(artifacts / "static-nojs.png"), full_page=True)
    ctx.close()


def test_query_parser_in_the_browser_follows_the_shared_cases(browser, tmp_path):
    """query.js inside edition.html gives what reissue.query gives, on tests/data/query_cases.json."""
    import json
    from pathlib import Path

    from reissue.web.static import render_edition_html

    cases = json.loads((Path(__file__).parent / "data" / "query_cases.json").read_text(encoding="utf-8"))["cases"]
    html_path = tmp_path / "edition.html"
    html_path.write_text(render_edition_html(sample_edition()), encoding="utf-8")
    page = new_page(browser)
    page.goto(html_path.as_uri())
    got = page.evaluate("""(cases) => cases.map(c => { const Q = window.reissueQuery, n = Q.parse(c.q);
        return {fts: Q.toFts(n), describe: Q.describe(n), texts: c.texts.map(t => { const m = Q.matches(n, t.text);
        return {match: m, hits: m ? Q.hitSpans(n, t.text).map(s => t.text.slice(s[0], s[1])) : []}; })}; })""", cases)
    for case, g in zip(cases, got):
        assert g["fts"] == case["fts"] and g["describe"] == case["describe"], case["q"]
        assert g["texts"] == [{"match": t["match"], "hits": t["hits"]} for t in case["texts"]], case["q"]
    # the in-issue search obeys OR / NOT like the server
    page.fill("#q", "brown NOT lazy")
    page.press("#q", "Enter")
    n_not = page.locator("#results-list li").count()
    page.fill("#q", "BROWN or tyranny")
    page.press("#q", "Enter")
    assert page.locator("#results-list li").count() > n_not
    assert page.problems == []
    page.close()


def test_people_queries_and_phone_original_in_place(browser, server, artifacts):
    base, _db = server
    page = new_page(browser)
    for q in ["Comintern's", "don't", "U.S.S.R.", "fellow-travelers", "Stalin-Hitler", "stalin or hitler",
              '"unbalanced', "(((", "NEAR(", "col:x", "ZEBRA*", "zèbra"]:
        page.goto(base + "/search?" + __import__("urllib.parse").parse.urlencode({"q": q}))
        assert page.locator("p.error").count() == 0, q
        assert "fts5" not in page.content().lower().replace("advanced syntax", ""), q
    page.goto(base + "/search?q=zebra")
    assert page.locator("section.issue-group").count() == 2
    page.screenshot(path=str(artifacts / "search-grouped.png"), full_page=True)
    page.close()
    phone = new_page(browser, PHONE)
    phone.goto(f"{base}/edition/{EID}/page/5")
    y0 = phone.evaluate("window.scrollY")
    phone.click("#toggle-original")
    box = phone.evaluate("(() => { const r = document.querySelector('.original').getBoundingClientRect();"
                         " return [r.top, window.innerHeight]; })()")
    assert box[0] < box[1], box  # opens where the reader is looking, not 2,600 px below
    assert phone.evaluate("window.scrollY") == y0
    assert not phone.locator(".clean").is_visible()
    no_horizontal_scroll(phone)
    phone.screenshot(path=str(artifacts / "phone-original.png"), full_page=False)
    phone.close()


@pytest.fixture
def accounts_server(tmp_path):
    from reissue import accounts
    from reissue.index import Library
    from reissue.web.server import allowed_hosts_for, make_app, make_server

    db = str(tmp_path / "library.sqlite")
    lib = Library(db)
    lib.add_editions([sample_edition()])
    accounts.add_user(lib, "Ada Volunteer", "a long password", "reviewer", rounds=4)
    accounts.add_user(lib, "Mo", "moderator password", "moderator", rounds=4)
    lib.close()
    app = make_app(db, accounts=True)
    srv = make_server(app, "127.0.0.1", 0)
    port = srv.server_address[1]
    app.allowed_hosts = allowed_hosts_for("127.0.0.1", port, [])
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{port}"
    srv.shutdown()


def login(page, base, name, password):
    page.goto(base + "/login")
    page.fill("#login-name", name)
    page.fill("#login-password", password)
    page.click(".login-form button[type=submit]")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_volunteer_login_review_and_moderation(browser, accounts_server, artifacts, viewport):
    base = accounts_server
    page = new_page(browser, viewport)
    page.goto(f"{base}/edition/{EID}/page/5")
    assert page.locator("button[data-action=reject]").count() == 0  # public reading
    login(page, base, "Ada Volunteer", "wrong password")
    assert "wrong name or password" in page.locator(".error").inner_text()
    login(page, base, "Ada Volunteer", "a long password")
    page.goto(f"{base}/edition/{EID}/page/5")
    assert "Ada Volunteer" in page.locator(".who-form").inner_text()
    row = page.locator("tr", has=page.locator("del", has_text="hrown"))
    row.locator("button[data-action=reject]").click()
    page.wait_for_url(re.compile(r"/page/5#edit-\d+$"))
    assert "Rejected by Ada Volunteer" in page.locator(".clean .chg.d-reject").first.get_attribute("data-tip")
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"accounts-review-{'phone' if viewport else 'desktop'}.png"), full_page=True)
    page.locator(".account button[type=submit]").click()
    login(page, base, "Mo", "moderator password")
    page.goto(f"{base}/moderate")
    page.locator("button[data-action=revert]").first.click()
    page.wait_for_url(re.compile(r"/moderate\?"))
    assert "revert by mo" in page.locator("table").last.inner_text().lower()
    page.screenshot(path=str(artifacts / f"accounts-moderate-{'phone' if viewport else 'desktop'}.png"), full_page=True)
    page.goto(f"{base}/edition/{EID}/page/5")
    assert page.locator(".clean .chg.d-reject").count() == 0
    no_hostile_effects(page)
    page.close()


def test_static_edition_contents_and_lang(browser, tmp_path):
    from reissue.web.static import render_edition_html

    ed = sample_edition()
    paras = [p["id"] for p in ed["paragraphs"]]
    ed["articles"] = [{"id": "a1", "title": "First <b>piece</b>", "byline": "By Someone", "section": None,
                       "pages": [5, 6], "paragraphs": paras[:3]},
                      {"id": "a2", "title": "Last", "byline": None, "section": None, "pages": [7], "paragraphs": paras[3:]}]
    for p in ed["paragraphs"]:
        p["lang"] = "en"
    ed["paragraphs"][1]["lang"] = "de"
    html_path = tmp_path / "edition.html"
    html_path.write_text(render_edition_html(ed), encoding="utf-8")
    page = new_page(browser)
    page.goto(html_path.as_uri())
    page.click("#contents summary")
    assert page.locator("#toc li").count() == 2 and "First <b>piece</b>" in page.locator("#toc").inner_text()
    assert page.locator("#text p[lang=de] .lang").inner_text().lower() == "de"
    page.locator("#toc a", has_text="Last").click()
    assert page.evaluate("location.hash").endswith(f"&at={paras[3]}")
    assert page.locator(f"#text #{paras[3]}").is_visible()
    assert page.problems == []
    page.close()
