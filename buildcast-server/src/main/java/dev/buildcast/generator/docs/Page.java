package dev.buildcast.generator.docs;

import java.util.LinkedHashSet;
import java.util.Set;
import org.commonmark.node.Node;

/**
 * One Markdown page on its way to HTML. Owned by the single thread building the site.
 */
final class Page {

  /** Its path in the docs folder, with {@code /}: {@code guide/intro.md}. */
  final String source;
  /** Its path in the site: {@code guide/intro.html}; a folder's README or index becomes its {@code index.html}. */
  final String output;
  final Node document;
  final String title;
  /** The ids of its headings, in order: what {@code #fragment} links to it may name. */
  final Set<String> anchors = new LinkedHashSet<>();
  final boolean hasRawHtml;
  /** Its site path as a URL path, relative to the site's top. */
  final String href;

  Page(String source, String output, Node document, String title, boolean hasRawHtml) {
    this.source = source;
    this.output = output;
    this.document = document;
    this.title = title;
    this.hasRawHtml = hasRawHtml;
    this.href = LinkChecker.relative("", output);
  }

  /** The folder part of a site or source path: {@code a/b/} for {@code a/b/c.md}, empty at the top. */
  static String folderOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash + 1);
  }

  /** How to get from this page's folder back to the site's top: {@code ../../} for {@code a/b/c.html}. */
  String rootPrefix() {
    return "../".repeat((int) output.chars().filter(c -> c == '/').count());
  }
}
