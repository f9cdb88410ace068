"""Exports: edition.json, edition.txt, edition.md, edition.tei.xml and edition.html.

All writers read the Document (or its edition dict) only; none changes it. The edition is written
into a temporary folder beside OUTDIR and renamed into place (see :func:`write_edition`), so a failed
run leaves neither half a file nor half an edition.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date

from lxml import etree

from . import __version__
from .chars import SURROGATE, XML_UNSAFE, char_name, codepoint, escape_unsafe, without_surrogates
from .errors import UsageError
from .export_articles import article_starts, paragraph_article, supplied_title, text_label
from .labels import issue_numbering  # noqa: F401  (re-exported)
from .model import Document, document_to_dict
from .notes import callout_end
from .review_trace import (change_text, markdown_section, review_records, reviewer_counts, reviewer_of,
                           text_section)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FILES = ("edition.json", "edition.txt", "edition.md", "edition.tei.xml", "edition.html")
#: sub-folders an edition may hold: the corrected ALTO/PAGE written back (reissue.readers.writeback)
SUBDIRS = ("alto", "page")


# ----------------------------------------------------------------------------------------------
# plain text and Markdown


def issue_label(md: dict) -> str:
    """'Partisan Review, Vol. 6 No. 5 (1939)'."""
    title = md.get("title") or "Untitled periodical"
    numbering = issue_numbering(md)
    return f"{title}, {numbering}" if numbering else title


def to_text(ed: dict) -> str:
    starts = article_starts(ed)
    out = []
    for p in ed["paragraphs"]:
        label = text_label(ed, starts[p["id"]]) if p["id"] in starts else None
        if label:
            out.append(label)
        out.append(p["text"])
    if ed["footnotes"]:
        out.append("Notes")
        for f in ed["footnotes"]:
            where = f" [p. {f['page']}]" if f.get("page") is not None else ""
            out.append(f"{f['marker'] or ''}{where} {f['text']}".strip())
    out += text_section(ed)  # who reviewed which correction (reissue export), accepts included
    return "\n\n".join(out) + "\n"


MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(text: str) -> str:
    text = MD_ESCAPE.sub(r"\\\1", text)
    return re.sub(r"^([#>+\-=]|\d+\.)", r"\\\1", text)


def to_markdown(ed: dict) -> str:
    md = ed["metadata"]
    front = ["---"]
    for k in ("title", "volume", "number", "year", "page_count"):
        v = md.get(k)
        front.append(f"{k}: {json.dumps(v, ensure_ascii=False) if v is not None else 'null'}")
    front.append(f"generator: reissue {ed['generator']['version']}")
    front += ["---", "", f"# {md_escape(issue_label(md))}", ""]
    kinds = {p["id"]: p.get("kind") for p in ed["paragraphs"]}
    notes_by_para: dict[str, list[dict]] = {}
    for f in ed["footnotes"]:
        if f.get("paragraph"):
            notes_by_para.setdefault(f["paragraph"], []).append(f)
    body: list[str] = []
    shown_pages: set = set()
    starts = article_starts(ed)
    # an article's title (and a kicker over it) is a level-2 heading; a heading inside it a level-3 one
    title_ids = {pid for a in ed.get("articles") or [] for pid in a["paragraphs"][:2] if kinds.get(pid) == "heading"}
    for p in ed["paragraphs"]:
        text = p["text"]
        inserts: list[tuple[int, str]] = []
        for br in p.get("page_breaks", []):
            if br["index"] not in shown_pages:
                shown_pages.add(br["index"])
                inserts.append((br["offset"], f"[p. {br['page']}] "))
        for f in notes_by_para.get(p["id"], []):
            pos = callout_end(text, f["callout"], f["marker"])
            inserts.append((pos, f"[^{f['id']}]"))
        inserts.sort(key=lambda t: t[0])
        parts, last = [], 0
        for pos, ins in inserts:
            parts.append(md_escape(text[last:pos]))
            parts.append(ins)  # "[p. N]" has no link definition, so Markdown shows it as printed
            last = pos
        parts.append(md_escape(text[last:]))
        line = "".join(parts).strip()
        art = starts.get(p["id"])
        label = text_label(ed, art) if art else None
        if label:
            body.append(f"## {md_escape(label)}")
        if p.get("kind") == "heading":
            line = f"## {line}" if p["id"] in title_ids or not starts else f"### {line}"
        elif p.get("kind") == "byline":
            line = f"*{line}*"
        body.append(line)
    out = front + ["\n\n".join(body), ""]
    for f in ed["footnotes"]:
        label = f["id"]
        where = f" (p. {f['page']})" if f.get("page") is not None else ""
        prefix = "" if f.get("paragraph") else "(call-out not found) "
        out.append(f"[^{label}]: {md_escape(f['marker'] or '')}{where} {prefix}{md_escape(f['text'])}")
    unlinked = [f for f in ed["footnotes"] if not f.get("paragraph")]
    if unlinked:  # Markdown drops definitions nobody refers to: list them visibly too
        out += ["", "Notes without a call-out in the text: " + ", ".join(f"[^{f['id']}]" for f in unlinked)]
    out += markdown_section(ed, md_escape)
    return "\n".join(out).rstrip() + "\n"


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
        if XML_UNSAFE.search(s):  # a character XML cannot hold: <g ref="#char-XXXX"/> (see charDecl)
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
    strings += [e.get("after") or "" for e in ed.get("edits", ())]
    for s in strings:
        if XML_UNSAFE.search(s):
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


def to_tei(ed: dict) -> bytes:
    md = ed["metadata"]
    root = etree.Element(_t("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, _t("teiHeader"))
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
    text = etree.SubElement(root, _t("text"))
    if langs:
        text.set(f"{{{XML_NS}}}lang", langs[0])  # the dominant language; paragraphs say their own
    body = etree.SubElement(text, _t("body"))
    edits = ed["edits"]
    pages = ed["pages"]
    emitted: set[int] = set()  # always pages 0..k: every call emits all pages up to one

    def emit_pages_upto(mixed: _Mixed, index: int) -> None:
        for i in range(len(emitted), index + 1):
            emitted.add(i)
            pg = pages[i]
            n = pg["number"] if pg["number"] is not None else None
            mixed.sub("pb", n=n, facs=pg["source"])
            for f in pg["furniture"]:
                typ = {"folio": "pageNum", "running-head": "header", "running-foot": "footer"}.get(f["kind"], f["kind"])
                fw = mixed.sub("fw", type=typ, place="top" if f.get("line", 0) < 6 else "bottom")
                _put(fw, f["text"])

    notes_at: dict[str, list[dict]] = {}
    for f in ed["footnotes"]:
        if f.get("paragraph"):
            notes_at.setdefault(f["paragraph"], []).append(f)

    def emit_text(mixed: _Mixed, item: dict, notes: list[dict], in_para: bool) -> None:
        txt = item["text"]
        inserts = sorted(((callout_end(txt, f["callout"], f["marker"]), f) for f in notes),
                         key=lambda t: t[0]) if notes else []
        ins_i = 0
        for pg, _rs, _re, a, b, eid in item["spans"]:
            if in_para and pg not in emitted:
                emit_pages_upto(mixed, pg)
            while ins_i < len(inserts) and inserts[ins_i][0] <= a:
                emit_note(mixed, inserts[ins_i][1])
                ins_i += 1
            piece = txt[a:b]
            if eid is not None and edits[eid]["stage"] in ("correct", "review") and edits[eid]["before"] != piece:
                e = edits[eid]
                choice = mixed.sub("choice")
                _put(etree.SubElement(choice, _t("sic")), e["before"])
                corr = etree.SubElement(choice, _t("corr"), cert=_cert(e["confidence"]))
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
    parent = body
    for p in ed["paragraphs"]:
        first_page = p["spans"][0][0] if p["spans"] else None
        if p["id"] in starts:
            parent = article_div(body, starts[p["id"]], supplied_title(ed, starts[p["id"]]))
        elif p["id"] not in in_article:
            parent = body
        if first_page is not None:
            emit_pages_upto(_Mixed(parent), first_page)
        el = etree.SubElement(parent, _t(TEI_KIND.get(p.get("kind"), "p")), {f"{{{XML_NS}}}id": p["id"]})
        if p.get("lang"):
            el.set(f"{{{XML_NS}}}lang", p["lang"])
        part = _part(p, first=p is ed["paragraphs"][0], last=p is ed["paragraphs"][-1])
        if part:
            el.set("part", part)  # the paragraph begins or ends on a page that is not in the input
        emit_text(_Mixed(el), p, notes_at.get(p["id"], []), in_para=True)
    emit_pages_upto(_Mixed(body), len(pages) - 1)
    unlinked = [f for f in ed["footnotes"] if not f.get("paragraph")]
    if unlinked:
        div = etree.SubElement(body, _t("div"), type="notes")
        for f in unlinked:
            emit_note(_Mixed(div), f)
    _credit_reviewers(ed, ts, header)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)


TEI_KIND = {"heading": "head", "byline": "byline", "contents": "p"}


def article_div(body, article: dict, supplied: str | None):
    """<div type="article"> for one article; a title read from the running head is <head><supplied>."""
    div = etree.SubElement(body, _t("div"), {"type": "article", f"{{{XML_NS}}}id": article["id"]})
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


def _cert(conf: float) -> str:
    return "high" if conf >= 0.9 else "medium" if conf >= 0.7 else "low"


# ----------------------------------------------------------------------------------------------
# writing


def prepare_outdir(outdir: str, force: bool, *, what: str = "the edition files", create: bool = True) -> None:
    """Refuse an output path that is a file, or a non-empty folder without --force; create it."""
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise UsageError("output path exists and is not a folder", path=outdir, hint="choose another -o")
    if os.path.isdir(outdir) and os.listdir(outdir) and not force:
        raise UsageError("output folder is not empty", path=outdir,
                         hint=f"use --force to overwrite {what} in it, or choose another -o")
    if create:
        os.makedirs(outdir, exist_ok=True)


def _write(outdir: str, name: str, data: bytes | dict) -> str:
    """Write atomically (temporary name, then rename); a dict is streamed as JSON."""
    path = os.path.join(outdir, name)
    tmp = path + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)  # never write through a link planted at the temporary name
    if isinstance(data, dict):
        # lone surrogates cannot be written as UTF-8: then every non-ASCII character is escaped
        # (\\uXXXX), which JSON readers turn back into exactly the same string
        ascii_only = any(True for _ in _surrogates(data))
        with open(tmp, "x", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=ascii_only, indent=1)
    else:
        with open(tmp, "xb") as fh:
            fh.write(data)
    os.replace(tmp, path)  # replaces a link at the final name itself, not its target
    return path


def _surrogates(v):
    if isinstance(v, str):
        if SURROGATE.search(v):
            yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from _surrogates(x)
    elif isinstance(v, list):
        for x in v:
            yield from _surrogates(x)


def _utf8(text: str) -> bytes:
    return without_surrogates(text).encode("utf-8")


def render_html(ed: dict) -> str | None:
    try:
        from .web.static import render_edition_html
    except ImportError:
        return None
    return render_edition_html(ed)


def write_edition(doc: Document, outdir: str, *, force: bool = False, also=None) -> list[str]:
    """Write every edition file of ``doc`` into ``outdir``; returns the paths written.

    ``also(folder) -> [paths]``, when given, writes further files into the temporary folder before it
    is put in place (the corrected ALTO/PAGE of :func:`reissue.readers.writeback.write_back`), so they
    appear with the edition or not at all.

    The edition appears complete or not at all: every file is written into a fresh temporary folder
    next to ``outdir`` (``.<name>.reissue-tmp-*``), checked (``rebuild_raw`` of the dict written), and
    only then put in place: by renaming the folder when ``outdir`` is new or empty, or holds only an
    earlier edition's files; file by file (each an atomic rename, all written before the first one)
    when ``outdir`` also holds other files. A failure removes the temporary folder.
    """
    import shutil
    import tempfile

    from .model import RebuildError, rebuild_raw

    prepare_outdir(outdir, force, create=False)
    ed = document_to_dict(doc)
    ed["unsafe_characters"] = unsafe_characters(ed)
    reviewed = review_records(ed)
    if reviewed:  # who checked which correction (reissue export); see reissue.review_trace
        ed["review"] = reviewed
    try:
        rebuilt = rebuild_raw(ed)
    except RebuildError as exc:
        rebuilt = exc
    if isinstance(rebuilt, RebuildError) or rebuilt != [p["raw"] for p in ed["pages"]]:
        from .errors import ReissueError

        raise ReissueError(f"the edition does not rebuild the raw OCR exactly ({rebuilt if isinstance(rebuilt, Exception) else 'text differs'}); nothing written",
                           path=outdir, hint="this is a bug: please report it with the input")
    outdir = os.path.realpath(outdir)  # a link to a folder: the edition goes into its target
    parent = os.path.dirname(outdir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(outdir)}.reissue-tmp-", dir=parent)
    try:
        names = [_write(tmp, "edition.json", ed),
                 _write(tmp, "edition.txt", _utf8(to_text(ed))),
                 _write(tmp, "edition.md", _utf8(to_markdown(ed))),
                 _write(tmp, "edition.tei.xml", to_tei(ed))]
        html = render_html(ed)
        if html is not None:
            names.append(_write(tmp, "edition.html", _utf8(html)))
        if also is not None:
            names += also(tmp)
        names = [os.path.relpath(n, tmp) for n in names]
        _put_in_place(tmp, outdir, names)
    finally:
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return [os.path.join(outdir, n) for n in names]


def _put_in_place(tmp: str, outdir: str, names: list[str]) -> None:
    import shutil

    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; an edition folder is not
    if os.path.isdir(outdir) and not os.path.islink(outdir):
        existing = os.listdir(outdir)
        if not existing:
            os.rmdir(outdir)
        elif set(existing) <= set(FILES) | set(SUBDIRS):
            old = tmp + "-old"
            os.rename(outdir, old)  # two renames: the window without OUTDIR is two system calls
            try:
                os.rename(tmp, outdir)
            except OSError:
                os.rename(old, outdir)
                raise
            shutil.rmtree(old, ignore_errors=True)
            return
        else:
            for n in names:  # other files live there too: replace ours one by one (all are written)
                sub = os.path.join(outdir, os.path.dirname(n))
                if os.path.dirname(n):
                    if os.path.islink(sub):
                        os.unlink(sub)  # never write through a link planted at a sub-folder's name
                    os.makedirs(sub, exist_ok=True)
                os.replace(os.path.join(tmp, n), os.path.join(outdir, n))
            for n in set(FILES) - set(names):  # a stale file of an earlier edition would contradict
                if os.path.lexists(os.path.join(outdir, n)):
                    os.unlink(os.path.join(outdir, n))
            return
    os.rename(tmp, outdir)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["write_edition", "to_text", "to_markdown", "to_tei", "issue_label", "prepare_outdir", "FILES",
           "__version__"]
