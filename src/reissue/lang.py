"""Language identification of paragraphs and notes (the ``lang`` stage).

Every paragraph and note gets ``lang``: an ISO 639-1 code, or ``None`` when the identification is
not confident. The correction stage (:mod:`reissue.correct.stage`) corrects a text only with a model
of its own language, so a text whose language is unknown is left exactly as printed.

The identifier is ``py3langid`` (BSD licence, 4.5 MB, offline, numpy only), restricted to the
languages of :data:`CANDIDATES` (languages printed in European periodicals, plus scripts and "no
language" (``zxx``) to absorb what is not one of them). It was chosen over ``pycld2`` and
``lingua-language-detector`` by ``benchmarks/bench_lang.py`` (accuracy on noisy HIPE train text of
10-50 words, speed, size).

Per unit (paragraph or note):

1. the identifier's probabilities over the candidates of the first ``max_chars`` characters;
2. times a prior: the document's mixture of languages (share of letters, estimated from all its
   units by expectation-maximisation, smoothed), so that the language of the issue helps a short
   paragraph, while a German notice in an English paper still reads as German;
3. the best language if its probability reaches ``threshold`` and the unit has ``min_words`` words;
   a shorter unit takes it only when it is also the document's main language (it *inherits* it);
   a unit of fewer than ``short_words`` words that the identifier alone (without the prior) finds at
   least ``contest`` times as likely in another language gets none (a short foreign notice in a
   document is not corrected by the document's model); otherwise ``None``, with the reason.

The parameters (:data:`PARAMS`) were chosen on the HIPE train splits (``bench_lang.py --tune``) and are
recorded in every edition (``generator.parameters.lang``).
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from .chars import count_letters
from .contracts import stage
from .errors import UsageError

# languages the identifier may answer (py3langid codes); others are never proposed. Latin-script
# languages of Europe and the Americas, Greek (also ancient), Cyrillic and Hebrew scripts, Turkish,
# and zxx (no linguistic content: tables, numbers, garble)
CANDIDATES = ("en", "fr", "de", "it", "es", "pt", "nl", "la", "da", "sv", "no", "nn", "is", "fo", "fi", "et",
              "lv", "lt", "pl", "cs", "sk", "sl", "hr", "bs", "sr", "hu", "ro", "sq", "ca", "gl", "oc", "eu",
              "br", "cy", "ga", "gd", "lb", "wa", "fy", "eo", "el", "grc", "ru", "uk", "be", "bg", "mk",
              "he", "tr", "zxx")

# frozen parameters, chosen on the train splits (benchmarks/bench_lang.py --tune)
PARAMS = {
    "method": "py3langid",
    # probability of the best language (with the document prior). On train (bench_lang.py --tune),
    # 20-word units: 0.5 gives the best accuracy (en 0.987, fr 0.998, de 0.999) and the same rate of
    # foreign units given the document's language as 0.6-0.8 (0.018 en: units that were English)
    "threshold": 0.5,
    "min_words": 5,  # shorter units only inherit the document's main language
    "max_chars": 1000,  # characters of a unit given to the identifier
    "prior_smoothing": 0.05,  # share added to every candidate in the document prior
    "prior_iterations": 5,  # of the expectation-maximisation that estimates the document's languages
    # a unit of fewer than short_words words that the identifier alone (without the document prior)
    # finds at least contest times as likely in another language as in the one the prior makes it
    # gets no language (a short foreign notice is not corrected as the document's language); None: off.
    # On train (bench_lang.py --split train --limit 40 --tune-contest), 2.0 and 20 words: foreign units of
    # 5 words given the document's language en/fr/de 0.008/0.062/0.020 -> 0.000/0.050/0.010, of 10 words
    # 0.017/0.025/0.005 -> 0.008/0.013/0.005; accuracy of 5 words 0.923/0.985/0.980 -> 0.912/0.975/0.974,
    # of 10 words 0.965/0.997/0.994 -> 0.962/0.995/0.990, of 20 words unchanged (0.982/0.996/0.998)
    "short_words": 20,
    "contest": 2.0,
}

WORD = re.compile(r"[^\W\d_]{2,}")
LONG_S = str.maketrans({"ſ": "s"})  # the identifier's model never saw the long s of old prints
CAPS_WORD = re.compile(r"\b[^\W\d_a-zß-ÿ]{2,}\b")  # a word in capitals (headings, advertisements)


def _prepare(text: str) -> str:
    """What the identifier reads: words in capitals in lower case (its model learnt from running text),
    the long s as s."""
    return CAPS_WORD.sub(lambda m: m.group(0).lower(), text[:PARAMS["max_chars"]].translate(LONG_S))


@dataclass(slots=True)
class Decision:
    lang: str | None
    confidence: float
    reason: str  # why (always set; "" never)


_LOCK = threading.Lock()
_IDENT = None
# py3langid's model restricted to CANDIDATES (scripts/build_lang_identifier.py): the same probabilities,
# unpacked in about 0.1 CPU s where py3langid's own file (every language, xz) takes about 0.45
IDENTIFIER_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "lang-identifier.bin.gz")
IDENTIFIER_MAGIC = "reissue-lang-identifier/1"


# the deepest state of the identifier's byte automaton (its longest feature, in bytes): the state after
# a byte depends on the last WINDOW bytes only (tests/test_lang_batch.py checks it on the model)
WINDOW = 6
_TABLES: dict = {}  # id(identifier) -> its automaton as numpy arrays (next move, row base, feature)


def _make_identifier(ptc, pc, classes, nextmove, out_feat, row):
    from array import array

    import numpy as np
    from py3langid.langid import LanguageIdentifier

    rows = array("H" if row.dtype.itemsize == 2 else "I")
    rows.frombytes(memoryview(np.ascontiguousarray(row)).cast("B"))
    # the tables of the batch walk (_visits) as numpy arrays, given to py3langid too (its own walk reads
    # them the same way): the moves as they are (not copied into an array of its own), the row bases and
    # features (copies: a view would keep a whole unpacked file alive) in place of lists of Python ints
    moves = np.ascontiguousarray(nextmove, dtype="<u4")
    rowbase, feats = np.array(row, dtype=np.int32) << 8, np.array(out_feat, dtype=np.int32)
    # tk_row given after: py3langid would make its row bases a list of Python ints, which rowbase replaces
    ident = LanguageIdentifier(ptc, pc, classes, moves, feats, norm_probs=True, tk_row=())
    ident.tk_row, ident._rowbase = rows, rowbase
    _TABLES[id(ident)] = (moves.view(np.int32), rowbase, feats)
    return ident


def _unpacked(path: str, size: int = 1 << 16):
    """The gzip file ``path`` unpacked in pieces: ``size`` packed bytes at a time."""
    import zlib

    d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the gzip format
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            if piece := d.decompress(chunk):
                yield piece
    if rest := d.flush():
        yield rest


def _load_shipped(path: str = IDENTIFIER_FILE):
    """The restricted identifier of ``path`` (see scripts/build_lang_identifier.py), unpacked a piece at
    a time into its arrays (the whole unpacked file, 50 MB, is never held); zlib releases the GIL while
    it unpacks, so :func:`preload` overlaps it with ingest."""
    import json

    import numpy as np

    pieces = _unpacked(path)
    buf = b""
    while buf.count(b"\n") < 2:
        more = next(pieces, None)
        if more is None:
            raise ValueError(f"{path}: not a {IDENTIFIER_MAGIC} file")
        buf += more
    nl1 = buf.index(b"\n")
    nl2 = buf.index(b"\n", nl1 + 1)
    if buf[:nl1] != IDENTIFIER_MAGIC.encode():
        raise ValueError(f"{path}: not a {IDENTIFIER_MAGIC} file")
    head = json.loads(buf[nl1 + 1:nl2])
    view, used = memoryview(buf), nl2 + 1  # the unpacked piece at hand and how much of it is read
    arrays, at = {}, 0
    for name, spec in sorted(head["arrays"].items(), key=lambda kv: kv[1]["offset"]):
        dt = np.dtype(spec["dtype"])
        n = int(np.prod(spec["shape"])) if spec["shape"] else 1
        if spec["offset"] != at:
            raise ValueError(f"{path}: array {name} is not where its header says")
        arr = np.empty(n, dtype=dt)
        dst = memoryview(arr).cast("B")
        filled = 0
        while filled < len(dst):
            if used == len(view):
                view, used = memoryview(next(pieces, b"")), 0
                if not len(view):
                    raise ValueError(f"{path}: the file ends inside array {name}")
            k = min(len(view) - used, len(dst) - filled)
            dst[filled:filled + k] = view[used:used + k]  # copied once, from the piece into the array
            used += k
            filled += k
        arrays[name] = arr.reshape(spec["shape"])
        at += arr.nbytes
    return _make_identifier(arrays["ptc"], arrays["pc"], head["classes"], arrays["nextmove"], arrays["out_feat"],
                            arrays["nextmove_row"])


def _load_py3langid():
    """py3langid's own model (every language, xz), read in memory (py3langid's loader streams it through
    a temporary file) and restricted to the candidates: what the shipped file is built from."""
    import io
    import lzma

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with open(os.path.join(MODEL_DIR, MODEL_FILE), "rb") as fh:
        raw = lzma.decompress(fh.read())
    with np.load(io.BytesIO(raw), allow_pickle=False) as d:
        classes = d["classes"].tolist()
        keep = [i for i, c in enumerate(classes) if c in set(CANDIDATES)]
        return _make_identifier(np.ascontiguousarray(d["ptc"][:, keep]), d["pc"][keep], [classes[i] for i in keep],
                                d["nextmove"], d["out_feat"], d["nextmove_row"])


def _load_identifier():
    """The identifier restricted to the candidates: the shipped file, or py3langid's own model when the
    file is absent (a source checkout without it)."""
    if os.path.isfile(IDENTIFIER_FILE):
        return _load_shipped()
    return _load_py3langid()


def _identifier():
    """The py3langid identifier, loaded once per process."""
    global _IDENT
    with _LOCK:
        if _IDENT is None:
            try:
                _IDENT = _load_identifier()
            except ImportError as exc:  # pragma: no cover - a dependency of the package
                from .errors import ReissueError

                raise ReissueError(f"language identification needs py3langid ({exc})",
                                   hint="pip install 'py3langid>=0.3,<0.5', or use --lang en (or --lang none)") from exc
        return _IDENT


def preload() -> threading.Thread:
    """Start loading the identifier in a thread (it decompresses its model outside the GIL), so that
    the load overlaps with ingest and reflow."""
    t = threading.Thread(target=_identifier, name="reissue-lang-load", daemon=True)
    t.start()
    return t


def parse_lang_option(value: str | None) -> str | tuple[str, ...]:
    """``auto`` | ``none`` | a comma-separated list of ISO 639-1 codes -> "auto" | "none" | tuple."""
    v = (value or "auto").strip().lower()
    if v in ("auto", "none"):
        return v
    codes = tuple(dict.fromkeys(c.strip() for c in v.split(",") if c.strip()))
    bad = [c for c in codes if not re.fullmatch(r"[a-z]{2}", c)]
    if not codes or bad:
        raise UsageError(f"--lang {value!r}: expected auto, none or ISO 639-1 codes such as en,fr,de",
                         hint="for example --lang auto, --lang de or --lang en,fr")
    return codes


def words(text: str) -> int:
    return len(WORD.findall(text))


def _visits(tables, encoded: list[bytes]):
    """py3langid's ``visit_counts`` of each text at once: the automaton's state after each byte of
    all the texts, walked in numpy over the WINDOW bytes that end there (from the text's start at
    most); per text its features with their counts in the order of their first visit (as the
    Counter of visit_counts). Returns (features, counts, bounds): text t's are [bounds[t]:bounds[t+1]]."""
    import numpy as np

    nm, rowbase, out = tables
    lens = np.fromiter(map(len, encoded), dtype=np.int32, count=len(encoded))
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    starts = np.cumsum(lens, dtype=np.int32) - lens
    back = np.arange(len(data), dtype=np.int32) - np.repeat(starts, lens)  # bytes before, in its text
    state = np.zeros(len(data), dtype=np.int32)
    for k in range(WINDOW - 1, 0, -1):  # the byte k before each position, oldest first
        # every position from k on moves (a position with fewer than k bytes before it in its text
        # reads another text's byte, and keeps its state): whole slices instead of index lists
        moved = nm[rowbase[state[k:]] + data[:-k]]
        np.copyto(state[k:], moved, where=back[k:] >= k)
    state = nm[rowbase[state] + data]  # the byte itself: every position
    feat = out[state]
    hit = np.flatnonzero(feat >= 0)
    n_feat = len(out)
    keys = np.repeat(np.arange(len(encoded), dtype=np.int64), lens)[hit] * n_feat + feat[hit]
    uniq, first_at, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first_at)  # first visits in order (texts are consecutive; indexes distinct)
    uniq, counts = uniq[order], counts[order]
    text_of = uniq // n_feat
    return uniq - text_of * n_feat, counts, np.searchsorted(text_of, np.arange(len(encoded) + 1))


