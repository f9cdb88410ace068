"""The trace review decisions leave in an exported edition (``reissue export``).

``reissue export`` applies a library's review decisions as edits of stage ``review`` (see
:func:`reissue.review.apply_decisions`): ``rule`` is the action (``accept``, ``reject``,
``rewrite``, ``manual``) and ``note`` is ``"<reviewer> <ISO time>"``. An accept changes no text: its
edit has the same raw span and the same text as the automatic correction it supersedes, so it is
still credited. From those edits every format says who checked what:

* edition.json: ``"review": [{"edit", "action", "reviewer", "at", "page", "before", "after",
  "correction"}]`` (``correction``: the automatic correction the decision was about, or null);
* edition.txt and edition.md: a closing "Review" section, one line per decision;
* edition.tei.xml: ``<corr resp>`` names the reviewer (and ``#reissue`` beside them for an accepted
  automatic correction), a ``<respStmt>`` per reviewer, a ``<change>`` per reviewer in the header.

This module reads the edition dict only.
"""

from __future__ import annotations

PAST = {"accept": "accepted", "reject": "rejected", "rewrite": "rewritten", "manual": "corrected"}


def reviewer_of(e: dict) -> tuple[str, str]:
    """(name, time) of a review edit, whose note is '<reviewer> <ISO time>'."""
    name, _, when = (e.get("note") or "").rpartition(" ")
    name = "".join(c for c in name if c.isprintable()).strip()
    return (name or "reviewer"), when


def review_records(ed: dict) -> list[dict]:
    """One record per review edit of the edition, in edit order."""
    edits = ed.get("edits") or []
    items = getattr(edits, "source_items", None)  # a lazy list of Edits (reissue.export_stream.LazyList)
    if items is not None and not any(e.stage == "review" for e in items):
        return []  # no review edit: no edit dict made (each writer asks)
    replaced: dict[int, dict] = {}
    for e in edits:
        if e.get("stage") == "correct" and e.get("superseded_by") is not None:
            replaced[e["superseded_by"]] = e
    pages = ed.get("pages") or []
    out = []
    for e in edits:
        if e.get("stage") != "review":
            continue
        name, when = reviewer_of(e)
        auto = replaced.get(e["id"])
        pg = pages[e["page"]] if 0 <= e["page"] < len(pages) else {}
        out.append({"edit": e["id"], "action": e["rule"], "reviewer": name, "at": when,
                    "page": pg.get("number") if pg.get("number") is not None else e["page"] + 1,
                    "before": e["before"], "after": e["after"],
                    "correction": {"edit": auto["id"], "after": auto["after"]} if auto else None})
    return out


def _when(at: str) -> str:
    return at.replace("T", " ").replace("Z", " UTC").strip() if at else "unknown time"


def _one_line(text: str) -> str:
    return " ".join((text or "").split())  # a raw span may hold line breaks: one line per decision


def review_line(r: dict) -> str:
    """'p. 5: “Comintem” → “Comintern” accepted by Ada on 2026-01-01 10:00:00 UTC' (one line)."""
    before, after, auto = _one_line(r["before"]), _one_line(r["after"]), r["correction"]
    by = f"by {_one_line(r['reviewer'])} on {_when(r['at'])}"
    if r["action"] == "reject":
        was = f", the automatic correction “{_one_line(auto['after'])}”" if auto else ""
        return f"p. {r['page']}: “{before}” kept as printed{was} rejected {by}"
    line = f"p. {r['page']}: “{before}” → “{after}” {PAST.get(r['action'], r['action'])} {by}"
    if r["action"] == "rewrite" and auto:
        line += f" (the automatic correction was “{_one_line(auto['after'])}”)"
    return line


def text_section(ed: dict) -> list[str]:
    """The closing 'Review' block of edition.txt (empty when nobody reviewed the edition)."""
    recs = review_records(ed)
    if not recs:
        return []
    return ["Review", "\n".join(review_line(r) for r in recs)]


def markdown_section(ed: dict, escape) -> list[str]:
    recs = review_records(ed)
    if not recs:
        return []
    return ["", "## Review", ""] + [f"- {escape(review_line(r))}" for r in recs]


def reviewer_counts(ed: dict) -> dict[str, dict]:
    """reviewer -> {"actions": {action: count}, "last": latest ISO time}."""
    by: dict[str, dict] = {}
    for r in review_records(ed):
        x = by.setdefault(r["reviewer"], {"actions": {}, "last": ""})
        x["actions"][r["action"]] = x["actions"].get(r["action"], 0) + 1
        x["last"] = max(x["last"], r["at"] or "")
    return by


def change_text(name: str, info: dict) -> str:
    acts = ", ".join(f"{n} {PAST.get(a, a)}" for a, n in sorted(info["actions"].items()))
    n = sum(info["actions"].values())
    return f"{n} review decision{'' if n == 1 else 's'} by {name} ({acts})"
