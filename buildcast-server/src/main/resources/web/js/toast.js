// A short message at the bottom of the screen, read out by screen readers (role=status).

let timer = 0;

export function toast(message) {
  const el = document.getElementById("toast");
  el.textContent = message;
  el.classList.add("show");
  clearTimeout(timer);
  timer = setTimeout(() => el.classList.remove("show"), 4000);
}
