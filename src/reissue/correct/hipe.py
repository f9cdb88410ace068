"""HIPE-OCRepair JSONL in and out.

``reissue correct --hipe IN.jsonl -o OUT.jsonl`` fills ``ocr_postcorrection_output.transcription_unit``
of every record. Line breaks are kept. A line-end hyphen that splits one word (``contribu-\\ntion``)
is written the way the benchmark ground truth writes it, ``contribu¬\\ntion`` (the scorer joins
``¬\\n``), and so is a compound's before a small letter (``Hargrave¬\\nstreet``: the ground truth marks nearly
every hyphen at a line end so); a word split over a line whose hyphen the OCR lost (``Wednes\\nday``) is
written the same way (``lost_hyphens``).
"""

from __future__ import annotations

import json
import re
from typing import IO, Iterator

from ..chars import LINE_END_DASH, line_end_hyphen_re
from ..errors import UsageError
from .engine import Corrector, apply_corrections

SPACE_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)- ([^\W\d_]+)")  # (from a word's start: see chars.line_end_hyphen_re)
LOST_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_]+)\n([^\W\d_]+)(?![\w-])")  # (no hyphen: see lost_hyphens)


def lost_hyphens(corrector: Corrector, text: str, vocab=None) -> str:
    """With ``lost_hyphen_min_p``: a word split over a line whose hyphen the OCR lost (``Wednes\\nday``,
    ``com\\npanions``, ``kill\\ning``) written as the ground truth writes a split word, ``Wednes¬\\nday``: the
    piece after the line break begins with a small letter, and the joined word is more frequent than the rarer
    piece and at least that frequent, or printed whole elsewhere in the document. Two words read apart stay
    (``the\\nman``, ``two\\nthirds``)."""
    min_p = corrector.P.lost_hyphen_min_p
    if min_p is None or "\n" not in text:
        return text
    p = corrector.lm.p

    def sub(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        if not b[0].islower():
            return m.group(0)
        lo_a, lo_b = a.lower(), b.lower()
        j = lo_a + lo_b
        pj = p(j)
        if (pj >= min_p and pj > min(p(lo_a), p(lo_b))) or (vocab and vocab.get(j, 0) >= 2):
            return a + "¬\n" + b
        return m.group(0)
    return LOST_HYPHEN.sub(sub, text)


def _joins(corrector: Corrector, a: str, b: str, vocab) -> bool:
    lm = corrector.lm
    j = (a + b).lower()
    pj = lm.p(j) + (1e-6 if vocab and vocab.get(j, 0) >= 2 else 0.0)  # printed whole elsewhere
    if pj < 1e-8:
        return False
    # a compound whose halves are both common words and whose joined form is rarer stays hyphenated
    pa, pb = lm.p(a.lower()), lm.p(b.lower())
    return pj * 1e3 >= min(pa, pb) or pj >= 1e-6


def mark_line_hyphens(corrector: Corrector, text: str, vocab=None, *, join_spaced: bool = False) -> str:
    """Rewrite line-end hyphens as ``¬``, the ground-truth convention: every one before a lower-case
    continuation, unless the continuation is one of the language's ``keep_hyphen_before`` (``Haus-\\nund
    Hof``); before a capital, where the joined word is known (``_joins``). A compound's hyphen too
    (``Hargrave-\\nstreet``): in the English train splits' ground truth, 985 of the 988 hyphens at a line end
    before a small letter are written ``¬`` (``Argyle¬\\nstreet``, ``half¬\\nyearly``; ``-`` in
    ``north-\\nwest``, ``two-\\nthirds``, ``thirty-\\nfifth``), and the scorer joins the halves. English marks
    only ``-``; languages with ``keep_hyphen_before`` (French, German) every mark of their ``line_hyphens``
    (long compounds the lexicon does not know, Fraktur's ``⸗`` and ``=``).

    (English wrote ``¬`` only where the joined word was known until stop 55; held-out train,
    ``bench_correct_cv.py --context --damage``: impresso cMER -26.09% -> -26.94%, overproof -32.81% ->
    -32.82%, icdar2017, which has no line breaks, unchanged.)"""
    lang = corrector.model.language
    keep = lang["keep_hyphen_before"]

    def sub(m: re.Match) -> str:
        b = m.group(3)
        if b[:1].islower() and b not in keep:
            return m.group(1) + "¬" + m.group(2) + b
        if _joins(corrector, m.group(1), b, vocab):
            return m.group(1) + "¬" + m.group(2) + b
        return m.group(0)

    # (the ground truth's own mark and the German em dash are not rewritten)
    marks = "".join(ch for ch in lang["line_hyphens"] if ch not in "¬" + LINE_END_DASH) if keep else "-"
    if "\n" in text:  # (a match holds a line break: none to look for in a text without one)
        text = line_end_hyphen_re(marks, words=True, word_start=True).sub(sub, text)
    if join_spaced and "- " in text:  # (nor a spaced hyphen's without "- ")
        def sub2(m: re.Match) -> str:
            a, b = m.group(1), m.group(2)
            lm = corrector.lm
            pa, pj = lm.p(a.lower()), lm.p((a + b).lower())
            if (pa < 1e-6 or pj >= 1e-6) and pj >= pa * lm.p(b.lower()) and _joins(corrector, a, b, vocab):
                return a + b  # (two common words read more likely apart stay: "de- la", not "dela")
            return m.group(0)
        text = SPACE_HYPHEN.sub(sub2, text)
    return text


def correct_hipe_text(corrector: Corrector, text: str, *, whitespace_normalised: bool = False,
                      foreign: list | None = None) -> str:
    """The corrected text. ``foreign``: a list the sentences of another language left as printed are added
    to, as (start, end, language) (correct/foreign.py)."""
    vocab = corrector.vocabulary([text])
    out = apply_corrections(text, corrector.corrections(text, vocab, foreign=foreign))
    return lost_hyphens(corrector, mark_line_hyphens(corrector, out, vocab, join_spaced=whitespace_normalised), vocab)


def source_of(doc_id: str) -> str:
    """The source (periodical, newspaper, book) a HIPE-OCRepair document comes from, read from its
    id, so that cross-validation folds never split one source."""
    if doc_id.startswith("icdar2017_"):
        return "icdar:" + doc_id.split("_")[3]  # icdar2017_train_en_<source>_<chunk>
    m = re.match(r"(\d{4}-[^_]+_.+)_l\d_p\d+$", doc_id)
    if m:
        return "dta:" + m.group(1)  # <year>-<author>_<title>_l<N>_p<page>: the book, all noise levels
    if doc_id.startswith("nzz_"):
        return "nzz:" + doc_id.split("_")[1][:4]  # nzz_<yyyymmdd>_...: the year
    if "-" in doc_id and doc_id[:4].isupper():
        return "impresso:" + doc_id[:4]  # e.g. BHFA-1872-04-20-a-p0002_par26
    return "overproof:" + (doc_id.split("-")[0] if "-" in doc_id else doc_id[:3])


def iter_records(fh: IO[str], path: str) -> Iterator[dict]:
    for no, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            rec["ocr_hypothesis"]["transcription_unit"]
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"not a HIPE-OCRepair record ({type(exc).__name__}: {exc})", path=path, line=no,
                             hint="each line must be a JSON object with ocr_hypothesis.transcription_unit") from exc
        yield rec


