"""Account views (``reissue serve --accounts``): log in, log out, a reviewer's history, moderation.

Reviewers and moderators log in with a name and password (``reissue users add``); decisions are
credited to the account. A moderator sees every reviewer's decisions and can revert them (the
history keeps what was reverted, by whom and when).
"""

from __future__ import annotations

import hmac
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode

from markupsafe import Markup

from .. import accounts
from .core import EID_RE, MAX_BODY, HTTPError, redirect, route
from .render import decision_line, h

COOKIE = "reissue_session"


def session_token(environ) -> str:
    try:
        c = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    except Exception:
        return ""
    m = c.get(COOKIE)
    return m.value if m else ""


def current_user(app, environ) -> dict | None:
    """The logged-in account of this request (accounts mode), else None."""
    if not app.accounts:
        return None
    if "reissue.user" not in environ:
        environ["reissue.user"] = accounts.session_user(app.lib, session_token(environ))
    return environ["reissue.user"]


def session_cookie(app, token: str, max_age: int | None = None) -> str:
    c = SimpleCookie()
    c[COOKIE] = token
    c[COOKIE]["path"] = (app.base_url or "") + "/"
    c[COOKIE]["httponly"] = True
    c[COOKIE]["samesite"] = "Strict"
    if app.secure_cookies:
        c[COOKIE]["secure"] = True
    if max_age is not None:
        c[COOKIE]["max-age"] = max_age
    return c[COOKIE].OutputString()


def read_form(req) -> dict:
    try:
        n = int(req.environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        n = 0
    if n > MAX_BODY:
        raise HTTPError(413, "request too large")
    raw = req.environ["wsgi.input"].read(n) if n > 0 else b""
    try:
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True, errors="strict").items()}
    except (UnicodeDecodeError, ValueError):
        raise HTTPError(400, "the form is not valid UTF-8")
    return form


def check_csrf(app, form):
    if not hmac.compare_digest(form.get("csrf", ""), app.csrf):
        raise HTTPError(403, "the form has expired; reload the page and try again")


def _need_accounts(app):
    if not app.accounts:
        raise HTTPError(404, "accounts are off: start the server with --accounts")


@route("GET", r"/login")
def login_page(app, req):
    _need_accounts(app)
    user = current_user(app, req.environ)
    return app.page("login.html", "Log in", user=user, error=None, name="", cache=False)


@route("POST", r"/login")
def login_post(app, req):
    _need_accounts(app)
    form = read_form(req)
    check_csrf(app, form)
    addr = req.environ.get("REMOTE_ADDR", "")
    try:
        with app.write_lock:
            user = accounts.login(app.lib, form.get("name", ""), form.get("password", ""), addr)
    except accounts.TooManyAttempts as exc:
        return app.page("login.html", "Log in", status=429, user=None, error=exc.message,
                        name=form.get("name", "")[:60], cache=False)
    if user is None:
        return app.page("login.html", "Log in", status=403, user=None, error="wrong name or password",
                        name=form.get("name", "")[:60], cache=False)
    with app.write_lock:
        token = accounts.new_session(app.lib, user["name"])
    back = form.get("back", "")
    if not re.fullmatch(r"/[A-Za-z0-9/_.?=&%-]{0,300}", back) or back.startswith("//"):
        back = "/"
    return redirect(app.base_url + back, [("Set-Cookie", session_cookie(app, token))])


@route("POST", r"/logout")
def logout(app, req):
    _need_accounts(app)
    form = read_form(req)
    check_csrf(app, form)
    with app.write_lock:
        accounts.end_session(app.lib, session_token(req.environ))
    return redirect(app.base_url + "/", [("Set-Cookie", session_cookie(app, "", 0))])


@route("GET", r"/moderate")
def moderate_page(app, req):
    _need_accounts(app)
    user = current_user(app, req.environ)
    if user is None or user["role"] != "moderator":
        raise HTTPError(403, "moderators only: log in as a moderator")
    reviewer = req.params.get("reviewer", maxlen=60)
    lib = app.lib
    counts = [dict(r) for r in lib.db.execute(
        "SELECT reviewer, count(*) AS n, max(at) AS last FROM decisions GROUP BY reviewer ORDER BY last DESC")]
    hist = accounts.history(lib, reviewer=reviewer or None, limit=200)
    return app.page("moderate.html", "Moderation", user=user, counts=counts, hist=hist, reviewer=reviewer,
                    decision_line=decision_line, cache=False)


@route("POST", r"/moderate/revert")
def moderate_revert(app, req):
    _need_accounts(app)
    user = current_user(app, req.environ)
    if user is None or user["role"] != "moderator":
        raise HTTPError(403, "moderators only: log in as a moderator")
    form = read_form(req)
    check_csrf(app, form)
    reviewer = " ".join(form.get("reviewer", "").split())[:60]
    eid = form.get("edition") or None
    if not reviewer:
        raise HTTPError(400, "whose decisions? (reviewer missing)")
    if eid is not None and not re.fullmatch(EID_RE, eid):
        raise HTTPError(400, "the edition is not a valid identifier")
    with app.write_lock:
        n = accounts.revert_reviewer(app.lib, reviewer, user["name"], eid)
    return redirect(f"{app.base_url}/moderate?" + urlencode({"reviewer": reviewer, "reverted": n}))


def account_bar(app, environ) -> Markup:
    """The log-in / log-out line of the page header (accounts mode)."""
    if not app.accounts:
        return Markup("")
    user = current_user(app, environ)
    if user is None:
        return Markup(f'<a class="account" href="{h(app.base_url)}/login">Log in to correct</a>')
    mod = f' · <a href="{h(app.base_url)}/moderate">moderate</a>' if user["role"] == "moderator" else ""
    return Markup(f'<span class="account">{h(user["name"])} ({h(user["role"])}){mod} '
                  f'<form method="post" action="{h(app.base_url)}/logout"><input type="hidden" name="csrf" '
                  f'value="{h(app.csrf)}"><button type="submit">Log out</button></form></span>')
