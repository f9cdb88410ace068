"""Review views: the corrections list, the review panel of a page, review decisions (POST)."""

from __future__ import annotations

import hmac
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote, unquote, urlencode

from markupsafe import Markup

from ..decisions import ACTIONS, decision_status, edit_expect, is_stale
from .core import EID_RE, MAX_BODY, HTTPError, redirect, route
from .views_auth import current_user
from .render import PAST, decision_line, h, issue_label, page_label, plural


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


def who_form(who: str, account: dict | None) -> str:
    if account is not None:  # accounts mode: decisions are credited to the account
        return (f'<p class="who-form">Reviewing as <b>{h(account["name"])}</b> <span class="muted">Decisions are '
                'saved with your name and the time.</span><input type="hidden" id="reviewer" '
                f'value="{h(account["name"])}"></p>')
    return (f'<p class="who-form"><label for="reviewer">Reviewer</label> <input type="text" id="reviewer" '
            f'value="{who}" placeholder="your name" maxlength="60" autocomplete="name"> '
            '<span class="muted">Decisions are saved with your name and the time.</span></p>')


def reviewed_list(app, live, page_edits, texts) -> str:
    mine = [d for d in live if (d["edit"] is not None and d["edit"] in page_edits)
            or (d["edit"] is None and any(t["item"] == d["item"] for t in texts))]
    if not mine:
        return ""
    out = ['<section class="pane review" aria-label="Review"><h2><span>Reviewed on this page</span></h2><ul>']
    for d in mine:
        out.append(f'<li><span class="badge {h(d["action"])}">{h(PAST.get(d["action"], d["action"]))}</span> '
                   f'{h(decision_subject(d, page_edits))} — {h(decision_line(d))}</li>')
    out.append("</ul></section>")
    return "".join(out)


