"""Context-aware noisy-channel OCR correction.

For each word token the corrector weighs keeping it against candidate corrections::

    score(c) = log P(c | previous word) + log P(next word | c) + log P(ocr form | c) + document evidence

Candidates come from learned character confusions (``h``->``b``, ``rn``->``m``, ``8``->``s`` ...),
one unlearned edit, splitting a token in two, merging it with the next token, and - for frequent
(real) words - a learned list of real-word confusions (``he`` printed for ``be``). An unknown token
that no likely confusion explains is also compared with the lexicon words of about its length
(edit distance 2-4, rapidfuzz; learned confusions score as learned, other edits at a fixed cost).
Keeping an unknown token is weighed by how much it looks like a word (a character 4-gram model of
the lexicon): ``Krivitsky`` does, ``tbohnical`` does not. The scores of "keep" and all candidates
are turned into a posterior. Without an edit vetter in the model, an edit is made when the best
candidate's posterior reaches the threshold, and that posterior is its confidence. With one (``vet``),
every edit whose posterior reaches ``vet_min_post`` is proposed to it, and the vetter's probability
that the edit makes the text better is compared with the threshold and becomes the confidence.

Conservative rules: numbers, short all-caps abbreviations, tokens with inner dots and capitalised
mid-sentence words (names) get no or a handicapped chance; a word printed elsewhere in the same
document counts as evidence for itself.
"""

from __future__ import annotations

import copy
import gc
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING

from rapidfuzz import process as rf_process
from rapidfuzz.distance import Levenshtein

from .model import CorrectionModel, load_model
from .signs import ETC_RE, etc_edits, money_edits
from .train import caps_word, char_rules
from .vet import RULES as VET_RULES

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Document

CHUNK_RE = re.compile(r"\S+")
STRIP_RE = re.compile(r"[\W_]*(.*?)[\W_]*$", re.S)  # group 1: a chunk without leading / trailing non-alphanumerics
PART_RE = re.compile(r"[^-–—]+")
LINE_HYPHENS = "-·–¬"
NUMBERISH_RE = re.compile(r"^\d+([.,]\d+)*(st|nd|rd|th|s|d|l|[.]|/-)?$", re.I)
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
LINE_HYPHEN_RE = re.compile(r"([^\W\d_])[-¬·–]\s*\n\s*([^\W\d_])")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SHAPE_ADD_K = 0.01  # add-k smoothing of the character 4-gram model of word shapes
SHAPE_SYMBOLS = 28  # letters, apostrophe, end mark
SENT_END = ".!?:;\"”)"


@dataclass
class Correction:
    start: int  # offsets into the corrected text
    end: int
    before: str
    after: str
    confidence: float
    rule: str


@dataclass
class _Tok:
    form: str  # original-case analysis form (line-break hyphen removed)
    offs: list  # text offset of each form character
    sent_start: bool
    joined: bool  # spans a line-break hyphen

    @property
    def start(self) -> int:
        return self.offs[0]

    @property
    def end(self) -> int:
        return self.offs[-1] + 1


def document_vocabulary(texts) -> Counter:
    c: Counter = Counter()
    for t in texts:
        t = LINE_HYPHEN_RE.sub(r"\1\2", t)
        c.update(w.lower().replace("’", "'") for w in WORD_RE.findall(t))
    return c


def tokenize(text: str) -> list[_Tok]:
    """Word tokens of text with their offsets; line-break hyphenated words are joined."""
    toks: list[_Tok] = []
    chunks = list(CHUNK_RE.finditer(text))
    sent_start = True
    pending: _Tok | None = None  # first half of a line-break hyphenated word
    for ci, m in enumerate(chunks):
        s, e = m.start(), m.end()
        chunk = m.group()
        # strip leading / trailing non-alphanumerics
        core = STRIP_RE.match(chunk)
        a, b = core.start(1), core.end(1)
        if a >= b:
            if pending is not None:
                toks.append(pending)
                pending = None
            if chunk and chunk[-1] in SENT_END:
                sent_start = True
            continue
        parts = [(s + a + pm.start(), s + a + pm.end()) for pm in PART_RE.finditer(chunk[a:b])]
        hyphen_end = (b < len(chunk) and chunk[b] in LINE_HYPHENS and b + 1 == len(chunk)
                      and ci + 1 < len(chunks) and "\n" in text[e:chunks[ci + 1].start()])
        for k, (ps, pe) in enumerate(parts):
            form = text[ps:pe]
            offs = range(ps, pe)
            if k == 0 and pending is not None:
                if a == 0:
                    pending = _Tok(pending.form + form, list(pending.offs) + list(offs), pending.sent_start, True)
                    form, offs = pending.form, pending.offs
                    if k == len(parts) - 1 and hyphen_end:
                        continue  # keep joining (rare: three-line word)
                    toks.append(pending)
                    pending = None
                    continue
                toks.append(pending)
                pending = None
            tok = _Tok(form, offs, sent_start and k == 0, False)
            if k == len(parts) - 1 and hyphen_end:
                pending = tok
            else:
                toks.append(tok)
        sent_start = chunk[-1] in SENT_END
    if pending is not None:
        toks.append(pending)
    return toks


def _lexicon_of(words) -> tuple[frozenset, frozenset, dict, frozenset]:
    """(words, all their prefixes, prefix -> letters that may follow, all their endings): the
    search stops as soon as its output is no prefix, and the rest of a token after its last edit
    must be an ending."""
    words = frozenset(words)
    pre = {w[:i] for w in words for i in range(1, len(w) + 1)}
    follow: dict[str, set] = {}
    for p in pre:
        follow.setdefault(p[:-1], set()).add(p[-1])
    return (words, frozenset(pre), {k: "".join(sorted(v)) for k, v in follow.items()},
            frozenset(w[i:] for w in words for i in range(len(w))))


def _rule_lps(rules: dict) -> dict[tuple[str, str], float]:
    """{(ocr_sub, gt_sub): log p} of a rule table (the fallback scores aligned differences with it)."""
    return {(o, g): lp for o, lst in rules.items() for g, lp in lst}


def _all_caps(f: str) -> bool:
    return len(f) >= 2 and f.isalpha() and f.isupper()


def _caps_runs(toks: list[_Tok], eligible: list[bool], check) -> None:
    """Make the short all-capital words of capitals runs eligible (in place): a word in capitals
    between words in capitals is set in capitals, not an abbreviation. A run needs three such
    words in a row, so "the BBC and ITV" keeps its abbreviations."""
    n = len(toks)
    caps = [_all_caps(t.form) for t in toks]
    for i in range(n):
        if eligible[i] or not caps[i] or len(toks[i].form) > 4:
            continue
        run = (i >= 2 and caps[i - 1] and caps[i - 2]) or (0 < i < n - 1 and caps[i - 1] and caps[i + 1]) \
            or (i + 2 < n and caps[i + 1] and caps[i + 2])
        if run:
            eligible[i] = check(toks[i], toks[i].form.lower(), True)


