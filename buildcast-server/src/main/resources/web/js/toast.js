// A short message at the bottom of the screen, read out by screen readers (role=status).
// A modal dialog sits in the browser's top layer above everything else on the page, so while one
// is open the toast moves into it: otherwise "Copied" (or a failed copy) would be drawn under it.

let timer = 0;

export function toast(message, { error = false } = {}) {
  const el = document.getElementById("toast");
  const host = document.querySelector("dialog[open]") ?? document.body;
  if (el.parentElement !== host) host.appendChild(el);
  el.textContent = message;
  el.classList.toggle("error", error);
  el.classList.add("show");
  clearTimeout(timer);
  timer = setTimeout(() => el.classList.remove("show"), 5000);
}
