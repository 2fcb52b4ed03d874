package dev.buildcast.generator.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.Parser;

/**
 * Builds the site's navigation, from the first of: a {@code SUMMARY.md} in the docs folder (nested
 * lists of links, headings as sections), the {@code nav} of a {@code mkdocs.yml} (in the
 * repository's top or the docs folder), or the folder tree (a folder's index first, then its pages
 * by name, then its sub-folders as sections). Entries naming a missing page are warnings.
 */
final class Navigation {

  static final String SUMMARY = "SUMMARY.md";

  private final Map<String, Page> pagesBySource;
  private final LogSink log;

  Navigation(Map<String, Page> pagesBySource, LogSink log) {
    this.pagesBySource = pagesBySource;
    this.log = log;
  }

  /** The navigation and where it came from, for the log. */
  record Built(List<NavItem> items, String from) {

    /** The pages in reading order (for previous/next links), each once. */
    List<Page> order() {
      Set<Page> out = new LinkedHashSet<>();
      collect(items, out);
      return List.copyOf(out);
    }

    private static void collect(List<NavItem> items, Set<Page> out) {
      for (NavItem item : items) {
        item.page().ifPresent(out::add);
        collect(item.children(), out);
      }
    }
  }

  Built build(Path docsRoot, Optional<JsonNode> mkdocs) throws IOException {
    Path summary = docsRoot.resolve(SUMMARY);
    if (Files.isRegularFile(summary, LinkOption.NOFOLLOW_LINKS)) {
      return new Built(fromSummary(Files.readString(summary, StandardCharsets.UTF_8)), SUMMARY);
    }
    if (mkdocs.isPresent() && mkdocs.get().path("nav").isArray()) {
      return new Built(fromMkdocs(mkdocs.get().path("nav")), "mkdocs.yml");
    }
    return new Built(fromTree(), "the folder tree");
  }

  /** Reads a {@code mkdocs.yml} if there is one as a plain file; a broken one is a warning. */
  static Optional<JsonNode> readMkdocs(Path repoRoot, Path docsRoot, LogSink log) {
    for (Path folder : List.of(repoRoot, docsRoot)) {
      Path file = folder.resolve("mkdocs.yml");
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) continue;
      try {
        // why not a full YAML load: mkdocs files use !!python tags; only plain keys are read here
        String text = Files.readString(file, StandardCharsets.UTF_8).replaceAll("!!python/[^\\s]*", "");
        return Optional.ofNullable(new ObjectMapper(new YAMLFactory()).readTree(text));
      } catch (IOException | RuntimeException e) {
        log.warning("mkdocs.yml: not read (" + DocsOptions.excerpt(String.valueOf(e.getMessage()).lines().findFirst().orElse("")) + ")");
      }
    }
    return Optional.empty();
  }

  private List<NavItem> fromSummary(String text) {
    Node document = Parser.builder().build().parse(text);
    List<NavItem> top = new ArrayList<>();
    String section = null;
    List<NavItem> sectionItems = new ArrayList<>();
    for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
      if (node instanceof Heading heading && heading.getLevel() > 1) {
        if (section != null) top.add(new NavItem(section, Optional.empty(), sectionItems));
        section = PageReader.textOf(heading).strip();
        sectionItems = new ArrayList<>();
      } else if (node instanceof ListBlock list) {
        (section == null ? top : sectionItems).addAll(summaryList(list));
      }
    }
    if (section != null) top.add(new NavItem(section, Optional.empty(), sectionItems));
    return top;
  }

  private List<NavItem> summaryList(ListBlock list) {
    List<NavItem> items = new ArrayList<>();
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      if (!(item instanceof ListItem)) continue;
      String title = null;
      Optional<Page> page = Optional.empty();
      List<NavItem> children = new ArrayList<>();
      for (Node part = item.getFirstChild(); part != null; part = part.getNext()) {
        if (part instanceof Paragraph paragraph) {
          title = PageReader.textOf(paragraph).strip();
          if (paragraph.getFirstChild() instanceof Link link) page = entry(SUMMARY, title, link.getDestination());
        } else if (part instanceof ListBlock nested) {
          children.addAll(summaryList(nested));
        }
      }
      if (title != null) items.add(new NavItem(title, page, children));
    }
    return items;
  }

  private List<NavItem> fromMkdocs(JsonNode nav) {
    List<NavItem> items = new ArrayList<>();
    for (JsonNode entry : nav) {
      if (entry.isTextual()) {
        entry("mkdocs.yml", entry.asText(), entry.asText()).ifPresent(p -> items.add(NavItem.of(p)));
      } else if (entry.isObject() && entry.size() == 1) {
        Map.Entry<String, JsonNode> only = entry.properties().iterator().next();
        JsonNode value = only.getValue();
        if (value.isArray()) {
          items.add(new NavItem(only.getKey(), Optional.empty(), fromMkdocs(value)));
        } else if (value.isTextual() && !value.asText().contains("://")) {
          entry("mkdocs.yml", only.getKey(), value.asText()).ifPresent(p -> items.add(new NavItem(only.getKey(), Optional.of(p), List.of())));
        }
      }
    }
    return items;
  }

  private Optional<Page> entry(String file, String title, String destination) {
    String path = destination.replaceFirst("#.*$", "");
    if (path.isEmpty() || path.contains("://")) return Optional.empty();
    Optional<Page> page = LinkChecker.normalise(path.startsWith("/") ? path.substring(1) : path).map(pagesBySource::get);
    if (page.isEmpty()) log.warning(file + ": navigation entry \"" + DocsOptions.excerpt(title) + "\" names " + DocsOptions.excerpt(destination) + ", which is not a page");
    return page;
  }

  private List<NavItem> fromTree() {
    Folder top = new Folder();
    for (Page page : pagesBySource.values()) {
      Folder folder = top;
      String[] parts = page.source.split("/");
      for (int i = 0; i < parts.length - 1; i++) folder = folder.folders.computeIfAbsent(parts[i], k -> new Folder());
      if (page.output.equals(Page.folderOf(page.source) + "index.html")) {
        folder.index = page;
      } else {
        folder.pages.add(page);
      }
    }
    List<NavItem> items = new ArrayList<>();
    if (top.index != null) items.add(NavItem.of(top.index));
    items.addAll(top.children());
    return items;
  }

  /** A folder of the tree while the navigation is built from it. */
  private static final class Folder {
    Page index;
    final List<Page> pages = new ArrayList<>();
    final Map<String, Folder> folders = new TreeMap<>();

    List<NavItem> children() {
      List<NavItem> items = new ArrayList<>();
      pages.stream().sorted(Comparator.comparing(p -> p.source)).forEach(p -> items.add(NavItem.of(p)));
      for (Map.Entry<String, Folder> e : folders.entrySet()) {
        Folder sub = e.getValue();
        String title = sub.index != null ? sub.index.title : PageReader.titleFromName(e.getKey() + "/index.md");
        items.add(new NavItem(title, Optional.ofNullable(sub.index), sub.children()));
      }
      return items;
    }
  }

  /** Pages the navigation does not reach; they are built all the same. */
  static List<Page> unlisted(Built nav, Collection<Page> pages) {
    Set<Page> listed = new LinkedHashSet<>(nav.order());
    return pages.stream().filter(p -> !listed.contains(p)).toList();
  }
}
