package dev.buildcast.generator.openevent;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Makes the export's HTML (descriptions, abstracts, biographies) safe to put on a page: keeps
 * simple formatting and links, drops scripts, styles, event handlers and every other attribute.
 * The export is user-written content from an event platform, so it is treated as hostile.
 */
final class HtmlSanitiser {

  private static final Safelist FORMATTING =
      new Safelist()
          .addTags("p", "br", "b", "i", "em", "strong", "u", "ul", "ol", "li", "a", "blockquote",
              "code", "pre", "sub", "sup", "small")
          .addAttributes("a", "href")
          .addProtocols("a", "href", "http", "https", "mailto")
          // why: links in user content lead off-site; do not pass the site's authority along
          .addEnforcedAttribute("a", "rel", "nofollow noopener");

  private final Cleaner cleaner = new Cleaner(FORMATTING);

  /** Sanitised HTML, or {@code null} when nothing visible is left. */
  String clean(String html) {
    if (html == null || html.isBlank()) return null;
    if (html.indexOf('<') < 0 && html.indexOf('&') < 0) {
      // why: most biographies and abstracts are plain text; escaping is all they need, and skipping
      // the parse and clean roughly halves the time spent reading a large export
      return "<p>" + Entities.escape(html.strip()) + "</p>";
    }
    Document dirty = Jsoup.parseBodyFragment(html);
    // why: an export's own headings would break the page's heading order (h1 is the page title),
    // so they become bold paragraphs instead of being dropped with their text
    for (Element heading : dirty.body().select("h1, h2, h3, h4, h5, h6")) {
      heading.tagName("p");
      Element strong = new Element("strong");
      strong.appendChildren(heading.childNodesCopy());
      heading.empty().appendChild(strong);
    }
    Document clean = cleaner.clean(dirty);
    clean.outputSettings().prettyPrint(false);
    String body = clean.body().html().strip();
    return clean.body().text().isBlank() ? null : body;
  }
}