# bytes walked at once by _rank_many: the walk holds a few integers per byte (memory stays flat)
BATCH_BYTES = 1 << 14


def _rank_many(texts: list[str]) -> list[list[tuple[str, float]]]:
    """``ident.rank(_prepare(t))`` of each text, the same numbers (tests/test_lang_batch.py): the byte
    walk of the texts at once (:func:`_visits`, BATCH_BYTES at a time), then py3langid's scoring
    (``LanguageIdentifier._decide`` with ``norm_probs``): per text the naive Bayes sum of its features'
    weights (the same product: the float16 weights of the features met made float32 once, as the
    product casts them), then for all rows at once the softmax at temperature sqrt(bytes) and the
    aliased columns folded; and ``rank``'s merge and order."""
    import math

    import numpy as np

    ident = _identifier()
    tables = _TABLES.get(id(ident))
    if tables is None:  # pragma: no cover - an identifier not made by _make_identifier
        return [ident.rank(_prepare(t)) for t in texts]
    encoded = [ident._encode(_prepare(t)) for t in texts]
    pc = ident.nb_pc
    scores = np.zeros((len(texts), len(ident.nb_classes)), dtype=np.float32)
    lo = 0
    while lo < len(encoded):
        hi, size = lo, 0
        while hi < len(encoded) and (hi == lo or size + len(encoded[hi]) <= BATCH_BYTES):
            size += len(encoded[hi])
            hi += 1
        feats, counts, bounds = _visits(tables, encoded[lo:hi])
        met, where = np.unique(feats, return_inverse=True)
        weights = ident.nb_ptc[met].astype(np.float32)
        counts = counts.astype(np.float32)  # each text's slice: the same values as its own conversion
        bounds = bounds.tolist()
        for t in range(hi - lo):
            a, b = bounds[t], bounds[t + 1]
            if b > a:
                scores[lo + t] = np.log1p(counts[a:b]) @ weights[where[a:b]] + pc
        lo = hi
    scale = np.array([1.0 / math.sqrt(len(e) or 1) for e in encoded], dtype=np.float32)
    scores *= scale[:, None]
    np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in ident._alias_pairs:
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    # rank's merge (the first column of each language) and order (by probability, down; a stable sort,
    # as sorted(..., reverse=True) is), for all rows at once
    first: dict = {}
    for j, lang in enumerate(ident.nb_classes):
        first.setdefault(lang, j)
    kept = scores[:, np.fromiter(first.values(), dtype=np.intp, count=len(first))]
    order = np.argsort(-kept, axis=1, kind="stable")
    names = np.array(list(first), dtype=object)[order].tolist()
    return [list(zip(n, p)) for n, p in zip(names, np.take_along_axis(kept, order, axis=1).tolist())]


