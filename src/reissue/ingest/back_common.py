"""What the writers of corrected ALTO and PAGE share (:mod:`.writeback`): the letter
edits of a page narrowed to what they change, a word's corrected text, the lines reflow joined,
the pairing of a file's lines with the page's raw lines, namespaces, and the role of each line."""

from __future__ import annotations

import bisect
from array import array
from typing import Iterator, NamedTuple

from ..chars import LINE_END_HYPHENS
from .common import local

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
ALTO_XSD = "http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
PAGE_XSD = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# namespaces of the formats themselves (any version): moved to the version written
OWN_NAMESPACES = ("{http://www.loc.gov/standards/alto", "{http://schema.primaresearch.org/PAGE", "{http://bibnum.bnf.fr",
                  "{http://schema.ccs-gmbh.com/ALTO")  # CCS docWorks ALTO 1.x (Chronicling America)
# reissue's furniture kinds as the region labels of ALTO tags and PAGE region types
ROLE_LABEL = {"folio": "page-number", "running-head": "header", "running-foot": "footer",
              "marginalia": "marginalia", "catch-word": "catch-word", "signature-mark": "signature-mark"}
LETTER_STAGES = ("correct", "review", "normalize", "ingest")


class _Change(NamedTuple):
    start: int
    end: int
    after: str


def _narrowed(e) -> _Change:
    """An edit without the letters it leaves as they were at its ends (``fighting1`` -> ``fighting`` is
    the removal of ``1``), so that it falls inside the one ALTO ``String`` it changes."""
    b, a = e.before, e.after
    p = 0
    while p < min(len(b), len(a)) and b[p] == a[p]:
        p += 1
    q = 0
    while q < min(len(b), len(a)) - p and b[len(b) - 1 - q] == a[len(a) - 1 - q]:
        q += 1
    if p + q >= len(b) and len(b):  # keep one printed letter: an insertion belongs to the word it extends
        if q:
            q -= 1
        else:
            p -= 1
    return _Change(e.start + p, e.end - q, a[p:len(a) - q])


class PageEdits(list):
    """A page's narrowed letter edits in the order of their starts, which finds the few that may touch a span by
    bisection: the writers ask for each word of the page, and a page may have thousands of words and edits."""

    def __init__(self, edits=()):
        super().__init__(sorted(edits, key=lambda x: x.start))
        self._starts = [x.start for x in self]
        self._reach = max((x.end - x.start for x in self), default=0)  # the longest edit

    def near(self, s: int, e: int) -> list:
        """The edits with ``start <= e`` and ``end >= s`` (each that touches ``[s, e]``), in order."""
        lo = bisect.bisect_left(self._starts, s - self._reach)
        return [x for x in self[lo:bisect.bisect_right(self._starts, e)] if x.end >= s]


def edits_near(edits: list, s: int, e: int) -> list:
    """The edits of ``edits`` that may touch ``[s, e]``: those a PageEdits finds, else all of them."""
    return edits.near(s, e) if isinstance(edits, PageEdits) else edits


class WriteEdits(dict):
    """What the writers read of a document's edits, gathered in one pass: page index -> the ``PageEdits`` of its
    active letter edits (what is written), and ``every``: page index -> the places in ``doc.edits`` of all its
    edits, in order (the line joins and the compounds the writers mark: ``_joins``, ``_keeps``; 8 bytes an edit)."""

    def __init__(self, doc):
        letters: dict[int, list] = {}
        self.every: dict[int, array] = {}
        for i, e in enumerate(doc.edits):
            places = self.every.get(e.page)
            if places is None:
                places = self.every[e.page] = array("q")
            places.append(i)
            if e.superseded_by is None and e.stage in LETTER_STAGES and e.before != e.after:
                letters.setdefault(e.page, []).append(_narrowed(e))
        super().__init__({page: PageEdits(lst) for page, lst in letters.items()})


def _edits_on(doc, page, edits) -> Iterator:
    """Every edit of ``doc`` on ``page``, in order: from ``edits`` when it is a WriteEdits, else found."""
    if isinstance(edits, WriteEdits):
        every = doc.edits
        return (every[i] for i in edits.every.get(page.index, ()))
    return (e for e in doc.edits if e.page == page.index)


