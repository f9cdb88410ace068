"""Articles: the reading paragraphs grouped into the articles of the issue, and a contents page.

Runs after reflow (and correction). Evidence, never a list of words:

* printed headings (reflow's ``heading`` paragraphs: capitals, short Title Case lines, centred
  lines before a text block); a short heading right above another one is a kicker or section label;
* bylines: ``By …`` under the title, a name line under the title, or a name line closing the
  article (``— John Smith``);
* the recto running heads (furniture) that name the current article or section, and where the
  running head changes;
* a contents page: lines that end in page numbers counting up; it becomes ``contents`` and its
  paragraphs are not body text (kind ``contents``).

Text before the first title belongs to an article whose title is the recto running head of its
pages, or ``None``: a title is never invented. Titles and bylines are paragraphs of their own
(kind ``heading`` / ``byline``), part of the article, never body text and never furniture. When the
input carries a logical structure (``Document.structure``, e.g. from METS) it is used as given.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from rapidfuzz import fuzz

from .headings import (CREDIT, SAME_TYPE, caps_share, centred, edge_scrap, line_boxes, line_size, over_page,
                       quoted, section_head, type_sizes)
from .bylines import NAME, is_closing_name as _is_closing_name, is_name_line as _is_name_line
from .furniture import BYLINE, head_key, is_headlike
from .contracts import stage
from .model import Document

STAGE = "articles"
REQUIRES = ("reflow",)
ASSIGNS = ("articles", "contents", "paragraphs.kind")

TOC_LINE = re.compile(r"^(?P<title>\S.*?\S)[\s.·…_]{2,}(?P<page>\d{1,4})\s*$")
TALL = 0.05  # a line box taller than this share of the page is an OCR artefact, no line
BIG_TYPE = 1.25  # a title's type size over the page's usual size
SMALL = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def _is_byline(text: str) -> bool:
    return bool(BYLINE.match(text.strip()))


def _title_case(s: str) -> str:
    """A head printed in capitals in Title Case ('THIS QUARTER' -> 'This Quarter'); others as printed."""
    words = s.split()
    if not words or any(c.islower() for c in s):
        return " ".join(words)
    return " ".join(w.lower() if (i and w.lower() in SMALL) else w[:1] + w[1:].lower()
                    for i, w in enumerate(words))


def _head_text(text: str) -> str:
    """A running head without its folio: '12 THE NORTHERN REVIEW' -> 'THE NORTHERN REVIEW'."""
    return re.sub(r"^\s*[0-9lIOS]{1,4}\s+|\s+[0-9lIOS]{1,4}\s*$", "", text).strip()


def recto_heads(doc: Document) -> dict[int, str]:
    """Page index -> the running head that names the article or section on that page.

    The journal's own title repeats on the verso pages (metadata.title); a head that differs from
    it names what the page belongs to."""
    journal = head_key(doc.metadata.title or "")
    out: dict[int, str] = {}
    for page in doc.pages:
        for f in page.furniture:
            if f.kind != "running-head":
                continue
            head = _head_text(f.text)
            key = head_key(head)
            if len(key) < 3 or (journal and fuzz.ratio(key, journal) >= 85):
                continue
            out[page.index] = _title_case(head)
            break
    return out


# ----------------------------------------------------------------------------------------------
# contents page


def _contents_pages(doc: Document) -> dict[int, list[dict]]:
    """Pages whose body is mostly lines ending in page numbers that count up: a table of contents."""
    found: dict[int, list[dict]] = {}
    for page in doc.pages:
        body = [ln for ln in page.lines if ln.kind == "body"]
        if len(body) < 3:
            continue
        entries = []
        for ln in body:
            m = TOC_LINE.match(ln.str.strip())
            if m and re.search(r"[^\W\d_]{3,}", m.group("title")):
                entries.append({"title": m.group("title").strip(" .·…"), "page": int(m.group("page")),
                                "line": ln.no})
        pages = [e["page"] for e in entries]
        rising = sum(1 for a, b in zip(pages, pages[1:]) if b >= a)
        if len(entries) >= 3 and len(entries) >= 0.5 * len(body) and rising >= 0.8 * (len(pages) - 1):
            found[page.index] = entries
    return found


def _split_author(title: str) -> tuple[str, str | None]:
    """'The Long Winter, by John Smith' / 'John Smith: The Long Winter' -> (title, author)."""
    m = re.match(r"^(.*?)[,.]?\s+(?:by|By|BY)\s+(.+)$", title)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    m = re.match(rf"^((?:{NAME})(?:\s+(?:{NAME})){{1,3}})\s*[:.—–]\s+(.+)$", title)
    if m and any(re.fullmatch(r"[A-Z]\.", w) for w in m.group(1).split()):
        return m.group(2).strip(), m.group(1).strip()
    return title, None


# ----------------------------------------------------------------------------------------------
# the stage


def _structure_articles(doc: Document, structure: list[dict]) -> list[dict]:
    """Articles from a logical structure given with the input (METS), used as given: a paragraph
    belongs to the division whose raw-text spans hold its first character (``spans``: [page, start,
    end]), else to the division listing its page; one outside every division goes with the
    paragraph before it. Divisions keep their order of first appearance in the reading text."""
    where: list[tuple[int, int, int, int]] = []  # (page, start, end, division index)
    on_page: dict[int, int] = {}
    for k, s in enumerate(structure):
        for pg, a, b in s.get("spans") or []:
            where.append((pg, a, b, k))
        for pg in s.get("pages", []):
            on_page.setdefault(pg, k)
    arts: dict[int, dict] = {}
    order: list[dict] = []
    last: dict | None = None
    for p in doc.paragraphs:
        if p.kind == "contents":
            continue
        first = next((pc for pc in p.text.pieces if pc.text.strip()), None)
        k = None
        if first is not None:
            hits = [(b - a, d) for pg, a, b, d in where if pg == first.page and a <= first.start < b]
            k = min(hits)[1] if hits else (None if where else on_page.get(first.page))
        if k is None:
            if last is None:
                last = {"id": f"a{len(order) + 1}", "title": None, "byline": None, "section": None,
                        "pages": [], "paragraphs": []}
                order.append(last)
            last["paragraphs"].append(p.id)
            continue
        if k not in arts:
            s = structure[k]
            arts[k] = {"id": s.get("id") or f"a{len(order) + 1}", "title": s.get("title"),
                       "byline": s.get("byline"), "section": s.get("section"), "pages": [], "paragraphs": []}
            order.append(arts[k])
        last = arts[k]
        last["paragraphs"].append(p.id)
    by_id = {p.id: p for p in doc.paragraphs}
    for a in order:
        pages: list[int] = []
        for pid in a["paragraphs"]:
            for pg in by_id[pid].pages():
                if pg not in pages:
                    pages.append(pg)
        a["pages"] = [doc.page_label(i) for i in sorted(pages)]
    return order


@stage("articles", requires=("doc.paragraphs", "paragraph.kind"), assigns=("doc.articles", "doc.contents"))
def detect_articles(doc: Document) -> Document:
    """Stage: group the paragraphs into articles; mark bylines and contents paragraphs."""
    contents_pages = _contents_pages(doc)
    doc.contents = []
    for pi, entries in contents_pages.items():
        for e in entries:
            title, author = _split_author(e["title"])
            doc.contents.append({"title": title, "author": author, "page": e["page"],
                                 "source_page": doc.page_label(pi)})
    for p in doc.paragraphs:
        pages = p.pages()
        if pages and all(pg in contents_pages for pg in pages):
            p.kind = "contents"
    structure = getattr(doc, "structure", None)
    if structure:
        doc.articles = _structure_articles(doc, structure)
        doc.stages.append(STAGE)
        return doc
    heads = recto_heads(doc)
    paras = [p for p in doc.paragraphs if p.kind != "contents"]
    big, small, size = _headings_in_big_type(doc, paras)
    aside, centre = _layout(doc, paras, big)
    sections = {p.id for p in paras if p.id in centre and section_head(p.text.text)}
    pages_of = {p.id: p.pages() for p in doc.paragraphs}
    # do the running heads name articles (they repeat printed titles) or sections?
    printed = {head_key(p.text.text) for p in paras if p.kind == "heading"}
    named = any(head_key(h) in printed for h in heads.values())
    articles: list[dict] = []
    cur: dict | None = None

    def new(title=None, evidence="heading", section=None) -> dict:
        a = {"id": f"a{len(articles) + 1}", "title": title, "byline": None, "section": section,
             "pages": [], "paragraphs": [], "evidence": evidence, "_start": _placement(paras, i, pages_of)}
        articles.append(a)
        return a

    i = 0
    while i < len(paras):
        p = paras[i]
        text = p.text.text.strip()
        pg = pages_of[p.id][0] if pages_of[p.id] else None
        if p.id in aside:
            # a scrap of the facing page, the paper's name over the page: text where the OCR reads it, no title
            if cur is None:
                title = heads.get(pg) if pg is not None else None
                cur = new(title, "running-head" if title else "none")
            cur["paragraphs"].append(p.id)
            i += 1
            continue
        if p.kind in ("heading", "paragraph") and cur is not None and _is_closing_name(text):
            # '— J. R. Ashby' closing the article: its byline; the next heading opens another article
            p.kind = "byline"
            if cur["byline"] is None:
                cur["byline"] = text.lstrip("—–- ").strip()
            cur["paragraphs"].append(p.id)
            cur["_closed"] = True
            i += 1
            continue
        if (p.kind == "heading" and cur is not None and cur.get("_stack") and not _is_byline(text)
                and not _larger(size, p.id, cur["paragraphs"][0])):
            # a deck: a heading right under the headings that opened the article, no text between
            # (in type no larger than theirs)
            cur["paragraphs"].append(p.id)
            i += 1
            continue
        if p.kind == "heading" and not _is_byline(text) and _can_title(doc, text):
            # kicker / section label over the title: two headings in a row
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            section = None
            two_line = (nxt is not None and nxt.kind == "heading" and _can_title(doc, nxt.text.text)
                        and not _is_byline(nxt.text.text) and not _is_name_line(nxt.text.text)
                        and (text.endswith((":", ",", ";")) or nxt.text.text.strip()[:1].islower()))
            if two_line:
                # a title printed on two lines ('Beantwortung der Frage:' / 'Was ist Aufklärung?')
                cur = new(_title_case(_tidy(text + " " + nxt.text.text.strip())), "heading")
                cur["paragraphs"] += [p.id, nxt.id]
                i += 2
                i = _take_byline(paras, i, cur)
                continue
            if (nxt is not None and nxt.kind == "heading" and not _is_byline(nxt.text.text)
                    and _can_title(doc, nxt.text.text) and len(text) <= 40 and not text.endswith((".", ":", ";", ","))
                    and not _larger(size, p.id, nxt.id)
                    and _starts_article(paras, i + 1, cur, heads, named, big, pages_of, small, sections)):
                section = _title_case(text)
                i += 1
                p = nxt
                text = p.text.text.strip()
            if cur is None or _starts_article(paras, i, cur, heads, named, big, pages_of, small, sections) or section:
                cur = new(_title_case(_tidy(text)), "heading", section)
                cur["paragraphs"] += [x.id for x in paras[i - (1 if section else 0): i + 1]]
                cur["_stack"] = True
                i += 1
                i = _take_byline(paras, i, cur)
                continue
        if _is_byline(text) and len(text) < 60:
            p.kind = "byline"
            if cur is not None and cur["byline"] is None:
                cur["byline"] = re.sub(r"^(?:By|BY|by)\s+", "", text)
        if cur is None:
            title = heads.get(pg) if pg is not None else None
            cur = new(title, "running-head" if title else "none")
        elif (pg is not None and pg in heads and cur["evidence"] != "heading" and cur["title"]
              and heads[pg] != cur["title"] and _changes_head(heads, pg, cur["title"])):
            cur = new(heads[pg], "running-head")  # the running head changed: another article
        cur["paragraphs"].append(p.id)
        if p.kind != "heading":
            cur["_stack"] = False
        for k in pages_of[p.id]:
            if k in heads and k != pg:  # a page this article runs onto: its running head names it
                cur.setdefault("_heads", set()).add(heads[k])
        i += 1
    # an author's name closing an article
    by_id = {p.id: p for p in doc.paragraphs}
    for a in articles:
        if a["byline"] is None and len(a["paragraphs"]) >= 3:
            last = by_id[a["paragraphs"][-1]]
            if _is_name_line(last.text.text):
                last.kind = "byline"
                a["byline"] = last.text.text.strip().lstrip("—–- ").strip()
    for a in articles:
        pages: list[int] = []
        for pid in a["paragraphs"]:
            for pg in pages_of[pid]:
                if pg not in pages:
                    pages.append(pg)
        a["pages"] = [doc.page_label(i) for i in pages]
        if a["title"] is None and a["section"] is None:
            hs = Counter(heads[i] for i in pages if i in heads)
            if hs:
                a["title"] = hs.most_common(1)[0][0]
                a["evidence"] = "running-head"
    doc.articles = [{k: a[k] for k in ("id", "title", "byline", "section", "pages", "paragraphs")}
                    for a in articles]
    doc.stages.append(STAGE)
    return doc


def _can_title(doc: Document, text: str) -> bool:
    """A heading can title an article unless it is a number or a date ('1784.', 'III') or the
    journal's own name (the masthead)."""
    if len(re.findall(r"[^\W\d_]", text)) < 4 or quoted(text):
        return False  # a quotation or a signature in quotation marks ('"AN ODD FELLOW."') is no title
    journal = head_key(doc.metadata.title or "")
    return not journal or fuzz.ratio(head_key(text), journal) < 85