def _restricted(ranked: list, languages: tuple[str, ...] | None) -> dict[str, float]:
    if languages:
        ranked = [(lang, p) for lang, p in ranked if lang in languages]
        total = sum(p for _, p in ranked) or 1.0
        ranked = [(lang, p / total) for lang, p in ranked]
    return dict(ranked)


def probabilities(text: str, languages: tuple[str, ...] | None = None) -> dict[str, float]:
    """Probability of each candidate language for ``text`` (the identifier's own, no prior)."""
    return _restricted(_rank_many([text])[0], languages)


def probabilities_many(texts: list[str], languages: tuple[str, ...] | None = None) -> list[dict[str, float]]:
    """:func:`probabilities` of each text (the same numbers), the texts walked at once."""
    return [_restricted(r, languages) for r in _rank_many(texts)] if texts else []


def _posterior(pr: dict, prior: dict, eps: float) -> dict:
    post = {lang: p * (prior.get(lang, 0.0) + eps) for lang, p in pr.items()}
    z = sum(post.values()) or 1.0
    return {lang: p / z for lang, p in post.items()}


def document_prior(texts: list[str], probs: list[dict], P: dict) -> tuple[list[dict], str | None]:
    """For each unit, the mixture of languages (share of letters) of the *other* units of the document,
    estimated by expectation-maximisation from their probabilities; and the document's main language
    (None when no unit has words). A unit alone in its document gets no prior."""
    weights = [count_letters(t[:P["max_chars"]]) if pr else 0 for t, pr in zip(texts, probs)]
    trimmed = [{k: v for k, v in pr.items() if v >= 1e-3} for pr in probs]
    total = sum(weights)
    if not total:
        return [{} for _ in texts], None
    prior: dict = {}
    shares = trimmed
    for _ in range(P["prior_iterations"]):
        shares = [_posterior(pr, prior, P["prior_smoothing"]) if prior and pr else pr for pr in trimmed]
        new: dict = defaultdict(float)
        for q, w in zip(shares, weights):
            for lang, v in q.items():
                new[lang] += v * w
        prior = {lang: v / total for lang, v in new.items()}
    out = []
    for q, w in zip(shares, weights):
        rest = total - w
        out.append({lang: max(0.0, (v * total - q.get(lang, 0.0) * w) / rest) for lang, v in prior.items()}
                   if rest > 0 else {})
    return out, max(prior, key=prior.get)


