"""Volunteer accounts of a library: reviewers and moderators, sessions, login rate limits, and the
history of every review decision (``reissue users``; ``reissue serve --accounts``).

* Passwords are hashed with bcrypt (cost 12) over a SHA-256 of the password (so long passwords are
  not cut at bcrypt's 72 bytes); the library never holds a password.
* A session is a random token in an HttpOnly, SameSite=Strict cookie; the library keeps only its
  SHA-256, and sessions expire (14 days).
* Logins are rate-limited: at most 5 failures per name and 20 per address in 15 minutes.
* ``decision_log`` keeps every decision ever made (accepts, undos and a moderator's reverts too),
  with who and when: nothing is lost when a decision is replaced or reverted.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from .errors import ReissueError, UsageError

ROLES = ("reviewer", "moderator")
SESSION_DAYS = 14
WINDOW = 15 * 60
MAX_FAILS_NAME = 5
MAX_FAILS_ADDR = 20

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY COLLATE NOCASE, role TEXT NOT NULL,
    hash BLOB NOT NULL, created TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, user TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (who TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_who ON login_failures (who, at);
CREATE TABLE IF NOT EXISTS decision_log (id INTEGER PRIMARY KEY, edition TEXT NOT NULL, edit INTEGER,
    item TEXT, start INTEGER, "end" INTEGER, action TEXT NOT NULL, text TEXT, expect TEXT,
    reviewer TEXT NOT NULL, at TEXT NOT NULL, moderator TEXT);
"""


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8", "surrogatepass")).digest())


def hash_password(password: str, rounds: int = 12) -> bytes:
    import bcrypt

    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds))


_DUMMY = None


def _check(password: str, hashed: bytes | None) -> bool:
    import bcrypt

    global _DUMMY
    if hashed is None:  # spend the same time for an unknown name
        if _DUMMY is None:
            _DUMMY = hash_password(secrets.token_hex(8))
        bcrypt.checkpw(_prehash(password), _DUMMY)
        return False
    return bcrypt.checkpw(_prehash(password), hashed)


def valid_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not (1 <= len(name) <= 60) or not all(c.isprintable() for c in name):
        raise UsageError("a user name is 1 to 60 printable characters", hint="choose another name")
    return name


def add_user(lib, name: str, password: str, role: str = "reviewer", *, rounds: int = 12) -> None:
    name = valid_name(name)
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}", hint="use reviewer or moderator")
    if len(password) < 10:
        raise UsageError("the password is too short (at least 10 characters)", hint="choose a longer one")
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with lib.db:
        lib.db.execute("INSERT INTO users (name, role, hash, created) VALUES (?,?,?,?) ON CONFLICT(name) DO "
                       "UPDATE SET role=excluded.role, hash=excluded.hash, disabled=0",
                       (name, role, hash_password(password, rounds), now))


def set_disabled(lib, name: str, disabled: bool = True) -> bool:
    with lib.db:
        n = lib.db.execute("UPDATE users SET disabled=? WHERE name=?", (int(disabled), name)).rowcount
        if disabled:
            lib.db.execute("DELETE FROM sessions WHERE user=?", (name,))
    return n > 0


def users(lib) -> list[dict]:
    return [dict(r) for r in lib.db.execute("SELECT name, role, created, disabled FROM users ORDER BY name")]


class TooManyAttempts(ReissueError):
    pass


def login(lib, name: str, password: str, addr: str) -> dict | None:
    """The user for NAME/PASSWORD (None when wrong); TooManyAttempts when rate-limited."""
    now = time.time()
    name = " ".join((name or "").split())[:60]
    keys = (f"name:{name.lower()}", f"addr:{addr}")
    with lib.db:
        lib.db.execute("DELETE FROM login_failures WHERE at < ?", (now - WINDOW,))
        fails = [lib.db.execute("SELECT count(*) FROM login_failures WHERE who=?", (k,)).fetchone()[0] for k in keys]
    if fails[0] >= MAX_FAILS_NAME or fails[1] >= MAX_FAILS_ADDR:
        raise TooManyAttempts("too many failed logins; wait 15 minutes and try again")
    row = lib.db.execute("SELECT * FROM users WHERE name=? AND disabled=0", (name,)).fetchone()
    ok = _check(password or "", row["hash"] if row else None)
    if not ok:
        with lib.db:
            lib.db.executemany("INSERT INTO login_failures VALUES (?,?)", [(k, now) for k in keys])
        return None
    return {"name": row["name"], "role": row["role"]}


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def new_session(lib, user: str) -> str:
    token = secrets.token_urlsafe(32)
    with lib.db:
        lib.db.execute("DELETE FROM sessions WHERE expires < ?", (time.time(),))
        lib.db.execute("INSERT INTO sessions VALUES (?,?,?)", (_token_key(token), user, time.time() + SESSION_DAYS * 86400))
    return token


def session_user(lib, token: str) -> dict | None:
    if not token or len(token) > 100:
        return None
    row = lib.db.execute("SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user "
                         "WHERE s.token=? AND s.expires > ? AND u.disabled=0", (_token_key(token), time.time())).fetchone()
    return {"name": row[0], "role": row[1]} if row else None


def end_session(lib, token: str) -> None:
    with lib.db:
        lib.db.execute("DELETE FROM sessions WHERE token=?", (_token_key(token or ""),))


def log_decision(db, d: dict, moderator: str | None = None) -> None:
    """Append a decision to the history (call inside the transaction that makes it)."""
    db.execute('INSERT INTO decision_log (edition, edit, item, start, "end", action, text, expect, reviewer, at, '
               'moderator) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
               (d["edition"], d.get("edit"), d.get("item"), d.get("start"), d.get("end"), d["action"], d.get("text"),
                d.get("expect"), d["reviewer"], d["at"], moderator))


def history(lib, eid: str | None = None, reviewer: str | None = None, limit: int = 500) -> list[dict]:
    where, args = [], []
    if eid:
        where.append("edition=?")
        args.append(eid)
    if reviewer:
        where.append("reviewer=?")
        args.append(reviewer)
    sql = "SELECT * FROM decision_log" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    return [dict(r) for r in lib.db.execute(sql, args + [limit])]


def revert_reviewer(lib, reviewer: str, moderator: str, eid: str | None = None) -> int:
    """Undo every live decision of REVIEWER (in one edition or all); the history keeps them. Returns the count."""
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    where, args = "reviewer=?", [reviewer]
    if eid:
        where += " AND edition=?"
        args.append(eid)
    with lib.db:
        rows = [dict(r) for r in lib.db.execute(f"SELECT * FROM decisions WHERE {where}", args)]
        for d in rows:
            lib.db.execute("DELETE FROM decisions WHERE id=?", (d["id"],))
            log_decision(lib.db, dict(d, action="revert", at=at), moderator)
        for e in sorted({d["edition"] for d in rows}):
            lib.refresh_search_text(e)
    return len(rows)
