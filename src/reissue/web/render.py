"""HTML of one text of the reader: changes, search hits (accent- and case-insensitive, exactly what
the search matches, see ``reissue.query``), note call-outs; and the original OCR with every change
explained. Every text goes through ``markupsafe.escape``; the results are ``Markup`` for templates.
"""

from __future__ import annotations

import functools
import os

from markupsafe import Markup

from ..edition import LETTER_SPACED_RULE, active_edits, uncertain
from ..labels import issue_numbering
from ..notes import printed_callout
from ..query import hit_spans

STAGE_LABELS = {
    "correct": "OCR correction", "review": "Reviewer's correction", "furniture": "Removed page furniture",
    "reflow": "Line/paragraph join", "notes": "Footnote layout",
}

PAST = {"accept": "accepted", "reject": "rejected", "rewrite": "rewritten", "manual": "corrected"}


# the templates edition.html is written with, shipped compiled (scripts/build_templates.py)
COMPILED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates_compiled")
COMPILED_TEMPLATES = ("edition.html", "_page.html")


def compiled_current() -> bool:
    """Were the compiled templates compiled from the templates as they are now, by the installed
    Jinja (their manifest says so)?"""
    import hashlib
    import json

    import jinja2

    try:
        with open(os.path.join(COMPILED_DIR, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
        if manifest.get("jinja2") != jinja2.__version__:
            return False
        here = os.path.join(os.path.dirname(COMPILED_DIR), "templates")
        for name in COMPILED_TEMPLATES:
            with open(os.path.join(here, name), "rb") as fh:
                if hashlib.sha256(fh.read()).hexdigest() != manifest["templates"].get(name):
                    return False
    except (OSError, ValueError, KeyError, AttributeError):
        return False
    return True


@functools.cache
def _compiled_loader():
    """A loader of the compiled templates when they are current (:func:`compiled_current`), else
    None. One per process, kept: a Jinja ModuleLoader puts a weak proxy of its module into
    ``sys.modules``, and the proxy of a collected loader breaks whatever walks ``sys.modules`` at
    that moment (ReferenceError; seen in CI, in hypothesis)."""
    import jinja2

    return jinja2.ModuleLoader(COMPILED_DIR) if compiled_current() else None


def jinja_env(compiled: bool = True):
    """The template environment of both readers (autoescaped; ``templates/``). ``compiled``: the
    templates of :data:`COMPILED_TEMPLATES` from their compiled modules when these are current."""
    from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

    loader = PackageLoader("reissue.web", "templates")
    fast = _compiled_loader() if compiled else None
    env = Environment(loader=ChoiceLoader([fast, loader]) if fast is not None else loader,
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(issue_label=issue_label, page_label=page_label, plural=plural, fmt_when=fmt_when,
                       past=PAST, decision_line=decision_line)
    return env


def h(s) -> str:
    """``str(markupsafe.escape(str(s)))`` (None: ""), without making a Markup: the same five
    replacements as markupsafe's (tests/test_web_static.py compares them)."""
    return ("" if s is None else str(s)).replace("&", "&amp;").replace(">", "&gt;").replace(
        "<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def issue_label(e: dict) -> str:
    return issue_numbering(e) or e.get("label") or e.get("id") or e.get("edition") or ""


def heading_label(text: str, n: int = 60) -> str:
    """A first heading as the name of an issue without numbering (one line, at most n characters)."""
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def page_label(p: dict) -> str:
    return f"p. {p['number']}" if p.get("number") is not None else f"[{p['idx'] + 1}]"


def fmt_when(at: str) -> str:
    return (at or "").replace("T", " ").replace("Z", " UTC")


def decision_line(d: dict) -> str:
    act = {"accept": "Accepted", "reject": "Rejected", "rewrite": "Rewritten", "manual": "Corrected"}.get(
        d["action"], d["action"])
    return f"{act} by {d['reviewer']} on {fmt_when(d['at'])}"


def edit_tip(e: dict, decision: dict | None, doubt: bool) -> str:
    """The tip of a change: what it did, its rule and confidence, and whether it is shown as uncertain (``doubt``:
    the caller's ``uncertain(e, decision)``, which also sets the change's class)."""
    stage = e["stage"]
    label = STAGE_LABELS.get(stage, stage)
    before, after = e["before"], e["after"]
    if stage in ("correct", "review"):
        what = f"{label}: “{before}” → “{after}”"
    elif after == "":
        what = f"{label}: removed “{before.strip()}”" if before.strip() else f"{label}: removed a line break"
    else:
        what = f"{label}: “{before}” → “{after}”" if before.strip() or after.strip() else f"{label}: line break joined"
    if stage == "review":  # a decision already in the exported edition: note is '<reviewer> <time>'
        name, _, at = (e.get("note") or "").rpartition(" ")
        return "\n".join([what, decision_line({"action": e["rule"], "reviewer": name or "a reviewer", "at": at})])
    lines = [what, f"rule: {e['rule']} · confidence {float(e.get('confidence') or 0):.2f}"
                   + (" · uncertain" if doubt else "")]
    if e.get("note"):
        lines.append(e["note"])
    if decision:
        lines.append(decision_line(decision))
    return "\n".join(lines)


def render_slice(item: dict, pieces: list[dict], lo: int, hi: int, query, callouts: dict[int, dict]) -> Markup:
    """HTML of text[lo:hi] of one paragraph, with changes, search hits and note call-outs."""
    text = item["text"]
    hits = hit_spans(query, text) if query is not None else []
    out = []
    for p in pieces:
        a, b = p["a"], p["b"]
        if b <= lo or a >= hi:
            if not (a == b and lo <= a < hi and (p["edit"] or p["manual"])):
                continue
        if p["edit"] is not None or p["manual"]:
            d = p["decision"]
            cls = ["chg"]
            if p["manual"]:
                cls.append("manual")
                tip = f"Reviewer's correction: “{d.get('expect')}” → “{d.get('text')}”\n{decision_line(d)}"
            else:
                if d:
                    cls.append("d-" + d["action"])
                if p["edit"].get("rule") == LETTER_SPACED_RULE:
                    cls.append("spaced")  # printed letter-spaced (emphasis): shown so
                doubt = uncertain(p["edit"], d)
                if doubt:
                    cls.append("doubt")  # below edition.CERTAIN and not reviewed: shown as uncertain
                tip = edit_tip(p["edit"], d, doubt)
            inner = h(p["text"])
            if hits and any(s < b and a < e for s, e in hits):
                inner = f'<mark class="hit">{inner}</mark>'
            attrs = (f' data-edit="{p["edit"]["id"]}"' if p["edit"] else "") + f' data-a="{a}" data-b="{b}"'
            out.append(f'<span class="{" ".join(cls)}" tabindex="0" data-tip="{h(tip)}"{attrs}>{inner}</span>')
            continue
        s0, e0 = max(a, lo), min(b, hi)
        if not hits and not callouts:  # (an edition written out) no cut inside: the text as one chunk
            out.append(f'<span class="t" data-a="{s0}">{h(text[s0:e0]) if s0 < e0 else ""}</span>')
            continue
        cuts = {s0, e0}
        for s, e in hits:
            for x in (s, e):
                if s0 < x < e0:
                    cuts.add(x)
        # the link covers the call-out as printed: '(1)' up to and with its ')'
        ends = {c: printed_callout(text, c, fn["marker"]) for c, fn in callouts.items()}
        for c, end in ends.items():
            for x in (c, end):
                if x is not None and s0 < x < e0:
                    cuts.add(x)
        pts = sorted(cuts)
        chunk = []
        for x, y in zip(pts, pts[1:]):
            seg = text[x:y]
            fn = callouts.get(x)
            if fn and ends.get(x) == y:
                chunk.append(f'<sup class="callout"><a href="#fn-{h(fn["item"])}" id="fnref-{h(fn["item"])}" '
                             f'aria-label="note {h(fn["marker"])}">{h(seg)}</a></sup>')
            elif any(s <= x and y <= e for s, e in hits):
                chunk.append(f'<mark class="hit">{h(seg)}</mark>')
            else:
                chunk.append(h(seg))
        out.append(f'<span class="t" data-a="{s0}">{"".join(chunk)}</span>')
    return Markup("".join(out))


def render_original(raw: str, edits: dict[int, dict], decisions_by_edit: dict[int, dict]) -> Markup:
    """The raw page, one block per printed line (a wrapped line is indented, so the printed line
    breaks stay visible), every change a span that explains itself."""
    active = active_edits(edits.values())  # one page's edits: in raw order
    segs: list[tuple[str, str | None]] = []  # (text, opening tag or None)
    pos = 0
    for e in active:
        s, t = e["start"], e["end"]
        if s < pos or t > len(raw):
            continue  # overlapping or out of range: show the raw text as is
        segs.append((raw[pos:s], None))
        decision = decisions_by_edit.get(e["id"])
        doubt = uncertain(e, decision)
        tip = h(edit_tip(e, decision, doubt))
        cls = f"e e-{h(e['stage'])}" + (" e-ins" if s == t else "") + (" doubt" if doubt else "")
        segs.append((raw[s:t], f'<span class="{cls}" tabindex="0" data-tip="{tip}">'))
        pos = t
    segs.append((raw[pos:], None))
    lines: list[list[str]] = [[]]
    for text, tag in segs:
        parts = text.split("\n")
        if tag is not None and text == "":
            lines[-1].append(tag + "</span>")
            continue
        for k, part in enumerate(parts):
            if k:
                lines.append([])
                if tag is not None:  # a change across a line end: mark the line end too
                    lines[-2].append(tag + "↵</span>")
            if part:
                lines[-1].append(tag + h(part) + "</span>" if tag is not None else h(part))
    return Markup("".join(f'<span class="ln">{"".join(x)}</span>' for x in lines))