def corrected_word(raw: str, s: int, e: int, edits: list) -> tuple[str | None, int]:
    """``raw[s:e]`` with the edits inside it applied (None when none), and how many edits cross its ends."""
    edits = edits_near(edits, s, e)
    inside = [x for x in edits if s <= x.start and x.end <= e and not (x.start == x.end == e)]
    crossing = sum(1 for x in edits if x.start < e and x.end > s and not (s <= x.start and x.end <= e))
    if not inside:
        return None, crossing
    text = raw[s:e]
    for x in sorted(inside, key=lambda x: -x.start):
        text = text[:x.start - s] + x.after + text[x.end - s:]
    return text, crossing


def _line_break(s: str) -> int:
    """The index of the first line break (``\\n`` or ``\\r``) in ``s``; -1 when it has none."""
    return min((k for k in (s.find("\n"), s.find("\r")) if k >= 0), default=-1)


def kept_hyphen(before: str, after: str) -> bool:
    """An edit over a line-end hyphen that keeps the hyphen and only the line break goes (``Bedford-\\nrow`` ->
    ``Bedford-row``: a correction that split the word reflow had joined there, at the hyphen): a compound."""
    i = _line_break(before)
    if i < 1 or before[i - 1] not in LINE_END_HYPHENS:
        return False
    j = i + 1 + (before[i:i + 2] == "\r\n")
    return after == before[:i] + before[j:]


def _fewer_words(before: str, after: str) -> bool:
    """An edit over a line end that leaves the word split there joined (``Ray-\\nmood`` -> ``Raymond``,
    ``Unmüne\\ndigkeit`` -> ``Unmündigkeit``), not split (``now-\\nknown`` -> ``now known``)."""
    return len(after.split()) < len(before.split())


def _joins(doc, page, edits=None) -> set[int]:
    """Raw line numbers of ``page`` whose last word the edition joins with the next line's first:
    reflow's hyphen joins (also those a correction of the joined word took over: ``Ray-\\nmood`` ->
    ``Raymond``, but not one a correction split again: ``now-\\nknown`` -> ``now known``), and
    corrections that merge two words over a line end (``Unmüne\\ndigkeit`` -> ``Unmündigkeit``); ``edits``: the
    write-back's WriteEdits (else the page's edits are found)."""
    every = doc.edits

    def joined(e) -> bool:
        if e.superseded_by is None:
            return True
        # an edit's id is its place in doc.edits (Document.record)
        sup = every[e.superseded_by] if 0 <= e.superseded_by < len(every) else None
        return (sup is not None and sup.superseded_by is None and sup.stage in LETTER_STAGES
                and _fewer_words(sup.before, sup.after) and not kept_hyphen(sup.before, sup.after))

    line_of = _line_finder(page)
    out = set()
    for e in _edits_on(doc, page, edits):
        no = None
        if e.rule == "hyphen-join" and joined(e):
            no = line_of(e.start)
        elif (e.superseded_by is None and e.stage in LETTER_STAGES and ("\n" in e.before or "\r" in e.before)
              and _fewer_words(e.before, e.after) and not kept_hyphen(e.before, e.after)):
            no = line_of(e.start + _line_break(e.before))
        if no is not None:
            out.add(no)
    return out


def _keeps(doc, page, edits=None) -> set[int]:
    """Raw line numbers of ``page`` whose line-end hyphen reflow kept as a compound's (``fellow-`` +
    ``travelers``; not a suspended hyphen), for the writers to say so in the file (``edits``: as ``_joins``)."""
    line_of = _line_finder(page)
    out = set()
    for e in _edits_on(doc, page, edits):
        if e.rule == "hyphen-keep" and e.superseded_by is None and e.after == "-":
            no = line_of(e.start)
        elif e.superseded_by is None and e.stage in LETTER_STAGES and kept_hyphen(e.before, e.after):
            no = line_of(e.start + _line_break(e.before) - 1)  # (a correction that split the word at the hyphen)
        else:
            continue
        if no is not None:
            out.add(no)
    return out


def _line_finder(page):
    """``line_of(pos)``: the number of the first raw line of ``page`` whose span (its line end included) holds
    ``pos``, or None; found by bisection (a page may have thousands of lines and of edits to place)."""
    lines = list(page.lines)
    starts = [ln.start for ln in lines]

    def line_of(pos: int) -> int | None:
        i = bisect.bisect_right(starts, pos) - 1
        while i > 0 and lines[i - 1].eol_end >= pos:  # the line before ends where this one starts
            i -= 1
        return lines[i].no if i >= 0 and lines[i].start <= pos <= lines[i].eol_end else None
    return line_of


