"""The batch identifier (reissue.lang._rank_many: reissue.langident's trie of py3langid's byte automaton
walked for all texts at once in numpy) gives exactly py3langid's own ``rank`` of each text, number for
number."""

import functools
import random

import numpy as np
import pytest

import reissue.lang as L
import reissue.langident as I
from test_lang import DE, EN, FR, IT


@functools.lru_cache(maxsize=1)
def _model():
    """py3langid's own model restricted to the candidates: (ptc, pc, classes, nextmove, row, out_feat)."""
    return I.py3langid_model(L.CANDIDATES)


@functools.lru_cache(maxsize=1)
def _reference():
    """py3langid's own identifier of that model (its own walk over its dense table)."""
    return I.py3langid_identifier(L.CANDIDATES)


def test_window_is_the_deepest_state_of_the_automaton():
    """A state depends on the last WINDOW bytes only when no state lies deeper than WINDOW."""
    _ptc, _pc, _classes, nextmove, row, _out = _model()
    depth, _parent, _byte = I.automaton_trie(nextmove, row)
    assert depth.max() == I.WINDOW


def test_the_trie_walk_is_the_automaton():
    """For states of py3langid's automaton (a sample: the build script checks them all) and every byte,
    the longest suffix that is a string of the shipped trie is the automaton's next state; a trie with
    one child moved elsewhere is caught."""
    _ptc, _pc, _classes, nextmove, row, out = _model()
    ident = L._identifier()
    states = np.random.default_rng(3).choice(len(row), 3000, replace=False)
    states[:200] = np.arange(200)  # the start state and its first children among them
    assert I.check_automaton(ident, nextmove, row, out, states) == 0
    child = int(np.flatnonzero(ident.check == 0)[5])  # a child of the empty string
    broken = I.Identifier(ident.ptc, ident.pc, ident.classes, ident.base, ident.check.copy(), ident.feat)
    broken.check[child] = -1
    assert I.check_automaton(broken, nextmove, row, out, states) > 0


def _texts() -> list[str]:
    rng = random.Random(7)
    base = [EN, DE, FR, IT, EN.upper(), "Ελληνικά κείμενα και άλλα", "Русский текст", "עברית", "日本語のテキスト",
            "1839. 42 — 17", "tbe Comintem", "ſo iſt es", "ﬁnal ﬂight", "a", "", " ", "\n", "Aͤrger",
            "x\ud800y", "THE NEW-YORK TRIBUNE", "— 42 —", "ÆØÅ æøå", "e\u0301t\u00e9"]
    out = list(base)
    letters = "".join(base)
    for _ in range(300):  # random pieces of every size, across language boundaries, past max_chars
        a = rng.randrange(len(letters))
        out.append(letters[a:a + rng.choice([1, 3, 8, 30, 200, 900])])
        out.append((EN + " " + DE + " " + FR) * rng.randint(1, 4))
    return out


def test_batch_ranks_are_py3langids_own():
    ref = _reference()
    texts = _texts()
    assert L._rank_many(texts) == [ref.rank(L._prepare(t)) for t in texts]
    assert [I.encode(L._prepare(t)) for t in texts] == [ref._encode(L._prepare(t)) for t in texts]
    assert L.probabilities_many(texts[:40], ("en", "de")) == [L.probabilities(t, ("en", "de")) for t in texts[:40]]
    assert L.probabilities_many([]) == []
    # every language: the same dicts, keys in rank's order, as the rankings make
    assert [list(d.items()) for d in L.probabilities_many(texts)] == [ref.rank(L._prepare(t)) for t in texts]


def test_batch_of_one_and_of_many_agree():
    texts = _texts()[:50]
    many = L._rank_many(texts)
    assert [L._rank_many([t])[0] for t in texts] == many


def test_a_cut_identifier_file_is_refused(tmp_path):
    raw = open(I.IDENTIFIER_FILE, "rb").read()
    whole = I.load_shipped(I.IDENTIFIER_FILE)
    assert whole.ptc.shape[1] == len(whole.classes) and set(whole.classes) <= set(L.CANDIDATES)
    for cut, name in ((raw[:len(raw) // 2], "half.bin"), (raw[:-1], "short.bin"), (b"something else\n{}\n", "other.bin"),
                      (raw.replace(b"reissue-lang-identifier/2", b"reissue-lang-identifier/1", 1), "v1.bin")):
        p = tmp_path / name
        p.write_bytes(cut)
        with pytest.raises(ValueError):
            I.load_shipped(str(p))