def _headings_in_big_type(doc: Document, paras) -> tuple[set[str], set[str], dict[str, float]]:
    """Type sizes of the short paragraphs (font sizes from ALTO, hOCR, PAGE): (the ids of the
    headings in large type, at least BIG_TYPE times the page's usual size: a one-line paragraph so
    set becomes a heading; the ids of the headings in text type on pages with at least two headings
    in large type, i.e. subheadings; the type size of each short paragraph's first line)."""
    med = type_sizes(doc)
    big: set[str] = set()
    size: dict[str, float] = {}
    if not med:
        return big, set(), size
    starts: dict[int, list[int]] = {}
    lines_of: dict[str, list] = {}
    for p in paras:
        if p.kind not in ("paragraph", "heading") or len(p.text.text) > (200 if p.kind == "heading" else 80):
            continue
        lines = _para_lines(doc, p, starts)
        if not lines or lines[0].page not in med:
            continue
        page = doc.pages[lines[0].page]
        lines = [ln for ln in lines if len(ln.str.strip()) >= 4]  # less specks of noise ('. m')
        sizes = [line_size(doc, ln) for ln in lines]
        if not sizes or not sizes[0]:
            continue
        size[p.id] = sizes[0]
        lines_of[p.id] = lines
        if (len(lines) == 1 or p.kind == "heading") and all(s and s >= BIG_TYPE * med[page.index] for s in sizes):
            big.add(p.id)
            if p.kind == "paragraph" and len(lines) == 1:
                p.kind = "heading"
    on_page = Counter(lines_of[pid][0].page for pid in big)
    small = {p.id for p in paras if p.kind == "heading" and p.id in size and p.id not in big
             and on_page[lines_of[p.id][0].page] >= 2 and size[p.id] < BIG_TYPE * med[lines_of[p.id][0].page]}
    return big, small, size


