"""Fit the learned parts of the correction model from aligned OCR / ground-truth pairs.

Learned here:

* character confusions ``P(ocr substring | true substring)`` (h->b, rn->m, ...), from word pairs
  aligned with rapidfuzz;
* word confusions (``he`` printed for ``be``) with their rates, which drive real-word correction;
* word unigram and bigram counts of the ground truth, mixed into the language model.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Iterable, Iterator

from rapidfuzz.distance import Levenshtein

from ..chars import LINE_END_DASH, LINE_END_HYPHENS, LONG_S_CHAR, line_end_hyphen_re
from ..errors import UsageError
from .casing import count_lowered, lowered_table
from .signs import ETC_AFTER, ETC_RE
from .tokens import caps_word, char_rules, one_to_one, words_of  # noqa: F401  (char_rules, caps_word: here before)

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
LINE_HYPHEN_RE = line_end_hyphen_re(LINE_END_HYPHENS + LINE_END_DASH)  # joined in training text
MAX_SUB = 3
# a word after a word and a space (mid-sentence), where a capital says it is a name
MID_WORD_RE = re.compile(r"(?<=[^\W\d_] )([^\W\d_]+)")
NAME_MIN_COUNT = 3  # mid-sentence occurrences a word needs to be called capitalised
NAME_MIN_SHARE = 0.9  # ... and the share of them that begin with a capital


def clean_gt(text: str) -> str:
    """Ground truth as the model should learn it: joined ¬-hyphenation, no long s."""
    return text.replace("¬\n", "").replace(LONG_S_CHAR, "s").replace("’", "'")


def clean_ocr(text: str) -> str:
    return LINE_HYPHEN_RE.sub(r"\1\2", text).replace("’", "'")


def words(text: str, elisions=()) -> list[str]:
    return [w.lower() for w in words_of(text, elisions)]


def read_hipe(path: str, *, with_ids: bool = False) -> Iterator[tuple]:
    """(OCR, ground truth) of every record, plus its document id when ``with_ids``."""
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read HIPE file: {exc}", path=path) from exc
    with fh:
        for no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                pair = (rec["ocr_hypothesis"]["transcription_unit"], rec["ground_truth"]["transcription_unit"])
                if with_ids:
                    pair += (str((rec.get("document_metadata") or {}).get("document_id", no)),)
                yield pair
            except (ValueError, KeyError, TypeError) as exc:
                raise UsageError(f"not a HIPE-OCRepair record with OCR and ground truth ({exc})",
                                 path=path, line=no) from exc


def read_text_dirs(ocr_dir: str, gt_dir: str) -> Iterator[tuple[str, str]]:
    """Pairs of files with the same name in two folders."""
    if not os.path.isdir(ocr_dir) or not os.path.isdir(gt_dir):
        raise UsageError(f"--ocr-dir {ocr_dir!r} and --gt-dir {gt_dir!r} must both be folders")
    names = sorted(n for n in os.listdir(ocr_dir) if os.path.isfile(os.path.join(ocr_dir, n)))
    pairs = [n for n in names if os.path.isfile(os.path.join(gt_dir, n))]
    if not pairs:
        raise UsageError(f"no file name occurs in both {ocr_dir} and {gt_dir}",
                         hint="name each ground-truth file like its OCR file")
    for n in pairs:
        with open(os.path.join(ocr_dir, n), encoding="utf-8", errors="replace") as a, \
                open(os.path.join(gt_dir, n), encoding="utf-8", errors="replace") as b:
            yield a.read(), b.read()


def _rule_rows(counts: Counter, gt_text: str, min_count: int) -> list[list]:
    """[[ocr_sub, gt_sub, count, times gt_sub occurs in the aligned ground truth]], most frequent first."""
    nchars = max(1, len(gt_text))
    rules = []
    for (osub, gsub), c in counts.items():
        if c < min_count:
            continue
        denom = gt_text.count(gsub) if gsub else nchars
        rules.append([osub, gsub, c, max(denom, c)])
    rules.sort(key=lambda r: (-r[2], r[0], r[1]))
    return rules


def _count_etc(ocr: str, gt: str, etc: Counter, seen: Counter) -> None:
    """Count, for each short OCR word after a comma or a stop with a stop or comma after it (``tea, Ac.``),
    how often it is there and how often the ground truth has ``&c`` in its place (the icdar ground
    truth prints it ``c.``)."""
    oc, gc = ocr.split(), gt.split()
    for i, j in one_to_one(oc, gc):
        m = ETC_RE.match(oc[i])
        if m is None or i == 0 or not oc[i - 1].endswith(ETC_AFTER):
            continue
        form = m.group(2).lower()
        seen[form] += 1
        if re.sub(r"[\W_]", "", gc[j]).lower() == "c":
            etc[form] += 1


def fit(pairs: Iterable[tuple[str, str]], *, sources: list[str] | None = None,
        min_rule_count: int = 2, min_confusion_count: int = 2, min_word_count: int = 1,
        min_bigram_count: int = 1, lang: str = "en") -> dict:
    """Fit a model dict (the JSON content of a model file) from (ocr, ground truth) text pairs of
    one language (its words split as ``languages.py`` says; no ``lang`` key for English)."""
    from .languages import language

    elisions = frozenset(language(lang)["elisions"])
    signs = language(lang)["signs"]
    lowers = language(lang)["params"].get("lowered_min_share", True) is not None  # (casing.py, unless off)
    rule_counts: Counter = Counter()
    word_conf: Counter = Counter()
    aligned_gt: Counter = Counter()  # gt word -> times it was aligned 1:1 to some OCR word
    uni: Counter = Counter()
    bi: Counter = Counter()
    gt_chunks: list[str] = []
    ndocs = 0
    merges: Counter = Counter()
    splits: Counter = Counter()
    caps_counts: Counter = Counter()  # the same character confusions, in words printed in capitals
    caps_chunks: list[str] = []
    etc: Counter = Counter()  # after a comma or stop: OCR word -> times it was a misread "&c" ("tea, Ac.")
    etc_seen: Counter = Counter()  # ... -> times it was seen there
    mid: Counter = Counter()  # lower-cased word -> times seen mid-sentence in the ground truth
    mid_caps: Counter = Counter()  # ... with a capital first letter (not all in capitals)
    lowered: Counter = Counter()  # capitalised OCR word in mid-sentence -> times the ground truth has it small
    lowered_seen: Counter = Counter()  # ... -> times seen there (casing.py)
    for ocr, gt in pairs:
        ndocs += 1
        if lang != "en":  # the ground truth's own line-end hyphens (DTA: "—")
            gt = LINE_HYPHEN_RE.sub(r"\1\2", gt)
        gt_clean = clean_gt(gt)
        gt_raw = words_of(gt_clean, elisions)
        for m in MID_WORD_RE.finditer(gt_clean):
            w = m.group(1)
            mid[w.lower()] += 1
            mid_caps[w.lower()] += w[0].isupper() and not w.isupper()
        gw = [w.lower() for w in gt_raw]
        ow = words(clean_ocr(ocr), elisions)
        uni.update(gw)
        if signs:
            _count_etc(ocr, gt, etc, etc_seen)
        if lowers:
            count_lowered(ocr, gt, lowered, lowered_seen)
        bi.update(a + " " + b for a, b in zip(gw, gw[1:]))
        for op in Levenshtein.opcodes(ow, gw):
            a = ow[op.src_start:op.src_end]
            b = gw[op.dest_start:op.dest_end]
            if op.tag == "equal":
                aligned_gt.update(b)
                gt_chunks.append(" ".join(b))
                caps_chunks.extend(g for g, r in zip(b, gt_raw[op.dest_start:op.dest_end]) if caps_word(r))
                continue
            if op.tag != "replace":
                continue
            if len(a) == len(b):
                for k, (o, g) in enumerate(zip(a, b)):
                    aligned_gt[g] += 1
                    gt_chunks.append(g)
                    caps = caps_word(gt_raw[op.dest_start + k])
                    if caps:
                        caps_chunks.append(g)
                    if Levenshtein.distance(o, g) > max(2, len(g) // 2):
                        continue
                    if any(ch.isdigit() for ch in g) and not any(ch.isdigit() for ch in o):
                        continue  # "is" -> "1s" (shillings) is no rule to learn
                    word_conf[(o, g)] += 1
                    for osub, gsub in char_rules(o, g):
                        if len(osub) <= MAX_SUB and len(gsub) <= MAX_SUB:
                            rule_counts[(osub, gsub)] += 1
                            if caps:
                                caps_counts[(osub, gsub)] += 1
            elif "".join(a) == "".join(b):
                if len(a) > len(b):
                    merges[len(a)] += 1
                else:
                    splits[len(b)] += 1
    if ndocs == 0:
        raise UsageError("no training pairs were read", hint="give --hipe files or --ocr-dir/--gt-dir")
    rules = _rule_rows(rule_counts, " ".join(gt_chunks), min_rule_count)
    caps_rules = _rule_rows(caps_counts, " ".join(caps_chunks), min_rule_count)
    wconf = [[o, g, c, aligned_gt[g]] for (o, g), c in word_conf.items() if c >= min_confusion_count]
    wconf.sort(key=lambda r: (-r[2], r[0], r[1]))
    unigrams = {w: c for w, c in uni.items() if c >= min_word_count}
    etc_forms = {o: [c, etc_seen[o]] for o, c in sorted(etc.items()) if c >= min_confusion_count}
    bigrams = {k: c for k, c in bi.items() if c >= min_bigram_count}
    out = {
        "format": "reissue-correct-model/1",
        "trained_on": sources or [],
        "documents": ndocs,
        "char_rules": rules,
        "caps_char_rules": caps_rules,
        "word_confusions": wconf,
        "unigrams": dict(sorted(unigrams.items())),
        "bigrams": dict(sorted(bigrams.items())),
        "split_merge": {"merges": dict(merges), "splits": dict(splits)},
        "etc_forms": etc_forms,
        # capitalised words printed in mid-sentence whose ground truth is the word in small letters ("In" for
        # "in"): [times so, times seen] (casing.py); not learned where the language turns the pass off
        **({"lowered": lowered_table(lowered, lowered_seen, min_confusion_count)} if lowers else {}),
        # words the ground truth writes with a capital in mid-sentence (names: "Liverpool"), at least
        # NAME_MIN_COUNT times and NAME_MIN_SHARE of the times: an edit that writes such a word's first
        # letter writes it in capital (engine.Corrector._make: "ivcrpaol" -> "Liverpool")
        "capitalised": sorted(w for w, n in mid.items() if n >= NAME_MIN_COUNT and mid_caps[w] >= NAME_MIN_SHARE * n),
    }
    if lang != "en":
        out["lang"] = lang
    return out


def merge_models(base: dict, new: dict) -> dict:
    """Add the counts of ``new`` to those of ``base`` (e.g. the shipped model + a user's own pages).

    Character and word confusions, their denominators and word / bigram counts are summed, so a few
    corrected pages of one collection shift the model towards that collection's errors.
    """

    def add_rows(a: list, b: list) -> list:
        acc: dict = {}
        for rows in (a, b):
            for x, y, c, d in rows:
                old = acc.get((x, y), (0, 0))
                acc[(x, y)] = (old[0] + c, old[1] + d)
        out = [[x, y, c, d] for (x, y), (c, d) in acc.items()]
        out.sort(key=lambda r: (-r[2], r[0], r[1]))
        return out

    def add_counts(a: dict, b: dict) -> dict:
        out = dict(a)
        for k, v in b.items():
            out[k] = out.get(k, 0) + v
        return dict(sorted(out.items()))

    def add_pairs(a: dict, b: dict) -> dict:  # {word: [count, times seen]} of both
        out = {k: list(v) for k, v in a.items()}
        for k, (c, d) in b.items():
            old = out.get(k, [0, 0])
            out[k] = [old[0] + c, old[1] + d]
        return dict(sorted(out.items()))

    merged = dict(base)
    merged["trained_on"] = list(base.get("trained_on", [])) + list(new.get("trained_on", []))
    merged["documents"] = base.get("documents", 0) + new.get("documents", 0)
    merged["char_rules"] = add_rows(base.get("char_rules", []), new.get("char_rules", []))
    merged["caps_char_rules"] = add_rows(base.get("caps_char_rules", []), new.get("caps_char_rules", []))
    merged["word_confusions"] = add_rows(base.get("word_confusions", []), new.get("word_confusions", []))
    merged["unigrams"] = add_counts(base.get("unigrams", {}), new.get("unigrams", {}))
    merged["bigrams"] = add_counts(base.get("bigrams", {}), new.get("bigrams", {}))
    merged["etc_forms"] = add_pairs(base.get("etc_forms", {}), new.get("etc_forms", {}))
    if "lowered" in base or "lowered" in new:
        merged["lowered"] = add_pairs(base.get("lowered", {}), new.get("lowered", {}))
    if "capitalised" in base or "capitalised" in new:  # (either's names: their counts are not kept)
        merged["capitalised"] = sorted(set(base.get("capitalised", ())) | set(new.get("capitalised", ())))
    if "licence" in base:
        merged["licence"] = base["licence"] + " (plus the user's own training data)"
    return merged
