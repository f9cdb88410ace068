"""Candidate search of the corrector: lexicons, learned character confusions, the edit-distance
fallback and the character 4-gram model of word shapes (a mixin of ``engine.Corrector``)."""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import compress

from rapidfuzz import process as rf_process
from rapidfuzz.distance import Levenshtein

from .bulksearch import BulkSearch
from .lexicon import SHAPE_ADD_K, SHAPE_SYMBOLS, lexicon_of as _lexicon_of  # noqa: F401  (SHAPE_*: tests and tools)
from .lexicon import unlisted_max_p
from .tokens import INNER_MARKS_RE, char_rules, inner_mark_word, stands_alone

# the Corrector's memos (engine.py) whose answers depend on the confusion rules: the corrector of
# words in capitals (CandidateSearch._caps), which has rules of its own, has its own of these, and
# shares the others
RULE_MEMOS = ("_cands", "_doubt_cands", "_app_cache", "_win_cache", "_merge_cache", "_searched")


# the rule of a candidate that weighs against the others but is never made (see fallback_weak_lp)
RIVAL = "rival"
MIN_BULK = 8  # fewer words than this are searched one at a time (one edit)
MIN_BULK_TWO = 2  # ... two learned edits (a word's search costs more: bulk pays from two words)
# bulk searches start once a corrector has met this many new token forms, when the model file stores no
# hashes of its lexicons (about 0.1 s of CPU to make: they pay off in a long run, not in a build of a few
# pages); with them (lexicon.pack), at once: the 2-page build takes as long either way, overproof-dev read
# alone in a fresh process 6% less CPU (2026-12-04)
BULK_AFTER = 1000
BULK_AFTER_INDEXED = 0


def _keep_best(into: dict[str, float], found: dict[str, float]) -> None:
    """Put each word of found into into with the likelier of its two log probabilities."""
    for c, lp in found.items():
        if into.get(c, -1e9) < lp:
            into[c] = lp


