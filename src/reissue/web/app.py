"""The library web app (WSGI): request parsing, the route table, responses, safety headers, caching.

Views live in one module per page (``views_library``, ``views_reader``, ``views_search``,
``views_review``, ``views_api``); each registers its routes in :data:`ROUTES` with :func:`route`.
Pages are Jinja2 templates (``web/templates/``, autoescaped).

Safety: every answer (the server's own 4xx included, see ``reissue.web.serve``) carries a strict
Content-Security-Policy and the other security headers; the Host header must be one of the
allowed hosts (``--allowed-host``; the bound loopback names by default) against DNS rebinding;
POST requests need review on, a per-server CSRF token and an Origin among the allowed hosts.
Every query parameter is validated (:class:`Params`): a bad one is a 400 with a message.

Caching: an edition's pages do not change between indexings and review decisions, so GET answers
carry an ``ETag`` made from the library's version (the editions' index times and the decision
count) and ``Cache-Control: public, no-cache`` (revalidate); a matching ``If-None-Match`` is a 304.
"""

from __future__ import annotations

import hashlib
import queue
import re
import secrets
import sys
import threading
import traceback
from collections import OrderedDict
from importlib import resources
from urllib.parse import parse_qs

from ..index import Library
from .render import jinja_env

from .core import (ASSETS, CACHE_BYTES, CACHE_ENTRIES, CSP, EID_RE, MAX_BODY, ROUTES, SECURITY_HEADERS,  # noqa: F401
                   STATUS, HTTPError, Params, Request, Response, json_response, redirect, route)
from . import views_api, views_auth, views_library, views_reader, views_review, views_search  # noqa: F401,E402
from .views_auth import account_bar


