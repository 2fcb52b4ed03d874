package dev.buildcast.generator.docs;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * The links and images a page writes as raw HTML ({@code <a href>}, {@code <img src>}): their
 * addresses get the same rewriting and checks as Markdown's, so an {@code <img src="shot.png">} in
 * a README is copied and shown like {@code ![](shot.png)}, and {@code <a href="intro.md">} reaches
 * the page's HTML.
 *
 * <p>Only the attribute's value is replaced, in place: raw HTML comes in pieces (an inline
 * {@code <a href>} is one node, its text and {@code </a>} are others), so parsing and writing a
 * piece back would close tags the page closes later. The page's raw HTML is cleaned afterwards
 * whatever this wrote ({@link PageRenderer}).
 */
final class RawHtmlLinks {

  private static final Pattern TAG = Pattern.compile("<(a|img)(\\s[^<>]*)?>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ADDRESS = Pattern.compile(
      "(?<=\\s)(href|src)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+))", Pattern.CASE_INSENSITIVE);

  /** Resolves one address as {@link LinkChecker#resolve} does: the address to write, or empty to drop it. */
  interface Resolver {
    Optional<String> resolve(String address, boolean image, int line) throws IOException;
  }

  private RawHtmlLinks() {}

  /**
   * @param html a raw HTML node's text
   * @param firstLine the page line the text starts on, for warnings (0 when unknown)
   */
  static String rewrite(String html, int firstLine, Resolver resolver) throws IOException {
    Matcher tag = TAG.matcher(html);
    StringBuilder out = new StringBuilder(html.length());
    int copied = 0;
    while (tag.find()) {
      boolean image = tag.group(1).toLowerCase(Locale.ROOT).equals("img");
      String wanted = image ? "src" : "href";
      Matcher address = ADDRESS.matcher(html).region(tag.start(), tag.end());
      while (address.find()) {
        if (!address.group(1).equalsIgnoreCase(wanted)) continue;
        String raw = address.group(2) != null ? address.group(2) : address.group(3) != null ? address.group(3) : address.group(4);
        int line = firstLine == 0 ? 0 : firstLine + count(html, '\n', address.start());
        Optional<String> rewritten = resolver.resolve(Parser.unescapeEntities(raw, true), image, line);
        out.append(html, copied, address.start());
        // why drop the attribute: an <a> without href is plain text and an <img> without src shows
        // nothing, which is what a broken Markdown link or image becomes too
        rewritten.ifPresent(value -> out.append(wanted).append("=\"").append(escape(value)).append('"'));
        copied = address.end();
        break;
      }
    }
    if (copied == 0) return html;
    out.append(html, copied, html.length());
    return out.toString();
  }

  private static int count(String text, char c, int before) {
    int n = 0;
    for (int i = 0; i < before; i++) if (text.charAt(i) == c) n++;
    return n;
  }

  private static String escape(String value) {
    return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
