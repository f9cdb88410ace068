/* reissue edition reader: renders the embedded edition (no network). Every text goes through
   textContent / createTextNode, never as HTML, so OCR text cannot become markup. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("edition-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var pages = D.pages || [], N = pages.length;
  var edits = {};
  (D.edits || []).forEach(function (e, i) { edits[e.id != null ? e.id : i] = e; });
  var counts = {};
  pages.forEach(function (p) { if (p.number != null) counts[p.number] = (counts[p.number] || 0) + 1; });
  var keys = pages.map(function (p, i) {
    return p.number != null && counts[p.number] === 1 && p.number >= 0 ? String(p.number) : "s" + (i + 1);
  });
  var byKey = {};
  keys.forEach(function (k, i) { byKey[k] = i; });
  function label(i) { var n = pages[i].number; return n != null ? "p. " + n : "[" + (i + 1) + "]"; }
  function shortLabel(i) { var n = pages[i].number; return n != null ? String(n) : "[" + (i + 1) + "]"; }
  var REVIEWABLE = { correct: 1, review: 1 };
  var langCount = {}, mainLang = null;
  (D.paragraphs || []).forEach(function (p) { if (p.lang) langCount[p.lang] = (langCount[p.lang] || 0) + 1; });
  Object.keys(langCount).forEach(function (l) { if (mainLang === null || langCount[l] > langCount[mainLang]) mainLang = l; });
  var STAGE = { correct: "OCR correction", review: "Reviewer's correction", furniture: "Removed page furniture",
    reflow: "Line/paragraph join", notes: "Footnote layout" };

  // paragraphs by page, footnotes by page, call-outs by paragraph
  var onPage = pages.map(function () { return []; });
  var notesOn = pages.map(function () { return []; });
  var callouts = {};
  (D.paragraphs || []).forEach(function (para) {
    var pbs = (para.page_breaks || []).slice();
    if (!pbs.length && para.spans && para.spans.length) pbs = [{ index: para.spans[0][0], offset: 0 }];
    para.parts = [];
    pbs.forEach(function (b, j) {
      if (b.index == null || b.index < 0 || b.index >= N) return;
      para.parts.push({ page: b.index, lo: b.offset });
      onPage[b.index].push({ item: para, lo: b.offset, hi: j + 1 < pbs.length ? pbs[j + 1].offset : para.text.length,
        from: j > 0 ? pbs[j - 1].index : null, to: j + 1 < pbs.length ? pbs[j + 1].index : null });
    });
  });
  (D.footnotes || []).forEach(function (fn) {
    var pi = fn.page_index;
    if (pi == null && fn.spans && fn.spans.length) pi = fn.spans[0][0];
    if (pi != null && pi >= 0 && pi < N) notesOn[pi].push(fn);
    if (fn.paragraph != null && fn.callout != null) (callouts[fn.paragraph] = callouts[fn.paragraph] || []).push(fn);
  });

  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k]; else if (attrs[k] != null) n.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c != null) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function tip(e) {
    var what, b = e.before, a = e.after;
    if (REVIEWABLE[e.stage]) what = (STAGE[e.stage]) + ": “" + b + "” → “" + a + "”";
    else if (a === "") what = (STAGE[e.stage] || e.stage) + (b.trim() ? ": removed “" + b.trim() + "”" : ": removed a line break");
    else what = (STAGE[e.stage] || e.stage) + (b.trim() || a.trim() ? ": “" + b + "” → “" + a + "”" : ": line break joined");
    var lines = [what, "rule: " + e.rule + " · confidence " + Number(e.confidence || 0).toFixed(2)];
    if (e.note) lines.push(e.note);
    return lines.join("\n");
  }

  // ---- search: the library's query parser (query.js), the same rules as the server
  var RQ = window.reissueQuery;
  function compile(q) { return q && q.trim() ? RQ.parse(q) : null; }
  function hitRanges(text, node) { return node ? RQ.hitSpans(node, text) : []; }

  // ---- a note's call-out as printed at offset c ('*', '¹', '(1)', '[1]'): its end, or null
  var CALLOUT_AT = /^(?:\*{1,3}|†{1,2}|‡{1,2}|§|¶|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}|\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2})/;
  function printedCallout(text, c, marker) {
    if (!marker) return null;
    var m = CALLOUT_AT.exec(text.slice(c, c + 8));
    if (m) {
      var norm = m[0].replace(/[()\[\]. ]/g, "").replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]/g, function (d) { return String("¹²³⁴⁵⁶⁷⁸⁹⁰".indexOf(d) + 1).slice(-1); });
      if (norm === marker) return c + m[0].length;
    }
    return text.substr(c, marker.length) === marker ? c + marker.length : null;
  }

  // ---- rendering one part of a paragraph
  function renderSlice(item, lo, hi, node, cos) {
    var text = item.text, frag = document.createDocumentFragment();
    var hits = hitRanges(text, node);
    var co = {};
    (cos || []).forEach(function (fn) { co[fn.callout] = fn; });
    (item.spans || []).forEach(function (s) {
      var ts = s[3], te = s[4], eid = s[5], e = eid != null ? edits[eid] : null;
      if (te <= lo || ts >= hi) return;
      if (e && REVIEWABLE[e.stage]) {
        var inner = text.slice(ts, te);
        var span = el("span", { "class": "chg", tabindex: "0", "data-tip": tip(e), "data-edit": String(eid) });
        var hit = hits.some(function (h) { return h[0] < te && ts < h[1]; });
        span.appendChild(hit ? el("mark", { "class": "hit", text: inner }) : document.createTextNode(inner));
        frag.appendChild(span);
        return;
      }
      var a = Math.max(ts, lo), b = Math.min(te, hi), cuts = [a, b];
      hits.forEach(function (h) { [h[0], h[1]].forEach(function (x) { if (x > a && x < b) cuts.push(x); }); });
      var ends = {};  // the link covers the call-out as printed: '(1)' up to and with its ')'
      Object.keys(co).forEach(function (k) {
        var c = +k, end = printedCallout(text, c, co[k].marker || "");
        ends[c] = end;
        [c, end].forEach(function (x) { if (x != null && x > a && x < b) cuts.push(x); });
      });
      cuts = cuts.filter(function (x, i, arr) { return arr.indexOf(x) === i; }).sort(function (x, y) { return x - y; });
      for (var i = 0; i + 1 < cuts.length; i++) {
        var x = cuts[i], y = cuts[i + 1], seg = text.slice(x, y), fn = co[x];
        if (fn && ends[x] === y) {
          frag.appendChild(el("sup", { "class": "callout" }, [el("a", { href: "#fn-" + fn.id, id: "fnref-" + fn.id, text: seg,
            "aria-label": "note " + fn.marker, "data-note": fn.id })]));
        } else if (hits.some(function (h) { return h[0] <= x && y <= h[1]; })) {
          frag.appendChild(el("mark", { "class": "hit", text: seg }));
        } else {
          frag.appendChild(document.createTextNode(seg));
        }
      }
    });
    return frag;
  }

  function renderOriginal(i) {
    // one block per printed line (a wrapped line is indented), as the server's reader does
    var raw = pages[i].raw || "", pre = $("raw"), pos = 0, line = el("span", { "class": "ln" });
    pre.textContent = "";
    pre.appendChild(line);
    function add(text, attrs) {
      var parts = text.split("\n");
      if (attrs && text === "") { line.appendChild(el("span", attrs)); return; }
      parts.forEach(function (part, k) {
        if (k) {
          if (attrs) line.appendChild(el("span", Object.assign({}, attrs, { text: "\u21b5" })));
          line = el("span", { "class": "ln" });
          pre.appendChild(line);
        }
        if (part) line.appendChild(attrs ? el("span", Object.assign({}, attrs, { text: part })) : document.createTextNode(part));
      });
    }
    var list = (D.edits || []).filter(function (e) { return e.page === i && e.superseded_by == null; })
      .sort(function (a, b) { return a.start - b.start || a.end - b.end || a.id - b.id; });
    list.forEach(function (e) {
      if (e.start < pos || e.end > raw.length) return;
      add(raw.slice(pos, e.start), null);
      var cls = "e e-" + String(e.stage).replace(/[^a-z-]/g, "") + (e.start === e.end ? " e-ins" : "");
      add(raw.slice(e.start, e.end), { "class": cls, tabindex: "0", "data-tip": tip(e) });
      pos = e.end;
    });
    add(raw.slice(pos), null);
    $("raw-source").textContent = pages[i].source || "";
  }

  // ---- state
  var state = { page: 0, original: false, q: "" };
  var current = -1;

  function render() {
    var i = state.page, rxs = compile(state.q);
    document.body.classList.toggle("show-original", state.original);
    $("toggle-original").setAttribute("aria-pressed", state.original ? "true" : "false");
    $("pageno").textContent = "";
    $("pageno").appendChild(document.createTextNode(label(i) + " "));
    $("pageno").appendChild(el("span", { "class": "muted", text: "· " + (i + 1) + " of " + N }));
    $("clean-label").textContent = label(i);
    $("prev").setAttribute("aria-disabled", i === 0 ? "true" : "false");
    $("next").setAttribute("aria-disabled", i === N - 1 ? "true" : "false");
    $("prev").href = i > 0 ? "#p=" + keys[i - 1] : "#";
    $("next").href = i < N - 1 ? "#p=" + keys[i + 1] : "#";
    document.querySelectorAll("#pagelist a").forEach(function (a, j) {
      if (j === i) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    var cur = document.querySelector("#pagelist [aria-current]"), list = $("pagelist"), box = list.parentNode;
    if (cur) {
      if (list.scrollWidth > list.clientWidth) list.scrollLeft = cur.offsetLeft - list.offsetLeft - list.clientWidth / 2;
      if (box.scrollHeight > box.clientHeight) box.scrollTop = cur.offsetTop - box.offsetTop - box.clientHeight / 2;
    }
    var text = $("text");
    text.textContent = "";
    var parts = onPage[i];
    if (!parts.length) text.appendChild(el("p", { "class": "empty", text: "No body text on this page." }));
    parts.forEach(function (pt) {
      var para = pt.item, inner = renderSlice(para, pt.lo, pt.hi, rxs, callouts[para.id]);
      if (para.kind === "heading") { text.appendChild(el("h3", { id: para.id }, [inner])); return; }
      var p = el("p", { id: para.id, "class": pt.from != null ? "runon" : null, lang: para.lang || null });
      if (para.lang && para.lang !== mainLang) p.appendChild(el("span", { "class": "lang", title: "language", text: para.lang }));
      if (pt.from != null) p.appendChild(el("a", { "class": "runon-from", href: "#p=" + keys[pt.from], text: "↪ continued from " + label(pt.from) }));
      p.appendChild(inner);
      if (pt.to != null) { p.appendChild(document.createTextNode(" ")); p.appendChild(el("a", { "class": "runon-to", href: "#p=" + keys[pt.to], text: "continues on " + label(pt.to) + " →" })); }
      text.appendChild(p);
    });
    var notes = notesOn[i];
    if (notes.length) {
      var ol = el("ol");
      notes.forEach(function (fn) {
        var body = el("span", { id: "note-" + fn.id }, [renderSlice(fn, 0, fn.text.length, rxs, [])]);
        if (fn.paragraph != null && fn.callout != null) { body.appendChild(document.createTextNode(" ")); body.appendChild(el("a", { href: "#fnref-" + fn.id, "aria-label": "back to the text", text: "↩", "data-back": fn.id })); }
        ol.appendChild(el("li", { id: "fn-" + fn.id }, [el("span", { text: fn.marker || "•" }), body]));
      });
      text.appendChild(el("aside", { "class": "notes", "aria-label": "Notes" }, [el("h3", { text: "Notes" }), ol]));
    }
    renderOriginal(i);
    document.title = (D.metadata.title || "Untitled") + " " + issueLabel() + ", " + label(i);
    if (current !== i) { current = i; }
  }

  function issueLabel() {
    var m = D.metadata || {}, parts = [];
    if (m.volume != null) parts.push("Vol. " + m.volume);
    if (m.number != null) parts.push("No. " + m.number);
    if (m.year != null) parts.push(parts.length ? "(" + m.year + ")" : String(m.year));
    return parts.join(" ");
  }

  function hashFor(i, extra) {
    var h = "#p=" + encodeURIComponent(keys[i]);
    if (state.original) h += "&view=original";
    if (state.q) h += "&q=" + encodeURIComponent(state.q);
    if (extra) h += "&at=" + encodeURIComponent(extra);
    return h;
  }
  function go(i, at) {
    if (i < 0 || i >= N) return;
    state.page = i;
    history.replaceState(null, "", hashFor(i, at));
    render();
    var t = at && document.getElementById(at);
    if (t) t.scrollIntoView({ block: "center" }); else if (!at) window.scrollTo(0, Math.min(window.scrollY, $("reader").offsetTop));
  }
  function readHash() {
    var h = location.hash.replace(/^#/, ""), o = {};
    h.split("&").forEach(function (kv) { var i = kv.indexOf("="); if (i > 0) { try { o[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) {} } });
    return o;
  }
  function fromHash() {
    var o = readHash();
    state.page = o.p != null ? (byKey[o.p] != null ? byKey[o.p] : 0) : state.page;
    state.original = o.view === "original";
    state.q = o.q || "";
    if ($("q").value !== state.q && document.activeElement !== $("q")) $("q").value = state.q;
    render();
    var t = o.at && document.getElementById(o.at);
    if (t) t.scrollIntoView({ block: "center" });
  }

  // ---- search within the issue
  function search(q) {
    var node = compile(q), out = [];
    if (!node) return out;
    function scan(item, parts, kind) {
      if (!RQ.matches(node, item.text)) return;
      var first = hitRanges(item.text, node)[0] || [0, 0], page = parts[0].page;
      parts.forEach(function (p) { if (p.lo <= first[0]) page = p.page; });
      out.push({ item: item, page: page, at: first, kind: kind });
    }
    (D.paragraphs || []).forEach(function (para) {
      if (para.parts.length) scan(para, para.parts, "paragraph");
    });
    notesOn.forEach(function (lst, i) { lst.forEach(function (fn) { scan(fn, [{ page: i, lo: 0 }], "note"); }); });
    return out;
  }
  function showResults(q) {
    var box = $("results"), list = $("results-list");
    list.textContent = "";
    if (!q.trim()) { box.hidden = true; return; }
    var res = search(q), rxs = compile(q);
    box.hidden = false;
    $("results-count").textContent = res.length + (res.length === 1 ? " paragraph matches " : " paragraphs match ") + "“" + q + "”";
    res.slice(0, 200).forEach(function (r) {
      var t = r.item.text, a = Math.max(0, r.at[0] - 70), b = Math.min(t.length, r.at[1] + 90);
      var snip = el("p", { "class": "snip" }, [a > 0 ? "…" : null]);
      var sub = { text: t.slice(a, b), spans: [[0, 0, 0, 0, b - a, null]] };
      snip.appendChild(renderSlice(sub, 0, b - a, rxs, []));
      if (b < t.length) snip.appendChild(document.createTextNode("…"));
      var link = el("a", { "class": "go", href: "#p=" + keys[r.page] + "&q=" + encodeURIComponent(q) + "&at=" + encodeURIComponent(r.kind === "note" ? "fn-" + r.item.id : r.item.id),
        text: label(r.page) + (r.kind === "note" ? " · note" : "") });
      list.appendChild(el("li", null, [link, snip]));
    });
  }

  // ---- wire up
  var pl = $("pagelist");
  pages.forEach(function (p, i) { pl.appendChild(el("li", null, [el("a", { href: "#p=" + keys[i], text: shortLabel(i) })])); });
  $("toggle-original").addEventListener("click", function (ev) {
    ev.preventDefault(); var y = window.scrollY; state.original = !state.original; history.replaceState(null, "", hashFor(state.page)); render(); window.scrollTo(0, y);
  });
  $("prev").addEventListener("click", function (ev) { ev.preventDefault(); go(state.page - 1); });
  $("next").addEventListener("click", function (ev) { ev.preventDefault(); go(state.page + 1); });
  pl.addEventListener("click", function (ev) {
    var a = ev.target.closest("a"); if (!a) return;
    ev.preventDefault(); go(Array.prototype.indexOf.call(pl.querySelectorAll("a"), a));
  });
  $("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault(); state.q = $("q").value.trim(); history.replaceState(null, "", hashFor(state.page)); render(); showResults(state.q);
  });
  $("results-close").addEventListener("click", function () { $("results").hidden = true; });
  $("results-list").addEventListener("click", function (ev) {
    var a = ev.target.closest("a.go"); if (!a) return;
    ev.preventDefault();
    var o = {}; a.getAttribute("href").slice(1).split("&").forEach(function (kv) { var i = kv.indexOf("="); o[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); });
    state.q = o.q || ""; go(byKey[o.p], o.at);
  });
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.runon-from, a.runon-to, sup.callout a, a[data-back]");
    if (!a) return;
    var href = a.getAttribute("href");
    if (/^#p=/.test(href)) { ev.preventDefault(); go(byKey[href.slice(3)]); }
    else { ev.preventDefault(); var t = document.getElementById(href.slice(1)); if (t) { t.scrollIntoView({ block: "center" }); t.focus && t.focus(); } }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (ev.key === "ArrowLeft") { ev.preventDefault(); go(state.page - 1); }
    else if (ev.key === "ArrowRight") { ev.preventDefault(); go(state.page + 1); }
  });
  window.addEventListener("hashchange", fromHash);
  var m = D.metadata || {};
  $("title").textContent = m.title || "Untitled";
  $("issue").textContent = issueLabel();
  // contents: the edition's articles (none when edition.json lists none)
  var pageOf = {};
  onPage.forEach(function (parts, i) { parts.forEach(function (pt) { if (!(pt.item.id in pageOf)) pageOf[pt.item.id] = i; }); });
  (D.articles || []).forEach(function (a) {
    var first = (a.paragraphs || [])[0], i = pageOf[first];
    if (i == null) return;
    var li = el("li", null, [el("a", { href: "#p=" + keys[i] + "&at=" + encodeURIComponent(first), text: a.title || "Untitled article" })]);
    if (a.byline) li.appendChild(el("div", { "class": "byline", text: a.byline }));
    $("toc").appendChild(li);
    $("contents").hidden = false;
  });
  $("toc").addEventListener("click", function (ev) {
    var a = ev.target.closest("a"); if (!a) return;
    ev.preventDefault();
    var o = {}; a.getAttribute("href").slice(1).split("&").forEach(function (kv) { var i = kv.indexOf("="); o[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); });
    go(byKey[o.p], o.at);
  });
  fromHash();
  if (state.q) { $("q").value = state.q; showResults(state.q); }
})();