def _posterior(keep: float, scores: list[tuple]) -> tuple[tuple, float]:
    """The best of the (score, candidate, ...) tuples and its posterior against them and keeping."""
    best = max(scores)
    mx = max(best[0], keep)
    z = math.exp(keep - mx) + sum(math.exp(sc[0] - mx) for sc in scores)
    return best, math.exp(best[0] - mx) / z


def _word_pair(text: str, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
    """Two tokens of letters one space apart, the second no capitalised word (a name starts there)."""
    return (text[a.end:b.start] == " " and lo_a.isalpha() and lo_b.isalpha()
            and not (b.form[:1].isupper() and not b.form.isupper()))


def _hyphen_pair(text: str, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
    """Two tokens of letters joined by a hyphen in mid-line (``inclu-sive``), neither joined across a
    line break: maybe the hyphen of a line break the text no longer has (the caller also asks that
    one half be no word)."""
    return text[a.end:b.start] == "-" and lo_a.isalpha() and lo_b.isalpha() and not a.joined and not b.joined


def _apply_case(orig: str, new: str) -> str:
    letters = [ch for ch in orig if ch.isalpha()]
    if len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters):
        return new.upper()
    if letters and orig[0].isupper():
        return new[:1].upper() + new[1:]
    if letters and letters[0].isupper() and not orig[0].isalpha():
        return new[:1].upper() + new[1:]
    return new


class Corrector:
    def __init__(self, model: CorrectionModel | str | None = None, threshold: float | None = None):
        if model is None or isinstance(model, str):
            model = load_model(model)
        self.model = model
        self.P = model.params
        if threshold is None:
            # a threshold the model file sets applies; else with a vetter, confidences are its
            # probabilities, with their own default
            own = model.data.get("params") or {}
            threshold = (own["threshold"] if "threshold" in own
                         else self.P["vet_threshold"] if model.vetter is not None else self.P["threshold"])
        self.threshold = float(threshold)
        self.lm = model.lm
        self._cands: dict[str, list[tuple[str, float, str]]] = {}
        self._app_cache: dict[tuple, tuple] = {}  # rule OCR sides at a position -> applications
        self._win_cache: dict[str, tuple] = {}  # the next few characters -> applications
        self._window = max(self._rules()[1], default=1)
        self._flag_cache: dict[str, tuple[bool, bool]] = {}  # token form -> (clean, eligible)
        self._dk_cache: dict[tuple[str, str], tuple[str, str]] = {}
        self._lc_cache: dict[tuple[str, str | None], float] = {}  # log P(w | prev)
        self._lexicon()  # build the candidate lexicons now, not in the first call
        self._common_lexicon()
        if self.P["fallback"]:
            self._fallback_index()
        self._shape_cache: dict[str, float] = {}
        self._caps_sub: Corrector | None = None  # see _caps
        self.vetter = model.vetter  # learned second opinion on each proposed edit (see vet.py), or None
        # when a list: every proposal of the last pass is appended as (features, correction),
        # whether it is made or not (training data of the vetter)
        self.proposals: list | None = None
        self._oov_cache: dict[str, bool] = {}
        self._merge_cache: dict[str, list] = {}
        if self.P["shape_weight"]:
            self._shape_model()
        if not getattr(model, "_gc_frozen", False):
            # the lexicon, language model and rules are large and usually live as long as the
            # process: move them out of the cyclic garbage collector's reach, so that full
            # collections stop walking them (30+ ms each, several per second of correction).
            # Objects are still freed by reference counting; only cycles alive now are kept.
            gc.collect()
            gc.freeze()
            model._gc_frozen = True

    # ------------------------------------------------------------------ candidates
    def _lexicon(self) -> tuple[frozenset, frozenset, dict, frozenset]:
        """(candidate words, all their prefixes, prefix -> letters that may follow, all their
        endings), built on first use."""
        if self.model._lex is None:
            min_p = self.P["cand_min_p"]
            ok = re.compile(r"^[a-z]+(?:'[a-z]+)*$")
            words = {w for w, v in self.lm.wf.items() if v >= min_p and ok.match(w)}
            words.update(w for w in self.lm.tr_uni if ok.match(w))
            self.model._lex = _lexicon_of(words)
        return self.model._lex

    def _common_lexicon(self) -> tuple[frozenset, frozenset, dict, frozenset]:
        """The lexicon of the light search: words that may replace a known word
        (P >= light_ratio * light_p), built on first use."""
        if self.model._lex_common is None:
            min_p = self.P["light_ratio"] * self.P["light_p"]
            p = self.lm.p
            self.model._lex_common = _lexicon_of(w for w in self._lexicon()[0] if p(w) >= min_p)
        return self.model._lex_common

    def _caps(self) -> "Corrector":
        """The candidate search of words printed in capitals: the same lexicons and language model,
        with the confusions of capitals (``B`` for ``E``, ``K`` for ``E``) on top of the others.
        Built on first use; self when the model has no confusions of capitals."""
        sub = self._caps_sub
        if sub is None:
            sub = self
            if self.model.caps_rules is not None:
                model = copy.copy(self.model)
                model.rules, model.inserts = self.model.caps_rules, self.model.caps_inserts
                model._lexrules = None
                if self.model._fb is not None:
                    model._fb = (self.model._fb[0], _rule_lps(model.rules))
                sub = copy.copy(self)
                sub.model = model
                sub._cands, sub._app_cache, sub._win_cache, sub._merge_cache = {}, {}, {}, {}
                sub._window = max(sub._rules()[1], default=1)
                sub._caps_sub = sub
            self._caps_sub = sub
        return sub

    def _lexicon_sorted(self) -> list[str]:
        if self.model._lex_sorted is None:
            self.model._lex_sorted = sorted(self._lexicon()[0])
        return self.model._lex_sorted

    def _search(self, w: str, max_edits: int, generic: bool, min_lp: float | None = None,
                lex: tuple | None = None) -> dict[str, float]:
        """Lexicon words reachable from w by learned confusions (+ at most one generic edit):
        {word: best log channel probability of a path}. lex: another lexicon (see _lexicon_of)."""
        if min_lp is None:
            min_lp = self.P["min_path_lp"]
        if max_edits == 1 or (max_edits == 2 and not generic):
            return self._search_fast(w, max_edits, generic, min_lp, lex or self._lexicon())
        return self._search_dfs(w, max_edits, generic, min_lp, lex or self._lexicon())

    def _search_dfs(self, w: str, max_edits: int, generic: bool, min_lp: float, lex: tuple) -> dict[str, float]:
        """The general search, depth-first over w, building the output left to right; a branch dies
        as soon as its output is no prefix of a lexicon word. Rule applications per position are
        sorted by probability, so a branch stops trying them at the first one below the floor."""
        words, pre, follow, _suffixes = lex
        glp = self.P["generic_lp"]
        n = len(w)
        out: dict[str, float] = {}
        apps = [self._apps_at(w, i)[0] for i in range(n + 1)]
        sfx = [w[j:] for j in range(n + 1)]
        stack = [(0, "", 0.0, 0, not generic)]
        seen: dict = {}
        out_get = out.get
        while stack:
            i, cur, lp, ne, gen = stack.pop()
            key = (i, cur, gen)
            if seen.get(key, -1e9) >= lp:
                continue
            seen[key] = lp
            if i == n:
                if cur in words and out_get(cur, -1e9) < lp:
                    out[cur] = lp
            else:
                c2 = cur + w[i]
                if c2 in pre:
                    stack.append((i + 1, c2, lp, ne, gen))
            if ne >= max_edits:
                continue
            ne1 = ne + 1
            floor = min_lp - lp
            if ne1 >= max_edits:  # after this edit only copying is left: test the word directly
                for L, g, rlp in apps[i]:
                    if rlp < floor:
                        break
                    c3 = cur + g + sfx[i + L]
                    if c3 in words and out_get(c3, -1e9) < lp + rlp:
                        out[c3] = lp + rlp
            else:
                for L, g, rlp in apps[i]:
                    if rlp < floor:
                        break
                    c2 = cur + g
                    if not g or c2 in pre:
                        stack.append((i + L, c2, lp + rlp, ne1, gen))
            if not gen and glp >= floor:
                nlp = lp + glp
                wi = w[i] if i < n else ""
                fl = follow.get(cur, "")
                if ne1 >= max_edits:
                    if i < n:
                        rest = w[i + 1:]
                        rest0 = w[i:]
                        cands = [cur + rest]
                        for letter in fl:
                            if letter != wi:
                                cands.append(cur + letter + rest)
                            cands.append(cur + letter + rest0)
                    else:
                        cands = [cur + letter for letter in fl]
                    for c3 in cands:
                        if c3 in words and out_get(c3, -1e9) < nlp:
                            out[c3] = nlp
                    continue
                if i < n:
                    stack.append((i + 1, cur, nlp, ne1, True))  # delete w[i]
                for letter in fl:
                    c2 = cur + letter
                    if i < n and letter != wi:
                        stack.append((i + 1, c2, nlp, ne1, True))  # substitute
                    stack.append((i, c2, nlp, ne1, True))  # insert
        return out

    def _rules(self):
        """(rules, rule lengths, inserts) without replacements that cannot occur in a lexicon word."""
        if self.model._lexrules is None:
            ok = re.compile(r"^[a-z']*$")
            rules = {}
            for o, lst in self.model.rules.items():
                keep = [(g, lp) for g, lp in lst if ok.match(g)]
                if keep:
                    rules[o] = keep
            self.model._lexrules = (rules, sorted({len(k) for k in rules}, reverse=True),
                                    [(g, lp) for g, lp in self.model.inserts if g and ok.match(g)])
        return self.model._lexrules

    def _search_fast(self, w: str, max_edits: int, generic: bool, min_lp: float, lex: tuple) -> dict[str, float]:
        """The common cases of :meth:`_search` as plain loops: one edit (learned or generic) or two
        learned edits. Same result as the depth-first search; candidate strings are made in bulk and
        looked up with one set intersection per position."""
        words, pre, follow, suffixes = lex
        n = len(w)
        W = self._window  # longest OCR side of a rule
        apps_at = self._apps_at
        sfx = [w[j:] for j in range(n + 1)]
        ok = [s in suffixes for s in sfx]  # may the rest of w from here end a lexicon word?
        ok[n] = True
        kmin = ok.index(True) - W  # a second edit must reach the valid ending
        tails: dict[int, tuple] = {}  # position -> ([(log p, replacement + rest of w)], [-log p]), best first
        out: dict[str, float] = {}
        get = out.get
        if w in words:
            out[w] = 0.0
        glp = self.P["generic_lp"] if generic and max_edits == 1 else None
        if glp is not None and glp < min_lp:
            glp = None
        isect = words.intersection
        strs: list[str] = []  # one-edit search: candidate strings and their log p
        lps: list[float] = []
        # one edit at i must reach the ending: no position before kmin can (ok only turns True)
        for i in range(max(0, kmin) if max_edits == 1 else 0, n + 1):
            cur = w[:i]
            if i and cur not in pre:
                break
            app, neg, grouped = apps_at(w, i)
            if max_edits == 1:
                # all one-edit strings, looked up at once after the loop
                fl = follow.get(cur, "")
                if glp is not None:
                    if i < n and ok[i + 1]:
                        rest, wi = sfx[i + 1], w[i]
                        strs.append(cur + rest)
                        strs += [cur + x + rest for x in fl if x != wi]
                    if ok[i]:
                        rest = sfx[i]
                        strs += [cur + x + rest for x in fl]
                    lps += [glp] * (len(strs) - len(lps))
                for L, gs, rs, negs in grouped:
                    if ok[i + L] and (mL := bisect_right(negs, -min_lp)):
                        rest = sfx[i + L]
                        for g, r in zip(gs[:mL], rs[:mL]):
                            if g[:1] in fl:  # a lexicon word goes on with that letter
                                strs.append(cur + g + rest)
                                lps.append(r)
                continue
            m = bisect_right(neg, -min_lp)
            if not m:
                continue
            for L1, g1, r1 in app[:m]:
                p = cur + g1
                if g1 and p not in pre:
                    continue
                k = i + L1
                floor = min_lp - r1
                while True:
                    if k == n and p in words and get(p, -1e9) < r1:
                        out[p] = r1
                    tl2 = tails.get(k) if k >= kmin else None
                    if tl2 is None and k >= kmin:
                        # the replacement and the rest of w must end some lexicon word
                        # (and no second edit is below the floor: the first costs something)
                        app2, neg2, _g = apps_at(w, k)
                        tl = [(r, t) for L, g, r in app2[:bisect_right(neg2, -min_lp)]
                              if ok[k + L] and ((t := g + sfx[k + L]) in suffixes or not t)]
                        tl2 = tails[k] = (tl, [-r for r, _t in tl])
                    if tl2 is not None and (m2 := bisect_right(tl2[1], -floor)):
                        sub = tl2[0][:m2]
                        hits = isect([p + t for _r, t in sub])
                        if hits:
                            for r2, t in sub:
                                c3 = p + t
                                if c3 in hits and get(c3, -1e9) < r1 + r2:
                                    out[c3] = r1 + r2
                    if k == n:
                        break
                    p = p + w[k]
                    if p not in pre:
                        break
                    k += 1
        if strs:
            hits = isect(strs)
            if hits:
                for c3, r in compress(zip(strs, lps), map(hits.__contains__, strs)):
                    if get(c3, -1e9) < r:
                        out[c3] = r
        return out

    def _apps_at(self, w: str, i: int) -> tuple[list[tuple[int, str, float]], list[float], list]:
        """Learned rule applications at position i of w:
        ([(length of the OCR part, replacement, log p)] best first, [-log p] for bisect,
        the same grouped by length: [(length, [replacement], [log p], [-log p])])."""
        win = w[i:i + self._window]
        got = self._win_cache.get(win)
        if got is not None:
            return got
        rules, lens, ins = self._rules()
        key = tuple([s for L in lens if len(s := w[i:i + L]) == L and s in rules])
        got = self._app_cache.get(key)
        if got is None:
            got = [(len(s), g, rlp) for s in key for g, rlp in rules[s]]
            got.extend((0, g, rlp) for g, rlp in ins)
            got.sort(key=lambda t: -t[2])
            grouped = []
            for L in sorted({t[0] for t in got}):
                sub = [t for t in got if t[0] == L]
                grouped.append((L, [t[1] for t in sub], [t[2] for t in sub], [-t[2] for t in sub]))
            got = self._app_cache[key] = (got, [-t[2] for t in got], grouped)
        if len(self._win_cache) > 200_000:
            self._win_cache.clear()
        self._win_cache[win] = got
        return got

    def candidates(self, w: str) -> list[tuple[str, float, str]]:
        """[(candidate, log channel probability, rule)] for a lower-cased token, best first."""
        got = self._cands.get(w)
        if got is not None:
            return got
        P = self.P
        lm = self.lm
        res: dict[str, tuple[float, str]] = {}
        for g, lp in self.model.realword.get(w, ()):
            res[g] = (lp * P["realword_scale"], "real-word")
        pw = lm.p(w)
        if pw < P["frequent_p"]:
            min_p = P["cand_min_p"]
            if pw >= P["light_max_p"]:
                allc = {}  # a fairly common word: learned real-word confusions only
            elif pw >= P["light_p"]:
                # a rare known word: a word light_ratio times as frequent, a likely confusion away
                allc = self._search(w, P["light_edits"], False, P["light_min_path_lp"], self._common_lexicon())
                min_p = max(min_p, P["light_ratio"] * pw)
            else:
                # cheap one-edit search first; the wider one only when it finds nothing common
                allc = self._search(w, 1, P["generic_edits"])
                depth = 1
                while depth < P["max_edits"] and P["deep_min_len"] <= len(w) <= P["deep_max_len"] and not any(lm.p(c) >= P["deepen_p"] for c in allc):
                    depth += 1
                    deeper = self._search(w, depth, P["generic_edits"] and P["deep_generic"], P["deep_min_path_lp"])
                    for c, lp in deeper.items():
                        if allc.get(c, -1e9) < lp:
                            allc[c] = lp
            for c, lp in allc.items():
                if c == w or not c:
                    continue
                pc = lm.p(c)
                if pc < min_p:
                    continue
                if c not in res or res[c][0] < lp:
                    res[c] = (lp, "confusion")
            if P["fallback"] and pw < P["light_p"] and P["fallback_min_len"] <= len(w) and w.isalpha() \
                    and not any(lm.p(c) >= P["deepen_p"] or v[0] >= P["fallback_skip_lp"] for c, v in res.items() if " " not in c):
                for c, lp in self._fallback(w).items():
                    if c not in res or res[c][0] < lp:
                        res[c] = (lp, "edit-distance")
            # splits into two words
            if len(w) >= 4 and w.isalpha():
                smin = P["split_min_p"]
                for i in range(1, len(w)):
                    a, b = w[:i], w[i:]
                    if (len(a) > 1 or a in ("a", "i")) and (len(b) > 1 or b in ("a", "i")) \
                            and lm.p(a) >= smin and lm.p(b) >= smin:
                        res[a + " " + b] = (P["split_lp"], "split")
        elif P["frequent_search"] and w.isalpha():
            # frequent words: one learned confusion towards another frequent word ("hill" -> "bill");
            # the context has to outweigh the word's own strong prior
            for c, lp in self._search(w, 1, False, P["frequent_min_lp"]).items():
                if c != w and lm.p(c) >= P["frequent_p"] and c not in res:
                    res[c] = (lp + P["frequent_extra_lp"], "real-word")
        ranked = sorted(res.items(), key=lambda t: -(t[1][0] + math.log(self._p_form(t[0]))))
        got = [(c, lp, rule) for c, (lp, rule) in ranked[: P["max_cands"]]]
        if len(self._cands) > 200_000:
            self._cands.clear()
        self._cands[w] = got
        return got

    def _fallback_index(self) -> tuple[dict, dict]:
        """((length, 0 or 1, first or last letter) -> fallback lexicon words, (ocr, true) -> rule log p)."""
        if self.model._fb is None:
            min_p = self.P["fallback_min_p"]
            p = self.lm.p
            by_len: dict[tuple, list[str]] = {}
            for c in self._lexicon_sorted():
                if p(c) >= min_p:
                    n = len(c)
                    by_len.setdefault((n, 0, c[0]), []).append(c)
                    by_len.setdefault((n, 1, c[-1]), []).append(c)
            rule_lp = _rule_lps(self.model.rules)
            self.model._fb = (by_len, rule_lp)
        return self.model._fb

    def _fallback(self, w: str) -> dict[str, float]:
        """Lexicon words (P >= fallback_min_p) about as long as w and within 2 edits of it (3 when
        w has at least fallback_long characters, 4 from fallback_longer): {word: log channel
        probability}. Each aligned difference scores as its learned confusion, or fallback_lp per
        character."""
        P = self.P
        by_len, rule_lp = self._fallback_index()
        max_d = 4 if len(w) >= P["fallback_longer"] else 3 if len(w) >= P["fallback_long"] else 2
        win = P["fallback_len_win"]
        gen = P["fallback_lp"]
        out: dict[str, float] = {}
        # a word that differs from w in both its first and its last letter is too far off:
        # searching only the words that share one of them is about 10 times faster
        keys = [(n, 0, w[0]) for n in range(len(w) - win, len(w) + win + 1)]
        keys += [(n, 1, w[-1]) for n, _side, _ch in keys]
        for key in keys:
            for c, _d, _i in rf_process.extract(w, by_len.get(key, ()), scorer=Levenshtein.distance,
                                                score_cutoff=max_d, limit=None):
                if c in out:
                    continue
                lp = 0.0
                for o, g in char_rules(w, c):
                    r = rule_lp.get((o, g))
                    lp += r if r is not None else gen * max(len(o), len(g))
                out[c] = lp
        return out

    def _shape_model(self) -> tuple[dict, dict, float]:
        """Character 4-gram counts of the lexicon words (with ``^`` padding and ``$`` end), the
        counts of their 3-character contexts, and the mean log probability per character."""
        if self.model._shape is None:
            grams: dict[str, int] = {}
            get = grams.get
            for w in self._lexicon_sorted():
                s = "^^^" + w + "$"
                for i in range(len(s) - 3):
                    g = s[i:i + 4]
                    grams[g] = get(g, 0) + 1
            ctx: Counter = Counter()
            for g, c in grams.items():
                ctx[g[:3]] += c
            k = SHAPE_ADD_K
            total = sum(grams.values())
            mu = sum(c * math.log((c + k) / (ctx[g[:3]] + k * SHAPE_SYMBOLS)) for g, c in grams.items()) / total
            self.model._shape = (grams, dict(ctx), mu)
        return self.model._shape

    def _shape(self, o: str) -> float:
        """Log-odds for keeping an unknown token, from how much it looks like a word: its character
        4-gram log probability minus that of an average word of its length, times shape_weight.
        "Krivitsky" looks like a word, "tbohnical" does not."""
        wt = self.P["shape_weight"]
        if not wt or self.lm.p(o) >= self.P["light_p"] or not o.isalpha():
            return 0.0
        v = self._shape_cache.get(o)
        if v is None:
            grams, ctx, mu = self._shape_model()
            k = SHAPE_ADD_K
            s = "^^^" + o + "$"
            lp = 0.0
            for i in range(len(s) - 3):
                lp += math.log((grams.get(s[i:i + 4], 0) + k) / (ctx.get(s[i:i + 3], 0) + k * SHAPE_SYMBOLS))
            if len(self._shape_cache) > 200_000:
                self._shape_cache.clear()
            v = self._shape_cache[o] = wt * (lp - mu * (len(o) + 1))
        return v

    def _p_form(self, c: str) -> float:
        if " " in c:
            a, b = c.split(" ", 1)
            return self.lm.p(a) * self.lm.cond(b, a)
        return self.lm.p(c)

    # ------------------------------------------------------------------ scoring
    def _logcond(self, w: str, prev: str | None) -> float:
        key = (w, prev)
        v = self._lc_cache.get(key)
        if v is None:
            if len(self._lc_cache) > 500_000:
                self._lc_cache.clear()
            v = self._lc_cache[key] = math.log(self.lm.cond(w, prev))
        return v

    def _ctx(self, c: str, prev: str | None, nxt: str | None) -> float:
        lc = self._logcond
        if " " in c:
            a, b = c.split(" ", 1)
            s = lc(a, prev) + lc(b, a)
            last = b
        else:
            s = lc(c, prev)
            last = c
        if nxt:
            s += lc(nxt, last)
        return s

    def _pair_context(self, o: str, o2: str, prev: str | None, nxt: str | None) -> tuple[float, float]:
        """(log P(o | prev) + log P(o2 | o), log P(nxt | o2)): two tokens kept as printed."""
        lc = self._logcond
        return lc(o, prev) + lc(o2, o), lc(nxt, o2) if nxt else 0.0

    def _diff_key(self, a: str, b: str) -> tuple[str, str]:
        key = (a, b)
        v = self._dk_cache.get(key)
        if v is None:
            if len(self._dk_cache) > 200_000:
                self._dk_cache.clear()
            v = self._dk_cache[key] = _diff_key(a, b)
        return v

    def _doc_bonus(self, c: str, o: str, vocab: Counter | None) -> float:
        if not vocab:
            return 0.0
        if " " in c:
            return 0.0
        n = vocab.get(c, 0) - (1 if c == o else 0)
        if n <= 0:
            return 0.0
        if c == o and self.lm.p(c) >= self.P["doc_max_p"]:
            return 0.0  # a common word printed elsewhere in the document is no evidence
        return self.P["doc_weight"] * math.log1p(n)

    def corrections(self, text: str, extra_vocab: Counter | None = None) -> list[Correction]:
        """Proposed corrections for text, left to right, non-overlapping.

        ``extra_vocab``: lower-cased word counts of the whole document (see
        :func:`document_vocabulary`); default: the counts of ``text`` itself.

        When a first pass makes the same character correction several times (a systematic
        confusion of this document, e.g. long s read as ``f``), a second pass trusts that
        confusion more (document adaptation of the channel).
        """
        toks = tokenize(text)
        lows = [t.form.lower().replace("’", "'") for t in toks]
        # without a document vocabulary, the text itself is the document
        vocab = extra_vocab if extra_vocab is not None else document_vocabulary([text])
        memo: dict = {}  # context scores, shared by both passes
        mark = len(self.proposals) if self.proposals is not None else 0
        out = self._corrections(text, toks, lows, vocab, None, memo)
        adapt = self._adaptation(out)
        if adapt:
            if self.proposals is not None:
                del self.proposals[mark:]  # only the proposals of the pass whose edits are kept
            out = self._corrections(text, toks, lows, vocab, adapt, memo)
        return self._with_signs(text, out)

    def _with_signs(self, text: str, out: list[Correction]) -> list[Correction]:
        """out plus the corrections of misread sums of money and "&c." (signs.py), which replace
        any word correction inside their tokens."""
        edits = []
        if self.P["money"]:
            fp = self.P["frequent_p"]
            conf = self.P["money_confidence"]
            edits += [(s, e, b, a, conf, "money") for s, e, b, a in money_edits(text, lambda w: self.lm.p(w) >= fp)]
        if self.model.etc_forms:
            forms = self.model.etc_forms
            edits += [(s, e, b, a, forms[ETC_RE.match(b).group(2).lower()], "et-cetera")
                      for s, e, b, a in etc_edits(text, forms)]
        edits = [x for x in edits if x[4] >= self.threshold]
        if not edits:
            return out
        spans = [(s, e) for s, e, *_ in edits]
        kept = [c for c in out if not any(c.start < e and s < c.end or s <= c.start < e for s, e in spans)]
        made = []
        for s, e, b, a, conf, rule in edits:
            p, q = _common_affixes(b, a)
            made.append(Correction(s + p, e - q, b[p:len(b) - q], a[p:len(a) - q], round(conf, 4), rule))
        return sorted(kept + made, key=lambda c: (c.start, c.end))

    def _adaptation(self, first: list[Correction]) -> dict[tuple[str, str], float]:
        """The second pass's extra log-odds per (printed, corrected) character change: for each
        change the first pass made at least adapt_min times, adapt_weight * log(times)."""
        w = self.P["adapt_weight"]
        if w <= 0 or not first:
            return {}
        keys = Counter((c.before.lower(), c.after.lower()) for c in first if c.rule in ("confusion", "real-word"))
        return {k: w * math.log(v) for k, v in keys.items() if v >= self.P["adapt_min"]}

    def _unknown(self, w: str) -> bool:
        v = self._oov_cache.get(w)
        if v is None:
            if len(self._oov_cache) > 200_000:
                self._oov_cache.clear()
            v = self._oov_cache[w] = self.lm.p(w) < self.P["light_p"]
        return v

    def _vetting(self) -> bool:
        return self.vetter is not None or self.proposals is not None

    def _switch(self, name: str) -> bool:
        """A True / False / None parameter; None: on only when a vetter checks the edits."""
        v = self.P[name]
        return self._vetting() if v is None else bool(v)

    def _merge_single(self) -> bool:
        """May a one-letter token merge with its neighbour ("w ith" -> "with")?"""
        return self._switch("merge_single")

    def _floor(self) -> float:
        """The posterior an edit needs to be proposed (to the vetter, or made when there is none)."""
        return self.P["vet_min_post"] if self._vetting() else self.threshold

    def _accept(self, corr: Correction, post: float, features, memo: dict) -> bool:
        """Is the proposed edit made? Without a vetter: its posterior reaches the threshold. With
        one: the vetter's probability that it improves the text does (and becomes its confidence).
        The same proposal in the second pass (same place, text and posterior) is not vetted again."""
        if not self._vetting():
            return post >= self.threshold
        if post < self.P["vet_min_post"]:
            return False
        key = ("vet", corr.start, corr.end, corr.after, post)
        got = memo.get(key)
        if got is None:
            x = features()
            got = memo[key] = (x, round(self.vetter.prob(x), 4) if self.vetter is not None else post)
        if self.proposals is not None:
            self.proposals.append((got[0], corr))
        corr.confidence = got[1]
        return corr.confidence >= self.threshold

    def _features(self, rule: str, post: float, keep: float, scores: list, c: str, o: str, lp: float,
                  t: _Tok, prev: str | None, nxt: str | None, ctx_keep: tuple, ctx_cand: tuple,
                  lows: list, i: int, vocab: Counter) -> list[float]:
        """The vetter's feature vector of proposing c for o (see vet.FEATURES for the order)."""
        lm = self.lm
        q = min(max(post, 1e-6), 1 - 1e-6)
        ranked = sorted((sc[0] for sc in scores), reverse=True)
        win = lows[max(0, i - 3):i] + lows[i + 1:i + 4]  # three tokens either side
        form = t.form
        return [
            math.log(q / (1 - q)), ranked[0] - keep, ranked[0] - ranked[1] if len(ranked) > 1 else 10.0,
            *[1.0 if rule == r else 0.0 for r in VET_RULES],
            math.log(max(self._p_form(o), 1e-11)), math.log(max(self._p_form(c), 1e-11)),
            math.log1p(lm.tr_uni.get(c, 0)), math.log1p(lm.tr_uni.get(o, 0)), lp,
            float(len(o)), float(Levenshtein.distance(o, c)),
            float(sum(ch.isdigit() for ch in form)), float(sum(ch in "'’" for ch in form)),
            float(sum(not ch.isalnum() and ch not in "'’" for ch in form)),  # stray marks: "devasta~ion"
            1.0 if self._name_like(t) else 0.0,
            1.0 if form.isupper() else 0.0, 1.0 if prev is None else 0.0, 1.0 if nxt is None else 0.0,
            sum(map(self._unknown, win)) / max(1, len(win)),
            ctx_keep[0], ctx_keep[1], ctx_cand[0], ctx_cand[1], math.log1p(vocab.get(c, 0)),
            math.log1p(lm.sym_uni.get(o, 0)), math.log1p(lm.sym_uni.get(c, 0)), float(len(scores)),
            *self._bigram_counts(o, c, prev, nxt),
        ]

    def _bigram_counts(self, o: str, c: str, prev: str | None, nxt: str | None) -> list[float]:
        """log(1 + count) of the bigrams the printed form and the candidate make with their neighbours,
        in the training text and in symspellpy's bigram list: left, right for each."""
        lm = self.lm
        log1p = math.log1p
        out = []
        for w in (o, c):
            parts = w.split(" ")
            left = prev + " " + parts[0] if prev else None
            right = parts[-1] + " " + nxt if nxt else None
            for bi in (lm.tr_bi, lm.sym_bi):
                out.append(log1p(bi.get(left, 0)) if left else 0.0)
                out.append(log1p(bi.get(right, 0)) if right else 0.0)
        return out

    def _token_features(self, best: tuple, post: float, keep: float, scores: list, cands: list, o: str, t: _Tok,
                        prev: str | None, nxt: str | None, ctx, lows: list, i: int, vocab: Counter) -> list[float]:
        """_features of replacing token o by the best of its candidates; ctx(w, prev, nxt) scores context."""
        c = best[1]
        lp = next(x[1] for x in cands if x[0] == c)
        left_o, left_c = ctx(o, prev, None), ctx(c, prev, None)
        ck = (left_o, ctx(o, prev, nxt) - left_o)
        cc = (left_c, ctx(c, prev, nxt) - left_c)
        return self._features(best[2], post, keep, scores, c, o, lp, t, prev, nxt, ck, cc, lows, i, vocab)

    def _corrections(self, text: str, toks: list, lows: list, vocab: Counter, adapt: dict | None,
                     memo: dict) -> list[Correction]:
        P = self.P
        lm = self.lm
        ctx_raw = self._ctx

        def ctx(c, prev, nxt):
            key = (c, prev, nxt)
            v = memo.get(key)
            if v is None:
                v = memo[key] = ctx_raw(c, prev, nxt)
            return v
        out: list[Correction] = []
        prev: str | None = None
        i = 0
        n = len(toks)
        floor = self._floor()
        # a token without any of these printed parts gets no bonus
        touches = re.compile("|".join(sorted({re.escape(b) for b, _a in adapt}))).search if adapt else None
        flags = memo.get("flags")
        if flags is None:
            fc = self._flag_cache
            if len(fc) > 200_000:
                fc.clear()
            # (clean, eligible, may merge with the next, printed in capitals)
            hyphen = P["merge_hyphen"]
            unknown = self._unknown
            # with the next token: 1 = two words one space apart, 2 = halves joined by a hyphen
            flags = ([], [], [1 if _word_pair(text, a, b, lo_a, lo_b) else
                              2 if hyphen and _hyphen_pair(text, a, b, lo_a, lo_b) and (unknown(lo_a) or unknown(lo_b))
                              else 0
                              for a, b, lo_a, lo_b in zip(toks, toks[1:], lows, lows[1:])] + [0])
            for t, o in zip(toks, lows):
                got = fc.get(t.form)
                if got is None:
                    got = fc[t.form] = (self._clean(o), self._eligible(t, o))
                flags[0].append(got[0])
                flags[1].append(got[1])
            _caps_runs(toks, flags[1], self._eligible)
            flags += ([caps_word(t.form) for t in toks],)  # printed in capitals: their own confusions
            memo["flags"] = flags
        clean, eligible, pairs, caps = flags
        merge_single = self._merge_single()

        def step(i: int, prev: str | None) -> tuple[int, str | None]:
            """Decide at token i (after the word prev): corrections go to out; -> (next token, its prev)."""
            t = toks[i]
            o = lows[i]
            nxt = lows[i + 1] if i + 1 < n and clean[i + 1] else None
            single = len(o) == 1
            if not eligible[i] and not (single and merge_single and o.isalpha()):
                return i + 1, o if o.isalpha() else None
            # merge with the next token ("ap pear")
            if pairs[i] and self._mergeable(o, lows[i + 1]):
                o2 = lows[i + 1]
                m = o + o2
                nxt2 = lows[i + 2] if i + 2 < n and clean[i + 2] else None
                ck = self._pair_context(o, o2, prev, nxt2)  # (left, right) of keeping both tokens
                cc = (self._logcond(m, prev), self._logcond(nxt2, m) if nxt2 else 0.0)  # ... of the merge
                keep = ck[0] + ck[1] + self._doc_bonus(o, o, vocab) + self._doc_bonus(o2, o2, vocab)
                both = lm.p(o) >= P["frequent_p"] and lm.p(o2) >= P["frequent_p"]
                merge_lp = P["merge_frequent_lp"] if both else P["merge_lp"]
                merge = cc[0] + cc[1] + merge_lp + self._doc_bonus(m, o, vocab)
                post = 1.0 / (1.0 + math.exp(min(50.0, keep - merge)))
                if post >= floor:
                    gap_s, gap_e = toks[i].end, toks[i + 1].start
                    corr = Correction(gap_s, gap_e, text[gap_s:gap_e], "", round(post, 4), "merge")

                    def features():
                        return self._features("merge", post, keep, [(merge,)], m, o + " " + o2, merge_lp, t, prev,
                                              nxt2, ck, cc, lows, i, vocab)
                    if self._accept(corr, post, features, memo):
                        out.append(corr)
                        return i + 2, m
            # merge with the next token and correct the result ("con aulted" -> "consulted")
            if P["merge_correct"] and pairs[i] and self._merge_correctable(toks[i], toks[i + 1], o, lows[i + 1]):
                got = self._merge_correct(text, toks, lows, i, prev, clean, vocab, memo, pairs[i] == 2)
                if got is not None:
                    out.append(got)
                    return i + 2, got.after.lower()
            if single:
                cands = ([(g, lp * P["realword_scale"], "real-word") for g, lp in self.model.realword.get(o, ())]
                         if eligible[i] else [])
                if self._score_and_pick(text, t, o, cands, prev, nxt, vocab, out, lows, i, memo):
                    return i + 1, out[-1].after.lower() if out[-1].after.isalpha() else o
                return i + 1, o if o.isalpha() else None
            cands = (self._caps() if caps[i] else self).candidates(o)
            if not cands:
                return i + 1, o
            key = (i, prev)
            got = memo.get(key)
            if got is None:
                keep = ctx(o, prev, nxt) + self._doc_bonus(o, o, vocab) + self._shape(o)
                if self._name_like(t):
                    keep += P["name_bonus"]
                if lm.p(o) >= P["light_p"]:
                    keep += P["known_bonus"]  # a dictionary word is usually what was printed
                base = [(ctx(c, prev, nxt) + lp + self._doc_bonus(c, o, vocab), c, rule) for c, lp, rule in cands]
                got = memo[key] = (keep, base)
            keep, scores = got
            if adapt and touches(o):
                scores = [(sc + adapt.get(self._diff_key(o, c), 0.0), c, rule) for sc, c, rule in scores]
            best, post = _posterior(keep, scores)
            if post >= floor and best[0] > keep:
                corr = self._make(text, t, best[1], post, best[2])

                def features():
                    return self._token_features(best, post, keep, scores, cands, o, t, prev, nxt, ctx, lows, i, vocab)
                if corr is not None and self._accept(corr, post, features, memo):
                    out.append(corr)
                    return i + 1, best[1].split(" ")[-1]
            return i + 1, o

        def adapted(i: int, prev: str | None) -> bool:
            """Does the adaptation change a candidate score of the first pass at token i?"""
            got = memo.get((i, prev))
            o = lows[i]
            return got is not None and touches(o) is not None \
                and any(self._diff_key(o, c) in adapt for _sc, c, _rule in got[1])

        # the first pass records what each step did; the second replays a step from the same state
        # (token and previous word) unless the adaptation changes its scores: nothing else
        # depends on it
        steps = memo.setdefault("steps", {})
        props = self.proposals
        while i < n:
            rec = steps.get((i, prev)) if adapt else None
            if rec is not None and not adapted(i, prev):
                j, nprev, made, proposed = rec
                out.extend(made)
                if props is not None:
                    props.extend(proposed)
            else:
                k, kp = len(out), len(props) if props is not None else 0
                j, nprev = step(i, prev)
                if not adapt:
                    steps[(i, prev)] = (j, nprev, out[k:], props[kp:] if props is not None else ())
            i, prev = j, nprev

        return out

    def _score_and_pick(self, text, t, o, cands, prev, nxt, vocab, out, lows, i, memo) -> bool:
        if not cands:
            return False
        keep = self._ctx(o, prev, nxt) + self._doc_bonus(o, o, vocab)
        scores = [(self._ctx(c, prev, nxt) + lp + self._doc_bonus(c, o, vocab), c, rule) for c, lp, rule in cands]
        best, post = _posterior(keep, scores)
        if post >= self._floor() and best[0] > keep:
            corr = self._make(text, t, best[1], post, best[2])

            def features():
                return self._token_features(best, post, keep, scores, cands, o, t, prev, nxt, self._ctx, lows, i,
                                            vocab)
            if corr is not None and self._accept(corr, post, features, memo):
                out.append(corr)
                return True
        return False

    def correct_text(self, text: str, extra_vocab: Counter | None = None) -> str:
        return apply_corrections(text, self.corrections(text, extra_vocab))

    # ------------------------------------------------------------------ helpers
    def _clean(self, w: str) -> bool:
        return w.isalpha() and self.lm.p(w) >= self.P["frequent_p"] / 10

    def _eligible(self, t: _Tok, o: str, in_caps: bool = False) -> bool:
        """May this token be corrected at all? ``in_caps``: it stands in a run of capitals
        (a headline or an advertisement), where a short all-capital word is no abbreviation."""
        f = t.form
        if len(f) == 1:
            return self._switch("single_char") and o in self.model.realword
        if "." in f or "," in f:
            return False
        if not any(ch.isalpha() for ch in f):
            return False
        if NUMBERISH_RE.match(f):
            return False
        letters = [ch for ch in f if ch.isalpha()]
        if not in_caps and len(f) <= 4 and all(ch.isupper() for ch in letters) and len(letters) == len(f):
            return False  # abbreviation
        digits = sum(ch.isdigit() for ch in f)
        if digits and digits * 2 >= len(f):
            return False
        return True

    def _name_like(self, t: _Tok) -> bool:
        f = t.form
        return (not t.sent_start and f[:1].isupper() and not f.isupper())

    def _mergeable(self, lo_a: str, lo_b: str) -> bool:
        """May two words one space apart (see _word_pair) be one word?"""
        fp = self.P["frequent_p"]
        if not self.P["merge_frequent"] and self.lm.p(lo_a) >= fp and self.lm.p(lo_b) >= fp:
            return False
        return self.lm.p(lo_a + lo_b) >= self.P["merge_min_p"]

    def _merge_correctable(self, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
        """Two words one space apart (see _word_pair) that may be the halves of one misread word:
        not joined across a line break, at least one of them no known word."""
        if a.joined or b.joined:
            return False
        shortest = 1 if self._merge_single() else 2
        if len(lo_a) < shortest or len(lo_b) < shortest or self.lm.p(lo_b) >= self.P["frequent_p"]:
            return False  # "recoived a" is no "received"
        return min(self.lm.p(lo_a), self.lm.p(lo_b)) < self.P["light_p"]

    def _merge_cands(self, m: str) -> list[tuple[str, float]]:
        """Words up to merge_correct_edits learned confusions from a joined pair (the fallback is too
        loose for it), most likely first."""
        got = self._merge_cache.get(m)
        if got is None:
            lm = self.lm
            min_p = self.P["cand_min_p"]
            found = self._search(m, self.P["merge_correct_edits"], False)
            got = sorted(((c, lp) for c, lp in found.items() if c != m and lm.p(c) >= min_p),
                         key=lambda t: -(t[1] + math.log(lm.p(t[0]))))[: self.P["max_cands"]]
            if len(self._merge_cache) > 200_000:
                self._merge_cache.clear()
            self._merge_cache[m] = got
        return got

    def _merge_correct(self, text, toks, lows, i, prev, clean, vocab, memo, hyphen: bool) -> Correction | None:
        """The correction of tokens i and i + 1 as one misread word, or None when it is not made.
        hyphen: the two are joined by a hyphen, not a space (see _hyphen_pair)."""
        P = self.P
        o, o2 = lows[i], lows[i + 1]
        caps = toks[i].form.isupper() and toks[i + 1].form.isupper() and len(toks[i].form) + len(toks[i + 1].form) > 2
        cands = (self._caps() if caps else self)._merge_cands(o + o2)
        if not cands:
            return None
        n = len(toks)
        nxt2 = lows[i + 2] if i + 2 < n and clean[i + 2] else None
        lc = self._logcond
        ck = self._pair_context(o, o2, prev, nxt2)
        keep = (ck[0] + ck[1] + self._shape(o) + self._shape(o2)
                + self._doc_bonus(o, o, vocab) + self._doc_bonus(o2, o2, vocab))
        scores = [(lc(c, prev) + (lc(nxt2, c) if nxt2 else 0.0) + lp + P["merge_correct_lp"]
                   + self._doc_bonus(c, o, vocab), c) for c, lp in cands]
        best, post = _posterior(keep, scores)
        if best[0] <= keep or post < self._floor():
            return None
        s, e = toks[i].start, toks[i + 1].end
        c = best[1]
        if hyphen and self._compound(c, len(o)):
            return None  # "Sureeon-Dentist" is a compound whose halves are corrected apart
        corr = Correction(s, e, text[s:e], _apply_case(toks[i].form + toks[i + 1].form, c),
                          round(post, 4), "merge-confusion")

        def features():
            lp = next(x[1] for x in cands if x[0] == c) + P["merge_correct_lp"]
            cc = (lc(c, prev), lc(nxt2, c) if nxt2 else 0.0)
            return self._features("merge-confusion", post, keep, scores, c, o + " " + o2, lp, toks[i], prev, nxt2,
                                  ck, cc, lows, i, vocab)
        return corr if self._accept(corr, post, features, memo) else None

    def _compound(self, c: str, k: int) -> bool:
        """Is c two words, each more frequent than c, split within a letter of k (where the printed
        hyphen was)? ``surgeondentist``, ``chancerylane`` are; ``improvement`` is not."""
        p = self.lm.p
        pc = p(c)
        return any(p(c[:j]) > pc and p(c[j:]) > pc for j in range(max(2, k - 1), min(len(c) - 1, k + 2)))

    def _make(self, text: str, t: _Tok, cand: str, post: float, rule: str) -> Correction | None:
        form = t.form
        new = _apply_case(form, cand)
        p, q = _common_affixes(form, new)  # minimal differing region
        a_form, b_form = p, len(form) - q
        after = new[p:len(new) - q]
        if a_form < b_form:
            s, e = t.offs[a_form], t.offs[b_form - 1] + 1
            if e - s != b_form - a_form:
                return None  # the change would cross a line-break hyphen
        else:
            s = e = t.offs[a_form] if a_form < len(form) else t.offs[-1] + 1
        return Correction(s, e, text[s:e], after, round(post, 4), rule)


def _common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it) of a and b."""
    p = 0
    while p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    q = 0
    while q < len(a) - p and q < len(b) - p and a[-1 - q] == b[-1 - q]:
        q += 1
    return p, q


def _diff_key(a: str, b: str) -> tuple[str, str]:
    """(a part, b part) that differ once the common prefix and suffix are removed."""
    p, q = _common_affixes(a, b)
    return a[p:len(a) - q], b[p:len(b) - q]


def whole_words(text: str, corrs: list[Correction]) -> list[Correction]:
    """The same corrections widened to whole words (``hut -> but``, not ``h -> b``), so that edit
    lists and TEI ``<sic>``/``<corr>`` read as words. Applying them gives the same text."""
    out = []
    for c in corrs:
        a, b = c.start, c.end
        while a > 0 and (text[a - 1].isalnum() or text[a - 1] in "'’"):
            a -= 1
        while b < len(text) and (text[b].isalnum() or text[b] in "'’"):
            b += 1
        out.append(Correction(a, b, text[a:b], text[a:c.start] + c.after + text[c.end:b], c.confidence, c.rule))
    return out


def apply_corrections(text: str, corrs: list[Correction]) -> str:
    parts = []
    pos = 0
    for c in sorted(corrs, key=lambda c: (c.start, c.end)):
        if c.start < pos:
            continue
        parts.append(text[pos:c.start])
        parts.append(c.after)
        pos = c.end
    parts.append(text[pos:])
    return "".join(parts)

