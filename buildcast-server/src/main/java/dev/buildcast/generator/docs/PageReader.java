package dev.buildcast.generator.docs;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Reads one Markdown file into a {@link Page}: refuses what is not text (a binary named
 * {@code .md}), parses CommonMark with GitHub tables and task lists (keeping source lines for
 * warnings), gives every heading an id and an anchor link, and finds the title.
 */
final class PageReader {

  static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;

  private final Parser parser = Parser.builder()
      .extensions(List.of(TablesExtension.create(), TaskListItemsExtension.create()))
      .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
      .build();

  /** Heading node → its id, for every page read; the renderer looks ids up here. */
  final Map<Node, String> headingIds = new IdentityHashMap<>();
  /** The "#" links added to headings, which the renderer marks as anchors. */
  final Map<Node, Boolean> anchorLinks = new IdentityHashMap<>();

  /** The page, or empty (with a warning) when the file is not a Markdown text file. */
  Optional<Page> read(Path root, String source, String output, LogSink log) throws IOException {
    Path file = root.resolve(source);
    long size = Files.size(file);
    if (size > MAX_PAGE_BYTES) {
      log.warning(source + ": skipped, " + size + " bytes is more than a page may hold (" + MAX_PAGE_BYTES / (1024 * 1024) + " MiB)");
      return Optional.empty();
    }
    Optional<String> text = decode(Files.readAllBytes(file));
    if (text.isEmpty()) {
      log.warning(source + ": skipped, it is not a text file (binary data or not UTF-8) although it is named like Markdown");
      return Optional.empty();
    }
    Node document = parser.parse(text.get());
    HeadingVisitor headings = new HeadingVisitor();
    document.accept(headings);
    Page page = new Page(source, output, document, headings.title().orElse(titleFromName(source)), headings.rawHtml);
    for (Heading heading : headings.all) {
      String id = headings.ids.next(textOf(heading));
      headingIds.put(heading, id);
      page.anchors.add(id);
      Link anchor = new Link("#" + id, null);
      anchor.appendChild(new Text("#"));
      anchorLinks.put(anchor, Boolean.TRUE);
      heading.appendChild(anchor);
    }
    return Optional.of(page);
  }

  private static Optional<String> decode(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) return Optional.empty();
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  static String titleFromName(String source) {
    String name = source.substring(source.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
    if (name.equalsIgnoreCase("readme") || name.equalsIgnoreCase("index")) {
      String folder = Page.folderOf(source);
      if (folder.isEmpty()) return "Home";
      name = folder.substring(0, folder.length() - 1);
      name = name.substring(name.lastIndexOf('/') + 1);
    }
    String spaced = name.replace('-', ' ').replace('_', ' ').strip();
    return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  /** The text of a node's inline content (text and code spans), without markup. */
  static String textOf(Node node) {
    StringBuilder out = new StringBuilder();
    node.accept(new AbstractVisitor() {
      @Override
      public void visit(Text text) {
        out.append(text.getLiteral());
      }

      @Override
      public void visit(Code code) {
        out.append(code.getLiteral());
      }
    });
    return out.toString();
  }

  private static final class HeadingVisitor extends AbstractVisitor {
    final List<Heading> all = new java.util.ArrayList<>();
    final HeadingIds ids = new HeadingIds();
    boolean rawHtml;

    @Override
    public void visit(Heading heading) {
      all.add(heading);
    }

    @Override
    public void visit(HtmlBlock html) {
      rawHtml = true;
    }

    @Override
    public void visit(HtmlInline html) {
      rawHtml = true;
    }

    Optional<String> title() {
      return all.stream().filter(h -> h.getLevel() == 1).findFirst().or(() -> all.stream().findFirst())
          .map(PageReader::textOf).map(String::strip).filter(t -> !t.isEmpty());
    }
  }
}
