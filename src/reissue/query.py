"""One search-query parser for people (the library server and the static ``edition.html``).

Plain input becomes a safe FTS5 query; nothing the user types can reach SQLite's query syntax:

* words are split the way the full-text index splits text (letters and digits; everything else
  separates), so ``Comintern's``, ``don't``, ``U.S.S.R.``, ``fellow-travelers``, ``Stalin-Hitler`` and
  ``1939-40`` are searched as phrases of their parts, exactly as printed;
* ``AND``, ``OR``, ``NOT`` in any case are operators when they stand between (``NOT``: before) words,
  else plain words (a search for ``or`` alone finds "or"); ``-word`` is ``NOT word``;
* ``"a phrase"`` (an unbalanced quote runs to the end), ``prefix*``, parentheses (unbalanced ones are
  ignored);
* a NOT with nothing to subtract from is dropped (FTS5 cannot list "everything but").

Matching is accent- and case-insensitive on both sides: :func:`fold` is what the index does
(``unicode61 remove_diacritics 2``), and :func:`hit_spans` highlights exactly the token sequences
the query matches. ``src/reissue/web/static/query.js`` is the same parser in JavaScript; both are
tested on the shared table ``tests/data/query_cases.json``.

The AST: ``("term", [tokens], prefix)``, ``("and", [positives], [negatives])``, ``("or", [items])``.
"""

from __future__ import annotations

import re
import unicodedata

# a token of the full-text index: a run of letters and digits (the one definition, used to
# tokenize queries, to highlight and to match in Python; query.js mirrors it)
TOKEN_RE = re.compile(r"[^\W_]+")
OPERATORS = ("AND", "OR", "NOT")
MAX_TERMS = 32
MAX_DEPTH = 8
MAX_QUERY = 500
QUOTES = '"\u201c\u201d\u201e'  # " “ ” „ open a phrase
CLOSE_QUOTES = '"\u201c\u201d'


def fold(s: str) -> str:
    """Case and accents off, as the index does: ``Café`` -> ``cafe``."""
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.category(c).startswith("M")).lower()


def tokens(s: str) -> list[str]:
    return [fold(m.group()) for m in TOKEN_RE.finditer(s)]


def lex(q: str) -> list[tuple]:
    """``("word", raw)``, ``("phrase", text, prefix)``, ``("(",)``, ``(")",)``."""
    out, i, n = [], 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c in QUOTES:
            j = i + 1
            while j < n and q[j] not in CLOSE_QUOTES:
                j += 1
            text = q[i + 1:j]
            i = j + 1
            prefix = False
            while i < n and q[i] == "*":
                prefix, i = True, i + 1
            out.append(("phrase", text, prefix))
        elif c in "()":
            out.append((c,))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in QUOTES and q[j] not in "()":
                j += 1
            out.append(("word", q[i:j]))
            i = j
    return out


class _Parser:
    def __init__(self, toks: list[tuple]):
        self.t = toks
        self.i = 0
        self.terms = 0
        self.notes: list[str] = []

    def peek(self, k: int = 0):
        j = self.i + k
        return self.t[j] if j < len(self.t) else None

    @staticmethod
    def op(tok) -> str | None:
        if tok is not None and tok[0] == "word" and tok[1].upper() in OPERATORS:
            return tok[1].upper()
        return None

    def term(self, tok) -> tuple | None:
        if tok[0] == "phrase":
            toks, prefix = tokens(tok[1]), tok[2]
        else:
            raw = tok[1]
            prefix = raw.endswith("*")
            toks = tokens(raw)
        if not toks:
            return None
        if self.terms >= MAX_TERMS:
            if not any(n.startswith("only the first") for n in self.notes):
                self.notes.append(f"only the first {MAX_TERMS} words are searched")
            return None
        self.terms += 1
        return ("term", toks, bool(prefix))

    def parse_or(self, depth: int, top: bool = False):
        items = []
        while True:
            node = self.parse_and(depth)
            if node is not None:
                items.append(node)
            tok = self.peek()
            if tok is None:
                break
            if tok[0] == ")":
                if top:
                    self.i += 1  # stray ')': ignored
                    continue
                break
            if self.op(tok) == "OR":
                self.i += 1
                continue
        items = [x for x in items if x is not None]
        if not items:
            return None
        flat = []
        for x in items:
            flat.extend(x[1] if x[0] == "or" else [x])
        return flat[0] if len(flat) == 1 else ("or", flat)

    def parse_and(self, depth: int):
        pos, neg = [], []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == ")":
                break
            o = self.op(tok)
            if o == "OR":
                nxt = self.peek(1)
                if (pos or neg) and nxt is not None and nxt[0] != ")":
                    break  # an operator: parse_or goes on
                self.i += 1
                if pos or neg or (nxt is not None and nxt[0] != ")"):
                    continue  # a leading or trailing OR: ignored
                node = self.term(("word", tok[1]))  # "or" alone: the word
                if node:
                    pos.append(node)
                continue
            if o == "AND":
                nxt = self.peek(1)
                self.i += 1
                if pos or neg or (nxt is not None and nxt[0] != ")"):
                    continue  # a AND b is a b; a leading or trailing AND is ignored
                node = self.term(("word", tok[1]))
                if node:
                    pos.append(node)
                continue
            if o == "NOT":
                nxt = self.peek(1)
                self.i += 1
                if nxt is None or nxt[0] == ")":
                    if pos or neg:
                        continue  # a trailing NOT: ignored
                    node = self.term(("word", tok[1]))
                    if node:
                        pos.append(node)
                    continue
                node = self.parse_unary(depth)
                if node is not None:
                    neg.append(node)
                continue
            if tok[0] == "word" and len(tok[1]) > 1 and tok[1][0] == "-" and TOKEN_RE.match(tok[1], 1):
                self.i += 1
                node = self.term(("word", tok[1][1:]))
                if node:
                    neg.append(node)
                continue
            node = self.parse_unary(depth)
            if node is not None:
                pos.append(node)
        if not pos:
            if neg:
                self.notes.append("NOT needs words to search in: it was left out")
            return None
        if not neg and len(pos) == 1:
            return pos[0]
        flat = []
        for x in pos:
            if x[0] == "and" and not x[2]:
                flat.extend(x[1])
            else:
                flat.append(x)
        return ("and", flat, neg)

    def parse_unary(self, depth: int):
        tok = self.peek()
        if tok is None:
            return None
        self.i += 1
        if tok[0] == "(":
            if depth >= MAX_DEPTH:
                return None
            node = self.parse_or(depth + 1)
            if self.peek() is not None and self.peek()[0] == ")":
                self.i += 1
            return node
        if tok[0] == ")":
            return None
        if self.op(tok) == "NOT":  # NOT NOT x: x
            inner = self.parse_unary(depth)
            return inner
        return self.term(tok)


