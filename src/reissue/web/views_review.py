"""Review views: the corrections list, the review panel of a page, review decisions (POST)."""

from __future__ import annotations

import hmac
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote, unquote, urlencode

from markupsafe import Markup

from ..decisions import ACTIONS, decision_status, edit_expect, is_stale
from ..edition import active_corrections
from .core import EID_RE, MAX_BODY, HTTPError, redirect, route
from .views_auth import current_user
from .render import issue_label


def cookie_reviewer(environ) -> str:
    try:
        c = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    except Exception:
        return ""
    m = c.get("reissue_reviewer")
    return " ".join(unquote(m.value).split())[:60] if m else ""


def reviewer_cookie(reviewer: str) -> str:
    cookie = SimpleCookie()
    cookie["reissue_reviewer"] = quote(reviewer)
    cookie["reissue_reviewer"]["path"] = "/"
    cookie["reissue_reviewer"]["samesite"] = "Strict"
    cookie["reissue_reviewer"]["httponly"] = True
    return cookie["reissue_reviewer"].OutputString()


def decision_subject(d: dict, edits: dict[int, dict]) -> str:
    if d["edit"] is not None and d["edit"] in edits:
        e = edits[d["edit"]]
        s = f"“{e['before']}” → “{e['after']}”"
        if d["action"] == "rewrite":
            s += f" → “{d['text']}”"
        return s
    return f"“{d.get('expect')}” → “{d.get('text')}”"


def review_form(app, eid: str, back: str, reviewer: str) -> dict:
    """What every decision form of a page carries: where it posts, the CSRF token, where to go back."""
    return {"action": f"{app.base_url}/edition/{eid}/review", "csrf": app.csrf, "back": back,
            "who": reviewer or app.default_reviewer or ""}


def reviewed_items(live, page_edits, texts) -> list[dict]:
    """The live decisions of a page, as readers see them (template macro ``reviewed_list``)."""
    return [{"d": d, "subject": decision_subject(d, page_edits)} for d in live
            if (d["edit"] is not None and d["edit"] in page_edits)
            or (d["edit"] is None and any(t["item"] == d["item"] for t in texts))]


def panel_data(app, eid, pg, page_edits, texts, decisions, status, view_original, reviewer, account=None) -> dict:
    """The review panel of a page (template macro ``review_panel``)."""
    by_edit = {d["edit"]: d for d in decisions if d["edit"] is not None}
    where = {s[5] for t in texts for s in t["spans"] if s[5] is not None}
    rows = []
    for e in active_corrections(page_edits.values(), raw_order=False):
        if e["id"] in where:
            d = by_edit.get(e["id"])
            rows.append({"e": e, "d": d, "st": status.get(d["id"]) if d else None, "context": "", "page": None})
    manual = [{"d": d, "st": status.get(d["id"])} for d in decisions
              if d["edit"] is None and any(t["item"] == d["item"] for t in texts)]
    return {"rows": rows, "manual": manual, "texts": texts, "account": account,
            "stale": sum(1 for d in decisions if is_stale(status.get(d["id"]) or "")),
            "form": review_form(app, eid, pg["key"] + ("|original" if view_original else ""), reviewer)}


def _context(raw: str, s: int, t: int) -> Markup:
    a, b = max(0, s - 50), min(len(raw), t + 50)
    return Markup("{}{} <b>{}</b> {}{}").format("…" if a else "", " ".join(raw[a:s].split()[-6:]), raw[s:t],
                                                 " ".join(raw[t:b].split()[:6]), "…" if b < len(raw) else "")