def _para_lines(doc: Document, p, starts: dict[int, list[int]]) -> list:
    """The page lines of a paragraph's verbatim text (one page), in order; [] otherwise."""
    verbatim = [pc for pc in p.text.pieces if pc.edit is None and pc.text.strip()]
    if not verbatim or len({pc.page for pc in verbatim}) != 1:
        return []
    page = doc.pages[verbatim[0].page]
    at = starts.get(page.index)
    if at is None:
        at = starts[page.index] = [ln.start for ln in page.lines]
    return sorted({page.lines[k] for pc in verbatim if (k := bisect_right(at, pc.start) - 1) >= 0},
                  key=lambda ln: ln.no)


def _layout(doc: Document, paras, big: set[str]) -> tuple[set[str], set[str]]:
    """Geometry (where the format gives line boxes and the page width): (the ids of the short
    paragraphs that are scraps of the facing page at the gutter edge, or headings printed over the
    page above every other line and centred on it, not in large type (``big``): the paper's name,
    no title; the ids of the headings centred over the column of the text under them). A one-line
    paragraph in capitals so centred becomes a heading. The page's top: its highest line, scraps and
    boxes taller than ``TALL`` of the page (OCR artefacts) aside."""
    aside: set[str] = set()
    centre: set[str] = set()
    if not any(isinstance(pg.info, dict) and pg.info.get("width") and pg.info.get("lines") for pg in doc.pages):
        return aside, centre
    starts: dict[int, list[int]] = {}
    tops: dict[int, list[tuple[float, int]]] = {}
    for i, p in enumerate(paras):
        if p.kind not in ("heading", "paragraph") or len(p.text.text) > 200:
            continue
        lines = _para_lines(doc, p, starts)
        boxes = line_boxes(doc, lines)
        if not boxes:
            continue
        page = doc.pages[lines[0].page]
        width = page.info.get("width")
        if edge_scrap(boxes, width):
            aside.add(p.id)
            continue
        if p.kind != "heading":
            if (len(lines) == 1 and caps_share(p.text.text) and not CREDIT.match(p.text.text)
                    and i + 1 < len(paras)
                    and centred(boxes, line_boxes(doc, _para_lines(doc, paras[i + 1], starts)))):
                p.kind = "heading"  # one line in capitals centred over the text under it: its title
                centre.add(p.id)
            continue
        if page.index not in tops:
            tops[page.index] = sorted((d["y"], k) for k, d in enumerate(page.info["lines"])
                                      if isinstance(d, dict) and None not in (d.get("x"), d.get("y"), d.get("w"))
                                      and not d.get("blank") and not edge_scrap([d], width)
                                      and d.get("h", 0) <= TALL * (page.info.get("height") or 1e9))
        mine = {ln.no for ln in lines}
        top = next((y for y, k in tops[page.index] if k not in mine), None)
        if p.id not in big and over_page(boxes, top, width):
            aside.add(p.id)
        elif i + 1 < len(paras) and centred(boxes, line_boxes(doc, _para_lines(doc, paras[i + 1], starts))):
            centre.add(p.id)
    return aside, centre