def record_corrector(correctors, languages="auto", skipped: list | None = None):
    """rec -> the Corrector of the record's language, or None (the record is then left as it is, and
    (document id, lang, reason) appended to ``skipped``). The language is the record's
    ``document_metadata.language`` when it has one (unless ``languages`` is a fixed list), else
    identified from its OCR text (:mod:`reissue.lang`)."""
    from ..lang import identify_texts

    def pick(rec: dict) -> Corrector | None:
        md = rec.get("document_metadata") or {}
        given = md.get("language")
        if languages == "none":
            lang, reason = None, "--lang none"
        elif isinstance(given, str) and given.strip() and (languages == "auto" or given.strip().lower() in languages):
            lang, reason = given.strip().lower(), "document_metadata.language"
        else:
            d = identify_texts([rec["ocr_hypothesis"]["transcription_unit"] or ""], languages)[0]
            lang, reason = d.lang, d.reason
        c = correctors.get(lang)
        if c is None and skipped is not None:
            skipped.append((md.get("document_id", "?"), lang, correctors.why_not(lang, reason)))
        return c
    return pick


def correct_hipe_records(corrector, records, foreign: list | None = None) -> Iterator[dict]:
    """Fill ``ocr_postcorrection_output`` of every record. ``corrector``: a Corrector for every
    record, or a function record -> Corrector | None (:func:`record_corrector`); a record without
    one gets its OCR text unchanged. ``foreign``: a list the sentences of another language left as printed
    are added to, as (document id, language, start, end)."""
    for i, rec in enumerate(records):
        text = rec["ocr_hypothesis"]["transcription_unit"] or ""
        md = rec.get("document_metadata") or {}
        wn = bool(md.get("whitespace_normalised"))
        c = corrector if isinstance(corrector, Corrector) else corrector(rec)
        kept: list = []
        out = text if c is None else correct_hipe_text(c, text, whitespace_normalised=wn, foreign=kept)
        if foreign is not None:
            foreign += [(md.get("document_id") or f"record {i + 1}", fl, s, e) for s, e, fl in kept]
        rec["ocr_postcorrection_output"] = {"transcription_unit": out}
        yield rec
