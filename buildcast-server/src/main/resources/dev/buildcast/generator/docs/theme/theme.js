// Runs before the page paints: applies the reader's saved light/dark choice over the site's default.
(function () {
  try {
    var saved = localStorage.getItem("docs-theme");
    if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
  } catch (e) {
    // file:// pages in some browsers have no localStorage; the site's default theme stays
  }
})();