class CandidateSearch:
    """The candidate search of a Corrector (which sets model, P, lm and the caches)."""

    def _lexicon(self) -> tuple[frozenset, frozenset, dict, frozenset]:
        """(candidate words, all their prefixes, prefix -> letters that may follow, all their
        endings): the model's (lexicon.py)."""
        return self.model.tables()["lex"]

    def _common_lexicon(self) -> tuple[frozenset, frozenset, dict, frozenset]:
        """The lexicon of the light search: words that may replace a known word
        (P >= light_ratio * light_p)."""
        return self.model.tables()["lex_common"]

    def _caps(self) -> "Corrector":
        """The candidate search of words printed in capitals: a corrector with the model's confusions
        of capitals (``B`` for ``E``, ``K`` for ``E``) on top of the others (``caps_rule_set``), which
        shares this one's lexicons, language model and the memos whose answers do not depend on the
        rules. Made on first use; self when the model has no confusions of capitals."""
        sub = self._caps_sub
        if sub is None:
            rs = self.model.caps_rule_set
            sub = self if rs is None else type(self)(self.model, self.threshold, rule_set=rs, of=self)
            self._caps_sub = sub
        return sub

    def _lexicon_above(self, min_p: float) -> tuple:
        """The smallest of the two lexicons that holds every candidate word at least min_p frequent:
        the light search's when min_p reaches its floor (its words are the lexicon's words of
        P >= light_ratio * light_p), else the whole one. A search whose caller drops the words below
        min_p finds the same words in it, in the same order, and prunes its branches sooner."""
        P = self.P
        return self._common_lexicon() if min_p >= P.light_ratio * P.light_p else self._lexicon()

    _frequent = None

    def _frequent_lexicon(self) -> tuple:
        """The lexicon of the frequent-word search (``frequent_deep_p``): the light search's words at least that
        frequent (about a thousand in English at 1e-4), made at its first use."""
        got = self._frequent
        if got is None:
            words = self._common_lexicon()[0]
            got = self._frequent = _lexicon_of(w for w in self.lm.words_at_least(self.P.frequent_deep_p) if w in words)
        return got

    def _frequent_searched(self, w: str) -> bool:
        """Does the unknown token w get the frequent-word search (where no deeper search ran)?"""
        P = self.P
        return P.frequent_deep_p is not None and len(w) <= P.frequent_deep_max_len and w.isalpha()

    _unlisted = None  # (letters pattern, the most frequent a word of them the lexicon lacks may be): _listed

    def _listed(self, w: str, floor: float) -> frozenset | None:
        """The lexicon's words, where each part of the lower-cased word w that it lacks is less than floor
        frequent (``lm.p``: its frequency need not be looked up), else None (lexicon.py ``unlisted_max_p``)."""
        got = self._unlisted
        if got is None:
            got = self._unlisted = unlisted_max_p(self.model, self.P)
        return self._lexicon()[0] if floor > got[1] and got[0](w) else None

    def _lexicon_sorted(self) -> list[str]:
        return self.model.tables()["lex_sorted"]

    def _search(self, w: str, max_edits: int, generic: bool, min_lp: float | None = None,
                lex: tuple | None = None) -> dict[str, float]:
        """Lexicon words reachable from w by learned confusions (+ at most one generic edit):
        {word: best log channel probability of a path}. lex: another lexicon (see _lexicon_of).
        The answer of a bulk search made before (``prefetch_candidates``), when there is one."""
        if min_lp is None:
            min_lp = self.P.min_path_lp
        lex = lex or self._lexicon()
        if self._searched:
            got = self._searched.pop((w, max_edits, generic, min_lp, id(lex[0])), None)
            if got is not None:
                return got
        if max_edits == 1 or (max_edits == 2 and not generic):
            return self._search_fast(w, max_edits, generic, min_lp, lex)
        return self._search_dfs(w, max_edits, generic, min_lp, lex)

    _bulk: BulkSearch | None = None
    _met = 0  # new token forms met by prefetch_candidates (see BULK_AFTER)

    def _bulk_search(self, ws: list[str], max_edits: int, generic: bool, min_lp: float, lex: tuple) -> list[dict]:
        """Search the words ws at once (bulksearch.py) and keep the answers for ``_search`` to find (each
        once); returns them. Fewer words than pay for a bulk search (MIN_BULK, MIN_BULK_TWO) are searched
        one at a time, and kept all the same: ``prefetch_candidates`` picks the words of its deeper searches
        by these answers (without them, the deeper searches of a document with few new words were all made
        one at a time, later)."""
        return self._keep_searched(ws, max_edits, generic, min_lp, lex,
                                   self._bulk_answers(ws, max_edits, generic, (min_lp,), lex)[0])

    def _bulk_answers(self, ws: list[str], max_edits: int, generic: bool, floors: tuple, lex: tuple) -> list[list]:
        """The answers of ``_bulk_search`` at each floor (min_lp) of ``floors`` (more than one: two learned edits,
        found once: BulkSearch.search_floors), not kept; none where the search is not made in bulk."""
        if not ws or not (max_edits == 1 or (max_edits == 2 and not generic)):
            return [[] for _ in floors]
        if self._bulk is None:
            self._bulk = BulkSearch(self)
            self._searched.clear()
        if len(ws) < (MIN_BULK if max_edits == 1 else MIN_BULK_TWO):
            return [[self._search_fast(w, max_edits, generic, min_lp, lex) for w in ws] for min_lp in floors]
        return self._bulk.search_floors(ws, max_edits, generic, floors, lex)

    def _keep_searched(self, ws: list[str], max_edits: int, generic: bool, min_lp: float, lex: tuple,
                       got: list) -> list:
        """Keep the answers ``got`` of searching the words ws for ``_search`` to find (each once); -> got."""
        memo = self._searched
        key = id(lex[0])
        for w, res in zip(ws, got):
            memo.put((w, max_edits, generic, min_lp, key), res)
        return got

    def _bulk_on(self) -> bool:
        """Are searches made in bulk yet (see BULK_AFTER)?"""
        return self._met >= (BULK_AFTER_INDEXED if self.model.tables().get("index") else BULK_AFTER)

    def prefetch_candidates(self, forms) -> None:
        """Make the searches that ``candidates`` will make for the lower-cased tokens ``forms`` whose
        candidates are not known yet, in bulk: the light search of the rare known words, the one-edit
        search of the unknown ones and, of those it leaves without a common candidate, the two-edit
        search (as ``candidates`` decides them), and the search of the halves the re-segmentation of
        the unknown ones corrects (``resegmentations``). Only a speed-up: a search not made here is made when
        asked for, with the same answer."""
        P = self.P
        p = self.lm.p
        light, unknown, frequent = [], [], []
        new = [w for w in dict.fromkeys(forms) if w not in self._cands]
        self._met += len(new)
        if not self._bulk_on():
            return
        self.lm.prefetch_unigrams(new)  # (their frequencies, in bulk: lm.py)
        for w in new:
            pw = p(w)
            if pw < P.frequent_p:
                if pw < P.light_max_p:
                    (light if pw >= P.light_p else unknown).append(w)
            elif P.frequent_search and w.isalpha():
                frequent.append(w)
        self._bulk_search(light, P.light_edits, False, P.light_min_path_lp, self._common_lexicon())
        first = self._bulk_search(unknown, 1, P.generic_edits, P.min_path_lp, self._lexicon())
        self.lm.prefetch_unigrams([c for got in first for c in got])  # (the words found, asked below and by candidates)
        ws = []  # (the words searched deeper)
        if P.max_edits > 1:
            deep = [(w, got) for w, got in zip(unknown, first) if self._deepens(w, got)]
            ws = [w for w, _got in deep]
            gen = P.generic_edits and P.deep_generic
            floor, lowest, lex = P.deep_min_path_lp, P.deepest_min_path_lp, self._lexicon()
            if lowest is None:
                self._bulk_search(ws, 2, gen, floor, lex)
            else:
                # the search at deepest_min_path_lp in the same one (its paths found once: two floors cost little more
                # than one), its answers kept for the words that get it (as candidates decides: by the words of both)
                again, low = self._bulk_answers(ws, 2, gen, (floor, lowest), lex)
                self._keep_searched(ws, 2, gen, floor, lex, again)
                deepest = [(w, c) for (w, a), b, c in zip(deep, again, low) if self._deepest(w, {**a, **b})]
                self._keep_searched([w for w, _c in deepest], 2, gen, lowest, lex, [c for _w, c in deepest])
        if P.frequent_deep_p is not None:  # (as candidates: the frequent words of those not searched deeper)
            deeper = set(ws)
            shallow = [w for w in unknown if w not in deeper and self._frequent_searched(w)]
            self._bulk_search(shallow, 2, False, P.deep_min_path_lp, self._frequent_lexicon())
        self._bulk_search(frequent, 1, False, P.frequent_min_lp, self._lexicon())
        # the halves that the re-segmentation of the unknown ones corrects (resegment.py)
        halves: dict[int, tuple] = {}
        done = self._half_cache or {}
        mid = id(self.rs)
        for w in unknown:
            if self._resegmentable(w):
                for a, b, keep_a in self._cuts(w):
                    h = b if keep_a else a
                    if (h, mid) not in done and (how := self._half_search(h)) is not None:
                        halves.setdefault(id(how[1][0]), (how[1], {}))[1][h] = None
        for lex, hs in halves.values():
            self._bulk_search(list(hs), 1, False, P.light_min_path_lp, lex)

    def _search_dfs(self, w: str, max_edits: int, generic: bool, min_lp: float, lex: tuple) -> dict[str, float]:
        """The general search, depth-first over w, building the output left to right; a branch dies
        as soon as its output is no prefix of a lexicon word. Rule applications per position are
        sorted by probability, so a branch stops trying them at the first one below the floor."""
        words, pre, follow, _suffixes = lex
        glp = self.P.generic_lp
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

    def _search_fast(self, w: str, max_edits: int, generic: bool, min_lp: float, lex: tuple) -> dict[str, float]:
        """The common cases of :meth:`_search` as plain loops: one edit (learned or generic) or two
        learned edits. Same result as the depth-first search; candidate strings are made in bulk and
        looked up with one set intersection per position."""
        words, pre, follow, suffixes = lex
        n = len(w)
        W = self.rs.window  # longest OCR side of a rule
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
        glp = self.P.generic_lp if generic and max_edits == 1 else None
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
                        # every replacement (the intersection drops the non-words: cheaper than
                        # testing each one's first letter against fl here)
                        rest = sfx[i + L]
                        strs += [cur + g + rest for g in gs[:mL]]
                        lps += rs[:mL]
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
        win = w[i:i + self.rs.window]
        got = self._win_cache.get(win)
        if got is not None:
            return got
        rs = self.rs  # (its replacements that can occur in a lexicon word)
        rules, lens, ins = rs.lex_rules, rs.lens, rs.lex_inserts
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
        return self._win_cache.put(win, got)

    def _inner_mark_cands(self, w: str, allc: dict) -> None:
        """With ``inner_mark_lp``: add to allc the words one learned confusion from the letters of w, a token with
        marks between its letters ("ar.d" -> "and"), at inner_mark_lp on top of the confusion."""
        if not inner_mark_word(w):
            return
        bare = INNER_MARKS_RE.sub("", w)
        cost = self.P.inner_mark_lp
        for c, lp in self._search(bare, 1, False).items():
            if allc.get(c, -1e9) < lp + cost:
                allc[c] = lp + cost

    def candidates(self, w: str) -> tuple[tuple[str, float, str], ...]:
        """((candidate, log channel probability, rule), ...) for a lower-cased token, best first."""
        got = self._cands.get(w)
        if got is not None:
            return got
        P = self.P
        lm = self.lm
        res: dict[str, tuple[float, str]] = {}
        for g, lp in self.model.realword.get(w, ()):
            res[g] = (lp * P.realword_scale, "real-word")
        pw = lm.p(w)
        weak = P.fallback_weak_lp
        rivals: dict[str, float] = {}
        if pw < P.frequent_p:
            min_p = P.cand_min_p
            if pw >= P.light_max_p:
                allc = {}  # a fairly common word: learned real-word confusions only
            elif pw >= P.light_p:
                # a rare known word: a word light_ratio times as frequent, a likely confusion away
                allc = self._search(w, P.light_edits, False, P.light_min_path_lp, self._common_lexicon())
                min_p = max(min_p, P.light_ratio * pw)
            else:
                # cheap one-edit search first; the wider one only when it finds nothing common
                allc = self._search(w, 1, P.generic_edits)
                depth = 1
                while depth < P.max_edits and self._deepens(w, allc):
                    depth += 1
                    _keep_best(allc, self._search(w, depth, P.generic_edits and P.deep_generic, P.deep_min_path_lp))
                if depth == 1 and self._frequent_searched(w):
                    # two confusions from a frequent word, though one reached a rare one ("hcen": "hen", "been"); the
                    # deeper search, where it ran, found them already (the same floor, every word)
                    _keep_best(allc, self._search(w, 2, False, P.deep_min_path_lp, self._frequent_lexicon()))
                if depth > 1 and self._deepest(w, allc):
                    # nothing within the usual floors: two confusions less likely still ("destriietion")
                    _keep_best(allc, self._search(w, depth, P.generic_edits and P.deep_generic, P.deepest_min_path_lp))
            if P.inner_mark_lp is not None:
                self._inner_mark_cands(w, allc)
            for c, lp in allc.items():
                if c == w or not c:
                    continue
                pc = lm.p(c)
                if pc < min_p:
                    continue
                if c not in res or res[c][0] < lp:
                    res[c] = (lp, "confusion")
            if P.fallback and pw < P.light_p and P.fallback_min_len <= len(w) and w.isalpha():
                # (a confusion less likely than min_path_lp, which only a deeper floor of the two-confusion search
                # reaches, "jvliich" -> "which", stops no fallback: it weighs against its words)
                common = [v[0] for c, v in res.items() if " " not in c and lm.p(c) >= P.deepen_p
                          and (v[0] >= P.min_path_lp or v[1] != "confusion")]
                if not any(v[0] >= P.fallback_skip_lp for c, v in res.items() if " " not in c) \
                        and (not common or weak is not None and max(common) < weak):
                    # with a common candidate only weak confusions reach, the fallback's words are its rivals
                    # (below, unless a split reaches the token as likely as weak_lp)
                    if not common:
                        for c, lp in self._fallback(w).items():
                            if c not in res or res[c][0] < lp:
                                res[c] = (lp, "edit-distance")
                    else:
                        rivals = self._fallback(w)
            # splits into two words
            if len(w) >= 4 and w.isalpha():
                smin = P.split_min_p
                listed = self._listed(w, smin)  # (a half it lacks is no word of smin: not looked up)
                for i in range(1, len(w)):
                    a, b = w[:i], w[i:]
                    if (listed is None or a in listed and b in listed) and stands_alone(a) and stands_alone(b) \
                            and lm.p(a) >= smin and lm.p(b) >= smin:
                        res[a + " " + b] = (P.split_lp, "split")
                if P.split3_lp is not None and len(w) >= 7 and pw < P.light_p:
                    # three words run together ("tothedelicious"): each part a word
                    for c in self._splits3(w, smin):
                        res[c] = (P.split3_lp, "split")
            if rivals and not any(v[0] >= weak for v in res.values()):
                for c, lp in rivals.items():
                    if c not in res:
                        res[c] = (lp, RIVAL)
        elif P.frequent_search and w.isalpha():
            # frequent words: one learned confusion towards another frequent word ("hill" -> "bill");
            # the context has to outweigh the word's own strong prior
            for c, lp in self._search(w, 1, False, P.frequent_min_lp).items():
                if c != w and lm.p(c) >= P.frequent_p and c not in res:
                    res[c] = (lp + P.frequent_extra_lp, "real-word")
        ranked = sorted(res.items(), key=lambda t: -(t[1][0] + math.log(self._p_form(t[0]))))
        got = tuple([(c, lp, rule) for c, (lp, rule) in ranked[: P.max_cands]])
        return self._cands.put(w, got)

    def _deepens(self, w: str, found) -> bool:
        """Is the unknown word w, whose search found ``found``, searched a confusion deeper? Within deep_min_len..
        deep_max_len letters, where none of ``found`` is common (deepen_p); candidates and the prefetch agree."""
        P = self.P
        return P.deep_min_len <= len(w) <= P.deep_max_len and not any(self.lm.p(c) >= P.deepen_p for c in found)

    def _deepest(self, w: str, found) -> bool:
        """Does the unknown word w, whose deeper search found ``found``, get the search at
        ``deepest_min_path_lp`` too? When it is set and none of ``found`` is a candidate (cand_min_p)."""
        P = self.P
        if P.deepest_min_path_lp is None:
            return False
        p = self.lm.p
        return not any(c != w and c and p(c) >= P.cand_min_p for c in found)

    def _splits3(self, w: str, smin: float) -> list[str]:
        """``w`` cut into three words each at least ``smin`` frequent (one letter: only a or i)."""
        p = self.lm.p
        listed = self._listed(w, smin)
        ok = lambda x: (listed is None or x in listed) and stands_alone(x) and p(x) >= smin  # noqa: E731
        n = len(w)
        return [w[:i] + " " + w[i:j] + " " + w[j:] for i in range(1, n - 1) if ok(w[:i])
                for j in range(i + 1, n) if ok(w[i:j]) and ok(w[j:])]

    def doubt_candidates(self, w: str) -> tuple[tuple[str, float, str], ...]:
        """Candidates of a dictionary word the OCR engine was unsure of (the engine hook of
        ``Corrector.corrections(ocr_doubtful=...)``): its usual ones plus every common word one
        learned confusion away (the light search, without its frequency ratio; the best ``max_cands``),
        as real words."""
        got = self._doubt_cands.get(w)
        if got is not None:
            return got
        P = self.P
        usual = self.candidates(w)
        have = {c for c, _lp, _rule in usual}
        more = {c: lp for c, lp in self._search(w, 1, False, P.light_min_path_lp, self._common_lexicon()).items()
                if c != w and c and c not in have and self.lm.p(c) >= P.cand_min_p}
        ranked = sorted(more.items(), key=lambda t: -(t[1] + math.log(self._p_form(t[0]))))
        got = usual + tuple([(c, lp, "real-word") for c, lp in ranked[: P.max_cands]])
        return self._doubt_cands.put(w, got)

    def _fallback(self, w: str) -> dict[str, float]:
        """Lexicon words (P >= fallback_min_p) about as long as w and within 2 edits of it (3 when
        w has at least fallback_long characters, 4 from fallback_longer): {word: log channel
        probability}. Each aligned difference scores as its learned confusion, or fallback_lp per
        character."""
        P = self.P
        by_len, rule_lp = self.model.tables()["fallback"], self.rs.rule_lp
        max_d = 4 if len(w) >= P.fallback_longer else 3 if len(w) >= P.fallback_long else 2
        win = P.fallback_len_win
        gen = P.fallback_lp
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
        return self.model.tables()["shape"]

    def _shape(self, o: str) -> float:
        """Log-odds for keeping an unknown token, from how much it looks like a word: its character
        4-gram log probability minus that of an average word of its length, times shape_weight.
        "Krivitsky" looks like a word, "tbohnical" does not."""
        wt = self.P.shape_weight
        if not wt or self.lm.p(o) >= self.P.light_p or not o.isalpha():
            return 0.0
        v = self._shape_cache.get(o)
        if v is None:
            grams, ctx, mu = self._shape_model()
            k = SHAPE_ADD_K
            s = "^^^" + o + "$"
            lp = 0.0
            for i in range(len(s) - 3):
                lp += math.log((grams.get(s[i:i + 4], 0) + k) / (ctx.get(s[i:i + 3], 0) + k * SHAPE_SYMBOLS))
            v = self._shape_cache.put(o, wt * (lp - mu * (len(o) + 1)))
        return v

    def _p_form(self, c: str) -> float:
        if " " in c:
            parts = c.split(" ")
            p = self.lm.p(parts[0])
            for a, b in zip(parts, parts[1:]):
                p *= self.lm.cond(b, a)
            return p
        return self.lm.p(c)

    # ------------------------------------------------------------------ scoring
