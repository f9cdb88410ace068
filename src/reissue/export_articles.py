"""Article rendering for the edition files: where an article starts, and its supplied title.

``edition.json`` carries ``articles`` (see :mod:`reissue.articles`); the writers in
:mod:`reissue.export` ask this module where each article starts. A title printed as a heading is
shown where it is printed; a title read from the running head (not printed above the text) is
shown in square brackets, the editorial mark for a supplied title.
"""

from __future__ import annotations


def article_starts(ed: dict) -> dict[str, dict]:
    """Paragraph id -> the article that starts with it."""
    return {a["paragraphs"][0]: a for a in ed.get("articles") or [] if a.get("paragraphs")}


def paragraph_article(ed: dict) -> dict[str, dict]:
    """Paragraph id -> its article."""
    return {pid: a for a in ed.get("articles") or [] for pid in a.get("paragraphs", [])}


def supplied_title(ed: dict, article: dict, kinds: dict | None = None) -> str | None:
    """The article's title when no printed heading of the article shows it (from a running head).
    ``kinds``: paragraph id -> kind, when the caller has it (else read from ``ed``)."""
    title = article.get("title") or article.get("section")
    if not title:
        return None
    if kinds is None:
        kinds = {p["id"]: p.get("kind") for p in ed["paragraphs"]}
    for pid in article.get("paragraphs", []):
        if kinds.get(pid) == "heading":
            return None
    return title


def text_label(ed: dict, article: dict, kinds: dict | None = None) -> str | None:
    """A line for the .txt and Markdown before an article whose title was supplied: '[This Quarter]'."""
    t = supplied_title(ed, article, kinds)
    return f"[{t}]" if t else None


def _letters(s: str | None) -> str:
    return "".join(c for c in (s or "").casefold() if c.isalnum())


def title_paragraphs(ed: dict, article: dict, kinds: dict) -> list[str]:
    """The heading paragraphs that print the article's title: its first paragraph when a heading,
    and the second when it is part of the title or section too (the title under a kicker, a title
    printed on two lines); a deck under a newspaper's headline is a heading inside the article."""
    pids = [pid for pid in article.get("paragraphs", [])[:2] if kinds.get(pid) == "heading"]
    if len(pids) < 2 or pids[0] != article["paragraphs"][0]:
        return pids[:1] if pids and pids[0] == article["paragraphs"][0] else pids
    text = {p["id"]: p["text"] for p in ed["paragraphs"] if p["id"] == pids[1]}
    second = _letters(text.get(pids[1]))
    named = _letters(article.get("title")) + " " + _letters(article.get("section"))
    return pids if second and second in named else pids[:1]