class Group(NamedTuple):
    """Words ``first``..``stop - 1`` of a line that the edition reads as ``words`` (a merge, a split, a
    word removed or letters moved between words); ``ocr`` is the OCR's reading of their span."""
    first: int
    stop: int
    words: list
    ocr: str
    one_to_one: bool = True  #: each of the words is one of the Strings (none printed without a space between)


def regroup(raw: str, spans: list, edits: list, skip=frozenset()) -> list[Group]:
    """The groups of a line's words (``spans``: their raw ``(start, end)`` in order) that corrections
    merge, split, remove or change across their boundaries, each with the words the edition reads
    there. Edits over the line's ends are left to the line-end handling of the writers; a group
    holding a word of ``skip`` (its index) is left as it is."""
    n = len(spans)
    if not n:
        return []
    lo, hi = spans[0][0], spans[-1][1]
    edits = edits_near(edits, lo, hi)
    link = [False] * n  # link[i]: word i and word i + 1 are one group
    for x in edits:
        if x.start < lo or x.end > hi or x.end <= lo or x.start >= hi:
            continue
        touched = [i for i, (a, b) in enumerate(spans) if x.start < b and x.end > a]
        if not touched:  # in the gap between two words (a space removed or changed)
            i = bisect.bisect_right([b for _a, b in spans], x.start) - 1
            if 0 <= i < n - 1:
                link[i] = True
            continue
        i, j = touched[0], touched[-1]
        if x.start < spans[i][0] and i > 0:
            i -= 1
        if x.end > spans[j][1] and j < n - 1:
            j += 1
        for k in range(i, j):
            link[k] = True
    split = [False] * n
    for i, (a, b) in enumerate(spans):  # a word split or removed by an edit inside it
        if (i and link[i - 1]) or link[i]:
            continue
        word, _n = corrected_word(raw, a, b, edits)
        if word is None:
            continue
        if not word.strip() and n > 1:
            link[i - 1 if i else i] = True  # a word removed: written as a merge with its neighbour
        elif word[:1].isspace() and i:
            link[i - 1] = True  # a space put before it: it is split from the word it was part of
        elif word[-1:].isspace() and i < n - 1:
            link[i] = True
        elif len(word.split()) > 1:
            split[i] = True
    # a word printed as several Strings without a space between them is rewritten whole
    glued = [spans[k][1] == spans[k + 1][0] for k in range(n - 1)]
    for order in (range(n - 1), reversed(range(n - 1))):
        for k in order:
            near = (k and link[k - 1]) or link[k] or split[k] or split[k + 1] or (k + 1 < n - 1 and link[k + 1])
            if glued[k] and near:
                link[k] = True
    out = []
    i = 0
    while i < n:
        j = i
        while j < n - 1 and link[j]:
            j += 1
        a, b = spans[i][0], spans[j][1]
        text, _n = corrected_word(raw, a, b, edits)
        words = (text if text is not None else raw[a:b]).split()
        if words and (j > i or split[i]) and not any(k in skip for k in range(i, j + 1)):
            out.append(Group(i, j + 1, words, raw[a:b], one_to_one=len(words) == j - i + 1 and not any(glued[i:j])))
        i = j + 1
    return out


def fresh_id(base: str, ids: set, first: bool) -> str:
    """The id of one part of a regrouped word: ``base`` itself for the first part (it keeps the
    original's id), else the first ``base_2``, ``base_3``... not in ``ids``; recorded in ``ids``."""
    new_id, n = base, 1
    while not first and new_id in ids:
        n += 1
        new_id = f"{base}_{n}"
    ids.add(new_id)
    return new_id


def boxes(x: float, w: float, words: list) -> list[tuple[float, float]]:
    """``(x, width)`` of each of ``words`` dividing the box ``x``..``x + w`` in proportion to their
    letters (a split word: each part gets its share of the box, in reading order)."""
    total = sum(len(t) for t in words) or 1
    out, pos = [], x
    for k, t in enumerate(words):
        ww = w - (pos - x) if k == len(words) - 1 else w * len(t) / total
        out.append((pos, ww))
        pos += ww
    return out