def parse(q: str):
    """The AST of a query (None when it holds no word)."""
    return parse_notes(q)[0]


def parse_notes(q: str):
    p = _Parser(lex((q or "")[:MAX_QUERY]))
    node = p.parse_or(0, top=True)
    return node, p.notes


def _quote(toks: list[str]) -> str:
    return '"' + " ".join(toks).replace('"', '""') + '"'


def to_fts(node) -> str:
    """The FTS5 MATCH string of an AST (only quoted tokens, AND, OR, NOT and parentheses)."""
    if node is None:
        return ""
    kind = node[0]
    if kind == "term":
        return _quote(node[1]) + ("*" if node[2] else "")

    def wrap(x):
        return to_fts(x) if x[0] == "term" else "(" + to_fts(x) + ")"

    if kind == "or":
        return " OR ".join(wrap(x) for x in node[1])
    expr = " AND ".join(wrap(x) for x in node[1])
    grouped = len(node[1]) > 1 or node[1][0][0] != "term"
    for n in node[2]:
        if grouped:  # keep what comes before a NOT together
            expr = "(" + expr + ")"
        expr += " NOT " + wrap(n)
        grouped = True
    return expr


def positive_terms(node) -> list[tuple]:
    """The terms whose matches are shown (not those under NOT)."""
    if node is None:
        return []
    if node[0] == "term":
        return [node]
    if node[0] == "or":
        return [t for x in node[1] for t in positive_terms(x)]
    return [t for x in node[1] for t in positive_terms(x)]


def text_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def _term_at(toks, i, term) -> bool:
    words, prefix = term[1], term[2]
    if i + len(words) > len(toks):
        return False
    for k, w in enumerate(words):
        t = toks[i + k][0]
        if k == len(words) - 1 and prefix:
            if not t.startswith(w):
                return False
        elif t != w:
            return False
    return True


def _term_spans(toks, term) -> list[tuple[int, int]]:
    n = len(term[1])
    return [(toks[i][1], toks[i + n - 1][2]) for i in range(len(toks)) if _term_at(toks, i, term)]


def matches(node, text: str, _toks=None) -> bool:
    """Does ``text`` (one paragraph) match, as FTS5 would match its row?"""
    if node is None:
        return False
    toks = _toks if _toks is not None else text_tokens(text)
    kind = node[0]
    if kind == "term":
        return any(_term_at(toks, i, node) for i in range(len(toks)))
    if kind == "or":
        return any(matches(x, text, toks) for x in node[1])
    return all(matches(x, text, toks) for x in node[1]) and not any(matches(x, text, toks) for x in node[2])


def hit_spans(node, text: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) of every match of a shown term in ``text``."""
    terms = positive_terms(node)
    if not terms:
        return []
    toks = text_tokens(text)
    spans = sorted(s for t in terms for s in _term_spans(toks, t))
    out: list[list[int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def describe(node) -> str:
    """How the query was understood, for people: ``"comintern s" AND stalin``."""
    if node is None:
        return ""
    if node[0] == "term":
        w = " ".join(node[1])
        return (f'"{w}"' if len(node[1]) > 1 else w) + ("*" if node[2] else "")

    def wrap(x):
        return describe(x) if x[0] == "term" else "(" + describe(x) + ")"

    if node[0] == "or":
        return " OR ".join(wrap(x) for x in node[1])
    s = " ".join(wrap(x) for x in node[1])
    for n in node[2]:
        s += " NOT " + wrap(n)
    return s
