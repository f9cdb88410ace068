"""wordfreq's word lists, read once per process and shared by whoever needs them.

Reflow decides line-end hyphens with a word's Zipf frequency (:func:`zipf`) and the corrector's
language model looks words up in the same list. A correction model file stores that list (its
lookup tables, ``correct/lexicon.py``); when a build corrects, the list is taken from the model that
will correct the language (``source``), so it is not read a second time from wordfreq (0.3 s,
40 MB for English). Without a model (``--no-correct``, a language without one) it is wordfreq's own
(``wordfreq.get_frequency_dict``). Either way the numbers are wordfreq's: a model's list is used
only when it was stored from the installed wordfreq list (``list_id``).
"""

from __future__ import annotations

import math
import os
import re
import sys
import threading
from bisect import bisect_right
from contextlib import contextmanager
from functools import lru_cache

_DICTS: dict[str, dict[str, float]] = {}
_SOURCE: list = []  # callables lang -> frequency dict or None, asked before wordfreq (innermost last)
_ASKING = threading.local()  # .on: a source is being asked in this thread (frequencies)

# languages whose wordfreq tokenizer leaves a word of plain ASCII lower-case letters as it is (one
# token, no case folding or transliteration that changes it): such a word is looked up directly,
# without importing wordfreq's tokenizer (tests/test_wordfreqs.py checks the same numbers)
_PLAIN = frozenset("en fr de nl it es pt sv da nb fi pl cs ca".split())
_ASCII_WORD = re.compile(r"[a-z]+")
# such a word with apostrophes: wordfreq's tokenizer drops those at its edges ('tis, intervenes') and
# keeps those inside (tio'n, o'clock: no word break between letters), except after a first part of 1-2
# letters before a vowel or h (l'heure, qu'il), which it splits: that case is left to wordfreq
_APOSTROPHE_WORD = re.compile(r"'*([a-z]+(?:'[a-z]+)*)'*")
_ELIDED_START = re.compile(r"[a-z]{1,2}'[aehiouy]")


def _plain_tokens(word: str) -> list[str] | None:
    """wordfreq's ``lossy_tokenize(word, lang)`` for a language of _PLAIN, when ``word`` is lower-case
    ASCII letters with apostrophes (tests/test_wordfreqs.py compares every such string of a small
    alphabet); None for any other word."""
    if _ASCII_WORD.fullmatch(word):
        return [word]
    m = _APOSTROPHE_WORD.fullmatch(word)
    if m is None or _ELIDED_START.match(m.group(1)):
        return None
    return [m.group(1)]


@lru_cache(maxsize=None)
def _list_file(lang: str) -> str | None:
    """The installed wordfreq data file of ``lang`` (wordlist "best": large, else small), found
    without importing wordfreq; None when there is none."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = os.path.join(list(spec.submodule_search_locations)[0], "data")
    for name in (f"large_{lang}.msgpack.gz", f"small_{lang}.msgpack.gz"):
        p = os.path.join(data, name)
        if os.path.isfile(p):
            return p
    return None


def list_id(lang: str) -> str | None:
    """Which wordfreq list of ``lang`` is installed: its data file's name and size, or None when
    there is none. A model file records it with the list it stores."""
    import os

    p = _list_file(lang)
    return f"{os.path.basename(p)}:{os.path.getsize(p)}" if p else None


def _read_list(lang: str) -> dict[str, float] | None:
    """wordfreq's frequency dict of ``lang`` read from its data file as ``wordfreq.get_frequency_dict``
    reads it (the same words and numbers), without importing wordfreq (and langcodes) and without
    keeping its bucket lists; None for a language not in _PLAIN or a file of another format."""
    p = _list_file(lang) if lang in _PLAIN else None
    if p is None:
        return None
    try:
        import gzip

        import msgpack
    except ImportError:  # pragma: no cover - msgpack comes with wordfreq
        return None
    with gzip.open(p, "rb") as fh:
        data = msgpack.unpackb(fh.read(), raw=False)
    header = data[0] if data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    freqs: dict[str, float] = {}
    for index, bucket in enumerate(data[1:]):
        # wordfreq.cB_to_freq(-index); a bucket at once (in C): the same dict as a word at a time
        freqs.update(dict.fromkeys(bucket, 10 ** (-index / 100)))
    return freqs


# the plain words (_PLAIN_WORD) of a wordfreq list, sorted, with their buckets: built from the installed
# list by scripts/build_word_list.py (rebuilt byte for byte with --check). Reflow looks its few hundred
# words up there (blocks of sorted words) instead of reading the whole list into a dict (about 0.1 CPU s)
WORD_LIST_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "wordlist-{lang}.bin")
WORD_LIST_MAGIC = b"reissue-plain-words/2\n"
WORD_LIST_LANGS = ("en",)  # the shipped files: reflow's default language
_PLAIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")  # what _plain_tokens gives
_COMPACT: dict = {}


class PlainWords:
    """The plain words of one wordfreq list and their frequencies (``get``: as the list's dict gives
    them, None for a word not in it), read from a file of scripts/build_word_list.py: sorted words in
    blocks of ``block``, the first word of each block bisected, then the block searched."""

    def __init__(self, head: dict, payload: bytes):
        from array import array

        n_blocks, self.block = head["blocks"], head["block"]
        offsets = array("I")
        offsets.frombytes(payload[:4 * n_blocks])
        buckets = array("H")
        buckets.frombytes(payload[len(payload) - 2 * head["words"]:])
        if sys.byteorder != "little":  # pragma: no cover - the file is little-endian
            offsets.byteswap()
            buckets.byteswap()
        self.words = payload[4 * n_blocks:len(payload) - 2 * head["words"]]
        self.offsets, self.buckets = offsets.tolist() + [len(self.words) + 1], buckets
        self.firsts = [self._first(o) for o in self.offsets[:-1]]

    def _first(self, at: int) -> bytes:
        end = self.words.find(b"\n", at)
        return self.words[at:end if end >= 0 else len(self.words)]

    def get(self, word: str) -> float | None:
        w = word.encode("ascii")
        b = bisect_right(self.firsts, w) - 1
        if b < 0:
            return None
        items = self.words[self.offsets[b]:self.offsets[b + 1] - 1].split(b"\n")
        try:
            i = items.index(w)
        except ValueError:
            return None
        return 10 ** (-self.buckets[b * self.block + i] / 100)  # as _read_list gives it


def read_word_list(path: str) -> tuple[dict, bytes]:
    """(header, payload) of a file of scripts/build_word_list.py (not compressed: read in about 1 ms,
    where unpacking took 0.01-0.02 CPU s); ValueError when it is not one, or cut."""
    import json

    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(WORD_LIST_MAGIC) or data.find(b"\n", len(WORD_LIST_MAGIC)) < 0:
        raise ValueError(f"{path}: not a word list file")
    nl = data.index(b"\n", len(WORD_LIST_MAGIC))
    head = json.loads(data[len(WORD_LIST_MAGIC):nl])
    payload = data[nl + 1:]
    if len(payload) != head.get("size"):
        raise ValueError(f"{path}: {len(payload)} bytes of words, the header says {head.get('size')}")
    return head, payload


def compact(lang: str) -> PlainWords | None:
    """The shipped plain words of ``lang`` when the file was built from the installed wordfreq list
    (``list_id``), else None."""
    if lang not in _COMPACT:
        got = None
        path = WORD_LIST_FILE.format(lang=lang)
        if lang in WORD_LIST_LANGS and os.path.isfile(path):
            try:
                head, payload = read_word_list(path)
            except (OSError, ValueError):  # pragma: no cover - a damaged file: wordfreq's own list
                head = None
            if head is not None and head.get("list_id") == list_id(lang) and head.get("lang") == lang:
                got = PlainWords(head, payload)
        _COMPACT[lang] = got
    return _COMPACT[lang]


@lru_cache(maxsize=1)
def available() -> frozenset:
    from wordfreq import available_languages

    return frozenset(available_languages(wordlist="best"))


def knows(lang: str) -> bool:
    """Has wordfreq a word list of ``lang``?"""
    return lang in _PLAIN or lang in available()


@contextmanager
def source(fn):
    """Within the block, ``fn(lang)`` (a frequency dict read elsewhere, e.g. from a correction
    model, or None) is asked for a language's list before wordfreq is. ``fn`` None: no change."""
    if fn is None:
        yield
        return
    _SOURCE.append(fn)
    try:
        yield
    finally:
        _SOURCE.remove(fn)