def identify_texts(texts: list[str], languages: str | tuple[str, ...] = "auto",
                   params: dict | None = None) -> list[Decision]:
    """A :class:`Decision` for each text of one document (see the module doc)."""
    P = {**PARAMS, **(params or {})}
    if languages == "none":
        return [Decision(None, 0.0, "--lang none") for _ in texts]
    fixed = None if languages == "auto" else tuple(languages)
    nwords = [words(t) for t in texts]
    if fixed and len(fixed) == 1:
        return [Decision(fixed[0], 1.0, f"--lang {fixed[0]}") if n else Decision(None, 0.0, "no words")
                for n in nwords]
    worded = [t for t, n in zip(texts, nwords) if n]
    found = iter(probabilities_many(worded, fixed))
    probs = [next(found) if n else {} for n in nwords]
    priors, main = document_prior(texts, probs, P)
    eps = P["prior_smoothing"]
    out = []
    for n, pr, prior in zip(nwords, probs, priors):
        if not n:
            out.append(Decision(None, 0.0, "no words"))
            continue
        post = _posterior(pr, prior, eps) if prior else pr
        best = max(post, key=post.get)
        conf = post[best]
        runner = sorted(post.items(), key=lambda kv: -kv[1])[1:2]
        alt = f", then {runner[0][0]} {runner[0][1]:.2f}" if runner else ""
        if best == "zxx":
            out.append(Decision(None, conf, f"no language (zxx {conf:.2f})"))
        elif (P["contest"] is not None and n < P["short_words"] and (alone := max(pr, key=pr.get)) not in (best, "zxx")
              and pr[alone] >= P["contest"] * pr.get(best, 0.0)):
            out.append(Decision(None, conf, f"short ({n} words) and alone read as {alone} {pr[alone]:.2f} against "
                                            f"{best} {pr.get(best, 0.0):.2f}"))
        elif conf < P["threshold"]:
            out.append(Decision(None, conf, f"not confident: {best} {conf:.2f}{alt} < {P['threshold']}"))
        elif n < P["min_words"]:
            if best == main:
                out.append(Decision(best, conf, f"short ({n} words): the document's {main}, {conf:.2f}"))
            else:
                out.append(Decision(None, conf, f"short ({n} words) and not the document's main language "
                                                f"({best} {conf:.2f})"))
        else:
            out.append(Decision(best, conf, f"{best} {conf:.2f}{alt}"))
    return out


