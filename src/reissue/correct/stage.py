"""The correction stage with its language guard.

A paragraph or note is corrected only by a model of its own language (``model_path_for``), and only
when its language was identified with confidence (:mod:`reissue.lang`); any other text is left
exactly as printed and the reason is recorded (``Document.skipped``; one summary line on stderr,
one line per text with ``--explain``). The same guard serves ``reissue correct`` (plain text, per
block of lines) and ``reissue correct --hipe`` (per record, from ``document_metadata.language``
when the record has it).

A second guard works word by word where the input carries OCR confidences (ALTO ``WC``, hOCR
``x_wconf``, PAGE ``conf``; :mod:`reissue.ingest.confidence`): a word the OCR engine was sure of
(at least ``OCR_SURE``, never below the document's median word confidence) is changed only on
strong evidence (a correction confidence of at least ``OCR_STRONG``); the other corrections of such
words are not made and are listed in ``Document.ocr_kept`` (one summary line, one line per word with
``--explain``). At the other end, a dictionary word among the share ``OCR_DOUBT_Q`` of the document's
words the engine was least sure of is a correction candidate like a misread one (real-word
candidates, no bonus for being a known word; the edit's note says so). And any correction that
changes the letters of a doubted word (not a split or a join: "tieup" -> "tie up" keeps them) needs a
confidence of at least ``OCR_DOUBT_MIN``, else it is not made and is listed in ``Document.ocr_kept``
too: a word the engine could hardly read is often misread in more letters than the corrector's
nearest word explains (1832 Liverpool Standard, 1903 New-York Tribune, read by hand: such edits below
0.7 were 5 right, 18 wrong, 7 unclear of 30: "rills" -> "bills" for fills, "revire" -> "revive" for require,
"haics" -> "hates" for bales); an edit-distance guess of such a word needs ``OCR_DOUBT_GUESS_MIN``. Input
without confidences (plain text) is corrected exactly as before.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from ..chars import line_end_hyphen_re
from ..contracts import stage
from .engine import Correction, Corrector, whole_words
from .tokens import MARK_RULE
from .guards import hyphen_half
from .model import CorrectionModel, load_model, model_path_for

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Document

OCR_SURE = 0.95  # an OCR word confidence this high (or the document's median, if higher) is "sure"
OCR_STRONG = 0.9  # a correction at least this confident may still change a word the engine was sure of
# a word among the share OCR_DOUBT_Q of the document's words the engine was least sure of (strictly
# below that quantile of their confidences) is "doubted": a dictionary word there gets real-word
# candidates (Corrector.corrections(ocr_doubtful=...)), and such an edit needs a confidence of at
# least OCR_DOUBT_MIN (the vetter never saw these proposals in training); both chosen by reading the
# changes they make on the ChronAm and BL ALTO samples (benchmarks/bench_formats.py)
OCR_DOUBT_Q = 0.2
OCR_DOUBT_MIN = 0.7
# ... and an edit-distance correction of a doubted word (the fallback where no learned confusion explains
# the word) at least OCR_DOUBT_GUESS_MIN: on the 1832 Liverpool Standard such edits below 0.85 were, read by
# hand, 7 right, 18 wrong, 14 unclear of 39 ("sdverey" -> "several" for severely, "Oatuoal" -> "Natural");
# on held-out train (no OCR confidences) edit_distance_threshold 0.8 for every edit-distance edit cost
# 0.4-0.9 points of cMER, so the rule is one of words the OCR engine could hardly read
OCR_DOUBT_GUESS_MIN = 0.85

_CORRECTORS: dict[tuple, Corrector] = {}  # (model file, threshold) -> Corrector, one per language


def _corrector(model: CorrectionModel, threshold: float | None) -> Corrector:
    key = (model.path or id(model), threshold)
    c = _CORRECTORS.get(key)
    if c is None:
        c = _CORRECTORS[key] = Corrector(model, threshold=threshold)
    return c


def model_lang(model: CorrectionModel) -> str:
    """The language a correction model corrects (the model file's ``lang``; absent = English)."""
    return str(model.data.get("lang") or "en")


class Correctors:
    """The corrector of each language, loaded on first use: the model given (``--model``) for its own
    language, the shipped model of any other language, or None where there is none."""

    def __init__(self, model: CorrectionModel | str | None = None, threshold: float | None = None):
        self.threshold = threshold
        self.given = load_model(model) if isinstance(model, str) else model
        self._by_lang: dict[str, Corrector | None] = {}

    def get(self, lang: str | None) -> Corrector | None:
        if lang is None:
            return None
        if lang not in self._by_lang:
            if self.given is not None and model_lang(self.given) == lang:
                m = self.given
            else:
                p = model_path_for(lang)
                m = load_model(p) if p else None
            self._by_lang[lang] = _corrector(m, self.threshold) if m is not None else None
        return self._by_lang[lang]

    def why_not(self, lang: str | None, reason: str) -> str:
        if lang is None:
            return f"language not identified ({reason})"
        return f"no correction model for {lang}"


def word_lists(model: CorrectionModel | str | None = None):
    """For ``reissue.wordfreqs.source`` (the build, around reflow): lang -> the wordfreq list of the
    model that will correct that language (``model`` for its own language, else the shipped one),
    loaded now, or None (no model, or its list is of another wordfreq version)."""
    def of(lang: str):
        given = load_model(model) if isinstance(model, str) else model
        if given is not None and model_lang(given) == lang:
            m = given
        else:
            p = model_path_for(lang)
            m = load_model(p) if p else None
        return m.lm.wf if m is not None and m.lm.wf_is_wordfreq else None

    return of


@stage("correct", requires=("doc.paragraphs",), assigns=("text.corrected", "doc.skipped"))
def correct_document(doc: "Document", *, threshold: float | None = None,
                     model: CorrectionModel | str | None = None, lang: str | tuple = "auto",
                     correctors: Correctors | None = None, ocr_doubt_q: float | None = None) -> "Document":
    """Pipeline stage: correct every paragraph and note whose language has a model, recording each
    edit; the others are left as printed and listed in ``doc.skipped``. ``ocr_doubt_q``: the share
    of doubted words (default :data:`OCR_DOUBT_Q`; 0: none, as for text without confidences)."""
    if "lang" not in doc.stages:
        from ..lang import identify_languages

        identify_languages(doc, lang)
    correctors = correctors or Correctors(model, threshold)
    ocr = _ocr_guard(doc, ocr_doubt_q)
    units = list(doc.paragraphs) + list(doc.footnotes)
    texts = [u.text.text for u in units]
    drop_caps = [(e.page, e.end) for e in doc.edits if e.rule == "drop-cap" and e.after == " " and e.active]
    vocabs: dict = {}  # per corrector: the document's words as its language splits them
    for u in units:
        corrector = correctors.get(u.lang)
        if corrector is None:
            doc.skipped.append((u.id, u.lang, correctors.why_not(u.lang, u.lang_reason)))
            continue
        vocab = vocabs.get(id(corrector))
        if vocab is None:
            vocab = vocabs[id(corrector)] = corrector.vocabulary(texts)
        tt = u.text
        conf_of = ocr.reader(tt) if ocr is not None else None  # the OCR's confidence under a span of tt
        doubtful = _doubtful(ocr, conf_of)
        foreign: list = []
        corrs = corrector.corrections(tt.text, vocab, ocr_doubtful=doubtful, doubt_threshold=OCR_DOUBT_MIN,
                                      foreign=foreign)
        doc.foreign_kept += [(u.id, fl, s, e) for s, e, fl in foreign]
        lacking = _after_drop_cap(drop_caps, tt)
        for c in sorted(whole_words(tt.text, corrs), key=lambda c: -c.start):
            if c.start in lacking:
                continue  # the word's first letter is the drop cap printed apart: left as printed
            if (c.rule == "merge-confusion" or c.rule.startswith(MARK_RULE)) and tt.raw_span(c.start, c.end) is None:
                # tokens joined over an earlier edit (reflow's "them-\nse" + "ves"), a mark alone at a line's
                # start or end (" •" over reflow's line join): no ALTO can say it
                continue
            if corrector.P.line_fragment_keeps and _hyphen_half(doc, tt, c):
                continue  # "Wai- {\nlace": a half of a word reflow left apart (guards.hyphen_half)
            if ocr is not None and c.confidence < OCR_STRONG:
                sure = conf_of(c.start, c.end)
                if sure is not None and sure >= ocr.sure:
                    doc.ocr_kept.append((u.id, c.before, c.after, c.rule, c.confidence, sure))
                    continue
            if doubtful is not None and c.confidence < _doubt_min(c) and doubtful(c.start, c.end) \
                    and letters_changed(c.before, c.after):
                doc.ocr_kept.append((u.id, c.before, c.after, c.rule, c.confidence, conf_of(c.start, c.end)))
                continue  # a doubted word's letters changed on weak evidence
            c = _split_at_line_hyphen(doc, tt, c, corrector)
            note = f"{c.before!r} -> {c.after!r} ({c.rule}, p={c.confidence:.2f})"
            if doubtful is not None and doubtful(c.start, c.end):
                note += f"; OCR doubted the word (confidence {conf_of(c.start, c.end):.2f})"
            tt.replace(doc, c.start, c.end, c.after, stage="correct", rule=c.rule, confidence=c.confidence,
                       note=note)
    doc.stages.append("correct")
    return doc


_LINE_HYPHEN = line_end_hyphen_re(words=True)


def _split_at_line_hyphen(doc: "Document", tt, c: Correction, corrector: Corrector) -> Correction:
    """A split of a word that reflow joined at a line-end hyphen, made where that hyphen was printed, keeps
    the hyphen: the halves are two words the print joined, a compound (``Bedford-\\nrow`` -> ``Bedford-row``,
    ``safety-\\ngun``, ``one-\\nfourth``; the OCR file's own reading of the line, ALTO SUBS_CONTENT, joins the
    letters of every hyphenated pair). Unless the second word is a common one (``hyphen_space_min_p``, as the
    hyphen-space pass reads ``of-the``): ``his body-\\nin the water`` is a misread mark, and gets the space.
    Off where the language's parameter is (None)."""
    min_p = corrector.P.hyphen_space_min_p
    if min_p is None or not c.rule.startswith("split") or c.after.count(" ") != 1:
        return c
    first, last = tt.anchor_at(c.start), tt.anchor_at(c.end - 1)  # (reflow's join makes raw_span None)
    if first is None or last is None or first[0] != last[0]:
        return c
    m = _LINE_HYPHEN.search(doc.pages[first[0]].raw, first[1], last[1] + 1)
    left, right = c.after.split(" ")
    if m is None or m.group(1).lower() != left.lower()[-len(m.group(1)):] or not right.lower().startswith(
            m.group(3).lower()) or corrector.lm.p(right.lower()) >= min_p:
        return c
    return Correction(c.start, c.end, c.before, f"{left}-{right}", c.confidence, c.rule)


def _hyphen_half(doc: "Document", tt, c: Correction) -> bool:
    """Is the corrected word a half of a word hyphenated over a line end of its page (guards.hyphen_half:
    the reflowed text the corrector read has lost that line break)?"""
    span = tt.raw_span(c.start, c.end)
    return span is not None and hyphen_half(doc.pages[span[0]].raw, span[1], span[2])


def _doubt_min(c: Correction) -> float:
    """The confidence a correction that changes the letters of a doubted word needs."""
    return OCR_DOUBT_GUESS_MIN if c.rule == "edit-distance" else OCR_DOUBT_MIN


def letters_changed(before: str, after: str) -> bool:
    """Does a correction change the letters of what was printed, not only its spaces, hyphens and marks
    ("tieup" -> "tie up", "rail-\\n\"roads" -> "railroads" do not)?"""
    return [ch.lower() for ch in before if ch.isalnum()] != [ch.lower() for ch in after if ch.isalnum()]


def _after_drop_cap(drop_caps: list, tt) -> set[int]:
    """Text offsets of the words that follow a drop-cap letter reflow joined to its line, not to its
    word (``D ufklärung``: the cap was misread, so the pair is no word). Such a word lacks its first
    letter as printed; a correction of it (``ufklärung`` -> ``aufklärung``) would add a wrong one."""
    out = set()
    for page, raw in drop_caps:
        off = tt.offset_of(page, raw)
        if off is not None:
            out.add(off)
    return out


def _ocr_guard(doc: "Document", doubt_q: float | None = None):
    """The OCR confidences of ``doc`` (None where the input has none), its parameters recorded;
    ``ocr.doubt`` is the confidence below which a word is doubted (None: no word is)."""
    from ..ingest.confidence import OcrConfidence

    ocr = OcrConfidence(doc, threshold=OCR_SURE)
    if not ocr:
        return None
    q = OCR_DOUBT_Q if doubt_q is None else doubt_q
    ocr.doubt = ocr.quantile(q) if q > 0 else None
    doc.parameters["correct"] = {**doc.parameters.get("correct", {}), "ocr_sure": OCR_SURE,
                                 "ocr_median": round(ocr.median, 4), "ocr_sure_used": round(ocr.sure, 4),
                                 "ocr_strong": OCR_STRONG, "ocr_doubt_quantile": q, "ocr_doubt_min": OCR_DOUBT_MIN,
                                 "ocr_doubt_guess_min": OCR_DOUBT_GUESS_MIN,
                                 "ocr_doubt_below": None if ocr.doubt is None else round(ocr.doubt, 4)}
    return ocr


def _doubtful(ocr, conf_of):
    """``ocr_doubtful(start, end)`` of the engine for one text whose OCR confidences ``conf_of(start, end)``
    gives (``OcrConfidence.reader``): the engine's confidence of the word there is below ``ocr.doubt``; None for
    text without confidences (nothing changes there)."""
    if ocr is None or ocr.doubt is None:
        return None

    def doubtful(a: int, b: int) -> bool:
        c = conf_of(a, b)
        return c is not None and c < ocr.doubt
    return doubtful


def ocr_guard_summary(doc: "Document") -> str | None:
    """One line: how many corrections the OCR-confidence guard did not make (words the engine was sure of,
    words it doubted)."""
    if not doc.ocr_kept:
        return None
    params = doc.parameters.get("correct", {})
    sure = params.get("ocr_sure_used", OCR_SURE)
    n_sure = sum(k[5] is not None and k[5] >= sure for k in doc.ocr_kept)
    n_doubt = len(doc.ocr_kept) - n_sure
    parts = []
    if n_sure:
        parts.append(f"{n_sure} correction{'s' if n_sure != 1 else ''} not made: the OCR engine was "
                     f"sure of the word (confidence >= {sure:.2f}) and the correction weaker than {OCR_STRONG:.2f}")
    if n_doubt:
        parts.append(f"{n_doubt} correction{'s' if n_doubt != 1 else ''} not made: the OCR engine doubted the word "
                     f"(confidence < {params.get('ocr_doubt_below') or 0:.2f}) and the correction, which changed its "
                     f"letters, was weaker than {OCR_DOUBT_MIN:.2f} ({OCR_DOUBT_GUESS_MIN:.2f} for an edit-distance guess)")
    return "; ".join(parts)


def guard_summary(skipped: list, total: int, what: str = "paragraphs and notes") -> str | None:
    """One line: how many texts the guard left as printed, and why."""
    if not skipped:
        return None
    why = Counter("language not identified" if lang is None else reason for _id, lang, reason in skipped)
    parts = ", ".join(f"{n} {r}" for r, n in why.most_common())
    return f"{len(skipped)} of {total} {what} left as printed (not corrected): {parts}"


def foreign_summary(kept: list, what: str = "paragraphs and notes") -> str | None:
    """One line: how many sentences of another language inside the texts were left as printed, by language."""
    if not kept:
        return None
    langs = Counter(k[1] for k in kept)
    return (f"{len(kept)} sentence{'s' if len(kept) != 1 else ''} of another language inside {what} left as "
            f"printed ({', '.join(f'{lang} {n}' for lang, n in langs.most_common())})")


def explain_skipped(doc: "Document") -> list[str]:
    out = [f"{'guard':<15} {uid:<8} {lang or '-':<3} left as printed: {reason}" for uid, lang, reason in doc.skipped]
    out += [f"{'foreign-guard':<15} {uid:<8} {lang:<3} a sentence left as printed: characters {s}-{e}"
            for uid, lang, s, e in doc.foreign_kept]
    out += [f"{'ocr-guard':<15} {uid:<8} {before!r} kept, not {after!r} ({rule}, p={p:.2f}): OCR confidence {ocr:.2f}"
            for uid, before, after, rule, p, ocr in doc.ocr_kept]
    return out


# ---------------------------------------------------------------------------------------------
# plain text (`reissue correct`)

BLOCK_SEP = re.compile(r"\n[ \t]*\n")  # paragraphs of a plain text: blocks between blank lines


def blocks(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in BLOCK_SEP.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def correct_plain_text(text: str, correctors: Correctors, lang: str | tuple = "auto",
                       foreign: list | None = None) -> tuple[list[Correction], list]:
    """Corrections of a plain text, block by block (blocks are separated by blank lines) with the
    corrector of each block's language; returns (corrections, skipped blocks as (label, lang, reason)).
    ``foreign``: a list the sentences of another language inside a corrected block, left as printed, are added
    to, as (label, lang, start, end) (correct/foreign.py)."""
    from ..lang import identify_texts

    spans = blocks(text)
    decisions = identify_texts([text[a:b] for a, b in spans], lang)
    langs = {d.lang for d in decisions}

    def line(at: int) -> str:
        return f"line {text.count(chr(10), 0, at) + 1}"

    skipped = [(line(a), d.lang, correctors.why_not(d.lang, d.reason))
               for (a, _b), d in zip(spans, decisions) if correctors.get(d.lang) is None]
    if len(langs) == 1 and not skipped and spans:
        # one language throughout: the whole text at once, as the corrector was trained
        corrector = correctors.get(decisions[0].lang)
        kept: list = []
        out = corrector.corrections(text, corrector.vocabulary([text]), foreign=kept)
        if foreign is not None:
            foreign += [(line(s), fl, s, e) for s, e, fl in kept]
        return out, []
    out: list[Correction] = []
    for (a, b), d in zip(spans, decisions):
        corrector = correctors.get(d.lang)
        if corrector is None:
            continue
        kept = []
        got = corrector.corrections(text[a:b], corrector.vocabulary([text]), foreign=kept)
        if foreign is not None:
            foreign += [(line(a + s), fl, a + s, a + e) for s, e, fl in kept]
        for c in got:
            out.append(Correction(c.start + a, c.end + a, c.before, c.after, c.confidence, c.rule))
    return out, skipped
