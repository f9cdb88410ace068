"""In-process HTTP tests of every route of the library web app (WSGI, no network)."""

import io
import json
import re
from urllib.parse import quote, urlencode

import pytest
from wsgiref.util import setup_testing_defaults

from conftest import HOSTILE_SCRIPT, build_edition
from reissue.index import Library
from reissue.web.server import make_app

EID = "the-test-quarterly-v6-n5-1939"


class Client:
    def __init__(self, app, host="127.0.0.1:8000"):
        self.app = app
        self.host = host

    def request(self, method, path, query="", body=b"", headers=None):
        env = {}
        setup_testing_defaults(env)
        env.update({"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                    "HTTP_HOST": self.host, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        if body:
            env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        for k, v in (headers or {}).items():
            env["HTTP_" + k.upper().replace("-", "_")] = v
        out = {}

        def start_response(status, hdrs):
            out["status"] = int(status.split()[0])
            out["headers"] = dict(hdrs)

        data = b"".join(self.app(env, start_response))
        return out["status"], out["headers"], data.decode("utf-8")

    def get(self, path, **params):
        return self.request("GET", path, urlencode(params))

    def post(self, path, form, headers=None):
        return self.request("POST", path, body=urlencode(form).encode(), headers=headers)


@pytest.fixture
def client(library):
    return Client(make_app(str(library)))


@pytest.fixture
def review_client(library):
    return Client(make_app(str(library), review=True, allowed_hosts={"127.0.0.1:8000", "localhost:8000"}))


def assert_no_live_markup(body):
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "onerror=alert(1)>" not in body.replace("onerror=alert(1)&gt;", "")


def test_library_page_lists_titles_years_and_counts(client):
    st, hd, body = client.get("/")
    assert st == 200 and hd["Content-Type"].startswith("text/html")
    assert "The Test Quarterly" in body and "Zoology Monthly" in body
    assert "1939" in body and "1951" in body
    assert "3 pages" in body and "1 note" in body
    assert f'href="/edition/{EID}"' in body
    assert "script-src 'self'" in hd["Content-Security-Policy"]
    assert hd["X-Content-Type-Options"] == "nosniff"


def test_edition_redirects_to_first_page(client):
    st, hd, _ = client.get(f"/edition/{EID}")
    assert st == 303 and hd["Location"] == f"/edition/{EID}/page/5"


def test_reader_page_text_navigation_notes_and_escaping(client):
    st, _, body = client.get(f"/edition/{EID}/page/5")
    assert st == 200
    assert 'rel="next" data-keep-view href="/edition/%s/page/6"' % EID in body
    assert 'rel="prev" aria-disabled="true"' in body
    assert "brown" in body and "tyranny" in body
    assert "continues on p. 6" in body
    # footnote with its call-out and back link
    assert 'id="fn-n1"' in body and 'href="#fn-n1"' in body and 'href="#fnref-n1"' in body
    # hostile OCR text is shown as text
    assert_no_live_markup(body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&gt;&lt;img src=x onerror=alert(1)&gt;" in body
    # corrections highlighted with reason and confidence
    m = re.search(r'<span class="chg"[^>]*data-tip="([^"]*)"[^>]*>brown</span>', body)
    assert m and "hrown" in m.group(1) and "0.92" in m.group(1) and "uncertain" not in m.group(1)
    assert "uncertain correction</li>" in body  # the legend says what a correction below edition.CERTAIN looks like
    # page list with printed numbers, current marked
    assert re.search(r'aria-current="page">5</a>', body)


def test_reader_marks_run_on_paragraph_and_original_view(client):
    st, _, body = client.get(f"/edition/{EID}/page/6", view="original")
    assert st == 200
    assert 'class="show-original"' in body
    assert "continued from p. 5" in body and 'class="runon"' in body
    raw = re.search(r'<pre class="raw">(.*?)</pre>', body, re.S).group(1)
    assert "hrown" in raw  # the original OCR
    tips = re.findall(r'class="e e-(\w+)[^"]*" tabindex="0" data-tip="([^"]*)"', raw)
    stages = {s for s, _ in tips}
    assert {"correct", "furniture"} <= stages
    assert any("confidence 0.92" in t for s, t in tips if s == "correct")


def test_reader_highlights_hits(client):
    st, _, body = client.get(f"/edition/{EID}/page/5", hl="zebra quick*")
    assert st == 200
    assert '<mark class="hit">zebra</mark>' in body
    assert '<mark class="hit">quick</mark>' in body


@pytest.mark.parametrize("path", [
    f"/edition/{EID}/page/99", f"/edition/{EID}/page/s99", "/edition/nope/page/1", "/edition/nope",
    f"/edition/{EID}/page/../../etc/passwd", "/static/../index.py", "/static/reader.py", "/static/%2e%2e/x.css",
    "/../../etc/passwd", "/etc/passwd", "/edition/" + "a" * 300, "/api/edition/nope", "/nothing",
    f"/edition/{EID}/page/5/../../../../etc/passwd", "/static/", "/%00", "/edition/%C3%A9/page/1",
])
def test_hostile_and_unknown_paths_are_404(client, path):
    st, hd, body = client.get(path)
    assert st == 404
    assert "root:" not in body and "import" not in body
    if path.startswith("/api/"):
        assert json.loads(body)["error"]


def test_non_utf8_path_and_query(client):
    st, _, _ = client.request("GET", "/edition/\xff\xfe/page/1")
    assert st == 404
    st, _, body = client.request("GET", "/search", "q=%ff%fe")
    assert st == 400 and "UTF-8" in body


def test_static_assets(client):
    st, hd, body = client.get("/static/reader.css")
    assert st == 200 and hd["Content-Type"].startswith("text/css") and ".chg" in body
    st, hd, body = client.get("/static/reader.js")
    assert st == 200 and "javascript" in hd["Content-Type"] and "ArrowLeft" in body


def test_search_page(client):
    st, _, body = client.get("/search", q="zebra")
    assert st == 200
    assert "2 results" in body
    assert '<mark class="hit">zebra</mark>' in body
    assert f'href="/edition/{EID}/page/5?hl=zebra#p3"' in body
    assert_no_live_markup(body)
    st, _, body = client.get("/search", q="zebra", title="Zoology Monthly")
    assert "1 result " in body and "zoology-monthly" in body
    st, _, body = client.get("/search", q="zebra", year="1939")
    assert "1 result " in body and EID in body
    st, _, body = client.get("/search", q="zebra", edition=EID)
    assert "1 result " in body
    st, _, body = client.get("/search")
    assert st == 200 and "result" not in body


@pytest.mark.parametrize("q,total", [('"unbalanced', 0), ("zebra AND", 2), ("(((", 0), ("NEAR(", 0),
                                     ("text:", 0), ("*", 0), ("zebra OR", 2), ("ZEBRA or tyranny", 3)])
def test_what_was_fts5_syntax_is_searched_as_typed(client, q, total):
    st, _, body = client.get("/search", q=q)
    assert st == 200 and 'class="error"' not in body and "fts5:" not in body and "no such column" not in body
    st, hd, body = client.get("/api/search", q=q)
    assert st == 200 and hd["Content-Type"].startswith("application/json")
    assert json.loads(body)["total"] == total


@pytest.mark.parametrize("q", ['"unbalanced', "zebra AND", "(((", "NEAR(", "text:"])
def test_advanced_mode_errors_are_friendly(client, q):
    st, _, body = client.get("/search", q=q, advanced="1")
    assert st == 200 and 'class="error"' in body and "could not be understood" in body
    assert "fts5:" not in body and "syntax error near" not in body
    st, hd, body = client.get("/api/search", q=q, advanced="1")
    assert st == 400 and "error" in json.loads(body) and "fts5:" not in body


@pytest.mark.parametrize("params", [{"year": "19x9"}, {"year": "1" * 26}, {"from": "-"}, {"to": "99999"},
                                    {"sort": "random"}, {"lang": "<b>"}, {"edition": "../x"}, {"limit": "x"},
                                    {"offset": "-1"}, {"from": "1950", "to": "1940"}, {"page": "0"}])
def test_bad_parameters_are_400_with_a_message(client, params):
    paths = {"limit": ["/api/search"], "offset": ["/api/search"], "page": ["/search"]}.get(
        next(iter(params)), ["/search", "/api/search"])
    for path in paths:
        st, hd, body = client.get(path, **({"q": "zebra"} | params))
        assert st == 400, (path, params)
        assert "parameter" in body or "range" in body
        assert hd["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in hd


def test_year_range_filter(client):
    total = lambda **kw: json.loads(client.get("/api/search", q="zebra", **kw)[2])["total"]  # noqa: E731
    assert total() == 2 and total(**{"from": "1940"}) == 1 and total(to="1940") == 1
    assert total(**{"from": "1930", "to": "1960"}) == 2 and total(year="1951") == 1


def test_api_search_contract(client):
    st, hd, body = client.get("/api/search", q='"quick brown"')
    assert st == 200 and hd["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["total"] == 1
    (hit,) = data["hits"]
    assert {"edition", "title", "page", "paragraph", "snippet"} <= set(hit)
    assert hit == hit | {"edition": EID, "title": "The Test Quarterly", "page": 5, "paragraph": "p2"}
    assert isinstance(hit["snippet"], str) and "quick brown" in hit["snippet"]
    a, b = hit["highlights"][0]
    assert hit["snippet"][a:b] == "quick brown"
    st, _, body = client.get("/api/search", q="zebra", limit="1", offset="1")
    data = json.loads(body)
    assert data["total"] == 2 and len(data["hits"]) == 1
    st, _, body = client.get("/api/search")
    assert st == 400
    st, _, body = client.get("/api/search", q="zebra", limit="x")
    assert st == 400


def test_api_editions_edition_and_healthz(client):
    st, _, body = client.get("/api/editions")
    eds = json.loads(body)["editions"]
    assert st == 200 and {e["id"] for e in eds} == {EID, "zoology-monthly-v1-n2-1951"}
    st, _, body = client.get(f"/api/edition/{EID}")
    d = json.loads(body)
    assert [p["key"] for p in d["page_list"]] == ["5", "6", "7"]
    assert d["review_decisions"] == []
    st, _, body = client.get("/healthz")
    assert st == 200 and json.loads(body)["status"] == "ok"
    st, _, _ = client.request("HEAD", "/healthz")
    assert st == 200


def test_review_is_off_by_default(client, library):
    st, _, body = client.post(f"/edition/{EID}/review", {"action": "reject", "edit": "0", "reviewer": "x"})
    assert st == 403 and "--review" in body
    st, _, body = client.get(f"/edition/{EID}/page/5")
    assert "<form method=\"post\"" not in body
    for method in ("PUT", "DELETE", "PATCH"):
        assert client.request(method, "/")[0] == 405


def correction_id(library, before):
    lib = Library(str(library), readonly=True)
    try:
        return next(e["id"] for e in lib.edits(EID).values() if e["stage"] == "correct" and e["before"] == before)
    finally:
        lib.close()


def test_review_reject_rewrite_accept_and_manual(review_client, library):
    c = review_client
    st, _, body = c.get(f"/edition/{EID}/page/5")
    token = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    eid_brown = correction_id(library, "hrown")
    eid_comintern = correction_id(library, "Comintem")
    # no token, wrong token, foreign origin, no reviewer
    assert c.post(f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": "Ann"})[0] == 403
    assert c.post(f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": "Ann",
                                             "csrf": "x"})[0] == 403
    assert c.post(f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": "Ann", "csrf": token},
                  headers={"Origin": "http://evil.example"})[0] == 403
    assert c.post(f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": " ", "csrf": token})[0] == 400
    assert c.post(f"/edition/{EID}/review", {"action": "explode", "edit": eid_brown, "reviewer": "A", "csrf": token})[0] == 400
    assert c.post(f"/edition/{EID}/review", {"action": "reject", "edit": "9999", "reviewer": "A", "csrf": token})[0] == 400
    # reject
    st, hd, _ = c.post(f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": "Ann <b>",
                                                  "csrf": token, "back": "5"},
                       headers={"Origin": "http://127.0.0.1:8000"})
    assert st == 303 and hd["Location"] == f"/edition/{EID}/page/5#edit-{eid_brown}"
    assert "reissue_reviewer=" in hd["Set-Cookie"]
    st, _, body = c.get(f"/edition/{EID}/page/5")
    m = re.search(r'<span class="chg d-reject"[^>]*data-tip="([^"]*)"[^>]*>hrown</span>', body)
    assert m and "Rejected by Ann &lt;b&gt; on" in m.group(1)
    assert "<b>" not in body.split("<main", 1)[1].replace("<b>Ann", "")  # reviewer name escaped
    # rewrite
    st, _, _ = c.post(f"/edition/{EID}/review", {"action": "rewrite", "edit": eid_comintern, "text": "Komintern",
                                                 "reviewer": "Bob", "csrf": token, "back": "5"})
    assert st == 303
    # manual correction of any word, by find
    st, _, _ = c.post(f"/edition/{EID}/review", {"action": "manual", "item": "p2", "find": "lazy", "text": "sleepy",
                                                 "reviewer": "Bob", "csrf": token, "back": "5"})
    assert st == 303
    # manual by offsets, with a hostile replacement
    lib = Library(str(library), readonly=True)
    text = lib.text_item(EID, "p4")["text"]
    lib.close()
    s = text.index("guards")
    st, _, _ = c.post(f"/edition/{EID}/review", {"action": "manual", "item": "p4", "start": s, "end": s + 6,
                                                 "find": "guards", "text": HOSTILE_SCRIPT, "reviewer": "Cy",
                                                 "csrf": token, "back": "6"})
    assert st == 303
    # a manual span cutting into an automatic correction is refused
    st, _, body = c.post(f"/edition/{EID}/review", {"action": "manual", "item": "p2", "find": "quick br",
                                                    "text": "y", "reviewer": "Cy", "csrf": token})
    assert st == 400 and "cuts into an automatic correction" in body
    assert c.post(f"/edition/{EID}/review", {"action": "manual", "item": "p9", "find": "x", "text": "y",
                                             "reviewer": "Cy", "csrf": token})[0] == 400
    assert c.post(f"/edition/{EID}/review", {"action": "manual", "item": "p2", "find": "absent words", "text": "y",
                                             "reviewer": "Cy", "csrf": token})[0] == 400
    st, _, body = c.get(f"/edition/{EID}/page/5")
    assert ">Komintern</span>" in body and ">sleepy</span>" in body
    st, _, body = c.get(f"/edition/{EID}/page/6")
    assert_no_live_markup(body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</span>" in body
    # decisions visible read-only too
    ro = Client(make_app(str(library)))
    st, _, body = ro.get(f"/edition/{EID}/page/5")
    assert "Reviewed on this page" in body and "Rejected by Ann" in body
    st, _, body = ro.get(f"/api/edition/{EID}")
    decs = json.loads(body)["review_decisions"]
    assert {d["action"] for d in decs} == {"reject", "rewrite", "manual"}
    assert all(d["status"] == "ok" for d in decs)
    # accept replaces the earlier decision on the same correction
    st, _, _ = c.post(f"/edition/{EID}/review", {"action": "accept", "edit": eid_brown, "reviewer": "Ann",
                                                 "csrf": token, "back": "../../etc"})
    assert st == 303
    st, _, body = c.get(f"/edition/{EID}/page/5")
    assert re.search(r'<span class="chg d-accept"[^>]*>brown</span>', body)


def test_host_header_is_checked_when_bound_to_loopback(library):
    c = Client(make_app(str(library), allowed_hosts={"127.0.0.1:8000"}), host="evil.example")
    assert c.get("/")[0] == 403


def test_empty_library(tmp_path):
    db = tmp_path / "empty.sqlite"
    Library(str(db)).close()
    c = Client(make_app(str(db)))
    st, _, body = c.get("/")
    assert st == 200 and "library is empty" in body
    st, _, body = c.get("/api/search", q="anything")
    data = json.loads(body)
    assert st == 200 and data["total"] == 0 and data["hits"] == [] and data["query"] == "anything"


def test_serve_refuses_missing_library(tmp_path):
    from click.testing import CliRunner

    from reissue.web.server import serve_command

    r = CliRunner().invoke(serve_command, [str(tmp_path / "missing.sqlite")])
    assert r.exit_code == 2 and "no such library" in r.output


def test_untitled_edition_and_pages_without_numbers(tmp_path):
    ed = build_edition(["no folio here\n", "nor here\n"], title=None, volume=None, number=None, year=None)
    db = tmp_path / "lib.sqlite"
    lib = Library(str(db))
    (eid,) = lib.add_editions([ed])
    lib.close()
    c = Client(make_app(str(db)))
    st, hd, _ = c.get(f"/edition/{eid}")
    assert hd["Location"].endswith("/page/s1")
    st, _, body = c.get(f"/edition/{eid}/page/s2")
    assert st == 200 and "nor here" in body and "Untitled" in body
    st, _, body = c.get("/api/search", q="folio")
    assert json.loads(body)["hits"][0]["url"] == f"/edition/{eid}/page/s1?hl=folio#p1"
    assert quote(eid) == eid


def test_undo_forgets_a_decision(review_client, library):
    c = review_client
    token = re.search(r'name="csrf" value="([^"]+)"', c.get(f"/edition/{EID}/page/5")[2]).group(1)
    eid_brown = correction_id(library, "hrown")
    form = {"edit": eid_brown, "reviewer": "Ann", "csrf": token, "back": "5"}
    assert c.post(f"/edition/{EID}/review", form | {"action": "reject"})[0] == 303
    body = c.get(f"/edition/{EID}/page/5")[2]
    assert 'data-action="undo"' in body and "d-reject" in body
    assert c.post(f"/edition/{EID}/review", form | {"action": "undo"})[0] == 303
    body = c.get(f"/edition/{EID}/page/5")[2]
    assert "d-reject" not in body and 'data-action="undo"' not in body


def test_serve_command_runs_on_loopback(library):
    import subprocess
    import sys
    import time
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "reissue.cli", "serve", str(library), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + proc.stderr.read()
        port = int(m.group(1))
        deadline = time.time() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert json.loads(r.read())["review"] is False
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/edition/{EID}/review", data=b"action=reject",
                                     method="POST")
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(req, timeout=5)
        assert exc.value.code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_no_query_ever_causes_a_server_error(library):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    c = Client(make_app(str(library)))
    alphabet = st.sampled_from(list('ab zebra"*()-:^+,.\'{}[]NOTANDOR\\<>&%\x00é\u2028'))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(alphabet, max_size=30))
    def check(q):
        st_html, _, body = c.get("/search", q=q)
        assert st_html == (400 if "\x00" in q else 200)
        assert "could not answer" not in body and "fts5:" not in body and "no such column" not in body
        st_api, _, body = c.get("/api/search", q=q)
        assert st_api in (200, 400)
        json.loads(body)

    check()


def test_corrections_list(client, review_client, library):
    st, _, body = client.get(f"/edition/{EID}/corrections")
    assert st == 200
    rows = re.findall(r'<tr id="edit-(\d+)">.*?<del>([^<]*)</del>', body)
    befores = [b for _, b in rows]
    assert sorted(befores) == ["Comintem", "hrown", "hrown"]
    assert befores[0] == "Comintem"  # least confident first
    assert 'method="post"' not in body  # read-only without --review
    assert f'href="/edition/{EID}/page/5?view=original"' in body
    assert "List all 3 corrections" in client.get(f"/edition/{EID}/page/5")[2]
    # review from the list, come back to the list
    c = review_client
    body = c.get(f"/edition/{EID}/corrections")[2]
    token = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    first = rows[0][0]
    st, hd, _ = c.post(f"/edition/{EID}/review", {"action": "accept", "edit": first, "reviewer": "Ann", "csrf": token,
                                                  "back": "corrections:1:open"})
    assert st == 303 and hd["Location"] == f"/edition/{EID}/corrections?page=1&show=open#edit-{first}"
    body = c.get(f"/edition/{EID}/corrections", show="open")[2]
    assert "2 corrections without a decision" in body and f'id="edit-{first}"' not in body
    assert c.get("/edition/nope/corrections")[0] == 404


def test_manual_correction_listed_and_undone(review_client, library):
    c = review_client
    token = re.search(r'name="csrf" value="([^"]+)"', c.get(f"/edition/{EID}/page/5")[2]).group(1)
    base = {"reviewer": "Ann", "csrf": token, "back": "5"}
    assert c.post(f"/edition/{EID}/review", base | {"action": "manual", "item": "p2", "find": "lazy",
                                                    "text": "sleepy"})[0] == 303
    body = c.get(f"/edition/{EID}/page/5")[2]
    assert "Words corrected by reviewers" in body and "<del>lazy</del> → <ins>sleepy</ins>" in body
    m = re.search(r'name="start" value="(\d+)"><input type="hidden" name="end" value="(\d+)">', body)
    st, hd, _ = c.post(f"/edition/{EID}/review", base | {"action": "undo-manual", "item": "p2", "start": m.group(1),
                                                         "end": m.group(2)})
    assert st == 303 and hd["Location"].endswith("#p2")
    body = c.get(f"/edition/{EID}/page/5")[2]
    assert "sleepy" not in body and "lazy" in body
    assert c.post(f"/edition/{EID}/review", base | {"action": "undo-manual", "item": "p2"})[0] == 400


def test_accounts_login_review_credit_and_moderation(library):
    from reissue import accounts

    lib = Library(str(library))
    accounts.add_user(lib, "Ann Volunteer", "correct horse battery", "reviewer", rounds=4)
    accounts.add_user(lib, "Mo", "moderator password", "moderator", rounds=4)
    lib.close()
    c = Client(make_app(str(library), accounts=True, allowed_hosts={"127.0.0.1:8000"}))
    body = c.get(f"/edition/{EID}/page/5")[2]
    assert "Log in to correct" in body and 'method="post" action="/edition' not in body  # public reading
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login")[2]).group(1)
    eid_brown = correction_id(library, "hrown")
    # not logged in: no decision; a wrong password is refused, then rate-limited
    assert c.post(f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": "X",
                                             "csrf": token})[0] == 403
    for _ in range(5):
        assert c.post("/login", {"name": "Mo", "password": "nope", "csrf": token})[0] == 403
    assert c.post("/login", {"name": "Mo", "password": "moderator password", "csrf": token})[0] == 429
    st, hd, _ = c.post("/login", {"name": "Ann Volunteer", "password": "correct horse battery", "csrf": token,
                                  "back": f"/edition/{EID}/page/5"})
    assert st == 303 and hd["Location"] == f"/edition/{EID}/page/5"
    cookie = hd["Set-Cookie"].split(";")[0]
    assert "HttpOnly" in hd["Set-Cookie"] and "SameSite=Strict" in hd["Set-Cookie"]
    ann = lambda m, p, form=None: c.request(m, p, body=urlencode(form or {}).encode(), headers={"Cookie": cookie})  # noqa: E731
    body = ann("GET", f"/edition/{EID}/page/5")[2]
    assert "Reviewing as <b>Ann Volunteer</b>" in body
    # the account is credited, whatever name the form says
    st, _, _ = ann("POST", f"/edition/{EID}/review", {"action": "reject", "edit": eid_brown, "reviewer": "Someone",
                                                       "csrf": token, "back": "5"})
    assert st == 303
    st, _, _ = ann("POST", f"/edition/{EID}/review", {"action": "accept", "edit": correction_id(library, "Comintem"),
                                                       "csrf": token, "back": "5"})
    assert st == 303
    decs = json.loads(c.get(f"/api/edition/{EID}")[2])["review_decisions"]
    assert {d["reviewer"] for d in decs} == {"Ann Volunteer"} and len(decs) == 2
    assert json.loads(c.get(f"/api/edition/{EID}")[2])["decisions"] == 2
    # a reviewer cannot moderate; a moderator reverts Ann, and the history keeps everything
    assert ann("GET", "/moderate")[0] == 403
    st, hd, _ = c.post("/login", {"name": "mo", "password": "moderator password", "csrf": token})
    assert st == 429  # still limited for this name; another address may try
    c2 = Client(c.app)
    env_addr = {"Cookie": ""}
    lib = Library(str(library))
    lib.db.execute("DELETE FROM login_failures")
    lib.db.commit()
    lib.close()
    st, hd, _ = c2.post("/login", {"name": "mo", "password": "moderator password", "csrf": token}, headers=env_addr)
    mo_cookie = hd["Set-Cookie"].split(";")[0]
    mo = lambda m, p, form=None: c2.request(m, p, body=urlencode(form or {}).encode(), headers={"Cookie": mo_cookie})  # noqa: E731
    assert "Ann Volunteer" in mo("GET", "/moderate")[2]
    assert mo("POST", "/moderate/revert", {"reviewer": "Ann Volunteer", "csrf": token})[0] == 303
    assert json.loads(c.get(f"/api/edition/{EID}")[2])["review_decisions"] == []
    body = mo("GET", "/moderate", {})[2]
    assert body.count(">revert<") == 2 and body.count(">accept<") == 1 and "by Mo" in body
    # log out ends the session
    assert ann("POST", "/logout", {"csrf": token})[0] == 303
    assert "Log in to correct" in ann("GET", f"/edition/{EID}/page/5")[2]


def test_articles_contents_article_view_hits_and_lang(tmp_path):
    from conftest import sample_edition

    ed = sample_edition()
    paras = [p["id"] for p in ed["paragraphs"]]
    ed["articles"] = [{"id": "a1", "title": "The <Fox> Question", "byline": "By A. Writer", "section": "Essays",
                       "pages": [5, 6], "paragraphs": paras[:3]},
                      {"id": "a2", "title": "Last Words", "byline": None, "section": None, "pages": [7],
                       "paragraphs": paras[3:]}]
    ed["paragraphs"][1]["lang"] = "de"
    for p in ed["paragraphs"][2:]:
        p["lang"] = "en"
    db = tmp_path / "lib.sqlite"
    lib = Library(str(db))
    lib.add_editions([ed])
    lib.close()
    c = Client(make_app(str(db)))
    body = c.get(f"/edition/{EID}/contents")[2]
    assert "The &lt;Fox&gt; Question" in body and "By A. Writer" in body and "pp. 5, 6" in body
    assert f'href="/edition/{EID}/article/a2"' in body
    st, _, body = c.get(f"/edition/{EID}/article/a1")
    article = body.split('<div class="text">', 1)[1]
    assert st == 200 and "The &lt;Fox&gt; Question" in body and "brown" in article
    assert "quiet ending" not in article  # a paragraph of the other article
    assert c.get(f"/edition/{EID}/article/nope")[0] == 404
    body = c.get(f"/edition/{EID}/page/5")[2]
    assert "On this page" in body and 'lang="de"' in body and '<span class="lang" title="language">de</span>' in body
    data = json.loads(c.get("/api/search", q="zebra")[2])
    assert data["hits"][0]["article"] == {"id": "a1", "title": "The <Fox> Question"}
    assert json.loads(c.get("/api/search", q="zebra", article="a2")[2])["total"] == 0
    assert json.loads(c.get("/api/search", q="brown", lang="de")[2])["total"] == 1
    api = json.loads(c.get(f"/api/edition/{EID}")[2])
    assert [a["id"] for a in api["articles"]] == ["a1", "a2"]
    body = c.get("/search", q="zebra")[2]
    assert "in “The &lt;Fox&gt; Question”" in body


def test_query_catalogue_no_server_error_no_engine_message(client):
    from pathlib import Path

    qs = json.loads((Path(__file__).parent / "data" / "query_catalogue.json").read_text(encoding="utf-8"))["queries"]
    assert len(qs) >= 200
    for q in qs:
        for path in ("/search", "/api/search"):
            st, _, body = client.get(path, q=q)
            if "\x00" in q or (path == "/api/search" and not q.strip()):
                assert st == 400 and json.loads(body)["error"] if path == "/api/search" else st == 400, q
                continue
            assert st == 200, (path, q, body[:300])
            low = body.lower()
            assert "fts5:" not in low and "syntax error" not in low and "no such column" not in low, (path, q)
            if path == "/search":  # (JSON carries the hostile OCR text as data, under nosniff)
                assert "<script>alert" not in body and "<img src=x" not in body


def test_search_page_counts_per_issue_for_untitled_issues(tmp_path):
    a = build_edition(["no folio\nzebra one\n"], title=None, volume=None, number=None, year=None)
    b = build_edition(["no folio\nzebra two\n"], title="Plain", volume=None, number=None, year=None)
    db = tmp_path / "lib.sqlite"
    lib = Library(str(db))
    lib.add_editions([a, b])
    lib.close()
    st, _, body = Client(make_app(str(db))).get("/search", q="zebra")
    assert st == 200 and 'aria-label="Results per issue"' in body


def test_search_names_issues_without_numbering_as_the_library_does(tmp_path):
    from reissue.web.views_library import with_labels

    a = build_edition(["THE WINTER NUMBER\n\nzebra one\n"], title=None, volume=None, number=None, year=None)
    db = tmp_path / "lib.sqlite"
    lib = Library(str(db))
    lib.add_editions([a])
    (e,) = with_labels(lib, lib.editions())
    lib.close()
    assert e["label"] and e["label"] != e["id"]
    st, _, body = Client(make_app(str(db))).get("/search", q="zebra")
    assert st == 200
    group = re.search(r'<section class="issue-group"><h2>([^<]*)</h2>', body).group(1)
    assert group == f"Untitled {e['label']}" and e["id"] not in group
