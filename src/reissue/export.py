"""Exports: edition.json, edition.txt, edition.md, edition.tei.xml and edition.html.

All writers read the Document (or its edition dict) only; none changes it. Each writer yields its
file in pieces (:func:`iter_text`, :func:`iter_markdown`, :func:`reissue.export_tei.iter_tei`,
:func:`reissue.export_stream.iter_json`, :func:`iter_html`), and :func:`write_edition` writes them
from a lazy view of the Document (:func:`reissue.export_stream.edition_view`), paragraph by
paragraph: no second copy of the edition (dict, strings or XML tree) is held while writing.
``to_text(ed)`` and the others join the same pieces. The edition is written into a temporary folder
beside OUTDIR and renamed into place, so a failed run leaves neither half a file nor half an edition.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator

from . import __version__
from .chars import SURROGATE, without_surrogates
from .errors import UsageError
from .export_articles import article_starts, text_label, title_paragraphs
from .export_stream import check_rebuild, edition_view, iter_json, write_chunks
from .export_tei import (TEI_NS, XML_NS, _unsafe_counts, issue_label, iter_tei, paragraph_kinds,  # noqa: F401
                         to_tei, unsafe_characters)
from .labels import issue_numbering  # noqa: F401  (re-exported)
from .model import Document
from .notes import callout_end
from .review_trace import markdown_section, review_records, text_section

FILES = ("edition.json", "edition.txt", "edition.md", "edition.tei.xml", "edition.html")
#: sub-folders an edition may hold: the corrected ALTO/PAGE written back (reissue.ingest.writeback)
SUBDIRS = ("alto", "page")

# stale temporary folders of a write_edition that was killed (kill -9, power loss) are removed by the
# next write beside them once they are this old (seconds): a younger one may be another build's
STALE_TMP_SECONDS = 3600
TMP_MARK = ".reissue-tmp-"


# ----------------------------------------------------------------------------------------------
# plain text and Markdown


def _joined(pieces: Iterable[str], sep: str) -> Iterator[str]:
    first = True
    for p in pieces:
        yield p if first else sep + p
        first = False


def to_text(ed: dict) -> str:
    return "".join(iter_text(ed))


def iter_text(ed: dict) -> Iterator[str]:
    """edition.txt in pieces: paragraphs (an article's supplied title before it), then the notes."""
    yield from _joined(_text_blocks(ed), "\n\n")
    yield "\n"


def _text_blocks(ed: dict) -> Iterator[str]:
    starts = article_starts(ed)
    kinds = paragraph_kinds(ed) if starts else None
    for p in ed["paragraphs"]:
        label = text_label(ed, starts[p["id"]], kinds) if p["id"] in starts else None
        if label:
            yield label
        yield p["text"]
    if ed["footnotes"]:
        yield "Notes"
        for f in ed["footnotes"]:
            where = f" [{page_ref(ed, f.get('page_index'))}]" if f.get("page_index") is not None else ""
            yield f"{f['marker'] or ''}{where} {f['text']}".strip()
    yield from text_section(ed)  # who reviewed which correction (reissue export), accepts included


def page_ref(ed: dict, index: int) -> str:
    """How the text outputs name a page: its printed number ("p. 484"), or, for a page without one,
    its place in the issue in brackets ("page [1]", as the reader and search show it): the JSON's
    page label falls back to the 0-based index, which a reader would take for a printed "p. 0"."""
    pages = ed.get("pages") or []
    number = pages[index].get("number") if 0 <= index < len(pages) else None
    return f"p. {number}" if number is not None else f"page [{index + 1}]"


MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(text: str) -> str:
    text = MD_ESCAPE.sub(r"\\\1", text)
    return re.sub(r"^([#>+\-=]|\d+\.)", r"\\\1", text)


def to_markdown(ed: dict) -> str:
    return "".join(iter_markdown(ed))


def _rstripped(chunks: Iterable[str]) -> Iterator[str]:
    """``"".join(chunks).rstrip() + "\\n"``, in pieces (trailing white space is held back until
    something else follows it)."""
    pending = ""
    for c in chunks:
        kept = c.rstrip()
        if kept:
            yield pending + kept
            pending = c[len(kept):]
        else:
            pending += c
    yield "\n"


def iter_markdown(ed: dict) -> Iterator[str]:
    """edition.md in pieces: front matter, a paragraph at a time, then the note definitions."""
    yield from _rstripped(_markdown_chunks(ed))


def _markdown_chunks(ed: dict) -> Iterator[str]:
    md = ed["metadata"]
    front = ["---"]
    for k in ("title", "volume", "number", "year", "page_count"):
        v = md.get(k)
        front.append(f"{k}: {json.dumps(v, ensure_ascii=False) if v is not None else 'null'}")
    front.append(f"generator: reissue {ed['generator']['version']}")
    front += ["---", "", f"# {md_escape(issue_label(md))}", ""]
    yield "\n".join(front) + "\n"
    kinds = paragraph_kinds(ed)
    notes = ed["footnotes"]
    notes_by_para: dict[str, list[int]] = {}  # paragraph id -> its notes (their indexes)
    unlinked: list[str] = []
    for i, f in enumerate(notes):
        if f.get("paragraph"):
            notes_by_para.setdefault(f["paragraph"], []).append(i)
        else:
            unlinked.append(f["id"])
    shown_pages: set = set()
    starts = article_starts(ed)
    # an article's title (and a kicker over it) is a level-2 heading; a heading inside it a level-3 one
    title_ids = {pid for a in ed.get("articles") or [] for pid in title_paragraphs(ed, a, kinds)}
    yield from _joined(_markdown_body(ed, kinds, notes_by_para, shown_pages, starts, title_ids), "\n\n")
    yield "\n"
    for f in notes:
        label = f["id"]
        where = f" ({page_ref(ed, f.get('page_index'))})" if f.get("page_index") is not None else ""
        prefix = "" if f.get("paragraph") else "(call-out not found) "
        yield f"\n[^{label}]: {md_escape(f['marker'] or '')}{where} {prefix}{md_escape(f['text'])}"
    if unlinked:  # Markdown drops definitions nobody refers to: list them visibly too
        yield "\n\nNotes without a call-out in the text: " + ", ".join(f"[^{i}]" for i in unlinked)
    for line in markdown_section(ed, md_escape):
        yield "\n" + line


def _markdown_body(ed, kinds, notes_by_para, shown_pages, starts, title_ids) -> Iterator[str]:
    notes = ed["footnotes"]
    for p in ed["paragraphs"]:
        text = p["text"]
        inserts: list[tuple[int, str]] = []
        for br in p.get("page_breaks", []):
            if br["index"] not in shown_pages:
                shown_pages.add(br["index"])
                inserts.append((br["offset"], f"[{page_ref(ed, br['index'])}] "))
        for i in notes_by_para.get(p["id"], ()):
            f = notes[i]
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
        label = text_label(ed, art, kinds) if art else None
        if label:
            yield f"## {md_escape(label)}"
        if p.get("kind") == "heading":
            line = f"## {line}" if p["id"] in title_ids or not starts else f"### {line}"
        elif p.get("kind") == "byline":
            line = f"*{line}*"
        yield line


# ----------------------------------------------------------------------------------------------
# HTML: the reader page


def iter_html(ed: dict) -> Iterator[str] | None:
    """edition.html in pieces, page by page (:func:`reissue.web.static.iter_edition_html`); None when
    the reader page is not installed."""
    try:
        from .web.static import iter_edition_html
    except ImportError:
        return None
    return iter_edition_html(ed)


def render_html(ed: dict) -> str | None:
    chunks = iter_html(ed)
    return None if chunks is None else "".join(chunks)


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


def _write(outdir: str, name: str, data: bytes | dict | Iterable[str]) -> str:
    """Write atomically (temporary name, then rename): bytes, a dict (as JSON, streamed item by item)
    or text in pieces (UTF-8, a lone surrogate as U+FFFD)."""
    path = os.path.join(outdir, name)
    tmp = path + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)  # never write through a link planted at the temporary name
    if isinstance(data, dict):
        try:
            write_chunks(tmp, iter_json(data, ensure_ascii=False, indent=1, item_lines=True), encode=_strict_utf8)
        except UnicodeEncodeError:
            # a lone surrogate cannot be written as UTF-8: then every non-ASCII character is escaped
            # (\\uXXXX), which JSON readers turn back into exactly the same string
            os.unlink(tmp)
            write_chunks(tmp, iter_json(data, ensure_ascii=True, indent=1, item_lines=True), encode=_strict_utf8)
    elif isinstance(data, bytes):
        with open(tmp, "xb") as fh:
            fh.write(data)
    else:
        write_chunks(tmp, data, encode=_utf8)
    os.replace(tmp, path)  # replaces a link at the final name itself, not its target
    return path