def correction_row(app, eid: str, e: dict, d: dict | None, st: str | None, hidden: str, rv: str,
                   context: str = "", where: str = "") -> str:
    badge = ""
    if d:
        label = {"ok": PAST.get(d["action"], d["action"]), "applied": "in the edition"}.get(st or "", "stale")
        cls = d["action"] if st == "ok" else ("accept" if st == "applied" else "stale")
        badge = (f'<span class="badge {h(cls)}" title="{h(st)}">{h(label)}</span>'
                 f'<div class="who">{h(decision_line(d))}</div>')
    forms = []
    if rv:
        for act, label in (("accept", "Accept"), ("reject", "Reject")):
            forms.append(f'<form method="post" action="/edition/{h(eid)}/review">{hidden}'
                         f'<input type="hidden" name="edit" value="{e["id"]}"><input type="hidden" name="action" value="{act}">'
                         f'{rv}<button type="submit" data-action="{act}">{label}</button></form>')
        if d:
            forms.append(f'<form method="post" action="/edition/{h(eid)}/review">{hidden}'
                         f'<input type="hidden" name="edit" value="{e["id"]}"><input type="hidden" name="action" value="undo">'
                         f'{rv}<button type="submit" data-action="undo" title="Forget this decision">Undo</button></form>')
        forms.append(f'<form method="post" action="/edition/{h(eid)}/review">{hidden}'
                     f'<input type="hidden" name="edit" value="{e["id"]}"><input type="hidden" name="action" value="rewrite">{rv}'
                     f'<input type="text" name="text" value="{h(d["text"] if d and d["action"] == "rewrite" else e["after"])}" '
                     'required maxlength="200" aria-label="Rewrite as">'
                     f'<button type="submit" data-action="rewrite">Rewrite</button></form>')
    ctx = f'<div class="ctx">{context}</div>' if context else ""
    if d and st == "ok" and d["action"] == "rewrite":
        now = f'<ins>{h(d["text"])}</ins> <s class="was" title="the automatic correction">{h(e["after"])}</s>'
    elif d and st == "ok" and d["action"] == "reject":
        now = f'<s class="was" title="rejected">{h(e["after"])}</s>'
    else:
        now = f'<ins>{h(e["after"])}</ins>'
    return (f'<tr id="edit-{e["id"]}">{where}<td><del>{h(e["before"])}</del></td><td>{now}'
            f'<div class="who">{h(e["rule"])} · {h(e.get("note") or "")}</div>{ctx}</td>'
            f'<td class="conf">{float(e["confidence"] or 0):.2f}</td><td>{badge}</td>'
            + (f'<td>{"".join(forms)}</td>' if rv else "") + '</tr>')

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
    rows = [dict(r) for r in lib.db.execute(
        f"SELECT * FROM edits WHERE edition = ? AND {cond} ORDER BY confidence, page, start LIMIT ? OFFSET ?",
        args + [per, (page_no - 1) * per])]
    pages = {p["idx"]: p for p in lib.pages(eid)}
    raws: dict[int, str] = {}
    body = [f'<p class="crumbs"><a href="/">Library</a> › {h(ed["title"] or "Untitled")} › '
            f'<a href="/edition/{h(eid)}">{h(issue_label(ed))}</a></p>',
            f'<h1>Corrections <span class="muted">{h(ed["title"] or "Untitled")} {h(issue_label(ed))}</span></h1>',
            f'<p class="muted">{plural(total, "correction")}{" without a decision" if only == "open" else ""}, '
            'least confident first. '
            + (f'<a href="/edition/{h(eid)}/corrections">show all</a>' if only == "open"
               else f'<a href="/edition/{h(eid)}/corrections?show=open">show only those without a decision</a>')
            + '</p>']
    tok = h(app.csrf)
    rv = ""
    hidden = ""
    if can:
        who = h(reviewer or app.default_reviewer or "")
        body.append(who_form(who, account))
        rv = f'<input type="hidden" name="reviewer" value="{who}">'
        back = f"corrections:{page_no}:{'open' if only == 'open' else ''}"
        hidden = f'<input type="hidden" name="csrf" value="{tok}"><input type="hidden" name="back" value="{h(back)}">'
    body.append('<section class="pane review"><table><thead><tr><th>Page</th><th>OCR</th><th>Correction</th>'
                '<th>Confidence</th><th>Decision</th>' + ('<th>Review</th>' if can else '') + '</tr></thead><tbody>')
    for e in rows:
        pg = pages.get(e["page"])
        if pg is None:
            continue
        if e["page"] not in raws:
            raws[e["page"]] = lib.db.execute("SELECT raw FROM pages WHERE edition=? AND idx=?",
                                             (eid, e["page"])).fetchone()[0]
        raw = raws[e["page"]]
        a, b = max(0, e["start"] - 50), min(len(raw), e["end"] + 50)
        context = (("…" if a else "") + h(" ".join(raw[a:e["start"]].split()[-6:])) + " <b>" + h(raw[e["start"]:e["end"]])
                   + "</b> " + h(" ".join(raw[e["end"]:b].split()[:6])) + ("…" if b < len(raw) else ""))
        link = f'/edition/{eid}/page/{quote(pg["key"])}?view=original'
        where = f'<td><a href="{h(link)}">{h(page_label(pg))}</a></td>'
        d = by_edit.get(e["id"])
        st = decision_status(lib, eid, d) if d else None
        body.append(correction_row(app, eid, e, d, st, hidden, rv, context, where))
    body.append("</tbody></table></section>")
    if total > per:
        base = {"show": only} if only == "open" else {}
        nav = ['<nav class="pager" aria-label="Pages of corrections">']
        if page_no > 1:
            nav.append(f'<a class="btn" rel="prev" href="?{h(urlencode(dict(base, page=page_no - 1)))}">← Previous</a>')
        nav.append(f'<span class="muted">page {page_no} of {(total + per - 1) // per}</span>')
        if page_no * per < total:
            nav.append(f'<a class="btn" rel="next" href="?{h(urlencode(dict(base, page=page_no + 1)))}">Next →</a>')
        nav.append("</nav>")
        body.append("".join(nav))
    return app.page("raw.html", f"Corrections: {ed['title'] or 'Untitled'} {issue_label(ed)}",
                    body=Markup("".join(body)), cache=not can)

