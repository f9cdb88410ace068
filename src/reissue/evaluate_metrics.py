"""The metrics of :mod:`reissue.evaluate`: the scorer's normalisation, alignment counts, CER, WER,
cMER, wMER, one document's scores and their aggregation per dataset (micro, macro, preference).

See :mod:`reissue.evaluate` for what is computed and how it matches the official HIPE-OCRepair
scorer; that module reads the inputs (HIPE records, folders of text files) and re-exports these.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz.distance import Levenshtein

# --------------------------------------------------------------------------------------------
# normalisation (identical to hipe_ocrepair_scorer.ocrepair_eval.norm)

_CHAR_MAP = (
    ("ß", "ss"),
    ("ꝛ", "r"),
    ("œ", "oe"),
    ("æ", "ae"),
    ("a\u0364", "ä"),
    ("o\u0364", "ö"),
    ("u\u0364", "ü"),
    ("—\n", ""),  # DTA line-break marker
    ("¬\n", ""),  # ground-truth line-break hyphen: the two halves join
)
_NON_WORD = re.compile(r"[^\w]", flags=re.UNICODE)
_UNDERSCORE = re.compile(r"_")
_SPACES = re.compile(r"\s+")
_MULTI_SPACE = re.compile(r"\s\s+")  # jiwer's RemoveMultipleSpaces (normalize=False path)


def normalize(text: str) -> str:
    """Normalise *text* the way the HIPE-OCRepair scorer does before scoring.

    Lower-case, map ``ß æ œ`` and a few historical forms, delete ``¬\\n`` / ``—\\n``, turn every
    non-word character into a space and collapse whitespace. Case, punctuation and line breaks
    therefore do not count; deleting an apostrophe or hyphen inside a word does.
    """
    text = text.lower()
    for old, new in _CHAR_MAP:
        if old in text:
            text = text.replace(old, new)
    text = _NON_WORD.sub(" ", text)
    text = _UNDERSCORE.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def _prepare(text: str, normalized: bool) -> str:
    if normalized:
        return normalize(text)
    return text.strip()


# --------------------------------------------------------------------------------------------
# alignment counts


@dataclass(frozen=True)
class Counts:
    """Alignment counts of a hypothesis against a reference (hits, substitutions, deletions,
    insertions), as jiwer reports them."""

    hits: int = 0
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def ref_len(self) -> int:
        return self.hits + self.substitutions + self.deletions

    @property
    def hyp_len(self) -> int:
        return self.hits + self.substitutions + self.insertions

    @property
    def mer(self) -> float:
        """Match error rate (S+D+I)/(H+S+D+I); 0 when both sides are empty."""
        total = self.hits + self.errors
        return self.errors / total if total else 0.0

    @property
    def rate(self) -> float:
        """Error rate (S+D+I)/(H+S+D) (CER or WER). An empty reference gives 0.0 when the
        hypothesis is empty too, else 1.0 (jiwer would return the bare insertion count)."""
        n = self.ref_len
        if n:
            return self.errors / n
        return 0.0 if self.errors == 0 else 1.0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.hits + other.hits, self.substitutions + other.substitutions,
                      self.deletions + other.deletions, self.insertions + other.insertions)

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.hits, self.substitutions, self.deletions, self.insertions)


def _counts_from_opcodes(ref: Sequence, hyp: Sequence) -> Counts:
    hits = subs = dels = ins = 0
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ref, hyp):
        if tag == "equal":
            hits += i2 - i1
        elif tag == "replace":
            subs += i2 - i1
        elif tag == "delete":
            dels += i2 - i1
        else:  # insert
            ins += j2 - j1
    return Counts(hits, subs, dels, ins)


def char_counts(ref: str, hyp: str) -> Counts:
    """Character-level counts of already prepared (normalised) strings; spaces are characters."""
    if ref == hyp:
        return Counts(hits=len(ref))
    return _counts_from_opcodes(ref, hyp)


def word_counts(ref: str, hyp: str) -> Counts:
    """Word-level counts of already prepared strings (words split on single spaces)."""
    ref_words = [w for w in _MULTI_SPACE.sub(" ", ref).strip().split(" ") if w]
    hyp_words = [w for w in _MULTI_SPACE.sub(" ", hyp).strip().split(" ") if w]
    if ref_words == hyp_words:
        return Counts(hits=len(ref_words))
    ids: dict[str, int] = {}
    ref_ids = [ids.setdefault(w, len(ids)) for w in ref_words]
    hyp_ids = [ids.setdefault(w, len(ids)) for w in hyp_words]
    return _counts_from_opcodes(ref_ids, hyp_ids)


def cer(gt: str, hyp: str, *, normalized: bool = True) -> float:
    """Character error rate of *hyp* against *gt* (normalised like the scorer by default)."""
    return char_counts(_prepare(gt, normalized), _prepare(hyp, normalized)).rate


def wer(gt: str, hyp: str, *, normalized: bool = True) -> float:
    """Word error rate of *hyp* against *gt* (normalised like the scorer by default)."""
    return word_counts(_prepare(gt, normalized), _prepare(hyp, normalized)).rate


def cmer(gt: str, hyp: str, *, normalized: bool = True) -> float:
    """Character match error rate (S+D+I)/(H+S+D+I) of *hyp* against *gt*."""
    return char_counts(_prepare(gt, normalized), _prepare(hyp, normalized)).mer


def wmer(gt: str, hyp: str, *, normalized: bool = True) -> float:
    """Word match error rate (S+D+I)/(H+S+D+I) of *hyp* against *gt*."""
    return word_counts(_prepare(gt, normalized), _prepare(hyp, normalized)).mer


# --------------------------------------------------------------------------------------------
# documents


@dataclass
class DocScore:
    """Scores of one document: the output (``chars``/``words``) and, when the OCR is known, the
    uncorrected OCR (``ocr_chars``/``ocr_words``) against the ground truth."""

    doc_id: str | None
    dataset: str
    chars: Counts
    words: Counts
    ocr_chars: Counts | None = None
    ocr_words: Counts | None = None
    #: the output was missing/empty/"None" and was replaced (by the OCR text, or by "")
    replaced: bool = False

    @property
    def cmer(self) -> float:
        return self.chars.mer

    @property
    def wmer(self) -> float:
        return self.words.mer

    def _pref(self, sys_mer: float, ocr: Counts | None) -> int | None:
        if ocr is None:
            return None
        base = ocr.mer
        return 1 if sys_mer < base else (-1 if sys_mer > base else 0)

    @property
    def pref_cmer(self) -> int | None:
        """+1 the output is better than the OCR (lower cMER), -1 worse, 0 equal."""
        return self._pref(self.chars.mer, self.ocr_chars)

    @property
    def pref_wmer(self) -> int | None:
        return self._pref(self.words.mer, self.ocr_words)

    @staticmethod
    def _pcis(sys_mer: float, ocr: Counts | None) -> float | None:
        if ocr is None:
            return None
        s1 = 1 - sys_mer
        s2 = 1 - ocr.mer
        if s2 == 0:
            return min(1, max(-1, s1))
        return (s1 - s2) / s2

    @property
    def pcis_cmer(self) -> float | None:
        return self._pcis(self.chars.mer, self.ocr_chars)

    @property
    def pcis_wmer(self) -> float | None:
        return self._pcis(self.words.mer, self.ocr_words)

    def to_dict(self) -> dict:
        d = {
            "document_id": self.doc_id,
            "dataset": self.dataset,
            "cer": self.chars.rate,
            "wer": self.words.rate,
            "cmer": self.chars.mer,
            "wmer": self.words.mer,
            "chars": list(self.chars.as_tuple()),
            "words": list(self.words.as_tuple()),
            "replaced_output": self.replaced,
        }
        if self.ocr_chars is not None and self.ocr_words is not None:
            d.update({
                "ocr_cer": self.ocr_chars.rate,
                "ocr_wer": self.ocr_words.rate,
                "ocr_cmer": self.ocr_chars.mer,
                "ocr_wmer": self.ocr_words.mer,
                "pref_cmer": self.pref_cmer,
                "pref_wmer": self.pref_wmer,
            })
        return d


def _is_missing(output) -> bool:
    return not isinstance(output, str) or output.strip() == "" or output == "None"


def score_document(gt: str, output: str | None, ocr: str | None = None, *, doc_id: str | None = None,
                   dataset: str = "default", normalized: bool = True, missing: str = "ocr") -> DocScore:
    """Score one document's correction *output* (and the *ocr* baseline) against *gt*.

    A missing/empty/``"None"`` output is replaced by *ocr* (``missing="ocr"``, the default; by
    ``""`` when there is no OCR) or by ``""`` (``missing="empty"``).
    """
    if missing not in ("ocr", "empty"):
        raise ValueError(f"missing must be 'ocr' or 'empty', not {missing!r}")
    replaced = _is_missing(output)
    if replaced:
        output = ocr if (missing == "ocr" and isinstance(ocr, str)) else ""
    g = _prepare(gt, normalized)
    o = _prepare(output, normalized)
    score = DocScore(doc_id, dataset, char_counts(g, o), word_counts(g, o), replaced=replaced)
    if ocr is not None:
        h = _prepare(ocr, normalized)
        if h == o:
            score.ocr_chars, score.ocr_words = score.chars, score.words
        else:
            score.ocr_chars, score.ocr_words = char_counts(g, h), word_counts(g, h)
    return score


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return math.fsum(values) / len(values) if values else 0.0


def aggregate(docs: Sequence[DocScore]) -> dict:
    """Dataset-level scores of a list of document scores (one dataset)."""
    chars = sum((d.chars for d in docs), Counts())
    words = sum((d.words for d in docs), Counts())
    out: dict = {
        "documents": len(docs),
        "cer_micro": chars.rate,
        "wer_micro": words.rate,
        "cer_macro": _mean(d.chars.rate for d in docs),
        "wer_macro": _mean(d.words.rate for d in docs),
        "cmer_micro": chars.mer,
        "wmer_micro": words.mer,
        "cmer_macro": _mean(d.chars.mer for d in docs),
        "wmer_macro": _mean(d.words.mer for d in docs),
        "gt_chars": chars.ref_len,
        "gt_words": words.ref_len,
        "replaced_outputs": sum(d.replaced for d in docs),
    }
    if docs and all(d.ocr_chars is not None for d in docs):
        ocr_chars = sum((d.ocr_chars for d in docs), Counts())
        ocr_words = sum((d.ocr_words for d in docs), Counts())
        prefs = [d.pref_cmer for d in docs]
        out.update({
            "pref_score_cmer_macro": _mean(prefs),
            "pref_score_wmer_macro": _mean(d.pref_wmer for d in docs),
            "pcis_cmer_macro": _mean(d.pcis_cmer for d in docs),
            "pcis_wmer_macro": _mean(d.pcis_wmer for d in docs),
            "improved": sum(p > 0 for p in prefs),
            "damaged": sum(p < 0 for p in prefs),
            "unchanged": sum(p == 0 for p in prefs),
            "ocr_cer_micro": ocr_chars.rate,
            "ocr_wer_micro": ocr_words.rate,
            "ocr_cmer_micro": ocr_chars.mer,
            "ocr_wmer_micro": ocr_words.mer,
            "ocr_cmer_macro": _mean(d.ocr_chars.mer for d in docs),
            "ocr_wmer_macro": _mean(d.ocr_words.mer for d in docs),
        })
    return out


#: keys of ``aggregate`` that are counts (summed, not averaged, across datasets)
COUNT_KEYS = ("documents", "gt_chars", "gt_words", "replaced_outputs", "improved", "damaged", "unchanged")


def _average(per_dataset: dict[str, dict]) -> dict:
    """Mean over datasets of every rate, sum of every count (like ``averaged_scores``)."""
    folds = list(per_dataset.values())
    if not folds:
        return {}
    keys = [k for k in folds[0] if all(k in f for f in folds)]
    out = {}
    for k in keys:
        if k in COUNT_KEYS:
            out[k] = sum(f[k] for f in folds)
        else:
            out[k] = sum(f[k] for f in folds) / len(folds)  # the scorer's plain sum / n
    return out


DRAWS = 2000  # bootstrap draws of change_interval, where a caller asks for it without a number


def cmer_change(scores: dict) -> float | None:
    """The micro cMER change against the OCR of aggregated ``scores`` (cMER micro of the output / of the OCR - 1,
    what the benchmarks report as "change"); None where the OCR has no error."""
    none = scores["ocr_cmer_micro"]
    return scores["cmer_micro"] / none - 1 if none else None


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% (``z`` 1.96) Wilson score interval of a proportion k / n: the share of edits read by hand that are
    right, or that fix a misprint the ground truth kept; (0, 1) where nothing was counted."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, mid - half), min(1.0, mid + half)


def change_interval(docs: Sequence[DocScore], *, draws: int = DRAWS, level: float = 0.95,
                    seed: int = 0) -> tuple[float, float] | None:
    """A bootstrap interval of the micro cMER change against the OCR (``cmer_change``): the documents drawn with
    replacement ``draws`` times, the same draw for the output and the OCR, and the central ``level`` share of the
    changes (percentiles).
    A document is the unit drawn, as a split's errors cluster in its documents (a garbled page, a table of
    prices); documents of one source are still counted as independent, so the interval is if anything too
    narrow. None where a document has no OCR counts, or the OCR has no error. Needs numpy."""
    if not docs or any(d.ocr_chars is None for d in docs):
        return None
    import numpy as np

    # per document: errors and length (hits + errors, the denominator of a MER) of the output and the OCR
    cols = np.array([(d.chars.errors, d.chars.hits + d.chars.errors, d.ocr_chars.errors,
                      d.ocr_chars.hits + d.ocr_chars.errors) for d in docs], dtype=np.float64)
    picks = np.random.default_rng(seed).integers(0, len(docs), size=(draws, len(docs)))
    err, tot, ocr_err, ocr_tot = (cols[:, k][picks].sum(axis=1) for k in range(4))
    ok = (ocr_err > 0) & (tot > 0)
    if not ok.any():
        return None
    change = (err[ok] / tot[ok]) / (ocr_err[ok] / ocr_tot[ok]) - 1
    lo, hi = np.quantile(change, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def score_documents(docs: Sequence[DocScore], *, per_document: bool = False, draws: int = 0) -> dict:
    """Group document scores by dataset (in order of first appearance) and aggregate. With ``draws``, each
    dataset's scores also hold ``cmer_change_interval``: ``change_interval`` of its documents (95%)."""
    groups: dict[str, list[DocScore]] = {}
    for d in docs:
        groups.setdefault(d.dataset, []).append(d)
    datasets = {name: aggregate(group) for name, group in groups.items()}
    result = {"datasets": datasets, "averaged": _average(datasets)}
    if draws:  # (not averaged over datasets: one dataset's interval is also the average's)
        for name, group in groups.items():
            datasets[name]["cmer_change_interval"] = change_interval(group, draws=draws)
        if len(datasets) == 1:
            result["averaged"]["cmer_change_interval"] = next(iter(datasets.values()))["cmer_change_interval"]
    if per_document:
        result["documents"] = [d.to_dict() for d in docs]
    return result
