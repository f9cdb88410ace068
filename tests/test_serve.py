"""The server under real sockets (waitress): headers on its own errors, caching, Host checks for every
bound address, escaped logs, bounded resources, and 20 concurrent reviewers losing nothing."""

import json
import re
import socket
import threading
import urllib.request
from urllib.parse import urlencode

import pytest

from reissue.index import Library
from reissue.web.serve import allowed_hosts_for, escape_log, make_server
from reissue.web.server import make_app

EID = "the-test-quarterly-v6-n5-1939"


@pytest.fixture
def running(library):
    app = make_app(str(library))
    srv = make_server(app, "127.0.0.1", 0, threads=4)
    port = srv.server_address[1]
    app.allowed_hosts = allowed_hosts_for("127.0.0.1", port, ["library.example.org"])
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    yield port, app
    srv.close()


def raw_request(port, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:  # the server closed with our excess bytes unread
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.parametrize("request_bytes,status", [
    (b"GET /" + b"a" * 16500 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Big: " + b"b" * 16500 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n", 400),
    (b"\x16\x03\x01garbage\r\n\r\n", 400),
])
def test_the_servers_own_errors_carry_the_security_headers(running, request_bytes, status):
    port, _ = running
    head = raw_request(port, request_bytes).split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert re.match(rf"HTTP/1\.[01] {status}", head), head
    assert "Content-Security-Policy: default-src 'none'" in head and "X-Content-Type-Options: nosniff" in head
    assert "X-Frame-Options: DENY" in head


def test_etag_revalidation_and_cache_headers(running):
    port, _ = running
    url = f"http://127.0.0.1:{port}/edition/{EID}/page/5"
    with urllib.request.urlopen(url, timeout=10) as r:
        tag = r.headers["ETag"]
        assert tag and "no-cache" in r.headers["Cache-Control"]
    req = urllib.request.Request(url, headers={"If-None-Match": tag})
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=10)
    assert exc.value.code == 304 and exc.value.headers["Content-Security-Policy"]


def test_host_checked_for_every_bound_address(running):
    port, _ = running
    for host, code in ((f"127.0.0.1:{port}", 200), ("library.example.org", 200), ("evil.example", 403),
                       (f"evil.example:{port}", 403)):
        head = raw_request(port, f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert head.startswith(f"HTTP/1.1 {code}".encode()), (host, head[:60])
    hosts = allowed_hosts_for("0.0.0.0", 8000, [])
    assert hosts == set()  # a wildcard bind answers no Host until --allowed-host names one
    assert allowed_hosts_for("192.0.2.7", 8000, ["Example.org"]) == {"192.0.2.7:8000", "example.org",
                                                                       "example.org:8000"}


def test_log_lines_are_escaped():
    assert escape_log("/x\x1b[31mred\x07\n") == "/x\\x1b[31mred\\x07\\n"
    assert escape_log("a\\b é") == "a\\\\b é"


def test_twenty_concurrent_reviewers_lose_and_duplicate_nothing(library):
    from test_web import Client

    lib = Library(str(library))
    items = [(t, lib.text_item(EID, t)["text"]) for t in ("p2", "p3", "p4")]
    lib.close()
    c = Client(make_app(str(library), review=True, allowed_hosts={"127.0.0.1:8000"}))
    token = re.search(r'name="csrf" value="([^"]+)"', c.get(f"/edition/{EID}/page/5")[2]).group(1)
    jobs = []
    for item, text in items:
        for m in re.finditer(r"\b[a-z]{4,}\b", text):
            jobs.append((item, m.start(), m.end(), m.group()))
    jobs = jobs[:20]
    assert len(jobs) == 20
    results = []

    def review(i, job):
        item, s, e, word = job
        results.append(c.post(f"/edition/{EID}/review", {"action": "manual", "item": item, "start": s, "end": e,
                                                          "find": word, "text": word.upper(), "csrf": token,
                                                          "reviewer": f"R{i}"})[0])

    ts = [threading.Thread(target=review, args=(i, j)) for i, j in enumerate(jobs)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert results == [303] * 20
    decs = json.loads(c.get(f"/api/edition/{EID}")[2])["review_decisions"]
    assert sorted(d["reviewer"] for d in decs) == sorted(f"R{i}" for i in range(20))
    assert len({(d["item"], d["start"], d["end"]) for d in decs}) == 20
