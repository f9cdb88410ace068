"""edition.tei.xml (TEI P5), written streaming: the header, then each page break and paragraph as it
comes (a paragraph's subtree is built, serialized and dropped), so the whole tree is never in memory.

:func:`iter_tei` yields the bytes; :func:`to_tei` joins them (the same bytes either way).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from lxml import etree

from .chars import XML_UNSAFE, char_name, codepoint, escape_unsafe, has_xml_unsafe
from .edition import LETTER_SPACED_RULE, certainty
from .export_articles import article_starts, paragraph_article, supplied_title
from .labels import issue_numbering
from .notes import callout_end
from .review_trace import change_text, reviewer_counts, reviewer_of

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_DECL = b"<?xml version='1.0' encoding='UTF-8'?>\n"


def issue_label(md: dict) -> str:
    """'Partisan Review, Vol. 6 No. 5 (1939)'."""
    title = md.get("title") or "Untitled periodical"
    numbering = issue_numbering(md)
    return f"{title}, {numbering}" if numbering else title


# ----------------------------------------------------------------------------------------------
# TEI P5


def _t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


class _Mixed:
    """Appends text and elements to an lxml element as mixed content.

    Text is gathered and set once before the next element (or at :meth:`flush`): appending to an
    lxml ``text``/``tail`` copies the whole string each time, which is quadratic in a long paragraph.
    """

    def __init__(self, el):
        self.el = el
        self.buf: list[str] = []

    def text(self, s: str) -> None:
        if not s:
            return
        if has_xml_unsafe(s):  # a character XML cannot hold: <g ref="#char-XXXX"/> (see charDecl)
            pos = 0
            for m in XML_UNSAFE.finditer(s):
                self.text(s[pos:m.start()])
                self.sub("g", ref="#" + _char_id(m.group()))
                pos = m.end()
            self.text(s[pos:])
            return
        self.buf.append(s)

    def flush(self) -> None:
        if not self.buf:
            return
        s = "".join(self.buf)
        self.buf = []
        if len(self.el):
            last = self.el[-1]
            last.tail = (last.tail or "") + s
        else:
            self.el.text = (self.el.text or "") + s

    def sub(self, tag: str, **attrs) -> etree._Element:
        self.flush()
        return etree.SubElement(self.el, _t(tag), {(f"{{{XML_NS}}}id" if k == "xml_id" else k): escape_unsafe(str(v))
                                                   for k, v in attrs.items() if v is not None})


def _put(el, s: str | None) -> etree._Element:
    """Set the text of a new element (characters XML cannot hold become <g>)."""
    m = _Mixed(el)
    m.text(s or "")
    m.flush()
    return el


def _char_id(ch: str) -> str:
    return f"char-{ord(ch):04X}"


def _unsafe_counts(ed: dict) -> dict[str, int]:
    """Characters XML cannot hold -> how often the input had them (raw pages, file names, metadata)
    or an edit wrote them; every text of the edition comes from these."""
    counts: dict[str, int] = {}
    strings = [v for v in ed.get("metadata", {}).values() if isinstance(v, str)]
    for p in ed.get("pages", ()):
        strings += [p.get("raw") or "", p.get("source") or ""]
    edits = ed.get("edits", ())
    items = getattr(edits, "source_items", None)  # a lazy list of Edits: read them, make no edit dict
    strings += [e.after or "" for e in items] if items is not None else [e.get("after") or "" for e in edits]
    for s in strings:
        if has_xml_unsafe(s):
            for m in XML_UNSAFE.finditer(s):
                counts[m.group()] = counts.get(m.group(), 0) + 1
    return counts


def unsafe_characters(ed: dict) -> list[dict]:
    """Characters of the edition that XML cannot hold, with how each export writes them."""
    counts = _unsafe_counts(ed)
    out = []
    for ch in sorted(counts):
        surrogate = 0xD800 <= ord(ch) <= 0xDFFF
        out.append({"char": codepoint(ch), "name": char_name(ch), "count": counts[ch],
                    "json": "kept (\\u escape)",
                    "tei": f'<g ref="#{_char_id(ch)}"/> declared in <charDecl>; \\u{ord(ch):04x} in attributes',
                    "txt_md_html": "U+FFFD (UTF-8 cannot hold a lone surrogate)" if surrogate else "kept"})
    return out


def _ser(el) -> bytes:
    """An element made by :func:`_new` serialized without its namespace declaration, which the
    ``<TEI>`` element around it holds."""
    s = etree.tostring(el, encoding="UTF-8", xml_declaration=False)
    local = etree.QName(el).localname.encode()
    decl = b"<" + local + b' xmlns="' + TEI_NS.encode() + b'"'
    assert s.startswith(decl), s[:80]
    return b"<" + local + s[len(decl):]


def _open_tag(el) -> bytes:
    """``<tag attrs>`` and the children ``el`` has so far, without the end tag."""
    s = _ser(el)
    local = etree.QName(el).localname.encode()
    if s.endswith(b"/>") and len(el) == 0 and not el.text:
        return s[:-2] + b">"
    assert s.endswith(b"</" + local + b">")
    return s[:-len(local) - 3]


def _new(tag: str, attrs: dict | None = None, **kw):
    return etree.Element(_t(tag), attrs or {}, nsmap={None: TEI_NS}, **kw)


class _Level:
    """Elements between paragraphs (page breaks, page furniture): made standalone, then taken as bytes."""

    def __init__(self):
        self.els: list = []

    def sub(self, tag: str, **attrs):
        el = _new(tag, {(f"{{{XML_NS}}}id" if k == "xml_id" else k): escape_unsafe(str(v))
                        for k, v in attrs.items() if v is not None})
        self.els.append(el)
        return el

    def take(self) -> bytes:
        out = b"".join(_ser(el) for el in self.els)
        self.els = []
        return out


def to_tei(ed: dict) -> bytes:
    return b"".join(iter_tei(ed))


def iter_tei(ed: dict) -> Iterator[bytes]:
    """edition.tei.xml in pieces: the XML declaration and ``<TEI>``, the header, then a piece per
    paragraph (with the page breaks before it)."""
    md = ed["metadata"]
    header = _new("teiHeader")
    fd = etree.SubElement(header, _t("fileDesc"))
    ts = etree.SubElement(fd, _t("titleStmt"))
    _put(etree.SubElement(ts, _t("title")), issue_label(md) + ": a reissue edition")
    resp = etree.SubElement(ts, _t("respStmt"))
    etree.SubElement(resp, _t("resp")).text = "OCR clean-up, reflow and correction"
    etree.SubElement(resp, _t("name")).text = f"reissue {ed['generator']['version']}"
    ps = etree.SubElement(fd, _t("publicationStmt"))
    etree.SubElement(ps, _t("p")).text = (f"Generated by reissue {ed['generator']['version']} on "
                                          f"{date.today().isoformat()} from the OCR text of the source pages.")
    sd = etree.SubElement(fd, _t("sourceDesc"))
    bibl = etree.SubElement(sd, _t("biblStruct"))
    monogr = etree.SubElement(bibl, _t("monogr"))
    _put(etree.SubElement(monogr, _t("title"), level="j"), md.get("title") or "Unknown")
    imprint = etree.SubElement(monogr, _t("imprint"))
    if md.get("volume") is not None:
        etree.SubElement(imprint, _t("biblScope"), unit="volume").text = str(md["volume"])
    if md.get("number") is not None:
        etree.SubElement(imprint, _t("biblScope"), unit="issue").text = str(md["number"])
    if md.get("page_count") is not None:
        etree.SubElement(imprint, _t("biblScope"), unit="page", n=str(md["page_count"])).text = f"{md['page_count']} pages"
    if md.get("year") is not None:
        etree.SubElement(imprint, _t("date"), when=str(md["year"])).text = str(md["year"])
    else:
        etree.SubElement(imprint, _t("date")).text = "unknown"
    enc = etree.SubElement(header, _t("encodingDesc"))
    app_info = etree.SubElement(enc, _t("appInfo"))
    app = etree.SubElement(app_info, _t("application"), {"ident": "reissue", "version": ed["generator"]["version"],
                                                         f"{{{XML_NS}}}id": "reissue"})
    etree.SubElement(app, _t("label")).text = "reissue"
    etree.SubElement(app, _t("desc")).text = ("Stages: " + ", ".join(ed["generator"].get("stages", []))) or "reissue"
    unsafe = sorted(_unsafe_counts(ed))
    if unsafe:
        decl = etree.SubElement(enc, _t("charDecl"))
        for ch in unsafe:
            c = etree.SubElement(decl, _t("char"), {f"{{{XML_NS}}}id": _char_id(ch)})
            etree.SubElement(c, _t("charName")).text = char_name(ch)
            etree.SubElement(c, _t("mapping"), type="Unicode").text = codepoint(ch)
            etree.SubElement(c, _t("note")).text = ("a character of the source text that XML cannot hold, "
                                                   "written as <g> pointing here")

    langs = md.get("languages") or []
    if langs:
        prof = etree.SubElement(header, _t("profileDesc"))
        usage = etree.SubElement(prof, _t("langUsage"))
        for code in langs:
            etree.SubElement(usage, _t("language"), ident=code).text = code
    _credit_reviewers(ed, ts, header)
    yield XML_DECL + b'<TEI xmlns="' + TEI_NS.encode() + b'">' + _ser(header)
    del header
    text = _new("text")
    if langs:
        text.set(f"{{{XML_NS}}}lang", langs[0])  # the dominant language; paragraphs say their own
    yield _open_tag(text)
    edits = ed["edits"]
    pages = ed["pages"]
    emitted = 0  # pages 0..emitted-1 are out: every call emits all pages up to one

    def emit_pages_upto(mixed, index: int) -> None:
        nonlocal emitted
        for i in range(emitted, index + 1):
            emitted = i + 1
            pg = pages[i]
            n = pg["number"] if pg["number"] is not None else None
            mixed.sub("pb", n=n, facs=pg["source"])
            for f in pg["furniture"]:
                typ = {"folio": "pageNum", "running-head": "header", "running-foot": "footer"}.get(f["kind"], f["kind"])
                fw = mixed.sub("fw", type=typ, place="top" if f.get("line", 0) < 6 else "bottom")
                _put(fw, f["text"])

    notes_at: dict[str, list[int]] = {}  # paragraph id -> its notes (their indexes)
    for i, f in enumerate(ed["footnotes"]):
        if f.get("paragraph"):
            notes_at.setdefault(f["paragraph"], []).append(i)

    def emit_text(mixed: _Mixed, item: dict, notes: list[dict], in_para: bool) -> None:
        txt = item["text"]
        inserts = sorted(((callout_end(txt, f["callout"], f["marker"]), f) for f in notes),
                         key=lambda t: t[0]) if notes else []
        ins_i = 0
        for pg, _rs, _re, a, b, eid in item["spans"]:
            if in_para and pg >= emitted:
                emit_pages_upto(mixed, pg)
            while ins_i < len(inserts) and inserts[ins_i][0] <= a:
                emit_note(mixed, inserts[ins_i][1])
                ins_i += 1
            piece = txt[a:b]
            if eid is not None and edits[eid]["stage"] in ("correct", "review") and edits[eid]["before"] != piece:
                e = edits[eid]
                if e["rule"] == LETTER_SPACED_RULE:
                    # a word printed letter-spaced (emphasis): the spaced print is the original, the word whole
                    # its regularisation (or, where the joined letters were misread too, its correction)
                    hi = mixed.sub("hi", rend="letter-spaced")
                    choice = etree.SubElement(hi, _t("choice"))
                    plain = e["before"].replace(" ", "") == piece
                    _put(etree.SubElement(choice, _t("orig" if plain else "sic")), e["before"])
                    _put(etree.SubElement(choice, _t("reg" if plain else "corr"), cert=certainty(e["confidence"]),
                                          resp="#reissue"), piece)
                    continue
                choice = mixed.sub("choice")
                _put(etree.SubElement(choice, _t("sic")), e["before"])
                corr = etree.SubElement(choice, _t("corr"), cert=certainty(e["confidence"]))
                if e["stage"] == "correct":
                    corr.set("resp", "#reissue")  # the <application> in the header
                elif e["stage"] == "review":  # a <respStmt> per reviewer; an accept credits both
                    who = "#" + _reviewer_id(reviewer_of(e)[0])
                    corr.set("resp", f"#reissue {who}" if e["rule"] == "accept" else who)
                _put(corr, piece)
                continue
            # a note may be called in the middle of a verbatim piece
            while ins_i < len(inserts) and a < inserts[ins_i][0] < b:
                cut = inserts[ins_i][0]
                mixed.text(txt[a:cut])
                emit_note(mixed, inserts[ins_i][1])
                a = cut
                ins_i += 1
            mixed.text(txt[a:b])
        while ins_i < len(inserts):
            emit_note(mixed, inserts[ins_i][1])
            ins_i += 1
        mixed.flush()

    def emit_note(mixed: _Mixed, f: dict) -> None:
        note = mixed.sub("note", place="foot", n=f["marker"], xml_id=f["id"])
        if f.get("lang"):
            note.set(f"{{{XML_NS}}}lang", f["lang"])
        emit_text(_Mixed(note), f, [], in_para=False)

    starts = article_starts(ed)
    in_article = paragraph_article(ed)
    kinds = paragraph_kinds(ed) if starts else None
    level = _Level()
    body: list[bytes] = []  # what goes into <body> before the next yield
    empty_body = True
    in_div = False
    paragraphs = ed["paragraphs"]
    last = len(paragraphs) - 1

    def flush() -> bytes:
        nonlocal empty_body
        out = b"".join(body)
        body.clear()
        if out and empty_body:
            empty_body = False
            return b"<body>" + out
        return out

    for k, p in enumerate(paragraphs):
        first_page = p["spans"][0][0] if p["spans"] else None
        if p["id"] in starts:
            if in_div:
                body.append(b"</div>")
            body.append(_open_tag(article_div(starts[p["id"]], supplied_title(ed, starts[p["id"]], kinds))))
            in_div = True
        elif p["id"] not in in_article and in_div:
            body.append(b"</div>")
            in_div = False
        if first_page is not None:
            emit_pages_upto(level, first_page)
            body.append(level.take())
        el = _new(TEI_KIND.get(p.get("kind"), "p"), {f"{{{XML_NS}}}id": p["id"]})
        if p.get("lang"):
            el.set(f"{{{XML_NS}}}lang", p["lang"])
        part = _part(p, first=k == 0, last=k == last)
        if part:
            el.set("part", part)  # the paragraph begins or ends on a page that is not in the input
        emit_text(_Mixed(el), p, [ed["footnotes"][i] for i in notes_at.get(p["id"], ())], in_para=True)
        body.append(_ser(el))
        yield flush()
    if in_div:
        body.append(b"</div>")
    emit_pages_upto(level, len(pages) - 1)
    body.append(level.take())
    unlinked = [f for f in ed["footnotes"] if not f.get("paragraph")]
    if unlinked:
        div = _new("div", type="notes")
        for f in unlinked:
            emit_note(_Mixed(div), f)
        body.append(_ser(div))
    out = flush()
    yield (out + b"</body>" if not empty_body else b"<body/>") + b"</text></TEI>"


def paragraph_kinds(ed: dict) -> dict[str, str | None]:
    """Paragraph id -> kind, read without making each paragraph's dict when the edition is lazy."""
    ps = ed["paragraphs"]
    items = getattr(ps, "source_items", None)
    if items is not None:
        return {x.id: x.kind for x in items}
    return {p["id"]: p.get("kind") for p in ps}


