"""The web app's core: route table, request, validated parameters, responses, safety headers.

Views (``views_*``) register their routes here with :func:`route`; ``app`` imports the views, and
the views import only this module (no import loop).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

ASSETS = {
    "reader.css": "text/css; charset=utf-8",
    "reader.js": "text/javascript; charset=utf-8",
    "query.js": "text/javascript; charset=utf-8",
}

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'")

SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"), ("Content-Security-Policy", CSP),
    ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin"),
]

STATUS = {200: "200 OK", 204: "204 No Content", 303: "303 See Other", 304: "304 Not Modified",
          400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found", 405: "405 Method Not Allowed",
          413: "413 Payload Too Large", 429: "429 Too Many Requests", 500: "500 Internal Server Error"}

EID_RE = r"[a-z0-9-]{1,120}"
MAX_BODY = 64 * 1024
CACHE_ENTRIES = 2000  # rendered answers kept (per library version), and at most this many bytes
CACHE_BYTES = 64 * 1024 * 1024


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Response:
    def __init__(self, body: str | bytes = b"", status: int = 200, ctype: str = "text/html; charset=utf-8",
                 headers: list[tuple[str, str]] | None = None, cache: bool = False):
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status = status
        self.headers = [("Content-Type", ctype)] + (headers or [])
        self.cache = cache  # True: same answer until the library changes (ETag + revalidation)
        self.etag: str | None = None


def json_response(obj, status: int = 200, cache: bool = False) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False), status, "application/json; charset=utf-8", cache=cache)


def redirect(location: str, headers=None) -> Response:
    return Response(b"", 303, "text/plain; charset=utf-8", [("Location", location)] + (headers or []))


class Params:
    """Validated query parameters: each getter raises HTTPError(400) with a message."""

    def __init__(self, q: dict[str, str]):
        self.q = q

    def get(self, name: str, default: str = "", maxlen: int = 500) -> str:
        v = self.q.get(name, default)
        if len(v) > maxlen:
            raise HTTPError(400, f"the parameter {name} is too long (at most {maxlen} characters)")
        return v

    def int(self, name: str, default: int | None, lo: int, hi: int) -> int | None:
        v = self.q.get(name, "").strip()
        if v == "":
            return default
        if not re.fullmatch(r"-?[0-9]{1,9}", v):
            raise HTTPError(400, f"the parameter {name} must be a whole number from {lo} to {hi}")
        n = int(v)
        if not lo <= n <= hi:
            raise HTTPError(400, f"the parameter {name} must be from {lo} to {hi}")
        return n

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        v = self.q.get(name, "") or default
        if v not in choices:
            raise HTTPError(400, f"the parameter {name} must be one of: {', '.join(choices)}")
        return v

    def ident(self, name: str, pattern: str = EID_RE) -> str | None:
        v = self.q.get(name, "")
        if not v:
            return None
        if not re.fullmatch(pattern, v):
            raise HTTPError(400, f"the parameter {name} is not a valid identifier")
        return v


@dataclass
class Request:
    method: str
    path: str
    params: Params
    environ: dict
    args: tuple = ()
    extra: dict = field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), "")


ROUTES: list[tuple[str, re.Pattern, object]] = []


def route(method: str, pattern: str):
    """Register a view for METHOD and a full-match path pattern (groups become arguments)."""
    def deco(fn):
        ROUTES.append((method, re.compile(pattern), fn))
        return fn
    return deco
