"""Exports: edition.json, edition.txt, edition.md, edition.tei.xml and edition.html.

All writers read the Document (or its edition dict) only; none changes it. Files are written to a
temporary name inside OUTDIR and renamed, so a failed run never leaves half a file.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date

from lxml import etree

from . import __version__
from .errors import UsageError
from .model import Document, document_to_dict

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FILES = ("edition.json", "edition.txt", "edition.md", "edition.tei.xml", "edition.html")


# ----------------------------------------------------------------------------------------------
# plain text and Markdown


def issue_numbering(md: dict) -> str:
    """'Vol. 6 No. 5 (1939)', or what of it is known ('' when nothing is)."""
    parts = []
    if md.get("volume") is not None:
        parts.append(f"Vol. {md['volume']}")
    if md.get("number") is not None:
        parts.append(f"No. {md['number']}")
    if md.get("year") is not None:
        parts.append(f"({md['year']})" if parts else str(md["year"]))
    return " ".join(parts)


def issue_label(md: dict) -> str:
    """'Partisan Review, Vol. 6 No. 5 (1939)'."""
    title = md.get("title") or "Untitled periodical"
    numbering = issue_numbering(md)
    return f"{title}, {numbering}" if numbering else title


def to_text(ed: dict) -> str:
    out = [p["text"] for p in ed["paragraphs"]]
    if ed["footnotes"]:
        out.append("Notes")
        for f in ed["footnotes"]:
            where = f" [p. {f['page']}]" if f.get("page") is not None else ""
            out.append(f"{f['marker'] or ''}{where} {f['text']}".strip())
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
    notes_by_para: dict[str, list[dict]] = {}
    for f in ed["footnotes"]:
        if f.get("paragraph"):
            notes_by_para.setdefault(f["paragraph"], []).append(f)
    body: list[str] = []
    shown_pages: set = set()
    for p in ed["paragraphs"]:
        text = p["text"]
        inserts: list[tuple[int, str]] = []
        for br in p.get("page_breaks", []):
            if br["index"] not in shown_pages:
                shown_pages.add(br["index"])
                inserts.append((br["offset"], f"[p. {br['page']}] "))
        for f in notes_by_para.get(p["id"], []):
            pos = f["callout"] + len(f["marker"] or "")
            inserts.append((pos, f"[^{f['id']}]"))
        inserts.sort(key=lambda t: t[0])
        parts, last = [], 0
        for pos, ins in inserts:
            parts.append(md_escape(text[last:pos]))
            parts.append(ins)  # "[p. N]" has no link definition, so Markdown shows it as printed
            last = pos
        parts.append(md_escape(text[last:]))
        line = "".join(parts).strip()
        body.append(f"## {line}" if p.get("kind") == "heading" else line)
    out = front + ["\n\n".join(body), ""]
    for f in ed["footnotes"]:
        label = f["id"]
        where = f" (p. {f['page']})" if f.get("page") is not None else ""
        prefix = "" if f.get("paragraph") else "(call-out not found) "
        out.append(f"[^{label}]: {md_escape(f['marker'] or '')}{where} {prefix}{md_escape(f['text'])}")
    unlinked = [f for f in ed["footnotes"] if not f.get("paragraph")]
    if unlinked:  # Markdown drops definitions nobody refers to: list them visibly too
        out += ["", "Notes without a call-out in the text: " + ", ".join(f"[^{f['id']}]" for f in unlinked)]
    return "\n".join(out).rstrip() + "\n"


# ----------------------------------------------------------------------------------------------
# TEI P5


def _t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


class _Mixed:
    """Appends text and elements to an lxml element as mixed content."""

    def __init__(self, el):
        self.el = el

    def text(self, s: str) -> None:
        if not s:
            return
        if len(self.el):
            last = self.el[-1]
            last.tail = (last.tail or "") + s
        else:
            self.el.text = (self.el.text or "") + s

    def sub(self, tag: str, **attrs) -> etree._Element:
        return etree.SubElement(self.el, _t(tag), {(f"{{{XML_NS}}}id" if k == "xml_id" else k): str(v)
                                                   for k, v in attrs.items() if v is not None})


def to_tei(ed: dict) -> bytes:
    md = ed["metadata"]
    root = etree.Element(_t("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, _t("teiHeader"))
    fd = etree.SubElement(header, _t("fileDesc"))
    ts = etree.SubElement(fd, _t("titleStmt"))
    etree.SubElement(ts, _t("title")).text = issue_label(md) + ": a reissue edition"
    resp = etree.SubElement(ts, _t("respStmt"))
    etree.SubElement(resp, _t("resp")).text = "OCR clean-up, reflow and correction"
    etree.SubElement(resp, _t("name")).text = f"reissue {ed['generator']['version']}"
    ps = etree.SubElement(fd, _t("publicationStmt"))
    etree.SubElement(ps, _t("p")).text = (f"Generated by reissue {ed['generator']['version']} on "
                                          f"{date.today().isoformat()} from the OCR text of the source pages.")
    sd = etree.SubElement(fd, _t("sourceDesc"))
    bibl = etree.SubElement(sd, _t("biblStruct"))
    monogr = etree.SubElement(bibl, _t("monogr"))
    etree.SubElement(monogr, _t("title"), level="j").text = md.get("title") or "Unknown"
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

    text = etree.SubElement(root, _t("text"))
    body = etree.SubElement(text, _t("body"))
    edits = ed["edits"]
    pages = ed["pages"]
    emitted: set[int] = set()

    def emit_pages_upto(mixed: _Mixed, index: int) -> None:
        for i in range(0, index + 1):
            if i in emitted:
                continue
            emitted.add(i)
            pg = pages[i]
            n = pg["number"] if pg["number"] is not None else None
            mixed.sub("pb", n=n, facs=pg["source"])
            for f in pg["furniture"]:
                typ = {"folio": "pageNum", "running-head": "header", "running-foot": "footer"}.get(f["kind"], f["kind"])
                fw = mixed.sub("fw", type=typ, place="top" if f.get("line", 0) < 6 else "bottom")
                fw.text = f["text"]

    notes_at: dict[str, list[dict]] = {}
    for f in ed["footnotes"]:
        if f.get("paragraph"):
            notes_at.setdefault(f["paragraph"], []).append(f)

    def emit_text(mixed: _Mixed, item: dict, notes: list[dict], in_para: bool) -> None:
        txt = item["text"]
        inserts = sorted((f["callout"] + len(f["marker"] or ""), f) for f in notes) if notes else []
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
                etree.SubElement(choice, _t("sic")).text = e["before"]
                corr = etree.SubElement(choice, _t("corr"), cert=_cert(e["confidence"]))
                if e["stage"] == "correct":
                    corr.set("resp", "#reissue")  # the <application> in the header
                corr.text = piece
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

    def emit_note(mixed: _Mixed, f: dict) -> None:
        note = mixed.sub("note", place="foot", n=f["marker"], xml_id=f["id"])
        emit_text(_Mixed(note), f, [], in_para=False)

    for p in ed["paragraphs"]:
        first_page = p["spans"][0][0] if p["spans"] else None
        if first_page is not None:
            emit_pages_upto(_Mixed(body), first_page)
        el = etree.SubElement(body, _t("head" if p.get("kind") == "heading" else "p"),
                              {f"{{{XML_NS}}}id": p["id"]})
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
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)


def _part(p: dict, first: bool, last: bool) -> str | None:
    text = p["text"].strip()
    if p.get("kind") == "heading" or not text:
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
        with open(tmp, "x", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
    else:
        with open(tmp, "xb") as fh:
            fh.write(data)
    os.replace(tmp, path)  # replaces a link at the final name itself, not its target
    return path


def render_html(ed: dict) -> str | None:
    try:
        from .web.static import render_edition_html
    except ImportError:
        return None
    return render_edition_html(ed)


def write_edition(doc: Document, outdir: str, *, force: bool = False) -> list[str]:
    """Write every edition file of ``doc`` into ``outdir``; returns the paths written."""
    prepare_outdir(outdir, force)
    ed = document_to_dict(doc)
    written = [
        _write(outdir, "edition.json", ed),
        _write(outdir, "edition.txt", to_text(ed).encode("utf-8")),
        _write(outdir, "edition.md", to_markdown(ed).encode("utf-8")),
        _write(outdir, "edition.tei.xml", to_tei(ed)),
    ]
    html = render_html(ed)
    if html is not None:
        written.append(_write(outdir, "edition.html", html.encode("utf-8")))
    return written


__all__ = ["write_edition", "to_text", "to_markdown", "to_tei", "issue_label", "prepare_outdir", "FILES",
           "__version__"]