def _strict_utf8(text: str) -> bytes:
    return text.encode("utf-8")


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
    """UTF-8 of ``text``, a lone surrogate as U+FFFD (only a surrogate stops the strict encoding: the
    text is searched for them only then)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return without_surrogates(text).encode("utf-8")


_TMP_NAME = re.compile(r"^\..*" + re.escape(TMP_MARK) + r"(?:(?P<pid>\d+)@(?P<host>.*)-)?[A-Za-z0-9_]+(?:-old)?$")


def _tmp_prefix(outdir: str) -> str:
    import socket

    host = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:64] or "host"
    return f".{os.path.basename(outdir)}{TMP_MARK}{os.getpid()}@{host}-"


def remove_stale_tmp(parent: str) -> list[str]:
    """Remove the temporary folders of editions whose writer was killed (``kill -9``, a power loss)
    from ``parent``; returns their names. A folder is stale when the process that made it (its name
    says which, on which host) is gone, or, made on another host or by an older reissue, when it is
    older than :data:`STALE_TMP_SECONDS`. Links and files are left alone."""
    import shutil
    import socket
    import time

    host = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:64] or "host"
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for e in entries:
        m = _TMP_NAME.match(e.name)
        if not m or not e.is_dir(follow_symlinks=False):
            continue
        if m.group("pid") and m.group("host") == host:
            stale = int(m.group("pid")) != os.getpid() and not _alive(int(m.group("pid")))
        else:
            try:
                stale = time.time() - e.stat(follow_symlinks=False).st_mtime > STALE_TMP_SECONDS
            except OSError:
                continue
        if stale:
            shutil.rmtree(e.path, ignore_errors=True)
            removed.append(e.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: alive
    return True


def write_edition(doc: Document, outdir: str, *, force: bool = False, also=None) -> list[str]:
    """Write every edition file of ``doc`` into ``outdir``; returns the paths written.

    ``also(folder) -> [paths]``, when given, writes further files into the temporary folder before it
    is put in place (the corrected ALTO/PAGE of :func:`reissue.ingest.writeback.write_back`), so they
    appear with the edition or not at all.

    Streaming: the files are written paragraph by paragraph from :func:`edition_view` of ``doc``, so
    writing adds no copy of the edition to the Document in memory. First the edition is checked
    (:func:`reissue.export_stream.check_rebuild`: its spans and active edits rebuild every page's raw
    text exactly); nothing is written when it does not.

    The edition appears complete or not at all: every file is written into a fresh temporary folder
    next to ``outdir`` (``.<name>.reissue-tmp-<pid>@<host>-*``), and only then put in place: by
    renaming the folder when ``outdir`` is new or empty, or holds only an earlier edition's files;
    file by file (each an atomic rename, all written before the first one) when ``outdir`` also holds
    other files. A failure removes the temporary folder; one left by a killed writer is removed by the
    next write beside it (:func:`remove_stale_tmp`).
    """
    import shutil
    import tempfile

    from .edition import RebuildError

    prepare_outdir(outdir, force, create=False)
    try:
        check_rebuild(doc)
    except RebuildError as exc:  # safe mode: a broken edition is refused before anything is written
        from .errors import EditionError

        raise EditionError(f"the edition does not rebuild the raw OCR exactly ({exc.message}); nothing written",
                           path=outdir, hint="this is a bug: please report it with the input") from exc
    ed = edition_view(doc)
    ed["unsafe_characters"] = unsafe_characters(ed)
    reviewed = review_records(ed)
    if reviewed:  # who checked which correction (reissue export); see reissue.review_trace
        ed["review"] = reviewed
    outdir = os.path.realpath(outdir)  # a link to a folder: the edition goes into its target
    parent = os.path.dirname(outdir)
    os.makedirs(parent, exist_ok=True)
    remove_stale_tmp(parent)
    tmp = tempfile.mkdtemp(prefix=_tmp_prefix(outdir), dir=parent)
    try:
        names = [_write(tmp, "edition.json", ed),
                 _write(tmp, "edition.txt", iter_text(ed)),
                 _write(tmp, "edition.md", iter_markdown(ed)),
                 _write(tmp, "edition.tei.xml", iter_tei(ed))]
        html = iter_html(ed)
        if html is not None:
            names.append(_write(tmp, "edition.html", html))
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


__all__ = ["write_edition", "to_text", "to_markdown", "to_tei", "iter_text", "iter_markdown", "iter_tei",
           "iter_html", "issue_label", "prepare_outdir", "remove_stale_tmp", "FILES", "__version__"]