def _larger(size: dict[str, float], a: str, b: str) -> bool:
    """The heading ``a`` is set in larger type than ``b`` (a headline over its deck, not a kicker)."""
    return a in size and b in size and size[a] > SAME_TYPE * size[b]


SPECK = re.compile(r"^(?:[^\w\s]+\s+(?:[^\W\d_]\s+)?)+")  # '. m ' before a title: OCR specks


def _tidy(text: str) -> str:
    """'Frage :' -> 'Frage:' (OCR and ground truth put spaces before punctuation); specks of noise
    before the first word ('. m Beantwortung') dropped."""
    return SPECK.sub("", re.sub(r"\s+([.,:;!?])", r"\1", " ".join(text.split())))


def _take_byline(paras, i: int, cur: dict) -> int:
    """A byline right under the title becomes the article's byline; returns the next index."""
    if i < len(paras) and (_is_byline(paras[i].text.text) or (
            paras[i].kind == "heading" and _is_name_line(paras[i].text.text))):
        paras[i].kind = "byline"
        cur["byline"] = re.sub(r"^(?:By|BY|by)\s+", "", paras[i].text.text.strip())
        cur["paragraphs"].append(paras[i].id)
        i += 1
    return i


def _starts_article(paras, i: int, cur: dict | None, heads: dict[int, str] | None = None,
                    heads_name_articles: bool = True, big: set[str] = frozenset(),
                    pages_of: dict | None = None, small: set[str] = frozenset(),
                    sections: set[str] = frozenset()) -> bool:
    """Does the heading at ``i`` open a new article (not a subheading inside one)?

    A title over a byline, a title in capitals, a heading at the top of the text of a page whose
    running head changes, or any heading while no article is open. A heading in text type on a page
    whose titles are set in display type (``small``) is a subheading; a short section head in
    capitals centred over its column (``sections``: 'LOCAL.', 'DIED.') opens an article."""
    if cur is None or cur.get("_closed"):
        return True  # nothing open, or the article before was closed by its author's name
    p = paras[i]
    if p.id in small:
        return _short_item(paras, i)  # a subheading, unless a short notice stands under it
    text = p.text.text.strip()
    nxt = paras[i + 1] if i + 1 < len(paras) else None
    if nxt is not None and (_is_byline(nxt.text.text) or (nxt.kind == "heading" and _is_name_line(nxt.text.text))):
        return True
    letters = [c for c in text if c.isalpha()]
    if re.fullmatch(r"[IVXLC]+\.?|\d+\.?|[IVXLC]+\.\s.*", text):
        return False  # a numbered part: I, II, 3.
    if cur.get("evidence") in ("running-head", "none") and heads and _inside_headed(paras, i, cur, heads, pages_of):
        return False  # the running heads before and after name the open article: a subheading
    if heads and p.id not in big:
        before, after = _heads_around(paras, i, heads, pages_of)
        if before and after:
            if _same_head(before[0], after[0]):
                return False  # the same running head before and after it: a subheading inside
            start = cur.get("_start")
            if heads_name_articles and _same_head(cur.get("title"), after[0]):
                return False  # the article the new running head names is the one open
            if start is not None and (start[0] > before[1] or (start[0] == before[1] and not start[1])):
                return False  # one change of running head, one new article: it opened after the head before
            if heads_name_articles:
                # the running head changes: the article it names opens at its printed title
                if _same_head(text, after[0]):
                    return True
                return not any(q.kind == "heading" and _same_head(q.text.text, after[0])
                               for q in paras[i + 1:] if _first_page(q, pages_of) <= after[1])
            return True  # the section named by the running head changes here
    if cur.get("evidence") != "heading":
        return True  # text so far had no printed title: a printed heading starts the next article
    if p.id in big:
        return True  # a title in large type
    if heads:
        pages_of = pages_of or {p.id: p.pages()}
        pg = pages_of[p.id][0] if pages_of.get(p.id) else None
        after = [heads[k] for k in sorted(heads) if pg is not None and k > pg][:2]
        mine = cur.get("_heads") or set()
        if heads_name_articles:
            # the recto running head names the article: a heading after which it changes opens a new one
            if after and mine:
                if set(after) & mine:
                    return False
                # the head changes after this page: the article it names opens here if this is its
                # printed title, or if its title is printed nowhere further on
                coming = head_key(after[0])
                if fuzz.ratio(head_key(text), coming) >= 85:
                    return True
                return not any(q.kind == "heading" and fuzz.ratio(head_key(q.text.text), coming) >= 85
                               for q in paras[i + 1:])
            if after and cur.get("title"):
                return fuzz.ratio(head_key(after[0]), head_key(cur["title"])) < 85
        elif after and mine and not set(after) & mine:
            return True  # the section named by the running head changes: another article
    return bool(letters) and ((is_headlike(text) and len(letters) >= 8) or p.id in sections)