def review_panel(app, eid, pg, page_edits, texts, decisions, status, view_original, reviewer, account=None) -> str:
    by_edit = {d["edit"]: d for d in decisions if d["edit"] is not None}
    where = {}
    for t in texts:
        for s in t["spans"]:
            if s[5] is not None:
                where[s[5]] = t["item"]
    corr = [e for e in page_edits.values() if e["stage"] == "correct" and e.get("superseded_by") is None
            and e["id"] in where]
    back = pg["key"] + ("|original" if view_original else "")
    tok = h(app.csrf)
    out = ['<section class="pane review" aria-label="Review"><h2><span>Review corrections on this page</span>'
           f'<span>{len(corr)}</span></h2>']
    hidden = (f'<input type="hidden" name="csrf" value="{tok}"><input type="hidden" name="back" value="{h(back)}">')
    who = h(reviewer or app.default_reviewer or "")
    out.append(who_form(who, account))
    rv = f'<input type="hidden" name="reviewer" value="{who}">'
    if not corr:
        out.append('<p class="muted">No automatic corrections on this page.</p>')
    else:
        out.append('<table><thead><tr><th>OCR</th><th>Correction</th><th>Confidence</th><th>Decision</th><th>Review</th></tr></thead><tbody>')
        for e in corr:
            d = by_edit.get(e["id"])
            out.append(correction_row(app, eid, e, d, status.get(d["id"]) if d else None, hidden, rv))
        out.append("</tbody></table>")
    manual = [d for d in decisions if d["edit"] is None and any(t["item"] == d["item"] for t in texts)]
    if manual:
        out.append('<h3 class="sub">Words corrected by reviewers</h3><ul class="manual-list">')
        for d in manual:
            st = status.get(d["id"])
            badge = ("" if st == "ok" else '<span class="badge accept">in the edition</span> ' if st == "applied"
                     else '<span class="badge stale">stale</span> ')
            out.append(f'<li>{badge}<del>{h(d["expect"])}</del> → <ins>{h(d["text"])}</ins> '
                       f'<span class="who">in {h(d["item"])} · {h(decision_line(d))}</span> '
                       f'<form method="post" action="/edition/{h(eid)}/review">{hidden}{rv}'
                       '<input type="hidden" name="action" value="undo-manual">'
                       f'<input type="hidden" name="item" value="{h(d["item"])}">'
                       f'<input type="hidden" name="start" value="{d["start"]}"><input type="hidden" name="end" value="{d["end"]}">'
                       '<button type="submit" data-action="undo-manual">Undo</button></form></li>')
        out.append("</ul>")
    items = [t for t in texts]
    opts = "".join(f'<option value="{h(t["item"])}">{h(t["item"])}: {h(t["text"][:40])}</option>' for t in items)
    out.append(f'<form id="manual-form" class="manual-form" method="post" action="/edition/{h(eid)}/review">{hidden}'
               '<input type="hidden" name="action" value="manual"><input type="hidden" name="start"><input type="hidden" name="end">'
               '<p id="manual-hint" class="muted">Correct any word: select it in the reading text, or name it here.</p>'
               f'<label>Paragraph <select name="item">{opts}</select></label> '
               '<label>Word <input type="text" name="find" required maxlength="200"></label> '
               '<label>becomes <input type="text" name="text" maxlength="200"></label> '
               '<label>occurrence <input type="number" name="occurrence" min="1" max="999" placeholder="1"></label> '
               f'{rv}'
               '<button type="submit" class="primary">Save correction</button></form>')
    stale = [d for d in decisions if is_stale(status.get(d["id"]) or "")]
    if stale:
        out.append(f'<p class="notice">{len(stale)} earlier decision(s) in this issue no longer match the '
                   're-indexed text; they are kept but not applied.</p>')
    out.append("</section>")
    return "".join(out)

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
        loc = f"/edition/{eid}/corrections?{urlencode(params)}" + (anchor if anchor.startswith("#edit-") else "")
        return redirect(loc, [("Set-Cookie", reviewer_cookie(reviewer))])
    key, _, view = back.partition("|")
    if not re.fullmatch(r"s?[0-9]{1,9}", key) or lib.page(eid, key) is None:
        key = lib.pages(eid)[0]["key"]
    loc = f"/edition/{eid}/page/{key}" + ("?view=original" if view == "original" else "") + anchor
    return redirect(loc, [("Set-Cookie", reviewer_cookie(reviewer))])
