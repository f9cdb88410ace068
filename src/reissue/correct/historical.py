"""Historical spellings the corrector keeps, per language (the settings are in ``languages.py``).

* **Variants of known words** (``variants``): pairs (historical, modern) of spellings of one sound,
  such as German ``kk`` for ``ck`` (``Stükken``, ``Bedrükkung``: 18th-century print). A word that
  becomes a known word when a historical spelling in it is written the modern way is a historical
  spelling of that word: it is left as printed, never a correction target.
* **The document's long s** (``long_s``): in a document that prints the long s (``ſich``, ``iſt``),
  an ``s`` a correction puts in place of a misread letter inside a word is written ``ſ`` (``fich`` ->
  ``ſich``, not ``sich``): the text keeps its own historical form. At the end of a word the round
  ``s`` stays, as the prints write it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rapidfuzz.distance import Levenshtein

from ..chars import LONG_S_CHAR

LONG_S_MIN = 2  # words with a long s a document needs before its corrections write one


def variant_of_known(word: str, variants, known: Callable[[str], bool]) -> bool:
    """Is ``word`` (lower case) a known word written with one of the historical ``variants``?"""
    for old, new in variants:
        if old in word and known(word.replace(old, new)):
            return True
    return False


def uses_long_s(vocab: Mapping[str, int] | None) -> bool:
    """Does the document (its lower-cased word counts) print the long s?"""
    return bool(vocab) and sum(n for w, n in vocab.items() if LONG_S_CHAR in w) >= LONG_S_MIN


def with_long_s(before: str, after: str, following: str = "") -> str:
    """``after`` with each ``s`` it has in place of another character of ``before`` (replaced or
    inserted) written ``ſ`` when a letter follows it in the word; ``following``: the text right after
    the corrected span (a correction may be one letter of a word: ``f`` -> ``s`` in ``fich``)."""
    if "s" not in after:
        return after
    chars = list(after)
    for op in Levenshtein.editops(before, after):
        i = op.dest_pos
        if op.tag in ("replace", "insert") and chars[i] == "s" and (chars[i + 1:i + 2] or [following[:1]])[0].isalpha():
            chars[i] = LONG_S_CHAR
    return "".join(chars)
