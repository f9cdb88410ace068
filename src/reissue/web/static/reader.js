/* reissue library reader: keyboard paging, original/clean toggle, selecting a word to correct. */
(function () {
  "use strict";
  var body = document.body;
  function typing(t) {
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || typing(ev.target)) return;
    var rel = ev.key === "ArrowLeft" ? "prev" : ev.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var a = document.querySelector('a[rel="' + rel + '"]:not([aria-disabled="true"])');
    if (a) { ev.preventDefault(); window.location.href = a.href; }
  });

  var toggle = document.getElementById("toggle-original");
  function setOriginal(on, push) {
    body.classList.toggle("show-original", on);
    if (toggle) toggle.setAttribute("aria-pressed", on ? "true" : "false");
    try { localStorage.setItem("reissue-original", on ? "1" : "0"); } catch (e) {}
    if (push) {
      var u = new URL(window.location.href);
      if (on) u.searchParams.set("view", "original"); else u.searchParams.delete("view");
      history.replaceState(null, "", u.toString());
    }
    // keep the view= choice when paging
    document.querySelectorAll("a[data-keep-view]").forEach(function (a) {
      var u = new URL(a.href);
      if (on) u.searchParams.set("view", "original"); else u.searchParams.delete("view");
      a.href = u.toString();
    });
  }
  if (toggle) {
    toggle.addEventListener("click", function (ev) {
      ev.preventDefault();
      setOriginal(!body.classList.contains("show-original"), true);
    });
  }

  // review: select words in a paragraph to correct them
  var form = document.getElementById("manual-form");
  if (form) {
    var hint = document.getElementById("manual-hint");
    var pos = function (node, off) {
      var el = node.nodeType === 1 ? node : node.parentElement;
      var seg = el && el.closest("span.t[data-a]");
      if (!seg) return null;
      var r = document.createRange();
      r.setStart(seg, 0);
      r.setEnd(node, off);
      return { item: seg.closest("[data-item]").getAttribute("data-item"), at: +seg.getAttribute("data-a") + r.toString().length, seg: seg };
    };
    document.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
      var r = sel.getRangeAt(0);
      var a = pos(r.startContainer, r.startOffset), b = pos(r.endContainer, r.endOffset);
      if (!a || !b || a.item !== b.item || b.at <= a.at) return;
      var text = sel.toString();
      form.querySelector("[name=item]").value = a.item;
      form.elements.start.value = a.at;
      form.elements.end.value = b.at;
      form.elements.find.value = text;
      form.elements.text.value = text;
      if (hint) hint.textContent = "Selected “" + text + "” in " + a.item + ".";
      form.elements.text.focus();
      form.elements.text.select();
    });
    form.elements.find.addEventListener("input", function () {
      form.elements.start.value = ""; form.elements.end.value = "";
    });
  }
  var cur = document.querySelector(".pagelist [aria-current]");
  if (cur) {
    var list = cur.closest("ol"), box = cur.closest(".pagelist");
    // centre the current page in the list without scrolling the window
    if (list.scrollWidth > list.clientWidth) list.scrollLeft = cur.offsetLeft - list.offsetLeft - list.clientWidth / 2;
    if (box.scrollHeight > box.clientHeight) box.scrollTop = cur.offsetTop - box.offsetTop - box.clientHeight / 2;
  }
  if (location.hash) {
    var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (t) t.classList.add("target");
  }
})();
/* review: one reviewer name for every decision form on the page */
(function () {
  "use strict";
  var who = document.getElementById("reviewer");
  if (!who) return;
  document.querySelectorAll('form[action$="/review"]').forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      var name = who.value.trim();
      if (!name) { ev.preventDefault(); who.focus(); who.setCustomValidity("Type your name first"); who.reportValidity(); return; }
      who.setCustomValidity("");
      f.elements.reviewer.value = name;
    });
  });
  who.addEventListener("input", function () { who.setCustomValidity(""); });
})();
