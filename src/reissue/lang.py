"""Language identification of paragraphs and notes (the ``lang`` stage).

Every paragraph and note gets ``lang``: an ISO 639-1 code, or ``None`` when the identification is
not confident. The correction stage (:mod:`reissue.correct.stage`) corrects a text only with a model
of its own language, so a text whose language is unknown is left exactly as printed.

The identifier is ``py3langid``'s model (BSD licence, offline, numpy only; read by
:mod:`reissue.langident`, the same probabilities), restricted to the languages of :data:`CANDIDATES` (languages printed in European periodicals, plus scripts and "no
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

import heapq
import os
import re
import threading
from collections import Counter, defaultdict
from operator import itemgetter
from dataclasses import dataclass

from .chars import LONG_S, LONG_S_CHAR, count_letters
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
_AS_S = str.maketrans(LONG_S)  # the identifier's model never saw the long s of old prints
CAPS_WORD = re.compile(r"\b[^\W\d_a-zß-ÿ]{2,}\b")  # a word in capitals (headings, advertisements)


def _prepare(text: str) -> str:
    """What the identifier reads: words in capitals in lower case (its model learnt from running text),
    the long s as s."""
    text = text[:PARAMS["max_chars"]]
    if LONG_S_CHAR in text:  # (a text without one is translated to itself)
        text = text.translate(_AS_S)
    return CAPS_WORD.sub(lambda m: m.group(0).lower(), text)


@dataclass(slots=True)
class Decision:
    lang: str | None
    confidence: float
    reason: str  # why (always set; "" never)


_LOCK = threading.Lock()
_IDENT = None


def _load_identifier():
    """The identifier restricted to the candidates (reissue.langident): the shipped file, or made from
    py3langid's own model when the file is absent (a source checkout without it: a few seconds)."""
    from . import langident

    if os.path.isfile(langident.IDENTIFIER_FILE):
        return langident.load_shipped()
    return langident.from_automaton(*langident.py3langid_model(CANDIDATES))


def _identifier():
    """The identifier (:class:`reissue.langident.Identifier`), loaded once per process."""
    global _IDENT
    with _LOCK:
        if _IDENT is None:
            try:
                _IDENT = _load_identifier()
            except ImportError as exc:  # pragma: no cover - a dependency of the package
                from .errors import ReissueError

                raise ReissueError(f"language identification cannot load its identifier ({exc})",
                                   hint="pip install numpy 'py3langid>=0.3,<0.5', or use --lang en (or --lang none)") from exc
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


def _rank_many(texts: list[str]) -> list[list[tuple[str, float]]]:
    """py3langid's ``rank`` of ``_prepare(t)`` for each text, the same numbers, all texts at once
    (:func:`reissue.langident.rank_many`)."""
    from . import langident

    ident = _identifier()
    return langident.rank_many(ident, [langident.encode(_prepare(t)) for t in texts])


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
    if not texts:
        return []
    if languages:
        return [_restricted(r, languages) for r in _rank_many(texts)]
    from . import langident  # every language: each text's ranking made a dict at once (dict(ranked))

    names, probs = langident.ranked_rows(_identifier(), [langident.encode(_prepare(t)) for t in texts])
    return [dict(zip(n, p)) for n, p in zip(names, probs)]


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
        # max(0.0, x) without the call: x when above 0.0, else 0.0 (-0.0 too, as max gives)
        out.append({lang: x if (x := (v * total - q.get(lang, 0.0) * w) / rest) > 0.0 else 0.0
                    for lang, v in prior.items()} if rest > 0 else {})
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
        runner = heapq.nlargest(2, post.items(), key=itemgetter(1))[1:2]  # sorted's order, ties as given
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
