"""The batch identifier (reissue.lang._rank_many: the byte automaton walked for all texts at once in
numpy) gives exactly py3langid's own ``rank`` of each text, number for number."""

import random

import numpy as np

import reissue.lang as L
from test_lang import DE, EN, FR, IT


def _depths(nm, rowbase) -> np.ndarray:
    """Each state's distance from the start state (breadth first over every byte)."""
    n = len(rowbase)
    depth = np.full(n, -1)
    depth[0] = 0
    front, d = np.array([0]), 0
    while len(front):
        nxt = np.unique(nm[(rowbase[front])[:, None] + np.arange(256)[None, :]].ravel())
        nxt = nxt[depth[nxt] < 0]
        d += 1
        depth[nxt] = d
        front = nxt
    return depth


def test_window_is_the_deepest_state_of_the_automaton():
    """A state depends on the last WINDOW bytes only when no state lies deeper than WINDOW."""
    ident = L._identifier()
    nm, rowbase, _out = L._TABLES[id(ident)]
    assert _depths(nm, rowbase).max() == L.WINDOW


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
    ident = L._identifier()
    texts = _texts()
    assert L._rank_many(texts) == [ident.rank(L._prepare(t)) for t in texts]
    assert L.probabilities_many(texts[:40], ("en", "de")) == [L.probabilities(t, ("en", "de")) for t in texts[:40]]
    assert L.probabilities_many([]) == []


def test_batch_of_one_and_of_many_agree():
    texts = _texts()[:50]
    many = L._rank_many(texts)
    assert [L._rank_many([t])[0] for t in texts] == many


def test_a_cut_identifier_file_is_refused(tmp_path):
    import gzip

    import pytest

    raw = gzip.decompress(open(L.IDENTIFIER_FILE, "rb").read())
    for cut, name in ((raw[:len(raw) // 2], "half.bin.gz"), (b"something else\n{}\n", "other.bin.gz")):
        p = tmp_path / name
        p.write_bytes(gzip.compress(cut, compresslevel=1))
        with pytest.raises(ValueError):
            L._load_shipped(str(p))
