/* reissue edition reader: behaviour only. Every page is already in the document, rendered by the
   same templates as the library server's reader; this script shows one page at a time, toggles the
   original OCR, follows links and searches the issue (query.js: the library's query parser),
   marking hits in the rendered text. OCR text only ever goes in as text nodes. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("edition-data").textContent);
  var RQ = window.reissueQuery;
  var $ = function (id) { return document.getElementById(id); };
  var pages = D.pages || [], N = pages.length;
  var byKey = {};
  pages.forEach(function (p, i) { byKey[p.key] = i; });
  var texts = {};
  (D.texts || []).forEach(function (t) { texts[t.id] = t; });
  var textPanes = document.querySelectorAll(".page-text"), rawPanes = document.querySelectorAll(".page-raw");
  var state = { page: 0, original: false, q: "" };
  var baseTitle = document.title;

  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k]; else if (attrs[k] != null) n.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c != null) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function compile(q) { return q && q.trim() ? RQ.parse(q) : null; }

  // ---- hits: marked in the rendered text (span.t[data-a] = offset of its text in the paragraph)
  function clearMarks(root) {
    root.querySelectorAll("mark.hit").forEach(function (m) {
      var parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    });
  }
  function markHits(root, node) {
    if (!node) return;
    root.querySelectorAll("[data-item]").forEach(function (blk) {
      var t = texts[blk.getAttribute("data-item")];
      var hits = t ? RQ.hitSpans(node, t.text) : [];
      if (!hits.length) return;
      blk.querySelectorAll("span.chg[data-a]").forEach(function (c) {
        var a = +c.getAttribute("data-a"), b = +c.getAttribute("data-b");
        if (!hits.some(function (h) { return h[0] < b && a < h[1]; })) return;
        var m = el("mark", { "class": "hit" });
        while (c.firstChild) m.appendChild(c.firstChild);
        c.appendChild(m);
      });
      blk.querySelectorAll("span.t[data-a]").forEach(function (seg) {
        var pos = +seg.getAttribute("data-a"), walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT), nodes = [];
        while (walker.nextNode()) nodes.push(walker.currentNode);
        nodes.forEach(function (tn) {
          var s = pos, e = pos + tn.data.length;
          pos = e;
          var cuts = hits.filter(function (h) { return h[0] < e && s < h[1]; })
            .map(function (h) { return [Math.max(h[0], s) - s, Math.min(h[1], e) - s]; });
          for (var k = cuts.length - 1; k >= 0; k--) {
            var r = document.createRange();
            r.setStart(tn, cuts[k][0]);
            r.setEnd(tn, cuts[k][1]);
            r.surroundContents(el("mark", { "class": "hit" }));
          }
        });
      });
    });
  }

  // ---- showing one page
  function show() {
    var i = state.page, label = pages[i] ? pages[i].label : "";
    textPanes.forEach(function (p) { p.classList.toggle("current", +p.getAttribute("data-page") === i); });
    rawPanes.forEach(function (p) { p.classList.toggle("current", +p.getAttribute("data-page") === i); });
    document.body.classList.toggle("show-original", state.original);
    $("toggle-original").setAttribute("aria-pressed", state.original ? "true" : "false");
    $("pageno").textContent = "";
    $("pageno").appendChild(document.createTextNode(label + " "));
    $("pageno").appendChild(el("span", { "class": "muted", text: "· " + (i + 1) + " of " + N }));
    $("clean-label").textContent = label;
    var pane = textPanes[i];
    $("raw-source").textContent = pane ? pane.getAttribute("data-source") : "";
    $("prev").setAttribute("aria-disabled", i === 0 ? "true" : "false");
    $("next").setAttribute("aria-disabled", i === N - 1 ? "true" : "false");
    $("prev").href = i > 0 ? "#p=" + pages[i - 1].key : "#";
    $("next").href = i < N - 1 ? "#p=" + pages[i + 1].key : "#";
    document.querySelectorAll("#pagelist a").forEach(function (a, j) {
      if (j === i) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    var cur = document.querySelector("#pagelist [aria-current]"), list = $("pagelist"), box = list.parentNode;
    if (cur) {  // centre the current page in the list without scrolling the window
      if (list.scrollWidth > list.clientWidth) list.scrollLeft = cur.offsetLeft - list.offsetLeft - list.clientWidth / 2;
      if (box.scrollHeight > box.clientHeight) box.scrollTop = cur.offsetTop - box.offsetTop - box.clientHeight / 2;
    }
    clearMarks($("text"));
    if (pane) markHits(pane, compile(state.q));
    document.title = baseTitle + ", " + label;
  }
  function target(at) {
    if (!at) return null;
    var pane = textPanes[state.page];
    return (pane && pane.querySelector('[data-item="' + CSS.escape(at) + '"]')) || document.getElementById(at);
  }
  function hashFor(i, at) {
    var h = "#p=" + encodeURIComponent(pages[i].key);
    if (state.original) h += "&view=original";
    if (state.q) h += "&q=" + encodeURIComponent(state.q);
    if (at) h += "&at=" + encodeURIComponent(at);
    return h;
  }
  function go(i, at) {
    if (i == null || i < 0 || i >= N) return;
    state.page = i;
    history.replaceState(null, "", hashFor(i, at));
    show();
    var t = target(at);
    if (t) t.scrollIntoView({ block: "center" });
    else if (!at) window.scrollTo(0, Math.min(window.scrollY, $("reader").offsetTop));
  }
  function parseHash(h) {
    var o = {};
    h.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { try { o[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) {} }
    });
    return o;
  }
  function fromHash() {
    var o = parseHash(location.hash);
    if (o.p != null) state.page = byKey[o.p] != null ? byKey[o.p] : 0;
    state.original = o.view === "original";
    state.q = o.q || "";
    if ($("q").value !== state.q && document.activeElement !== $("q")) $("q").value = state.q;
    show();
    var t = target(o.at);
    if (t) t.scrollIntoView({ block: "center" });
  }

  // ---- search within the issue
  function search(node) {
    var out = [];
    (D.texts || []).forEach(function (t) {
      if (!RQ.matches(node, t.text)) return;
      var first = RQ.hitSpans(node, t.text)[0] || [0, 0], page = t.parts[0][0];
      t.parts.forEach(function (p) { if (p[1] <= first[0]) page = p[0]; });
      out.push({ t: t, page: page, at: first });
    });
    return out;
  }
  function snippet(t, at, node) {
    var a = Math.max(0, at[0] - 70), b = Math.min(t.length, at[1] + 90), s = t.slice(a, b), pos = 0;
    var p = el("p", { "class": "snip" }, [a > 0 ? "…" : null]);
    RQ.hitSpans(node, s).forEach(function (h) {
      p.appendChild(document.createTextNode(s.slice(pos, h[0])));
      p.appendChild(el("mark", { "class": "hit", text: s.slice(h[0], h[1]) }));
      pos = h[1];
    });
    p.appendChild(document.createTextNode(s.slice(pos) + (b < t.length ? "…" : "")));
    return p;
  }
  function showResults(q) {
    var box = $("results"), list = $("results-list"), node = compile(q);
    list.textContent = "";
    if (!node) { box.hidden = true; return; }
    var res = search(node);
    box.hidden = false;
    $("results-count").textContent = res.length + (res.length === 1 ? " paragraph matches " : " paragraphs match ") + "“" + q + "”";
    res.slice(0, 200).forEach(function (r) {
      var note = r.t.kind === "footnote", at = note ? "fn-" + r.t.id : r.t.id;
      var link = el("a", { "class": "go", href: "#p=" + encodeURIComponent(pages[r.page].key) + "&q=" + encodeURIComponent(q) + "&at=" + encodeURIComponent(at),
        text: pages[r.page].label + (note ? " · note" : "") });
      list.appendChild(el("li", null, [link, snippet(r.t.text, r.at, node)]));
    });
  }

  // ---- wire up
  $("toggle-original").addEventListener("click", function (ev) {
    ev.preventDefault();
    var y = window.scrollY;
    state.original = !state.original;
    history.replaceState(null, "", hashFor(state.page));
    show();
    window.scrollTo(0, y);
  });
  $("prev").addEventListener("click", function (ev) { ev.preventDefault(); go(state.page - 1); });
  $("next").addEventListener("click", function (ev) { ev.preventDefault(); go(state.page + 1); });
  $("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    state.q = $("q").value.trim();
    history.replaceState(null, "", hashFor(state.page));
    show();
    showResults(state.q);
  });
  $("results-close").addEventListener("click", function () { $("results").hidden = true; });
  // every in-document link: #p=KEY[&at=ITEM][&q=...] goes to a page, #ID to an element (its page first)
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href^='#']");
    if (!a || a.classList.contains("skip") || a.id === "prev" || a.id === "next") return;
    var href = a.getAttribute("href");
    if (href === "#") return;
    ev.preventDefault();
    if (/^#p=/.test(href)) {
      var o = parseHash(href);
      if (o.q != null) state.q = o.q;
      go(byKey[o.p], o.at);
      return;
    }
    var t = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!t) return;
    var pane = t.closest(".page-text");
    if (pane && +pane.getAttribute("data-page") !== state.page) go(+pane.getAttribute("data-page"));
    t.scrollIntoView({ block: "center" });
    if (t.focus) t.focus();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (ev.key === "ArrowLeft") { ev.preventDefault(); go(state.page - 1); }
    else if (ev.key === "ArrowRight") { ev.preventDefault(); go(state.page + 1); }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
  if (state.q) { $("q").value = state.q; showResults(state.q); }
})();