SHORT_ITEM = 300  # characters: the text under a display line of an advertisement or notice


def _short_item(paras, i: int) -> bool:
    """The heading at ``i`` heads a short item of its own (an advertisement, a notice): the text
    under it is one short paragraph, followed by the end or another heading. A subheading inside
    a story is followed by more of the story."""
    nxt = paras[i + 1] if i + 1 < len(paras) else None
    after = paras[i + 2] if i + 2 < len(paras) else None
    return (nxt is not None and nxt.kind == "paragraph" and len(nxt.text.text) <= SHORT_ITEM
            and (after is None or after.kind == "heading"))


def _first_page(p, pages_of: dict | None) -> int | None:
    pgs = (pages_of or {}).get(p.id) or p.pages()
    return pgs[0] if pgs else None


def _same_head(a: str | None, b: str | None) -> bool:
    return bool(a and b) and fuzz.ratio(head_key(a), head_key(b)) >= 85


def _heads_around(paras, i: int, heads: dict[int, str], pages_of: dict | None):
    """The recto running heads, as ``(head, page)``, in force before the heading at ``i`` and after
    it: the nearest head on a page before (or on its own page, when text of that page comes before
    it) and the nearest on a page after (or on its own page, when it opens the page's text: a page's
    head names what the page begins with). ``None`` for a side with no head (the issue's first or
    last pages)."""
    pg, at_top = _placement(paras, i, pages_of)
    if pg is None:
        return None, None
    before = [(heads[k], k) for k in sorted(heads) if k < pg or (k == pg and not at_top)]
    after = [(heads[k], k) for k in sorted(heads) if k > pg or (k == pg and at_top)]
    return (before[-1] if before else None), (after[0] if after else None)


