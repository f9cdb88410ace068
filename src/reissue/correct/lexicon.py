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
stored strings into sets and dicts and computes nothing (``unpack``); the largest word lists
(``wf``, ``sym_uni``, ``sym_bi`` and the model's bigram counts) are not even made into dicts but
looked up in their stored arrays (frozentable.py, format 4), and the lexicons' sets are runs of the
stored strings (format 5, ``REGIONS``); the bulk search's hash bitmaps of the two lexicons are stored
packed (``index``, bulksearch.pack_index: read in place, where hashing the words takes 0.1 s), with
the constants they were made with. A model file without them (an older or hand-made one) gets them
built at load.
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter
from itertools import chain

from .. import wordfreqs
from .bulksearch import INDEX_KEY, pack_index
from .frozentable import FrozenTable, directory, freeze

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
    return {"wordfreq_list": wordfreqs.list_id(model.language["wordfreq"]), "wf": lm.wf, "sym_uni": lm.sym_uni, "sym_bi": lm.sym_bi, "lex": lex, "lex_common": lex_common,
            "lex_sorted": ordered, "fallback": by_len, "shape": shape_model(ordered)}


def unlisted_max_p(model, P) -> tuple:
    """(does a lower-cased word consist of the language's letters?, the highest unigram probability
    (``LanguageModel.p``) such a word missing from the candidate lexicon may have): ``build`` puts every such
    word of the training text and every one of wordfreq's list of at least cand_min_p in it, so one it lacks
    is at most (1 - the training text's weight) * cand_min_p, or the floor, frequent; cand_min_p the higher of
    the model file's (what a stored lexicon was built with) and P's. Where the language model reads ß as ss
    (German), the test fails each word with ß."""
    own = type(P).build(model.language["params"], model.data.get("params") or {})
    lm = model.lm
    L = model.language["letters"].replace("ß", "") if lm.fold_ss else model.language["letters"]
    bound = max((1 - lm.tuw) * max(own.cand_min_p, P.cand_min_p), lm.floor)
    return re.compile(rf"[{L}]+").fullmatch, bound


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
#
# Format 3 (``pack``/``unpack``): every string of every table once, in one blob joined by
# line breaks; each table is an array of 4-byte indices into it (and its numbers), so that loading
# makes one string object per distinct string (the lexicon's words are also its prefixes, its
# endings, the light search's words and wordfreq's keys: 1.8M table entries, 0.85M strings in
# English) and reads the tables from the stream one at a time, never the whole file at once.
# wordfreq's frequencies, all of the form 10 ** (-i / 100), are stored as i (2 bytes).
# Format 4: the same, but the tables of FROZEN and FROZEN_COUNTS (770k of the 1.8M entries in English,
# most of their strings found in no other table) are stored as frozentable.py arrays and looked up
# in them: load time 0.67 -> 0.37 s CPU (English, same run), outputs the same.
# Format 2 (``unpack_v2``, model files of before): each table its own strings.

def _strs(items) -> bytes:
    items = list(items)
    for s in items:
        if "\n" in s:
            raise ValueError(f"a table entry holds a line break: {s!r}")
    return "\n".join(items).encode("utf-8")


def _le(a: array) -> bytes:
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _centibels(values: list[float]) -> array | None:
    """The values as wordfreq's centibel steps i (value == 10 ** (-i / 100) exactly), or None."""
    out = array("H")
    for v in values:
        if not v > 0.0:
            return None
        i = round(-math.log10(v) * 100)
        if not 0 <= i < 65536 or 10 ** (-i / 100) != v:
            return None
        out.append(i)
    return out


def _int_array(values) -> array:
    a = array("q", values)
    if all(0 <= v < 2 ** 32 for v in a):
        return array("I", a)
    return a


# tables stored as FrozenTable arrays (format 4): no dict is built for them at load
FROZEN = ("wf", "sym_uni", "sym_bi")
FROZEN_COUNTS = ("bigrams",)


# Format 5: the strings of the two candidate lexicons (lex, lex_common: each its words, prefixes and
# endings, six sets that nest - a word is a prefix and an ending, a common one is in all six) come first
# in the string list, grouped by which of the six sets they are in, the groups in REGIONS' order (the
# order with the fewest runs: found by a search over all orders of the 13 possible groups); each group
# sorted. Each set is then one or two runs of the list (``runs``: [start, end) pairs), which loading
# slices instead of looking up 790k stored indices one by one (English: about 40% less time for those
# sets and dicts). The follow dicts' values, the sorted word list and the other tables stay indices.
SETS = {"lex.endings": 0, "lex.follow.keys": 1, "lex.words": 2, "lex_common.endings": 3,
        "lex_common.follow.keys": 4, "lex_common.words": 5}
REGIONS = [(0, 3), (0, 1, 3), (0, 1, 3, 4), (0, 1, 2, 3, 4, 5), (0, 1, 2, 3, 4), (0, 1, 2, 3), (0, 1, 2),
           (0, 1, 2, 4), (0, 1, 4), (1, 4), (1,), (0, 1), (0,)]


def _lexicon_runs(t: dict) -> tuple[dict[str, list[list[int]]], list[str]]:
    """({set name: its runs}, the lexicons' strings in their stored order) of format 5."""
    sets = [None] * len(SETS)
    for name in ("lex", "lex_common"):
        words, _pre, follow, ends = t[name]
        sets[SETS[name + ".endings"]], sets[SETS[name + ".follow.keys"]] = ends, follow
        sets[SETS[name + ".words"]] = words
    groups: dict[tuple, list[str]] = {r: [] for r in REGIONS}
    for s in set(sets[0]).union(sets[1]):
        key = tuple(k for k, x in enumerate(sets) if s in x)
        if key not in groups:
            raise ValueError(f"the lexicon's sets do not nest as they must ({s!r} is in {key})")
        groups[key].append(s)
    placed: list[str] = []
    runs: dict[str, list[list[int]]] = {name: [] for name in SETS}
    for region in REGIONS:
        start = len(placed)
        placed += sorted(groups[region])
        for name, k in SETS.items():
            if k in region and start < len(placed):
                r = runs[name]
                if r and r[-1][1] == start:
                    r[-1][1] = len(placed)
                else:
                    r.append([start, len(placed)])
    return runs, placed


def _in_runs(strings: list, runs: list) -> list:
    return [s for a, b in runs for s in strings[a:b]]


def pack(t: dict, counts: dict | None = None) -> tuple[dict, list[bytes]]:
    """(header, blobs) of the tables ``t`` and of ``counts`` ({name: {string: int}}, the model's own
    word and bigram counts, kept in their order), byte-identical for the same input (format 4: format
    3, with the tables of FROZEN and FROZEN_COUNTS as frozentable arrays)."""
    lists: dict[str, list[str]] = {}  # table name -> its strings, in the order stored
    nums: dict[str, array] = {}
    frozen: dict[str, dict] = {}  # table name -> its frozentable arrays
    for name in FROZEN:
        keys = sorted(t[name])
        vals = [t[name][k] for k in keys]
        cb = _centibels(vals) if name == "wf" else None
        a = cb if cb is not None else array("d", vals) if name == "wf" else _int_array(vals)
        frozen[name] = freeze(keys, a)
    runs, placed = _lexicon_runs(t)
    for name in ("lex", "lex_common"):
        follow = t[name][2]
        lists[name + ".follow.values"] = [follow[k] for k in _in_runs(placed, runs[name + ".follow.keys"])]
    lists["lex.sorted"] = sorted(t["lex"][0])
    fb = t["fallback"]
    fkeys = sorted(fb)
    lists["fallback.words"] = [w for k in fkeys for w in fb[k]]
    nums["fallback.sizes"] = array("I", [len(fb[k]) for k in fkeys])
    grams, ctx, mu = t["shape"]
    for name, d in (("shape.grams", grams), ("shape.contexts", ctx)):
        keys = sorted(d)
        lists[name + ".keys"] = keys
        nums[name + ".values"] = _int_array(d[k] for k in keys)
    # in the order of first use, so that building each table reads the strings it makes in memory order
    for name, d in (counts or {}).items():
        if name in FROZEN_COUNTS:
            frozen[f"counts.{name}"] = freeze(list(d), _int_array(d.values()), keep_order=True)
        else:
            lists[f"counts.{name}.keys"] = list(d)
            nums[f"counts.{name}.values"] = _int_array(d.values())
    strings = list(dict.fromkeys([*placed, *(s for lst in lists.values() for s in lst)]))
    index = {s: i for i, s in enumerate(strings)}
    bitmaps = {name: pack_index(t[name][0]) for name in ("lex", "lex_common")}
    header: dict = {"version": 5, "entries": [], "shape_mu": mu, "wordfreq": t["wordfreq_list"],
                    "fallback_keys": [[n, side, ch] for n, side, ch in fkeys], "counts": list(counts or {}),
                    "frozen": list(frozen), "runs": runs,
                    "index": {"key": INDEX_KEY, "letters": {name: v[1] for name, v in bitmaps.items()}}}
    blobs: list[bytes] = []

    def put(name: str, kind: str, n: int, payload: bytes) -> None:
        header["entries"].append([name, kind, n, len(payload)])
        blobs.append(payload)

    put("strings", "s", len(strings), _strs(strings))
    for name, lst in lists.items():
        put(name, "i", len(lst), _le(array("I", [index[s] for s in lst])))  # "i": indices into strings
    for name, a in nums.items():
        put(name, a.typecode, len(a), _le(a))
    for name, (blob, _letters) in bitmaps.items():
        put(name + ".index", "b", len(blob), blob)  # before the frozen tables: read with the lexicon's
    for name, parts in frozen.items():
        n = len(parts["hashes"])
        put(name + ".blob", "b", n, parts["blob"])  # "b": bytes kept as they are
        for part in ("offs", "hashes", "dir", "values", "order"):
            if part in parts:
                a = parts[part]
                put(f"{name}.{part}", a.typecode, len(a), _le(a))
    return header, blobs


def unpack(header: dict, read) -> dict:
    """The tables ``pack`` stored (format 3 or 4); ``read(n)`` gives the next n bytes of the stream
    after the header. The lexicon's tables are built as soon as their entries are read, before the
    frozen tables' (stored last: their bytes may still be inflating meanwhile, model.read_model_file)."""
    if header.get("version") not in (3, 4, 5):
        raise ValueError(f"unknown table format {header.get('version')!r}")
    S: list[str] = []
    idx: dict[str, array] = {}
    num: dict[str, array | bytes] = {}
    frozen = {f"{name}.{part}" for name in header.get("frozen", ())
              for part in ("blob", "offs", "hashes", "dir", "values", "order")}
    t = None
    try:
        for name, kind, n, size in header["entries"]:
            if t is None and name in frozen:
                t = _lexicon_tables(header, S, idx, num)
            chunk = read(size)
            if len(chunk) != size:
                raise ValueError(f"table {name}: the file ends early")
            if kind == "s":
                S = chunk.decode("utf-8").split("\n") if n else []
                got = len(S)
            elif kind == "b":
                num[name] = chunk
                got = n
            else:
                a = array("I" if kind == "i" else kind)
                a.frombytes(chunk)
                if sys.byteorder != "little":  # pragma: no cover
                    a.byteswap()
                got = len(a)
                (idx if kind == "i" else num)[name] = a
            if got != n:
                raise ValueError(f"table {name}: {got} entries, the header says {n}")
        if t is None:
            t = _lexicon_tables(header, S, idx, num)
        return _word_tables(header, t, S, idx, num)
    except IndexError:
        raise ValueError("a table refers to a string the file lacks") from None
    except KeyError as exc:
        raise ValueError(f"table {exc.args[0]} is missing") from None


def _wf_steps(values: array) -> list[float]:
    """wordfreq's frequency of each centibel step up to the largest in ``values``, as wordfreq
    computes it."""
    return [10 ** (-i / 100) for i in range(max(values, default=0) + 1)]


def _lexicon_tables(header: dict, S: list[str], idx: dict, num: dict) -> dict:
    """The tables of the candidate lexicons, the fallback and the word shapes (their entries read)."""
    get = S.__getitem__

    def strs(name):
        return map(get, idx.pop(name))

    def pairs(name, values):
        return dict(zip(strs(name + ".keys"), values))

    runs = header.get("runs")  # format 5: the lexicons' sets as runs of the string list
    if runs is not None:
        for name in SETS:
            if any(not 0 <= a <= b <= len(S) for a, b in runs[name]):
                raise ValueError(f"table {name}: a run outside the strings")

    def run(name):
        if runs is None:
            return strs(name)
        r = runs[name]
        return S[r[0][0]:r[0][1]] if len(r) == 1 else chain.from_iterable(S[a:b] for a, b in r)

    t: dict = {"wordfreq_list": header.get("wordfreq")}  # wf is that wordfreq list (wordfreqs.list_id)
    for name in ("lex", "lex_common"):
        if runs is None:
            words = list(strs(name + ".words"))
            sorted_words = words
        else:
            words = run(name + ".words")
            sorted_words = list(strs("lex.sorted")) if name == "lex" else None
        if name == "lex":
            t["lex_sorted"] = sorted_words
        keys = run(name + ".follow.keys")
        values = idx.pop(name + ".follow.values")
        if runs is not None and sum(b - a for a, b in runs[name + ".follow.keys"]) != len(values):
            raise ValueError(f"table {name}.follow: keys and values disagree")
        follow = dict(zip(keys, map(get, values)))
        t[name] = (frozenset(words), follow, follow, frozenset(run(name + ".endings")))
    fbw = list(strs("fallback.words"))
    fb, at = {}, 0
    for (n, side, ch), k in zip(header["fallback_keys"], num.pop("fallback.sizes")):
        fb[(int(n), int(side), ch)] = fbw[at:at + k]
        at += k
    if at != len(fbw):
        raise ValueError("table fallback: sizes and words disagree")
    t["fallback"] = fb
    t["index"] = _stored_index(header, num)
    t["shape"] = (pairs("shape.grams", num.pop("shape.grams.values").tolist()),
                  pairs("shape.contexts", num.pop("shape.contexts.values").tolist()), float(header["shape_mu"]))
    return t


def _stored_index(header: dict, num: dict) -> dict:
    """{lexicon name: (its bitmaps, its letters)} that the file stores (bulksearch.pack_index), for
    the bulk search; none when they were made with other constants than this version's (then the
    bulk search hashes the lexicon itself)."""
    info = header.get("index") or {}
    blobs = {name: num.pop(name + ".index") for name in info.get("letters", {}) if name + ".index" in num}
    if info.get("key") != INDEX_KEY:
        return {}
    return {name: (blob, info["letters"][name]) for name, blob in blobs.items()}


def _word_tables(header: dict, t: dict, S: list[str], idx: dict, num: dict) -> dict:
    """``t`` with the word and bigram counts (frozen tables in format 4) and the model's own counts."""
    get = S.__getitem__
    frozen = set(header.get("frozen", ()))

    def pairs(name, values):
        return dict(zip(map(get, idx.pop(name + ".keys")), values))

    def thawed(name, steps=None):
        hashes = num.pop(name + ".hashes")
        dir_ = num.pop(name + ".dir", None)  # (the first format-4 files, a44ee9e, stored none)
        return FrozenTable(num.pop(name + ".blob"), num.pop(name + ".offs"), hashes,
                           dir_ if dir_ is not None else directory(hashes), num.pop(name + ".values"),
                           num.pop(name + ".order", None), steps)

    if "wf" in frozen:
        wfv = num["wf.values"]
        t["wf"] = thawed("wf", _wf_steps(wfv) if wfv.typecode == "H" else None)
    else:
        wfv = num.pop("wf.values")
        if wfv.typecode == "H":
            wfv = map(_wf_steps(wfv).__getitem__, wfv)
        t["wf"] = pairs("wf", wfv)
    for name in ("sym_uni", "sym_bi"):
        t[name] = thawed(name) if name in frozen else pairs(name, num.pop(name + ".values").tolist())
    t["counts"] = {name: thawed(f"counts.{name}") if f"counts.{name}" in frozen
                   else pairs(f"counts.{name}", num.pop(f"counts.{name}.values").tolist())
                   for name in header.get("counts", [])}
    return t


def unpack_v2(header: dict, buf: bytes, off: int) -> dict:
    """The tables of a format-2 model file (each table its own strings), read from ``buf`` from
    offset ``off``."""
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

    t: dict = {"wordfreq_list": None}  # of an unknown wordfreq list
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
