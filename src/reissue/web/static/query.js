/* The search-query parser of reissue in JavaScript: the same rules as src/reissue/query.py (one
   definition of a query, tested on the same table tests/data/query_cases.json in Python and in the
   browser). Exposes window.reissueQuery = {parse, toFts, describe, matches, hitSpans, fold, tokens}. */
(function (root) {
  "use strict";
  var TOKEN = /[\p{L}\p{N}]+/gu;
  var OPS = { AND: 1, OR: 1, NOT: 1 };
  var MAX_TERMS = 32, MAX_DEPTH = 8, MAX_QUERY = 500;
  var QUOTES = "\"\u201c\u201d\u201e", CLOSE_QUOTES = "\"\u201c\u201d";

  function isSpace(c) { return c !== "\ufeff" && /[\s\x1c-\x1f\x85]/.test(c); }
  function fold(s) { return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(); }
  function tokens(s) { var out = [], m; TOKEN.lastIndex = 0; while ((m = TOKEN.exec(s))) out.push(fold(m[0])); return out; }

  function lex(q) {
    var out = [], i = 0, n = q.length;
    while (i < n) {
      var c = q[i];
      if (isSpace(c)) { i++; }
      else if (QUOTES.indexOf(c) >= 0) {
        var j = i + 1;
        while (j < n && CLOSE_QUOTES.indexOf(q[j]) < 0) j++;
        var text = q.slice(i + 1, j), prefix = false;
        i = j + 1;
        while (i < n && q[i] === "*") { prefix = true; i++; }
        out.push(["phrase", text, prefix]);
      } else if (c === "(" || c === ")") { out.push([c]); i++; }
      else {
        var k = i;
        while (k < n && !isSpace(q[k]) && QUOTES.indexOf(q[k]) < 0 && q[k] !== "(" && q[k] !== ")") k++;
        out.push(["word", q.slice(i, k)]);
        i = k;
      }
    }
    return out;
  }

  function Parser(toks) { this.t = toks; this.i = 0; this.terms = 0; this.notes = []; }
  Parser.prototype.peek = function (k) { var j = this.i + (k || 0); return j < this.t.length ? this.t[j] : null; };
  function op(tok) { if (tok && tok[0] === "word") { var u = tok[1].toUpperCase(); if (OPS[u]) return u; } return null; }
  function endish(tok) { return tok === null || tok[0] === ")"; }
  Parser.prototype.term = function (tok) {
    var toks, prefix;
    if (tok[0] === "phrase") { toks = tokens(tok[1]); prefix = tok[2]; }
    else { prefix = /\*$/.test(tok[1]); toks = tokens(tok[1]); }
    if (!toks.length) return null;
    if (this.terms >= MAX_TERMS) {
      if (!this.notes.some(function (n) { return n.indexOf("only the first") === 0; })) this.notes.push("only the first " + MAX_TERMS + " words are searched");
      return null;
    }
    this.terms++;
    return ["term", toks, !!prefix];
  };
  Parser.prototype.parseOr = function (depth, top) {
    var items = [];
    for (;;) {
      var node = this.parseAnd(depth);
      if (node) items.push(node);
      var tok = this.peek();
      if (tok === null) break;
      if (tok[0] === ")") { if (top) { this.i++; continue; } break; }
      if (op(tok) === "OR") { this.i++; continue; }
    }
    if (!items.length) return null;
    var flat = [];
    items.forEach(function (x) { if (x[0] === "or") flat.push.apply(flat, x[1]); else flat.push(x); });
    return flat.length === 1 ? flat[0] : ["or", flat];
  };
  Parser.prototype.parseAnd = function (depth) {
    var pos = [], neg = [], node;
    for (;;) {
      var tok = this.peek();
      if (endish(tok)) break;
      var o = op(tok), some = pos.length + neg.length > 0;
      if (o === "OR") {
        var nx = this.peek(1);
        if (some && !endish(nx)) break;
        this.i++;
        if (some || !endish(nx)) continue;
        node = this.term(["word", tok[1]]); if (node) pos.push(node);
        continue;
      }
      if (o === "AND") {
        var nx2 = this.peek(1);
        this.i++;
        if (some || !endish(nx2)) continue;
        node = this.term(["word", tok[1]]); if (node) pos.push(node);
        continue;
      }
      if (o === "NOT") {
        var nx3 = this.peek(1);
        this.i++;
        if (endish(nx3)) { if (!some) { node = this.term(["word", tok[1]]); if (node) pos.push(node); } continue; }
        node = this.parseUnary(depth); if (node) neg.push(node);
        continue;
      }
      if (tok[0] === "word" && tok[1].length > 1 && tok[1][0] === "-" && /^[\p{L}\p{N}]/u.test(tok[1].slice(1))) {
        this.i++;
        node = this.term(["word", tok[1].slice(1)]); if (node) neg.push(node);
        continue;
      }
      node = this.parseUnary(depth);
      if (node) pos.push(node);
    }
    if (!pos.length) {
      if (neg.length) this.notes.push("NOT needs words to search in: it was left out");
      return null;
    }
    if (!neg.length && pos.length === 1) return pos[0];
    var flat = [];
    pos.forEach(function (x) { if (x[0] === "and" && !x[2].length) flat.push.apply(flat, x[1]); else flat.push(x); });
    return ["and", flat, neg];
  };
  Parser.prototype.parseUnary = function (depth) {
    var tok = this.peek();
    if (tok === null) return null;
    this.i++;
    if (tok[0] === "(") {
      if (depth >= MAX_DEPTH) return null;
      var node = this.parseOr(depth + 1);
      if (this.peek() !== null && this.peek()[0] === ")") this.i++;
      return node;
    }
    if (tok[0] === ")") return null;
    if (op(tok) === "NOT") return this.parseUnary(depth);
    return this.term(tok);
  };

  function parseNotes(q) {
    var p = new Parser(lex(Array.from(q || "").slice(0, MAX_QUERY).join("")));
    return [p.parseOr(0, true), p.notes];
  }
  function parse(q) { return parseNotes(q)[0]; }

  function quote(toks) { return "\"" + toks.join(" ").replace(/"/g, "\"\"") + "\""; }
  function toFts(node) {
    if (!node) return "";
    if (node[0] === "term") return quote(node[1]) + (node[2] ? "*" : "");
    var wrap = function (x) { return x[0] === "term" ? toFts(x) : "(" + toFts(x) + ")"; };
    if (node[0] === "or") return node[1].map(wrap).join(" OR ");
    var expr = node[1].map(wrap).join(" AND "), grouped = node[1].length > 1 || node[1][0][0] !== "term";
    node[2].forEach(function (n) { if (grouped) expr = "(" + expr + ")"; expr += " NOT " + wrap(n); grouped = true; });
    return expr;
  }
  function describe(node) {
    if (!node) return "";
    if (node[0] === "term") { var w = node[1].join(" "); return (node[1].length > 1 ? "\"" + w + "\"" : w) + (node[2] ? "*" : ""); }
    var wrap = function (x) { return x[0] === "term" ? describe(x) : "(" + describe(x) + ")"; };
    if (node[0] === "or") return node[1].map(wrap).join(" OR ");
    var s = node[1].map(wrap).join(" ");
    node[2].forEach(function (n) { s += " NOT " + wrap(n); });
    return s;
  }
  function positiveTerms(node) {
    if (!node) return [];
    if (node[0] === "term") return [node];
    var out = [];
    node[1].forEach(function (x) { out.push.apply(out, positiveTerms(x)); });
    return out;
  }
  function textTokens(text) {
    var out = [], m; TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) out.push([fold(m[0]), m.index, m.index + m[0].length]);
    return out;
  }
  function termAt(toks, i, term) {
    var words = term[1], prefix = term[2];
    if (i + words.length > toks.length) return false;
    for (var k = 0; k < words.length; k++) {
      var t = toks[i + k][0];
      if (k === words.length - 1 && prefix) { if (t.indexOf(words[k]) !== 0) return false; }
      else if (t !== words[k]) return false;
    }
    return true;
  }
  function matchesTok(node, toks) {
    if (!node) return false;
    if (node[0] === "term") { for (var i = 0; i < toks.length; i++) if (termAt(toks, i, node)) return true; return false; }
    if (node[0] === "or") return node[1].some(function (x) { return matchesTok(x, toks); });
    return node[1].every(function (x) { return matchesTok(x, toks); }) && !node[2].some(function (x) { return matchesTok(x, toks); });
  }
  function matches(node, text) { return matchesTok(node, textTokens(text)); }
  function hitSpans(node, text) {
    var terms = positiveTerms(node);
    if (!terms.length) return [];
    var toks = textTokens(text), spans = [];
    terms.forEach(function (t) {
      var n = t[1].length;
      for (var i = 0; i < toks.length; i++) if (termAt(toks, i, t)) spans.push([toks[i][1], toks[i + n - 1][2]]);
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var out = [];
    spans.forEach(function (s) {
      if (out.length && s[0] <= out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], s[1]);
      else out.push([s[0], s[1]]);
    });
    return out;
  }
  root.reissueQuery = { parse: parse, parseNotes: parseNotes, toFts: toFts, describe: describe, matches: matches,
    hitSpans: hitSpans, fold: fold, tokens: tokens };
})(typeof window !== "undefined" ? window : this);