def _match(page, entries, text_of) -> list[tuple]:
    """Pair the parsed lines of a file's page with the page's raw lines (same text, same order)."""
    raw_lines = [ln for ln in page.lines if page.raw[ln.start:ln.end].strip()]
    out, i = [], 0
    for ent in entries:
        t = text_of(ent)
        j = i
        while j < len(raw_lines) and page.raw[raw_lines[j].start:raw_lines[j].end] != t:
            j += 1
        if j == len(raw_lines):
            return []  # the file no longer reads as it did: write nothing rather than misplace words
        out.append((raw_lines[j], ent))
        i = j + 1
    return out


def _retag(root, ns: str):
    """The tree with every element moved into namespace ``ns`` (ALTO v1-v3 -> v4, PAGE 2013 -> 2019)."""
    from lxml import etree

    new = etree.Element(f"{{{ns}}}{local(root)}", nsmap={None: ns, "xsi": XSI, "xlink": "http://www.w3.org/1999/xlink"})
    for k, v in root.attrib.items():
        if not k.startswith(f"{{{XSI}}}"):
            new.set(k, v)
    for child in list(root):
        new.append(child)
    for el in new.iter():
        if isinstance(el.tag, str) and not el.tag.startswith(f"{{{ns}}}"):
            lname = local(el)
            if el.tag.startswith("{") and not el.tag.startswith(OWN_NAMESPACES):
                continue  # foreign elements keep their namespace
            el.tag = f"{{{ns}}}{lname}"
    etree.cleanup_namespaces(new)
    return new


def _tool(generator: dict) -> tuple[str, str, str]:
    model = generator.get("model") or "none (correction off)"
    return generator.get("name", "reissue"), str(generator.get("version", "")), str(model)


def line_roles(doc, page) -> dict[int, str]:
    """Raw line number -> what reissue found the line to be: its furniture kind as a region label
    (folio -> page-number, running-head -> header, ...) or ``footnote`` for the lines of a note."""
    out = {f.line: ROLE_LABEL.get(f.kind, f.kind) for f in page.furniture if f.line is not None and f.line >= 0}
    starts = [ln.start for ln in page.lines]
    for note in doc.footnotes:
        for piece in note.text.pieces:
            if piece.page == page.index and piece.end > piece.start:
                i = bisect.bisect_right(starts, piece.start) - 1
                while 0 <= i < len(page.lines) and page.lines[i].start < piece.end:
                    out.setdefault(page.lines[i].no, "footnote")
                    i += 1
    return out


def _el(tag, text=None, **attrs):
    from lxml import etree

    el = etree.Element(tag, **attrs)
    if text is not None:
        el.text = text
    return el


def _next_line(page, no: int) -> int | None:
    for ln in page.lines[no + 1:]:
        if page.raw[ln.start:ln.end].strip():
            return ln.no
    return None


def crossing(edits: list, a1: int, b1: int, a2: int, b2: int) -> list:
    """The edits inside ``[a1, b2)`` that no single one of the words ``[a1, b1)``, ``[a2, b2)`` holds."""
    return [e for e in edits_near(edits, a1, b2)
            if a1 <= e.start and e.end <= b2 and not e.end <= b1 and not e.start >= a2]


def share_out(word: str, c1: str, c2: str) -> tuple[str, str] | None:
    """The corrected ``word`` of a word printed as ``c1`` + ``c2`` over a line end, shared out over the
    halves: the unchanged end stays with its half, else a cut in proportion; a line-end hyphen inside
    ``c1`` stays there (the writers move it to ``HYP``). None when a half would be empty."""
    h1 = c1[:-1] if c1[-1:] in LINE_END_HYPHENS and len(c1) > 1 else c1
    if word.startswith(h1):
        p1, p2 = h1, word[len(h1):]
    elif word.endswith(c2):
        p1, p2 = word[:len(word) - len(c2)], c2
    else:  # both halves changed: cut where the printed halves meet, in proportion
        cut = round(len(word) * len(h1) / max(1, len(h1) + len(c2)))
        p1, p2 = word[:cut], word[cut:]
    if not p1 or not p2:
        return None
    return p1 + c1[len(h1):], p2
