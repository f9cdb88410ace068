"""Scoring OCR (post-)correction against ground truth: CER, WER and the HIPE-OCRepair metrics.

A self-contained re-implementation (on :mod:`rapidfuzz`) of the official HIPE-OCRepair-2026
scorer (``hipe-ocrepair-scorer`` 0.9.9, ``Evaluation(...).score_over_datasets(normalize=True)``):

* texts are normalised like the scorer's ``norm``: lower-cased; ``ß``->``ss``, ``ꝛ``->``r``,
  ``œ``->``oe``, ``æ``->``ae``, ``aͤ/oͤ/uͤ``->``ä/ö/ü``; ``—\\n`` and ``¬\\n`` deleted (the ground
  truth's line-break hyphens, so the halves join); every non-word character (``[^\\w]``, and
  ``_``) becomes a space; whitespace is collapsed and stripped;
* the character and word alignments are rapidfuzz's Levenshtein ``opcodes``, exactly what
  ``jiwer.process_characters`` / ``jiwer.process_words`` use, so hits (H), substitutions (S),
  deletions (D) and insertions (I) are the same numbers;
* MER = (S+D+I)/(H+S+D+I) at character level (cMER) and word level (wMER), CER/WER =
  (S+D+I)/(H+S+D); *micro* = from the counts summed over a dataset's documents, *macro* = mean
  of the documents' rates;
* preference score = share of documents whose MER the correction lowered minus share whose
  MER it raised, compared with the uncorrected OCR (``pref_score_cmer_macro``); ``pcis`` is the
  scorer's normalised-improvement score;
* documents flagged ``ground_truth.exclude_from_icdar_evaluation = true`` are left out;
* scores are computed per dataset (``document_metadata.primary_dataset_name``) and the
  ``averaged`` scores are the plain mean over datasets, like ``averaged_scores``.

One deliberate convention (the competition's, see the data README): a missing, empty,
whitespace-only or ``"None"`` correction output is replaced by the document's OCR text, i.e.
scored as "no correction" (``missing="ocr"``). The scorer package's own ``align_records``
scores such documents with an empty output instead; ``missing="empty"`` reproduces that.

The scorer's bootstrap confidence intervals are not computed (they need numpy and 10,000
resamples per metric); everything else is numerically identical (tested against the official
package on the dev data).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz.distance import Levenshtein


from .errors import InputError, ReissueError

__all__ = [
    "Counts",
    "DocScore",
    "normalize",
    "char_counts",
    "word_counts",
    "cer",
    "wer",
    "cmer",
    "wmer",
    "score_document",
    "aggregate",
    "score_records",
    "score_pairs",
    "score_folders",
    "load_jsonl",
    "merge_records",
]

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


def score_documents(docs: Sequence[DocScore], *, per_document: bool = False) -> dict:
    """Group document scores by dataset (in order of first appearance) and aggregate."""
    groups: dict[str, list[DocScore]] = {}
    for d in docs:
        groups.setdefault(d.dataset, []).append(d)
    datasets = {name: aggregate(group) for name, group in groups.items()}
    result = {"datasets": datasets, "averaged": _average(datasets)}
    if per_document:
        result["documents"] = [d.to_dict() for d in docs]
    return result


# --------------------------------------------------------------------------------------------
# HIPE records


def _text_of(record: dict, key: str, where: str, *, required: bool = True):
    part = record.get(key)
    if isinstance(part, dict) and isinstance(part.get("transcription_unit"), str):
        return part["transcription_unit"]
    if part is None and not required:
        return None
    if not required:  # present but malformed output: scored as missing
        return None
    raise InputError(f"{where} has no string '{key}.transcription_unit'",
                     hint="expected a HIPE-OCRepair record")


def record_meta(record: dict) -> dict:
    meta = record.get("document_metadata")
    return meta if isinstance(meta, dict) else {}


def _where(record: dict, index: int) -> str:
    return f"record {index + 1}"


def score_records(records: Sequence[dict], *, normalized: bool = True, missing: str = "ocr",
                  per_document: bool = False) -> dict:
    """Score HIPE-OCRepair records (each with ``ground_truth``, ``ocr_hypothesis`` and, when
    corrected, ``ocr_postcorrection_output``).

    Records without an output are scored as their OCR (the no-correction baseline). Returns
    ``{"datasets": {name: scores}, "averaged": scores[, "documents": [...]]}``; ``scores`` holds
    ``cmer_micro``, ``wmer_micro``, ``cmer_macro``, ``wmer_macro``, ``cer_*``, ``wer_*``,
    ``pref_score_cmer_macro``, ``pref_score_wmer_macro``, ``pcis_*``, ``improved``,
    ``damaged``, ``unchanged``, ``ocr_*`` (the baseline) and counts.
    """
    docs = []
    for i, rec in enumerate(records):
        line = getattr(records, "lines", None)
        where = _where(rec, i) if line is None else f"line {line[i]}"
        if not isinstance(rec, dict):
            raise InputError(f"{where} is not a JSON object")
        gt_part = rec.get("ground_truth")
        if isinstance(gt_part, dict) and gt_part.get("exclude_from_icdar_evaluation") is True:
            continue
        gt = _text_of(rec, "ground_truth", where)
        ocr = _text_of(rec, "ocr_hypothesis", where)
        output = _text_of(rec, "ocr_postcorrection_output", where, required=False)
        meta = record_meta(rec)
        docs.append(score_document(gt, output, ocr, doc_id=meta.get("document_id"),
                                   dataset=str(meta.get("primary_dataset_name") or "default"),
                                   normalized=normalized, missing=missing))
    if not docs:
        raise InputError("no documents to evaluate", hint="the records are empty or all excluded")
    return score_documents(docs, per_document=per_document)


def score_pairs(pairs: Iterable[tuple[str, str, str | None]], *, dataset: str = "pairs",
                normalized: bool = True, missing: str = "ocr", per_document: bool = False) -> dict:
    """Score ``(ocr, gt, output)`` triples as one dataset; ``output=None`` scores the OCR."""
    docs = [score_document(gt, hyp, ocr, doc_id=str(i), dataset=dataset, normalized=normalized,
                           missing=missing)
            for i, (ocr, gt, hyp) in enumerate(pairs)]
    if not docs:
        raise InputError("no documents to evaluate")
    return score_documents(docs, per_document=per_document)


class _Records(list):
    """A list of records that remembers the file and line number of each."""

    path: str = ""
    lines: list[int]


def load_jsonl(path, *, validate: bool = True) -> list[dict]:
    """Read a (optionally gzipped) JSONL file of HIPE records.

    Raises :class:`~reissue.errors.InputError` naming the file and line of the first bad line
    (not JSON, not an object, or - with *validate* - no ``ground_truth`` / ``ocr_hypothesis``
    ``transcription_unit`` string).
    """
    path = Path(path)
    records = _Records()
    records.path = str(path)
    records.lines = []
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", path=str(path),
                                     line=n, hint="expected one HIPE-OCRepair JSON record per line") from None
                if not isinstance(rec, dict):
                    raise InputError("not a JSON object", path=str(path), line=n,
                                     hint="expected one HIPE-OCRepair JSON record per line")
                if validate:
                    for key in ("ground_truth", "ocr_hypothesis"):
                        part = rec.get(key)
                        if not (isinstance(part, dict) and isinstance(part.get("transcription_unit"), str)):
                            raise InputError(f"record has no string '{key}.transcription_unit'",
                                             path=str(path), line=n, hint="expected a HIPE-OCRepair record")
                records.append(rec)
                records.lines.append(n)
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a JSONL file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except (OSError, EOFError) as exc:
        if isinstance(exc, ReissueError):
            raise
        raise InputError(f"cannot be read: {exc}", path=str(path)) from None
    return records


def merge_records(reference: Sequence[dict], hypothesis: Sequence[dict]) -> list[dict]:
    """Take ground truth, OCR and metadata from *reference* and the correction output from the
    *hypothesis* record with the same ``document_id`` (a missing one is scored as missing)."""
    by_id = {}
    for i, rec in enumerate(hypothesis):
        doc_id = record_meta(rec).get("document_id")
        if doc_id is None:
            raise InputError(f"hypothesis record {i + 1} has no document_metadata.document_id")
        if doc_id in by_id:
            raise InputError(f"duplicate document_id {doc_id!r} in the hypothesis records")
        by_id[doc_id] = rec
    merged = []
    for i, ref in enumerate(reference):
        doc_id = record_meta(ref).get("document_id")
        if doc_id is None:
            raise InputError(f"reference record {i + 1} has no document_metadata.document_id")
        rec = {k: ref[k] for k in ("document_metadata", "ground_truth", "ocr_hypothesis") if k in ref}
        hyp = by_id.get(doc_id)
        if hyp is not None and "ocr_postcorrection_output" in hyp:
            rec["ocr_postcorrection_output"] = hyp["ocr_postcorrection_output"]
        merged.append(rec)
    return merged


# --------------------------------------------------------------------------------------------
# folders of text files


def _text_files(folder: Path) -> dict[str, Path]:
    files = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            files[rel.as_posix()] = p
    return files


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from None


def score_folders(gt_dir, hyp_dir, ocr_dir=None, *, normalized: bool = True, missing: str = "ocr",
                  per_document: bool = False, dataset: str | None = None) -> dict:
    """Score the text files of *hyp_dir* against the same-named files of *gt_dir*.

    Every file of *gt_dir* (recursively, hidden ones skipped) is a document; a missing or
    empty hypothesis file counts as a missing output (replaced by the *ocr_dir* file when
    given, else scored as empty). With *ocr_dir* the preference score and OCR baseline are
    computed too. All documents form one dataset (named after *gt_dir* unless *dataset*).
    """
    dirs = {"ground-truth": gt_dir, "hypothesis": hyp_dir}
    if ocr_dir is not None:
        dirs["OCR"] = ocr_dir
    for label, d in dirs.items():
        if not Path(d).is_dir():
            raise InputError(f"{label} folder not found", path=str(d))
    gt_files = _text_files(Path(gt_dir))
    if not gt_files:
        raise InputError("no files in the ground-truth folder", path=str(gt_dir))
    hyp_dir, ocr_dir = Path(hyp_dir), (Path(ocr_dir) if ocr_dir is not None else None)
    name = dataset or Path(gt_dir).resolve().name or "folder"
    docs = []
    for rel, gt_path in gt_files.items():
        gt = _read_text(gt_path)
        hyp_path = hyp_dir / rel
        hyp = _read_text(hyp_path) if hyp_path.is_file() else None
        ocr = None
        if ocr_dir is not None:
            ocr_path = ocr_dir / rel
            if not ocr_path.is_file():
                raise InputError(f"no OCR file for ground-truth file {rel}", path=str(ocr_path),
                                 hint="every ground-truth file needs a same-named OCR file")
            ocr = _read_text(ocr_path)
        docs.append(score_document(gt, hyp, ocr, doc_id=rel, dataset=name, normalized=normalized,
                                   missing=missing))
    return score_documents(docs, per_document=per_document)


# --------------------------------------------------------------------------------------------
# CLI