@stage("lang", requires=("doc.paragraphs",),
       assigns=("paragraph.lang", "footnote.lang", "page.lang", "metadata.languages"))
def identify_languages(doc, languages: str | tuple[str, ...] = "auto") -> None:
    """Pipeline stage: set ``lang`` on every paragraph and note, ``lang`` on every page (the language of
    most of its letters) and ``metadata.languages`` (the issue's languages, most letters first)."""
    units = list(doc.paragraphs) + list(doc.footnotes)
    decisions = identify_texts([u.text.text for u in units], languages)
    page_letters: dict[int, Counter] = {}
    issue_letters: Counter = Counter()
    for u, d in zip(units, decisions):
        u.lang = d.lang
        u.lang_reason = d.reason
        if d.lang is None:
            continue
        pieces = u.text.pieces
        if pieces and all(p.page == pieces[0].page for p in pieces):  # on one page: its letters at once
            k = count_letters(u.text.text)
            page_letters.setdefault(pieces[0].page, Counter())[d.lang] += k
            issue_letters[d.lang] += k
            continue
        for piece in pieces:
            k = count_letters(piece.text)
            page_letters.setdefault(piece.page, Counter())[d.lang] += k
            issue_letters[d.lang] += k
    for page in doc.pages:
        c = page_letters.get(page.index)
        page.lang = c.most_common(1)[0][0] if c else None
    total = sum(issue_letters.values())
    # a language is one of the issue's when it holds at least 1% of the identified letters
    doc.metadata.languages = [lang for lang, k in issue_letters.most_common() if total and k / total >= 0.01]
    mode = languages if isinstance(languages, str) else ",".join(languages)
    doc.parameters["lang"] = {"mode": mode, **PARAMS,
                              "candidates": list(CANDIDATES) if languages == "auto" else
                              ([] if languages == "none" else list(languages))}
    doc.stages.append("lang")
