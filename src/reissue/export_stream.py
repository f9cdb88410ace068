"""Writing an edition streaming, item by item, without a second copy of it in memory (issue 16).

* :func:`edition_view` is the edition of a :class:`~reissue.model.Document` with the fields of
  :func:`~reissue.edition.document_to_dict`, but its lists (pages, paragraphs, footnotes, edits) are
  :class:`LazyList` s: each item's dict is made when it is read and dropped after. Every writer of
  :mod:`reissue.export` reads either form, so ``to_text(document_to_dict(doc))`` and the file written
  from ``edition_view(doc)`` are the same text.
* :func:`iter_json` yields ``json.dumps(edition)`` in pieces, an item at a time (the same bytes; or,
  as edition.json is written, each list item on one line, encoded in C).
* :func:`check_rebuild` is :func:`~reissue.edition.rebuild_raw` of the edition compared with every
  page's raw text, page by page, holding only the raw offsets of the spans.
* :func:`write_chunks` writes such pieces to a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .edition import check_segments, document_header, edit_to_dict, footnote_to_dict, page_to_dict
from .model import Document, Paragraph
from .packed import EditTable

LISTS = ("pages", "paragraphs", "footnotes", "edits")


class LazyList(Sequence):
    """A read-only list whose items are made on access: ``fn(doc, items[i])``."""

    def __init__(self, doc: Document, items: list, fn):
        self._doc, self._items, self._fn = doc, items, fn

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._fn(self._doc, x) for x in self._items[i]]
        return self._fn(self._doc, self._items[i])

    def __iter__(self) -> Iterator[dict]:
        doc, fn = self._doc, self._fn
        for x in self._items:
            yield fn(doc, x)

    def __bool__(self) -> bool:
        return bool(self._items)

    @property
    def source_items(self) -> list:
        """The model objects the dicts are made from (read-only use)."""
        return self._items


# the fields of paragraph_to_dict, in its order, each made as it makes it
# (tests/test_export_stream.py compares a whole view with paragraph_to_dict)
_PARAGRAPH_FIELDS = {
    "id": lambda doc, p: p.id,
    "kind": lambda doc, p: p.kind,
    "lang": lambda doc, p: p.lang,
    "text": lambda doc, p: p.text.text,
    "pages": lambda doc, p: [doc.page_label(i) for i in p.pages()],
    "page_breaks": lambda doc, p: [{"page": doc.page_label(pg), "index": pg, "offset": off}
                                   for pg, off in p.text.page_breaks()],
    "spans": lambda doc, p: p.text.spans(),
}


class ParagraphView(Mapping):
    """:func:`~reissue.edition.paragraph_to_dict` of one paragraph with each field made when it is first
    read: a writer that reads the text only does not make the spans, the page breaks and the pages
    (``dict(view)`` is the paragraph's dict, the same keys in the same order)."""

    __slots__ = ("_doc", "_para", "_made")

    def __init__(self, doc: Document, para: Paragraph):
        self._doc, self._para, self._made = doc, para, {}

    def __getitem__(self, key):
        made = self._made
        if key in made:
            return made[key]
        make = _PARAGRAPH_FIELDS.get(key) if isinstance(key, str) else None
        if make is None:
            raise KeyError(key)
        v = made[key] = make(self._doc, self._para)
        return v

    def __contains__(self, key) -> bool:
        return key in _PARAGRAPH_FIELDS

    def __iter__(self) -> Iterator[str]:
        return iter(_PARAGRAPH_FIELDS)

    def __len__(self) -> int:
        return len(_PARAGRAPH_FIELDS)


def edition_view(doc: Document, generator: dict | None = None) -> dict:
    """The edition of ``doc`` as :func:`~reissue.edition.document_to_dict` gives it, with lazy lists."""
    # a note's call-out offset is read from its paragraph: found by id, not by a search per note
    paras = {p.id: p for p in doc.paragraphs} if doc.footnotes else {}
    return document_header(doc, generator) | {
        "pages": LazyList(doc, doc.pages, page_to_dict),
        "paragraphs": LazyList(doc, doc.paragraphs, ParagraphView),
        "footnotes": LazyList(doc, doc.footnotes, lambda d, f: footnote_to_dict(d, f, paras)),
        "edits": LazyList(doc, doc.edits, edit_to_dict),
        "problems": list(doc.problems),
        "articles": [dict(a, pages=list(a["pages"]), paragraphs=list(a["paragraphs"])) for a in doc.articles],
        "contents": [dict(c) for c in doc.contents],
    } | ({"structure": doc.structure} if doc.structure else {})


def iter_json(ed: dict, *, indent: int | None = None, ensure_ascii: bool = True,
              separators: tuple[str, str] | None = None, item_lines: bool = False) -> Iterator[str]:
    """``json.dumps(ed, ...)`` in pieces: the top level and each list's items one at a time.

    With ``indent``, every newline json writes is structure (a newline inside a string is ``\\n``),
    so an item dumped alone and shifted by two levels is exactly what the whole dump holds.
    ``item_lines`` (with ``indent``): each item of the lists is written on one line, without indent,
    which json encodes in C (with an indent it uses its pure-Python encoder, ~5x slower); the file
    parses to the same value."""
    kw = {"ensure_ascii": ensure_ascii, "indent": indent, "separators": separators}
    item_kw = {"ensure_ascii": ensure_ascii, "separators": separators} if item_lines else kw
    item_sep, key_sep = separators or ((", ", ": ") if indent is None else (",", ": "))
    # one encoder each, made as json.dumps makes one per call with these arguments
    encode, encode_item = json.JSONEncoder(**kw).encode, _one_encoder(json.JSONEncoder(**item_kw))
    if not ed:
        yield "{}"
        return
    nl1 = "\n" + " " * indent if indent is not None else ""
    nl2 = "\n" + " " * (2 * indent) if indent is not None else ""
    yield "{"
    for n, (k, v) in enumerate(ed.items()):
        yield (item_sep if n else "") + nl1 + json.dumps(k, ensure_ascii=ensure_ascii) + key_sep
        if isinstance(v, LazyList) or (k in LISTS and isinstance(v, list)):
            if not len(v):
                yield "[]"
                continue
            yield "["
            for m, item in enumerate(v):
                if isinstance(item, ParagraphView):
                    item = dict(item)
                s = encode_item(item)
                if indent is not None and not item_lines:
                    s = s.replace("\n", nl2)
                yield (item_sep if m else "") + nl2 + s
            yield nl1 + "]"
        else:
            s = encode(v)
            yield s.replace("\n", nl1) if indent is not None else s
    yield ("\n" if indent is not None else "") + "}"


def _one_encoder(enc: json.JSONEncoder):
    """``enc.encode``, whose C encoder (without an indent) is made once here instead of at every call
    (``JSONEncoder.iterencode`` makes it with the same arguments; its record of the containers being
    encoded is empty again after each): the same text."""
    from json import encoder as J

    if J.c_make_encoder is None or enc.indent is not None:
        return enc.encode
    one = J.c_make_encoder({} if enc.check_circular else None, enc.default,
                           J.encode_basestring_ascii if enc.ensure_ascii else J.encode_basestring, enc.indent,
                           enc.key_separator, enc.item_separator, enc.sort_keys, enc.skipkeys, enc.allow_nan)

    def encode(o) -> str:
        return "".join(one(o, 0)) if isinstance(o, (dict, list)) else enc.encode(o)

    return encode


def check_rebuild(doc: Document) -> None:
    """Raise :class:`~reissue.edition.RebuildError` unless the edition of ``doc`` (its paragraphs' and
    notes' verbatim spans and its active edits) rebuilds every page's raw text exactly: the check of
    :func:`~reissue.edition.rebuild_raw` (:func:`~reissue.edition.check_segments`), page by page,
    holding only two offsets per span, without making the edition dict."""
    check_segments([p.raw for p in doc.pages], document_segments(doc))


def document_segments(doc: Document):
    """The segments of a Document for :func:`~reissue.edition.check_segments`."""
    for coll in (doc.paragraphs, doc.footnotes):
        for item in coll:
            text = item.text.text
            for pg, rs, re_, ts, te, eid in item.text.spans():
                if eid is None:
                    yield pg, rs, re_, text[ts:te], None
    if isinstance(doc.edits, EditTable):
        yield from doc.edits.active_segments()
        return
    for e in doc.edits:
        if e.superseded_by is None:
            yield e.page, e.start, e.end, e.before, e.id


def write_chunks(path: str, chunks: Iterable[str | bytes], *, encode=None) -> None:
    """Write ``chunks`` to a new file ``path`` (``encode`` turns a str chunk into bytes)."""
    with open(path, "xb") as fh:
        buf: list[bytes] = []
        size = 0
        for c in chunks:
            b = encode(c) if encode is not None and isinstance(c, str) else c
            buf.append(b)
            size += len(b)
            if size >= 1 << 16:
                fh.write(b"".join(buf))
                buf, size = [], 0
        fh.write(b"".join(buf))
