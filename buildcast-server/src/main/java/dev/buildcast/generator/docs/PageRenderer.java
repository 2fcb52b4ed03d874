package dev.buildcast.generator.docs;

import java.util.Map;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Turns a page's checked syntax tree into HTML: headings get their ids, anchor links their class,
 * link and image URLs with a dangerous scheme ({@code javascript:}, ...) are emptied. A page with
 * raw HTML in it is then cleaned with jsoup to formatting, links, images and tables: the site is
 * served from Buildcast's own origin, so no script, style, frame, form or event handler from a
 * repository may reach it. Pages without raw HTML skip that (costly) step: commonmark escapes all
 * their text.
 *
 * <p>Threading: one instance per build, used by that build's thread only.
 */
final class PageRenderer {

  private static final Safelist CLEAN = Safelist.relaxed()
      .addTags("details", "summary", "kbd", "mark", "del", "s", "ins", "abbr", "input", "hr", "figure", "figcaption")
      .addAttributes(":all", "id", "title", "align")
      .addAttributes("code", "class")
      .addAttributes("a", "class")
      .addAttributes("input", "type", "checked", "disabled")
      .addAttributes("details", "open")
      .preserveRelativeLinks(true);

  private final HtmlRenderer renderer;

  PageRenderer(Map<Node, String> headingIds, Map<Node, Boolean> anchorLinks) {
    this.renderer = HtmlRenderer.builder()
        .extensions(java.util.List.of(TablesExtension.create(), TaskListItemsExtension.create()))
        .sanitizeUrls(true)
        .attributeProviderFactory(context -> (node, tag, attributes) -> {
          if (node instanceof Heading) {
            String id = headingIds.get(node);
            if (id != null) attributes.put("id", id);
          } else if (anchorLinks.containsKey(node)) {
            attributes.put("class", "anchor");
            attributes.put("aria-hidden", "true");
          }
        })
        .build();
  }

  String render(Page page) {
    String html = renderer.render(page.document);
    if (!page.hasRawHtml) return html;
    // why a base URI: jsoup keeps a relative link only when it resolves under some base
    Document.OutputSettings compact = new Document.OutputSettings().prettyPrint(false);
    return Jsoup.clean(html, "https://docs.invalid/" + page.output, CLEAN, compact);
  }
}