class App:
    def __init__(self, db_path: str, *, review: bool = False, allowed_hosts: set[str] | None = None,
                 reviewer: str | None = None, base_url: str = "", accounts: bool = False,
                 secure_cookies: bool = False):
        self.accounts = accounts
        self.secure_cookies = secure_cookies
        self.db_path = db_path
        self.review = review
        self.allowed_hosts = allowed_hosts
        self.default_reviewer = reviewer
        self.base_url = base_url.rstrip("/")
        self.csrf = secrets.token_urlsafe(24)
        self._local = threading.local()
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        self.write_lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_bytes = 0
        self.assets = {name: resources.files("reissue.web").joinpath("static", name).read_bytes() for name in ASSETS}
        self.env = jinja_env()
        self.env.globals.update(app=self)
        self.writable = review or accounts
        lib = Library(db_path, readonly=not self.writable, create=self.writable)  # fail early on a bad library
        lib.close()

    # -- plumbing
    @property
    def lib(self) -> Library:
        """The connection of the request being answered (from a pool; one per thread)."""
        lib = getattr(self._local, "lib", None)
        if lib is None:
            try:
                lib = self._pool.get_nowait()
            except queue.Empty:
                lib = Library(self.db_path, readonly=not self.writable, create=False)
            self._local.lib = lib
        return lib

    def _release(self):
        lib = getattr(self._local, "lib", None)
        if lib is not None:
            self._local.lib = None
            self._pool.put(lib)

    def close(self):
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                break

    def render(self, template: str, **ctx) -> str:
        return self.env.get_template(template).render(**ctx)

    def page(self, template: str, title: str, *, status: int = 200, q: str = "", body_class: str = "",
             cache: bool = True, **ctx) -> Response:
        ctx.setdefault("review", self.review)
        environ = getattr(self._local, "environ", None) or {}
        html = self.render(template, title=title, q=q, body_class=body_class,
                           account=account_bar(self, environ), **ctx)
        return Response(html, status, cache=cache)

    def version(self) -> str:
        """Changes whenever an edition is indexed again or a review decision is made."""
        row = self.lib.db.execute(
            "SELECT (SELECT count(*) || '.' || coalesce(max(indexed_at), '') || '.' || total(page_count) "
            "FROM editions), (SELECT count(*) || '.' || coalesce(max(id), 0) FROM decisions)").fetchone()
        return hashlib.sha1(f"{row[0]}|{row[1]}|{self.review}".encode()).hexdigest()[:16]


    def cached(self, key, version):
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return hit[1]
        return None

    def remember(self, key, version, resp: Response):
        with self._cache_lock:
            old = self._cache.pop(key, None)
            if old is not None:
                self._cache_bytes -= len(old[1].body)
            self._cache[key] = (version, resp)
            self._cache_bytes += len(resp.body)
            while self._cache and (len(self._cache) > CACHE_ENTRIES or self._cache_bytes > CACHE_BYTES):
                _k, (_v, r) = self._cache.popitem(last=False)
                self._cache_bytes -= len(r.body)

    def __call__(self, environ, start_response):
        self._local.environ = environ
        try:
            return self._answer(environ, start_response)
        finally:
            self._local.environ = None
            self._release()

    def error_response(self, environ, status: int, message: str) -> Response:
        if environ.get("PATH_INFO", "").startswith("/api/"):
            return json_response({"error": message}, status)
        name = STATUS.get(status, f"{status} Error").split(" ", 1)[1]
        return self.page("error.html", name, status=status, heading=name, message=message, cache=False)

    def _answer(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        key = version = resp = None
        try:
            if method in ("GET", "HEAD") and not environ.get("PATH_INFO", "").startswith("/static/"):
                self.check_host(environ)
                key = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                       environ.get("HTTP_COOKIE", "") if self.writable else "")
                version = self.version()
                resp = self.cached(key, version)
            if resp is None:
                resp = self.dispatch(environ)
                if key is not None and resp.cache and resp.status == 200:
                    resp.etag = '"' + version + hashlib.sha1(resp.body).hexdigest()[:12] + '"'
                    self.remember(key, version, resp)
        except HTTPError as exc:
            resp = self.error_response(environ, exc.status, exc.message)
        except Exception:  # pragma: no cover - logged, never shown
            traceback.print_exc(file=sys.stderr)
            resp = self.error_response(environ, 500, "The server could not answer this request.")
        headers = list(resp.headers)
        if resp.cache and resp.status == 200 and method in ("GET", "HEAD"):
            tag = resp.etag or '"' + hashlib.sha1(resp.body).hexdigest()[:20] + '"'
            private = self.writable and environ.get("HTTP_COOKIE")
            headers += [("ETag", tag), ("Cache-Control", "private, no-cache" if private else "public, no-cache"),
                        ("Vary", "Cookie")]
            inm = environ.get("HTTP_IF_NONE_MATCH", "")
            if inm and (inm.strip() == "*" or tag in [t.strip() for t in inm.split(",")]):
                resp = Response(b"", 304, headers=[])
                headers = [h for h in headers if h[0] != "Content-Type"]
        elif environ.get("PATH_INFO", "").startswith("/static/") and resp.status == 200:
            headers.append(("Cache-Control", "public, max-age=300"))
        else:
            headers.append(("Cache-Control", "no-store"))
        if resp.status != 304:
            headers.append(("Content-Length", str(len(resp.body))))
        headers += SECURITY_HEADERS
        start_response(STATUS.get(resp.status, f"{resp.status} Status"), headers)
        return [resp.body] if method != "HEAD" and resp.status != 304 else [b""]

    def check_host(self, environ):
        if self.allowed_hosts is None:
            return
        host = (environ.get("HTTP_HOST") or "").lower()
        if host not in self.allowed_hosts:
            raise HTTPError(403, "unexpected Host header: start the server with --allowed-host for this name")

    def check_origin(self, environ):
        origin = environ.get("HTTP_ORIGIN")
        if origin and self.allowed_hosts is not None:
            host = re.sub(r"^https?://", "", origin.lower())
            if host not in self.allowed_hosts:
                raise HTTPError(403, "cross-site request refused")

    def dispatch(self, environ) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        self.check_host(environ)
        raw_path = environ.get("PATH_INFO", "/") or "/"
        try:  # wsgiref decodes the path as latin-1; get the UTF-8 text back
            path = raw_path.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            raise HTTPError(404, "no such page")
        if len(path) > 512 or "\x00" in path:
            raise HTTPError(404, "no such page")
        qs = environ.get("QUERY_STRING", "")
        if len(qs) > 4096:
            raise HTTPError(400, "the query string is too long")
        try:
            q = {k: v[0] for k, v in parse_qs(qs, keep_blank_values=True, errors="strict",
                                              max_num_fields=50).items()}
        except (UnicodeDecodeError, ValueError):
            raise HTTPError(400, "the query string is not valid UTF-8 (or has too many fields)")
        if any("\x00" in v for v in q.values()):
            raise HTTPError(400, "the query string holds a NUL character")
        if method == "HEAD":
            method = "GET"
        allowed = []
        for m, rx, fn in ROUTES:
            mt = rx.fullmatch(path)
            if mt is None:
                continue
            if m != method:
                allowed.append(m)
                continue
            if method == "POST":
                self.check_origin(environ)
            return fn(self, Request(method, path, Params(q), environ, mt.groups()), *mt.groups())
        if allowed:
            raise HTTPError(405, "method not allowed here")
        if method not in ("GET", "POST"):
            raise HTTPError(405, "method not allowed")
        raise HTTPError(404, "no such page")

    def get_edition(self, eid: str) -> dict:
        ed = self.lib.edition(eid)
        if ed is None:
            raise HTTPError(404, "no such edition in this library")
        return views_library.with_labels(self.lib, [ed])[0]  # a human name when it has no numbering


def make_app(db_path: str, *, review: bool = False, allowed_hosts: set[str] | None = None,
             reviewer: str | None = None, base_url: str = "", accounts: bool = False,
             secure_cookies: bool = False) -> App:
    return App(db_path, review=review, allowed_hosts=allowed_hosts, reviewer=reviewer, base_url=base_url,
               accounts=accounts, secure_cookies=secure_cookies)
