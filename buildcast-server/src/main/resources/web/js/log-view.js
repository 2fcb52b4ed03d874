// A virtual scroller for log rows of one fixed height: only the rows in view (plus a margin)
// exist in the DOM, so a million-line log costs a few dozen elements. Browsers cap an element's
// height (~17-33 million px), so past MAX_SPACER the scroll position is mapped proportionally.

const MAX_SPACER = 8_000_000;
const OVERSCAN = 10;

export class LogView {
  /**
   * @param host the scrolling element (gets the spacer and the rows)
   * @param renderRow (rowIndex, element) => void, fills a fresh row element
   * @param onFollowChange (following) => void
   */
  constructor(host, { renderRow, onFollowChange = () => {}, follow = true }) {
    this.host = host;
    this.renderRow = renderRow;
    this.onFollowChange = onFollowChange;
    this.rowCount = 0;
    this.following = follow;
    this.renderedEnd = 0;
    this.frame = 0;
    this.expectedTop = 0;
    host.classList.add("log-view");
    host.tabIndex = 0;
    this.spacer = document.createElement("div");
    this.spacer.className = "log-spacer";
    this.rows = document.createElement("div");
    this.rows.className = "log-rows";
    host.append(this.spacer, this.rows);
    this.rowHeight = this.measureRowHeight();
    host.addEventListener("scroll", () => this.onScroll(), { passive: true });
    // why: a wheel or key up means "let me read" even while new lines keep the view at the bottom
    host.addEventListener("wheel", (e) => { if (e.deltaY < 0) this.setFollowing(false); }, { passive: true });
    host.addEventListener("keydown", (e) => {
      if (["ArrowUp", "PageUp", "Home"].includes(e.key)) this.setFollowing(false);
    });
    // why: the pane shrinks when panels appear above or below it (artifacts at the end); a
    // following view must stay at the bottom
    new ResizeObserver(() => {
      if (this.following) this.scrollToEnd();
      this.schedule();
    }).observe(host);
  }

  measureRowHeight() {
    const probe = document.createElement("div");
    probe.className = "line";
    probe.textContent = "x";
    this.rows.appendChild(probe);
    const h = probe.getBoundingClientRect().height || 20;
    probe.remove();
    return Math.round(h) || 20;
  }

  /** Total rows changed (lines arrived or groups folded). */
  setRowCount(n) {
    const before = this.rowCount;
    this.rowCount = n;
    this.spacer.style.height = `${this.spacerHeight()}px`;
    if (this.following) this.scrollToEnd();
    // why: rows added below the rendered ones change nothing on screen; skipping the render keeps
    // a fast stream (a million lines) from re-rendering every chunk
    if (this.following || n < before || this.renderedEnd >= before) this.schedule();
  }

  contentHeight() {
    return this.rowCount * this.rowHeight;
  }

  spacerHeight() {
    return Math.min(this.contentHeight(), MAX_SPACER);
  }

  /** Content pixels per scroll pixel (1 unless the log is taller than the spacer cap). */
  scale() {
    const view = this.host.clientHeight;
    const spacer = this.spacerHeight();
    const content = this.contentHeight();
    if (content <= spacer || spacer <= view) return 1;
    return (content - view) / (spacer - view);
  }

  setFollowing(on) {
    if (this.following === on) return;
    this.following = on;
    this.onFollowChange(on);
  }

  follow() {
    this.setFollowing(true);
    this.scrollToEnd();
  }

  scrollToEnd() {
    this.scrollTo(this.host.scrollHeight - this.host.clientHeight);
  }

  /** Scrolls by program; the scroll event it causes must not be read as the user's. */
  scrollTo(top) {
    this.host.scrollTop = top;
    this.expectedTop = this.host.scrollTop;
  }

  /** Brings a row into view, centred unless it already is in view. */
  scrollToRow(row, { center = true } = {}) {
    const k = this.scale();
    const view = this.host.clientHeight;
    const top = row * this.rowHeight;
    const current = this.host.scrollTop * k;
    if (!center && top >= current && top + this.rowHeight <= current + view) return;
    const target = Math.max(0, top - (center ? view / 2 - this.rowHeight : 0));
    this.setFollowing(false);
    this.scrollTo(target / k);
    this.schedule();
  }

  atBottom() {
    const h = this.host;
    return h.scrollHeight - h.scrollTop - h.clientHeight < Math.max(4, this.rowHeight / 2);
  }

  onScroll() {
    if (Math.abs(this.host.scrollTop - this.expectedTop) >= 1) this.setFollowing(this.atBottom());
    this.schedule();
  }

  /** Re-renders the rows in view on the next frame. */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Re-renders at once (tests and row changes that must show before the next frame). */
  render() {
    const view = this.host.clientHeight;
    const k = this.scale();
    const scrollTop = this.host.scrollTop;
    const contentTop = scrollTop * k;
    const first = Math.max(0, Math.floor(contentTop / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.rowCount, Math.ceil((contentTop + view) / this.rowHeight) + OVERSCAN);
    // why: rows sit in real pixels around the scroll position, whatever the scale
    const offset = scrollTop - (contentTop - first * this.rowHeight);
    this.rows.style.transform = `translateY(${offset}px)`;
    const fragment = document.createDocumentFragment();
    for (let row = first; row < last; row++) {
      const el = document.createElement("div");
      el.className = "line";
      this.renderRow(row, el);
      fragment.appendChild(el);
    }
    this.rows.replaceChildren(fragment);
    this.firstRendered = first;
    this.renderedEnd = last;
  }

  /** Rows currently in the DOM (for tests and focus handling). */
  renderedRange() {
    return [this.firstRendered ?? 0, (this.firstRendered ?? 0) + this.rows.childElementCount];
  }
}