TEI_KIND = {"heading": "head", "byline": "byline", "contents": "p"}


def article_div(article: dict, supplied: str | None):
    """<div type="article"> for one article; a title read from the running head is <head><supplied>."""
    div = _new("div", {"type": "article", f"{{{XML_NS}}}id": article["id"]})
    if article.get("section"):
        div.set("n", escape_unsafe(article["section"]))
    if supplied:
        head = etree.SubElement(div, _t("head"), type="running")
        _put(etree.SubElement(head, _t("supplied"), reason="running-head"), supplied)
    return div


def _reviewer_id(name: str) -> str:
    return "rev-" + ("".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "x")


def _credit_reviewers(ed: dict, ts, header) -> None:
    """A <respStmt> per reviewer in the title statement and a <change> per reviewer in revisionDesc."""
    by = reviewer_counts(ed)
    if not by:
        return
    rev = etree.SubElement(header, _t("revisionDesc"))
    for name, info in by.items():
        rs = etree.SubElement(ts, _t("respStmt"))
        rs.set("{http://www.w3.org/XML/1998/namespace}id", _reviewer_id(name))
        etree.SubElement(rs, _t("resp")).text = "review of the OCR correction"
        _put(etree.SubElement(rs, _t("name")), name)
        ch = etree.SubElement(rev, _t("change"), who="#" + _reviewer_id(name))
        if info["last"][:10].count("-") == 2:
            ch.set("when", info["last"][:10])
        _put(ch, change_text(name, info))


def _part(p: dict, first: bool, last: bool) -> str | None:
    text = p["text"].strip()
    if p.get("kind") in ("heading", "byline") or not text:
        return None
    starts_inside = first and text[:1].islower()
    ends_inside = last and not re.search(r"[.!?:;][\"'”’)\]]*$", text)
    if starts_inside and ends_inside:
        return "M"
    return "F" if starts_inside else "I" if ends_inside else None
