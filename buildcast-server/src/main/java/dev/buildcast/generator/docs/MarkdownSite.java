package dev.buildcast.generator.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.generator.ProgressRange;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the site from a docs folder of Markdown: reads every page, builds the navigation, checks
 * and rewrites links, renders and writes the pages, copies the linked images, writes the search
 * index and the theme. Each step is a group of basic lines; every file is a detail line.
 */
final class MarkdownSite {

  /** What was built, for the job's last lines. */
  record Result(int pages, int images, int brokenLinks) {}

  private final LogSink log;
  private final int maxFiles;

  MarkdownSite(LogSink log, int maxFiles) {
    this.log = log;
    this.maxFiles = maxFiles;
  }

  Result build(Path repoRoot, Path docsRoot, Path siteDir, Optional<String> siteName, String theme)
      throws DocsProblem, IOException, InterruptedException {
    String folderName = repoRoot.equals(docsRoot) ? "the repository" : SourceTree.relative(repoRoot, docsRoot) + "/";
    log.group("Reading " + folderName);
    SourceTree tree = SourceTree.scan(docsRoot, maxFiles, log);
    if (tree.files().isEmpty()) {
      log.endGroup();
      throw new DocsProblem(repoRoot.equals(docsRoot)
          ? "the repository is empty: there is nothing to build"
          : "the docs folder " + folderName + " is empty: set docs_folder to the folder that holds the Markdown pages");
    }
    if (!tree.hasMarkdown()) {
      log.endGroup();
      throw new DocsProblem("no Markdown pages (.md) in " + folderName + " (" + tree.files().size() + " other files);"
          + " set docs_folder to the folder that holds them, or add a README.md");
    }
    Optional<JsonNode> mkdocs = Navigation.readMkdocs(repoRoot, docsRoot, log);
    boolean summaryIsNav = tree.files().contains(Navigation.SUMMARY);
    Map<String, String> outputs = outputPaths(tree, summaryIsNav);
    log.notice("Found " + outputs.size() + " Markdown pages and " + (tree.files().size() - outputs.size()) + " other files");
    log.endGroup();
    log.progress(20);

    log.group("Building " + outputs.size() + " pages");
    PageReader reader = new PageReader();
    Map<String, Page> bySource = new LinkedHashMap<>();
    Map<String, Page> byOutput = new HashMap<>();
    ProgressRange progress = new ProgressRange(log, 20, 50, outputs.size());
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      Cancellation.throwIfInterrupted();
      Optional<Page> page = reader.read(docsRoot, e.getKey(), e.getValue(), log);
      page.ifPresent(p -> {
        bySource.put(p.source, p);
        byOutput.put(p.output, p);
        log.detail("read " + p.source + " (" + p.title + ")");
      });
      progress.advance();
    }
    if (bySource.isEmpty()) {
      log.endGroup();
      throw new DocsProblem("none of the " + outputs.size() + " Markdown files in " + folderName + " could be read as text");
    }
    Navigation.Built nav = new Navigation(bySource, log).build(docsRoot, mkdocs);
    log.detail("navigation from " + nav.from() + ": " + nav.order().size() + " pages");
    Navigation.unlisted(nav, bySource.values()).forEach(p -> log.detail(p.source + " is not in the navigation; it is built all the same"));
    log.endGroup();

    log.group("Checking links");
    LinkChecker links = new LinkChecker(tree, bySource, byOutput, reader.anchorLinks, log);
    for (Page page : bySource.values()) {
      Cancellation.throwIfInterrupted();
      links.check(page);
    }
    log.notice(links.warnings == 0 ? "All links lead to pages and images of the site" : links.warnings + " broken links (see the warnings above)");
    log.endGroup();
    log.progress(60);

    log.group("Writing the site");
    String name = siteName
        .or(() -> mkdocs.map(m -> m.path("site_name").asText("")).filter(s -> !s.isBlank()))
        .orElse(defaultName(repoRoot));
    writePages(siteDir, bySource, nav, name, theme, reader);
    for (String image : links.images) {
      Cancellation.throwIfInterrupted();
      Path target = siteDir.resolve(image);
      Files.createDirectories(target.getParent());
      Files.copy(docsRoot.resolve(image), target);
      log.detail("copied " + image);
    }
    SiteAssets.copyInto(siteDir);
    log.notice("Wrote " + bySource.size() + " pages and " + links.images.size() + " images");
    log.endGroup();
    return new Result(bySource.size(), links.images.size(), links.warnings);
  }

  private void writePages(Path siteDir, Map<String, Page> pages, Navigation.Built nav, String name, String theme, PageReader reader)
      throws IOException, InterruptedException {
    PageRenderer renderer = new PageRenderer(reader.headingIds, reader.anchorLinks);
    PageLayout layout = new PageLayout(name, theme, nav);
    SearchIndex search = new SearchIndex();
    ProgressRange progress = new ProgressRange(log, 60, 85, pages.size());
    for (Page page : pages.values()) {
      Cancellation.throwIfInterrupted();
      Path target = siteDir.resolve(page.output);
      Files.createDirectories(target.getParent());
      Files.writeString(target, layout.render(page, renderer.render(page)), StandardCharsets.UTF_8);
      search.add(page);
      log.detail("wrote " + page.output);
      progress.advance();
    }
    if (!pages.values().stream().anyMatch(p -> p.output.equals("index.html"))) {
      Files.writeString(siteDir.resolve("index.html"), layout.contents(), StandardCharsets.UTF_8);
      log.detail("wrote index.html (the contents: the docs have no README.md or index.md at the top)");
    }
    search.write(siteDir.resolve(SiteAssets.FOLDER).resolve("search-index.js"));
  }

  /** Site path of each page: a folder's index.md (else its README.md) becomes its index.html; SUMMARY.md is the navigation. */
  private Map<String, String> outputPaths(SourceTree tree, boolean summaryIsNav) {
    Map<String, String> outputs = new LinkedHashMap<>();
    Set<String> taken = new java.util.HashSet<>();
    List<String> pages = new ArrayList<>(tree.files().stream().filter(SourceTree::isMarkdown).toList());
    if (summaryIsNav) pages.remove(Navigation.SUMMARY);
    // why indexes first: an index.md must win index.html over a README.md of the same folder
    pages.sort((a, b) -> Integer.compare(rank(a), rank(b)));
    for (String source : pages) {
      String folder = Page.folderOf(source);
      String base = source.substring(folder.length()).replaceFirst("\\.[^.]*$", "");
      String lower = base.toLowerCase(Locale.ROOT);
      String output = folder + base + ".html";
      if ((lower.equals("index") || lower.equals("readme")) && !taken.contains(folder + "index.html")) output = folder + "index.html";
      if (!taken.add(output)) {
        log.warning(source + ": skipped, another page already becomes " + output);
        continue;
      }
      outputs.put(source, output);
    }
    return outputs;
  }

  private static int rank(String source) {
    String name = source.substring(source.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.startsWith("index.") ? 0 : name.startsWith("readme.") ? 1 : 2;
  }

  private static String defaultName(Path repoRoot) {
    String name = repoRoot.getFileName() == null ? "" : repoRoot.getFileName().toString();
    return name.isBlank() || name.equals("source") ? "Documentation" : name;
  }
}
