// The site's behaviour: code highlighting, the theme switch, the phone menu and the search box.
// Plain script, no modules and no fetch, so it works when the site is opened from file://.
(function () {
  "use strict";
  var html = document.documentElement;
  var root = html.dataset.root || "";

  if (window.hljs) {
    document.querySelectorAll("pre code").forEach(function (block) {
      // why: guessing the language of unlabelled blocks mis-colours plain text and output
      if (/\blanguage-/.test(block.className)) window.hljs.highlightElement(block);
    });
  }

  function dark() {
    var t = html.dataset.theme;
    if (t === "dark") return true;
    if (t === "light") return false;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      html.dataset.theme = next;
      try { localStorage.setItem("docs-theme", next); } catch (e) { /* no storage on file:// */ }
    });
  }

  var menu = document.querySelector(".menu");
  if (menu) {
    menu.addEventListener("click", function () {
      var open = html.classList.toggle("nav-open");
      menu.setAttribute("aria-expanded", String(open));
    });
  }

  var current = document.querySelector('nav a[aria-current="page"]');
  if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });

  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.docsSearchIndex || [];
  if (!box || !list) return;

  function score(page, terms) {
    var total = 0;
    var title = page.t.toLowerCase();
    var heads = page.h.join(" ").toLowerCase();
    var text = page.x.toLowerCase();
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      var s = (title.indexOf(t) >= 0 ? 10 : 0) + (heads.indexOf(t) >= 0 ? 4 : 0) + (text.indexOf(t) >= 0 ? 1 : 0);
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  function snippet(page, term) {
    var at = page.x.toLowerCase().indexOf(term);
    if (at < 0) return page.x.slice(0, 120);
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + page.x.slice(start, start + 140) + "…";
  }

  function show() {
    var terms = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (terms.length === 0) { list.hidden = true; return; }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], terms);
      if (s > 0) hits.push({ page: index[i], score: s });
    }
    hits.sort(function (a, b) { return b.score - a.score; });
    hits.slice(0, 20).forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + hit.page.u;
      a.textContent = hit.page.t;
      var p = document.createElement("p");
      p.textContent = snippet(hit.page, terms[0]);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    if (hits.length === 0) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No page matches.";
      list.appendChild(none);
    }
    list.hidden = false;
  }

  box.addEventListener("input", show);
  box.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { box.value = ""; show(); }
    if (e.key === "Enter") {
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    }
  });
})();