def share(lang: str, freqs: dict[str, float]) -> None:
    """``freqs`` is wordfreq's list of ``lang`` (read from a model file written with the installed
    wordfreq): later :func:`frequencies` calls return it."""
    _DICTS.setdefault(lang, freqs)


def frequencies(lang: str) -> dict[str, float]:
    """wordfreq's frequency list of ``lang`` (word -> frequency), read once."""
    d = _DICTS.get(lang)
    if d is None:
        # the sources are not asked again while one is being asked: a source may load a correction
        # model (stage.word_lists), and a model file without its lookup tables builds its language
        # model from this very list, which must then be wordfreq's own (asking the source again would
        # load the same model again, without end)
        if _SOURCE and not getattr(_ASKING, "on", False):
            _ASKING.on = True
            try:
                for fn in reversed(_SOURCE):
                    d = fn(lang)
                    if d is not None:
                        break
            finally:
                _ASKING.on = False
        if d is None:
            d = _read_list(lang)
        if d is None:
            import wordfreq

            d = wordfreq.get_frequency_dict(lang)
        d = _DICTS.setdefault(lang, d)
    return d


def zipf(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)`` (``lang`` must be one wordfreq has), looked up in the
    shared list."""
    if lang not in _PLAIN:
        from wordfreq import zipf_frequency

        return zipf_frequency(word, lang)  # other tokenizers: wordfreq itself, with its own list
    tokens = _plain_tokens(word)
    if tokens is None:
        from wordfreq.tokens import lossy_tokenize

        tokens = lossy_tokenize(word, lang)
    if not tokens:
        return 0.0
    # wordfreq's _word_frequency and zipf_frequency (minimum 0), step by step: the same numbers.
    # A plain word is looked up in the shipped compact list while no list is read or given (a build
    # that corrects gives its model's); every other word in the whole list
    freqs = _DICTS.get(lang)
    if freqs is None:
        freqs = (None if _SOURCE or not all(map(_PLAIN_WORD.fullmatch, tokens)) else compact(lang)) \
            or frequencies(lang)
    one_over_result = 0.0
    for token in tokens:
        if any(c.isdigit() for c in token):
            from wordfreq import zipf_frequency

            return zipf_frequency(word, lang)  # digits have a distribution of their own
        f = freqs.get(token)
        if f is None:
            return 0.0
        one_over_result += 1.0 / f
    freq = 1.0 / one_over_result
    leading_zeroes = math.floor(-math.log(freq, 10))
    return round(math.log(round(freq, leading_zeroes + 3), 10) + 9, 2)