def _placement(paras, i: int, pages_of: dict | None) -> tuple[int | None, bool]:
    """The page the paragraph at ``i`` begins on, and whether it opens that page's text."""
    pg = _first_page(paras[i], pages_of)
    prev = ((pages_of or {}).get(paras[i - 1].id) or paras[i - 1].pages() or [None])[-1] if i > 0 else None
    return pg, (pg is not None and (prev is None or prev < pg))


def _inside_headed(paras, i: int, cur: dict, heads: dict[int, str], pages_of: dict | None) -> bool:
    """The heading at ``i`` stands on a page whose running heads, there and on the next two headed
    pages, all name the article open since its running head (not a printed title)."""
    p = paras[i]
    pgs = (pages_of or {}).get(p.id) or p.pages()
    if not pgs:
        return False
    on = {k for pid in cur["paragraphs"] for k in (pages_of or {}).get(pid, ())}
    names = {head_key(h) for h in ({cur.get("title")} | set(cur.get("_heads") or ())
                                   | {heads[k] for k in on if k in heads}) if h}
    after = [heads[k] for k in sorted(heads) if k >= pgs[0]][:2]
    return bool(names and after) and all(
        any(fuzz.ratio(head_key(h), n) >= 85 for n in names) for h in after)


def _changes_head(heads: dict[int, str], pg: int, title: str) -> bool:
    """The running head of page ``pg`` names another article, and keeps doing so (not a one-off)."""
    later = [heads[i] for i in sorted(heads) if i >= pg][:2]
    return bool(later) and all(h != title for h in later)


