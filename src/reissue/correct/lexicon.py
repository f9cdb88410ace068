"""The lookup tables of a correction model, built once from its data, or read from its file.

What the candidate search and the scoring look up, all derived from the model and the word lists of
the installed packages (wordfreq, symspellpy), the way ``build`` makes them:

* ``wf`` (word -> frequency, wordfreq), ``sym_uni`` / ``sym_bi`` (symspellpy's English counts);
* the candidate lexicon (``lex``): its words, all their prefixes, prefix -> letters that may follow,
  all their endings (the search stops as soon as its output is no prefix, and the rest of a token
  after its last edit must be an ending); ``lex_common``, the same for the light search;
* ``fallback``: (length, 0 or 1, first or last letter) -> the edit-distance fallback's words;
* ``shape``: character 4-gram counts of the lexicon words and of their 3-character contexts.

A model file written by ``model.save_model_dict`` carries them (``pack``): loading then splits
stored strings into sets and dicts and computes nothing (``unpack``). A model file without them
(an older or hand-made one) gets them built at load.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter

SHAPE_ADD_K = 0.01  # add-k smoothing of the character 4-gram model of word shapes
SHAPE_SYMBOLS = 28  # letters, apostrophe, end mark


def lexicon_of(words) -> tuple[frozenset, dict, dict, frozenset]:
    """(words, all their prefixes, prefix -> letters that may follow, all their endings).

    The prefixes are the keys of the second dict, which is the third (a prefix that only ends
    words maps to ""): one table instead of a set beside a dict of nearly the same strings."""
    words = frozenset(words)
    pre = {w[:i] for w in words for i in range(1, len(w) + 1)}
    follow: dict[str, set] = {p: set() for p in pre}
    for p in pre:
        follow.setdefault(p[:-1], set()).add(p[-1])
    follow_s = {k: "".join(sorted(v)) for k, v in follow.items()}
    return words, follow_s, follow_s, frozenset(w[i:] for w in words for i in range(len(w)))


def build(model) -> dict:
    """The tables of ``model`` (a CorrectionModel whose language model is loaded), computed."""
    P = model.params
    lm = model.lm
    L = model.language["letters"]
    ok = re.compile(rf"^[{L}]+(?:'[{L}]+)*$")
    words = {w for w, v in lm.wf.items() if v >= P.cand_min_p and ok.match(w)}
    words.update(w for w in lm.tr_uni if ok.match(w))
    lex = lexicon_of(words)
    min_p = P.light_ratio * P.light_p
    lex_common = lexicon_of(w for w in lex[0] if lm.p(w) >= min_p)
    ordered = sorted(lex[0])
    by_len: dict[tuple, list[str]] = {}
    fb_min = P.fallback_min_p
    for c in ordered:
        if lm.p(c) >= fb_min:
            n = len(c)
            by_len.setdefault((n, 0, c[0]), []).append(c)
            by_len.setdefault((n, 1, c[-1]), []).append(c)
    return {"wf": lm.wf, "sym_uni": lm.sym_uni, "sym_bi": lm.sym_bi, "lex": lex, "lex_common": lex_common,
            "lex_sorted": ordered, "fallback": by_len, "shape": shape_model(ordered)}


def shape_model(ordered: list[str]) -> tuple[dict, dict, float]:
    """Character 4-gram counts of the lexicon words (with ``^`` padding and ``$`` end), the counts
    of their 3-character contexts, and the mean log probability per character."""
    grams: dict[str, int] = {}
    get = grams.get
    for w in ordered:
        s = "^^^" + w + "$"
        for i in range(len(s) - 3):
            g = s[i:i + 4]
            grams[g] = get(g, 0) + 1
    ctx: Counter = Counter()
    for g, c in grams.items():
        ctx[g[:3]] += c
    k = SHAPE_ADD_K
    total = sum(grams.values())
    mu = sum(c * math.log((c + k) / (ctx[g[:3]] + k * SHAPE_SYMBOLS)) for g, c in grams.items()) / total if total else 0.0
    return grams, dict(ctx), mu


# ------------------------------------------------------------------ storage

def _strs(items) -> bytes:
    items = list(items)
    for s in items:
        if "\n" in s:
            raise ValueError(f"a table entry holds a line break: {s!r}")
    return "\n".join(items).encode("utf-8")


def pack(t: dict) -> tuple[dict, list[bytes]]:
    """(header, blobs): every table as sorted strings (one blob, joined by line breaks) and numbers
    (``array`` bytes, little-endian), byte-identical for the same tables."""
    header: dict = {"entries": []}
    blobs: list[bytes] = []

    def put(name: str, kind: str, payload: bytes, n: int) -> None:
        header["entries"].append([name, kind, n, len(payload)])
        blobs.append(payload)

    def strs(name, items):
        items = sorted(items)
        put(name, "s", _strs(items), len(items))
        return items

    def nums(name, code, values):
        a = array(code, values)
        if a.itemsize != 8:
            raise ValueError("8-byte numbers expected")
        if __import__("sys").byteorder != "little":  # pragma: no cover - big-endian machines
            a.byteswap()
        put(name, code, a.tobytes(), len(a))

    for name, code in (("wf", "d"), ("sym_uni", "q"), ("sym_bi", "q")):
        keys = strs(name + ".keys", t[name])
        nums(name + ".values", code, (t[name][k] for k in keys))
    for name in ("lex", "lex_common"):
        words, pre, follow, ends = t[name]
        strs(name + ".words", words)
        keys = strs(name + ".follow.keys", follow)
        put(name + ".follow.values", "s", _strs(follow[k] for k in keys), len(keys))
        strs(name + ".endings", ends)
    fb = t["fallback"]
    keys = sorted(fb)
    put("fallback.keys", "s", _strs(f"{n}\t{side}\t{ch}" for n, side, ch in keys), len(keys))
    put("fallback.values", "s", _strs(" ".join(fb[k]) for k in keys), len(keys))
    grams, ctx, mu = t["shape"]
    for name, d in (("shape.grams", grams), ("shape.contexts", ctx)):
        keys = strs(name + ".keys", d)
        nums(name + ".values", "q", (d[k] for k in keys))
    header["shape_mu"] = mu
    return header, blobs


def unpack(header: dict, buf: bytes, off: int) -> dict:
    """The tables ``pack`` stored, read from ``buf`` from offset ``off`` (each list is made into
    its set or dict at once, so that few of them live at the same time)."""
    import sys

    at: dict = {}
    for name, kind, n, size in header["entries"]:
        at[name] = (kind, n, off, size)
        off += size

    def get(name):
        kind, n, a, size = at[name]
        chunk = buf[a:a + size]
        if kind == "s":
            out = chunk.decode("utf-8").split("\n") if n else []
        else:
            arr = array(kind)
            arr.frombytes(chunk)
            if sys.byteorder != "little":  # pragma: no cover
                arr.byteswap()
            out = arr.tolist()
        if len(out) != n:
            raise ValueError(f"table {name}: {len(out)} entries, the header says {n}")
        return out

    def pairs(name):
        return dict(zip(get(name + ".keys"), get(name + ".values")))

    t: dict = {}
    for name in ("wf", "sym_uni", "sym_bi"):
        t[name] = pairs(name)
    for name in ("lex", "lex_common"):
        words = get(name + ".words")
        if name == "lex":
            t["lex_sorted"] = words
        follow = dict(zip(get(name + ".follow.keys"), get(name + ".follow.values")))
        t[name] = (frozenset(words), follow, follow, frozenset(get(name + ".endings")))
    same = {w: w for w in t["lex_sorted"]}  # the fallback's words: the lexicon's strings, not copies
    fb = {}
    for key, vals in zip(get("fallback.keys"), get("fallback.values")):
        n, side, ch = key.split("\t")
        fb[(int(n), int(side), ch)] = [same[w] for w in vals.split(" ")]
    t["fallback"] = fb
    t["shape"] = (pairs("shape.grams"), pairs("shape.contexts"), float(header["shape_mu"]))
    return t
