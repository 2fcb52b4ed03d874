package dev.buildcast.generator.docs;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wraps a page's rendered body in the site's layout: header with the site name, search box and
 * theme switch, the navigation with the current page marked, previous/next links, and the theme's
 * files. Every link is relative and names {@code index.html} explicitly, so the site works from
 * {@code file://} and under any URL prefix. Text from the repository is always escaped here.
 */
final class PageLayout {

  private final String siteName;
  private final String theme;
  private final List<NavItem> nav;
  private final Map<Page, Integer> order = new IdentityHashMap<>();
  private final List<Page> reading;
  /** Whether the navigation shows only the open page's branch (see {@link #FULL_NAV_ENTRIES}). */
  private final boolean collapse;

  /**
   * Up to this many entries every page shows the whole navigation. A larger site shows each level
   * whole but opens only the sections on the way to the current page: the full tree in each of 500
   * pages would make the site (and its zip) a hundred times larger and its build several times slower.
   */
  static final int FULL_NAV_ENTRIES = 100;

  PageLayout(String siteName, String theme, Navigation.Built nav) {
    this.siteName = siteName;
    this.theme = theme;
    this.nav = nav.items();
    this.reading = nav.order();
    for (int i = 0; i < reading.size(); i++) order.put(reading.get(i), i);
    this.collapse = count(this.nav) > FULL_NAV_ENTRIES;
  }

  private static int count(List<NavItem> items) {
    return items.stream().mapToInt(i -> 1 + count(i.children())).sum();
  }

  private static boolean leadsTo(NavItem item, Page page) {
    return item.page().orElse(null) == page || item.children().stream().anyMatch(child -> leadsTo(child, page));
  }

  private static Optional<Page> firstPage(NavItem item) {
    return item.page().or(() -> item.children().stream().map(PageLayout::firstPage).flatMap(Optional::stream).findFirst());
  }

  String render(Page page, String body) {
    String root = page.rootPrefix();
    StringBuilder out = new StringBuilder(body.length() + 8192);
    out.append("<!doctype html>\n<html lang=\"en\" data-theme=\"").append(theme).append("\" data-root=\"").append(root).append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape(page.title.equals(siteName) ? siteName : page.title + " · " + siteName)).append("</title>\n")
        .append("<link rel=\"stylesheet\" href=\"").append(root).append("assets/site.css\">\n")
        .append("<script src=\"").append(root).append("assets/theme.js\"></script>\n</head>\n<body>\n")
        .append("<header class=\"top\">\n<button type=\"button\" class=\"menu\" aria-controls=\"nav\" aria-expanded=\"false\" aria-label=\"Pages\">☰</button>\n")
        .append("<a class=\"site-name\" href=\"").append(root).append("index.html\">").append(escape(siteName)).append("</a>\n")
        .append("<div class=\"search\"><input type=\"search\" id=\"search\" placeholder=\"Search\" aria-label=\"Search the docs\" autocomplete=\"off\">")
        .append("<ol id=\"search-results\" hidden></ol></div>\n")
        .append("<button type=\"button\" id=\"theme-toggle\" aria-label=\"Switch between light and dark\">◐</button>\n</header>\n")
        .append("<div class=\"layout\">\n<nav id=\"nav\" aria-label=\"Pages\">\n");
    navList(out, nav, page, root);
    out.append("</nav>\n<main>\n<article class=\"content\">\n").append(body).append("</article>\n");
    pager(out, page, root);
    out.append("</main>\n</div>\n")
        .append("<script src=\"").append(root).append("assets/search-index.js\"></script>\n")
        .append("<script src=\"").append(root).append("assets/vendor/highlight.min.js\"></script>\n")
        .append("<script src=\"").append(root).append("assets/site.js\"></script>\n</body>\n</html>\n");
    return out.toString();
  }

  /** The top page of docs that have no README.md or index.md at their top: the site's contents. */
  String contents() {
    StringBuilder body = new StringBuilder("<h1>").append(escape(siteName)).append("</h1>\n");
    navList(body, nav, null, "");
    Page top = new Page("index.md", "index.html", new org.commonmark.node.Document(), siteName, false);
    return render(top, body.toString());
  }

  private void navList(StringBuilder out, List<NavItem> items, Page current, String root) {
    if (items.isEmpty()) return;
    out.append("<ul>\n");
    for (NavItem item : items) {
      out.append("<li");
      if (!item.children().isEmpty()) out.append(" class=\"section\"");
      out.append('>');
      boolean open = !collapse || current == null || leadsTo(item, current);
      // why the first page: a closed section without a page of its own must still lead somewhere
      Optional<Page> page = open ? item.page() : firstPage(item);
      if (page.isPresent()) {
        out.append("<a href=\"").append(root).append(href(page.get())).append('"');
        if (page.get() == current) out.append(" aria-current=\"page\"");
        out.append('>').append(escape(item.title())).append("</a>");
      } else {
        out.append("<span>").append(escape(item.title())).append("</span>");
      }
      if (open) navList(out, item.children(), current, root);
      out.append("</li>\n");
    }
    out.append("</ul>\n");
  }

  private void pager(StringBuilder out, Page page, String root) {
    Integer at = order.get(page);
    if (at == null) return;
    out.append("<footer class=\"pager\">");
    if (at > 0) {
      Page prev = reading.get(at - 1);
      out.append("<a class=\"prev\" rel=\"prev\" href=\"").append(root).append(href(prev)).append("\">← ").append(escape(prev.title)).append("</a>");
    }
    if (at < reading.size() - 1) {
      Page next = reading.get(at + 1);
      out.append("<a class=\"next\" rel=\"next\" href=\"").append(root).append(href(next)).append("\">").append(escape(next.title)).append(" →</a>");
    }
    out.append("</footer>\n");
  }

  private static String href(Page page) {
    return page.href;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