@route("GET", rf"/edition/({EID_RE})/corrections")
def corrections_page(app, req, eid: str):
    """Every automatic correction of an issue, least confident first, to review them in one place."""
    lib = app.lib
    ed = app.get_edition(eid)
    per = 50
    account = current_user(app, req.environ)
    can = app.review or account is not None
    reviewer = account["name"] if account else cookie_reviewer(req.environ)
    page_no = req.params.int("page", 1, 1, 100000)
    only = req.params.choice("show", ("all", "open"), "all")
    decisions = lib.decisions(eid)
    by_edit = {d["edit"]: d for d in decisions if d["edit"] is not None}
    cond = "stage = 'correct' AND superseded_by IS NULL"
    args: list = [eid]
    if only == "open":
        cond += " AND id NOT IN (SELECT edit FROM decisions WHERE edition = ? AND edit IS NOT NULL)"
        args.append(eid)
    (total,) = lib.db.execute(f"SELECT count(*) FROM edits WHERE edition = ? AND {cond}", args).fetchone()
    found = [dict(r) for r in lib.db.execute(
        f"SELECT * FROM edits WHERE edition = ? AND {cond} ORDER BY confidence, page, start LIMIT ? OFFSET ?",
        args + [per, (page_no - 1) * per])]
    pages = {p["idx"]: p for p in lib.pages(eid)}
    raws: dict[int, str] = {}
    rows = []
    for e in found:
        pg = pages.get(e["page"])
        if pg is None:
            continue
        if e["page"] not in raws:
            raws[e["page"]] = lib.db.execute("SELECT raw FROM pages WHERE edition=? AND idx=?",
                                             (eid, e["page"])).fetchone()[0]
        d = by_edit.get(e["id"])
        rows.append({"e": e, "d": d, "st": decision_status(lib, eid, d) if d else None,
                     "context": _context(raws[e["page"]], e["start"], e["end"]), "page": pg,
                     "link": f"{app.base_url}/edition/{eid}/page/{quote(pg['key'])}?view=original"})
    pager = None
    if total > per:
        base = {"show": only} if only == "open" else {}
        pager = {"prev": dict(base, page=page_no - 1) if page_no > 1 else None,
                 "next": dict(base, page=page_no + 1) if page_no * per < total else None,
                 "last": (total + per - 1) // per}
    form = review_form(app, eid, f"corrections:{page_no}:{'open' if only == 'open' else ''}", reviewer) if can else None
    return app.page("corrections.html", f"Corrections: {ed['title'] or 'Untitled'} {issue_label(ed)}", ed=ed,
                    rows=rows, total=total, only_open=only == "open", form=form, user=account, pager=pager,
                    page_no=page_no, cache=not can)


@route("POST", rf"/edition/({EID_RE})/review")
def post_review(app, req, eid: str):
    account = current_user(app, req.environ)
    if app.accounts and account is None:
        raise HTTPError(403, "log in to review corrections")
    if not app.review and account is None:
        raise HTTPError(403, "review is off: start the server with --review (one person) or --accounts")
    environ = req.environ
    try:
        n = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        n = 0
    if n > MAX_BODY:
        raise HTTPError(413, "request too large")
    raw = environ["wsgi.input"].read(n) if n > 0 else b""
    try:
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True, errors="strict").items()}
    except (UnicodeDecodeError, ValueError):
        raise HTTPError(400, "the form is not valid UTF-8")
    if not hmac.compare_digest(form.get("csrf", ""), app.csrf):
        raise HTTPError(403, "the form has expired; reload the page and try again")
    app.get_edition(eid)
    reviewer = account["name"] if account else " ".join(form.get("reviewer", "").split())[:60]
    if not all(c.isprintable() for c in reviewer):
        raise HTTPError(400, "the reviewer name holds control characters")
    if not reviewer:
        raise HTTPError(400, "say who you are: the reviewer name is required")
    action = form.get("action", "")
    lib = app.lib
    anchor = ""
    with app.write_lock:
        if action in ACTIONS or action == "undo":
            try:
                edit_id = int(form.get("edit", ""))
            except ValueError:
                raise HTTPError(400, "which correction? (edit id missing)")
            e = lib.edits(eid, ids=[edit_id]).get(edit_id)
            if e is None or e["stage"] != "correct":
                raise HTTPError(400, "no such correction")
            text = form.get("text")
            if action == "rewrite":
                text = (text or "")[:200]
                if not text.strip():
                    raise HTTPError(400, "a rewrite needs the new text")
            else:
                text = None
            lib.decide(eid, action=action, reviewer=reviewer, edit=edit_id, text=text, expect=edit_expect(e))
            anchor = f"#edit-{edit_id}"
        elif action == "undo-manual":
            try:
                s0, t0 = int(form.get("start", "")), int(form.get("end", ""))
            except ValueError:
                raise HTTPError(400, "which correction? (start/end missing)")
            item = form.get("item", "")
            lib.decide(eid, action="undo", reviewer=reviewer, item=item, start=s0, end=t0)
            anchor = "#" + item if re.fullmatch(r"[\w.-]{1,80}", item) else ""
        elif action == "manual":
            item = lib.text_item(eid, form.get("item", ""))
            if item is None:
                raise HTTPError(400, "no such paragraph")
            new = form.get("text", "")[:200]
            find = form.get("find", "")
            try:
                s, t = int(form.get("start") or -1), int(form.get("end") or -1)
            except ValueError:
                s = t = -1
            if not (0 <= s < t <= len(item["text"])) or (find and item["text"][s:t] != find):
                if not find:
                    raise HTTPError(400, "which word? select it or type it")
                found = list(re.finditer(r"(?<!\w)" + re.escape(find) + r"(?!\w)", item["text"])) or \
                    list(re.finditer(re.escape(find), item["text"]))
                if not found:
                    raise HTTPError(400, f"“{find}” is not in {item['item']}")
                occ = form.get("occurrence", "").strip()
                if len(found) > 1 and not occ:
                    raise HTTPError(400, f"“{find}” occurs {len(found)} times in {item['item']}: select the one "
                                         "you mean in the reading text, or give its occurrence number (1, 2, …)")
                if not re.fullmatch(r"[0-9]{1,4}", occ or "1") or not 1 <= int(occ or 1) <= len(found):
                    raise HTTPError(400, f"occurrence must be a number from 1 to {len(found)}")
                m = found[int(occ or 1) - 1]
                s, t = m.start(), m.end()
            # a manual correction must not cut into an automatic correction
            for sp in item["spans"]:
                if sp[5] is not None and sp[3] < t and s < sp[4] and not (s <= sp[3] and sp[4] <= t):
                    raise HTTPError(400, "that span cuts into an automatic correction: review the correction instead")
            lib.decide(eid, action="manual", reviewer=reviewer, item=item["item"], start=s, end=t, text=new,
                       expect=item["text"][s:t])
            anchor = "#" + item["item"]
        else:
            raise HTTPError(400, "unknown review action")
    back = form.get("back", "")
    mb = re.fullmatch(r"corrections:([0-9]{1,5}):(open)?", back)
    if mb:
        params = {"page": mb.group(1)} | ({"show": "open"} if mb.group(2) else {})
        loc = f"{app.base_url}/edition/{eid}/corrections?{urlencode(params)}" + (anchor if anchor.startswith("#edit-") else "")
        return redirect(loc, [("Set-Cookie", reviewer_cookie(reviewer))])
    key, _, view = back.partition("|")
    if not re.fullmatch(r"s?[0-9]{1,9}", key) or lib.page(eid, key) is None:
        key = lib.pages(eid)[0]["key"]
    loc = f"{app.base_url}/edition/{eid}/page/{key}" + ("?view=original" if view == "original" else "") + anchor
    return redirect(loc, [("Set-Cookie", reviewer_cookie(reviewer))])
