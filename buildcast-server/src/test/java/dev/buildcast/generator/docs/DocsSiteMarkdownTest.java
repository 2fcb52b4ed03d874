package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsSiteMarkdownTest {

  @TempDir Path temp;

  private static RepoFixture guide() {
    return new RepoFixture()
        .text("README.md", "# Project\n\nNot the docs.\n")
        .text("docs/index.md", """
            # Welcome

            | Name | Value |
            |------|------:|
            | a    | 1     |

            - [x] done
            - [ ] to do

            ```java
            class A {}
            ```

            See [install](guide/intro.md#install), [the guide](guide/), [nowhere](missing.md) and [out](../README.md).

            ![logo](img/logo.png) ![fake](img/fake.png)

            <script>alert(1)</script><b onclick="x()">bold</b>
            """)
        .text("docs/guide/intro.md", """
            # Introduction

            ## Install

            Back [home](../index.md) or to [a heading that is not there](../index.md#nope).
            """)
        .bytes("docs/img/logo.png", RepoFixture.PNG)
        .text("docs/img/fake.png", "<html><script>alert(1)</script></html>");
  }

  private DocsRun build(RepoFixture repo, Map<String, String> params) throws Exception {
    Path zip = repo.zipTo(temp.resolve("repo.zip"), "guide-main");
    return DocsRun.of(temp, Optional.of(zip), params);
  }

  @Test
  void build_markdownRepository_writesPagesWithTablesTaskListsAnchorsAndRewrittenLinks() throws Exception {
    DocsRun run = build(guide(), Map.of());

    assertThat(run.exitCode).isZero();
    Document index = Jsoup.parse(run.html("index.html"));
    assertThat(index.select("article table td")).extracting(e -> e.text()).containsExactly("a", "1");
    assertThat(index.select("article input[type=checkbox]")).hasSize(2);
    assertThat(index.select("article input[checked]")).hasSize(1);
    assertThat(index.select("pre code.language-java").text()).isEqualTo("class A {}");
    assertThat(index.select("article a").eachAttr("href")).contains("guide/intro.html#install");
    Document intro = Jsoup.parse(run.html("guide/intro.html"));
    assertThat(intro.select("h2#install")).hasSize(1);
    assertThat(intro.select("article a").eachAttr("href")).contains("../index.html");
    assertThat(intro.select("title").text()).isEqualTo("Introduction · guide-main");
  }

  @Test
  void build_brokenLinks_warnWithFileAndLineAndAreTakenOut() throws Exception {
    DocsRun run = build(guide(), Map.of());

    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("index.md:14: broken link missing.md"));
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("index.md:14: broken link ../README.md").contains("leaves the docs folder"));
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("guide/intro.md:5: broken link ../index.md#nope"));
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("index.md:16: broken link img/fake.png").contains("not a real image"));
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("index.md:14: broken link guide/").contains("no such page"));
    Document index = Jsoup.parse(run.html("index.html"));
    assertThat(index.select("article a").eachAttr("href")).doesNotContain("missing.md", "missing.html", "../README.md");
    assertThat(index.select("article").text()).contains("nowhere", "out");
  }

  @Test
  void build_images_copiesRealImagesOnlyAndNeverActiveContent() throws Exception {
    DocsRun run = build(guide(), Map.of());

    assertThat(Files.readAllBytes(run.site().resolve("img/logo.png"))).isEqualTo(RepoFixture.PNG);
    assertThat(run.site().resolve("img/fake.png")).doesNotExist();
    Document index = Jsoup.parse(run.html("index.html"));
    assertThat(index.select("article img").eachAttr("src")).containsExactly("img/logo.png");
  }

  @Test
  void build_rawHtmlLinksAndImages_areRewrittenCheckedAndCopiedLikeMarkdownOnes() throws Exception {
    DocsRun run = build(new RepoFixture()
        .text("docs/index.md", """
            # Home

            <p align="center">
              <img src="img/logo.png" alt="Logo" width="80">
              <img src='img/missing.png' alt="gone">
            </p>

            Read the <a href="guide/intro.md#install" title="a &amp; b">install notes</a>, not
            <A HREF=../README.md>the readme</A> or <a href="https://example.org/x?a=1&amp;b=2">outside</a>.
            """)
        .text("docs/guide/intro.md", "# Introduction\n\n## Install\n")
        .bytes("docs/img/logo.png", RepoFixture.PNG), Map.of());

    assertThat(run.exitCode).isZero();
    assertThat(Files.readAllBytes(run.site().resolve("img/logo.png"))).isEqualTo(RepoFixture.PNG);
    Document index = Jsoup.parse(run.html("index.html"));
    assertThat(index.select("article img[src]").eachAttr("src")).containsExactly("img/logo.png");
    assertThat(index.select("article img").eachAttr("alt")).containsExactly("Logo", "gone");
    assertThat(index.select("article a:not(.anchor)").eachAttr("href"))
        .containsExactly("guide/intro.html#install", "https://example.org/x?a=1&b=2");
    assertThat(index.select("article a[title]").attr("title")).isEqualTo("a & b");
    assertThat(index.select("article").text()).contains("the readme");
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("index.md:5: broken link img/missing.png"));
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("index.md:9: broken link ../README.md")
        .contains("leaves the docs folder"));
  }

  @Test
  void build_rawHtml_keepsFormattingAndDropsScriptsAndHandlers() throws Exception {
    DocsRun run = build(guide(), Map.of());

    Document index = Jsoup.parse(run.html("index.html"));
    assertThat(index.select("article script")).isEmpty();
    assertThat(index.select("article b").text()).isEqualTo("bold");
    assertThat(index.select("article [onclick]")).isEmpty();
  }

  @Test
  void build_site_hasNavigationSearchIndexThemeAndNoOutsideScripts() throws Exception {
    DocsRun run = build(guide(), Map.of("theme", "dark", "site_name", "My <Docs>"));

    Document intro = Jsoup.parse(run.html("guide/intro.html"));
    assertThat(intro.select("html").attr("data-theme")).isEqualTo("dark");
    assertThat(intro.select(".site-name").text()).isEqualTo("My <Docs>");
    assertThat(intro.select("nav a[aria-current=page]").text()).isEqualTo("Introduction");
    assertThat(intro.select("nav a").eachAttr("href")).contains("../index.html", "../guide/intro.html");
    assertThat(intro.select("script[src]").eachAttr("src")).allMatch(src -> src.startsWith("../assets/"));
    assertThat(intro.select("link[href]").eachAttr("href")).allMatch(href -> href.startsWith("../assets/"));
    String index = Files.readString(run.site().resolve("assets/search-index.js"), StandardCharsets.UTF_8);
    assertThat(index).startsWith("window.docsSearchIndex = [").contains("\"u\":\"guide/intro.html\"", "Install");
    assertThat(run.site().resolve("assets/vendor/highlight.min.js")).isNotEmptyFile();
    assertThat(run.site().resolve("assets/site.css")).isNotEmptyFile();
  }

  @Test
  void build_finishedSite_isZippedAsArtifact() throws Exception {
    DocsRun run = build(guide(), Map.of());

    try (ZipFile zip = new ZipFile(run.outputDir.resolve("site.zip").toFile())) {
      assertThat(zip.getEntry("index.html")).isNotNull();
      assertThat(zip.getEntry("guide/intro.html")).isNotNull();
      assertThat(zip.getEntry("img/logo.png")).isNotNull();
    }
    assertThat(run.log.texts()).contains("Building 2 pages", "Checking links");
  }

  @Test
  void build_summaryMd_ordersTheNavigation() throws Exception {
    RepoFixture repo = new RepoFixture()
        .text("SUMMARY.md", "# Summary\n\n- [Start](start.md)\n- [Later](b/later.md)\n  - [Deep](b/deep.md)\n\n## Extra\n\n- [Ghost](ghost.md)\n")
        .text("start.md", "# Start\n")
        .text("b/later.md", "# Later\n")
        .text("b/deep.md", "# Deep\n");
    DocsRun run = build(repo, Map.of());

    assertThat(run.exitCode).isZero();
    Document start = Jsoup.parse(run.html("start.html"));
    assertThat(start.select("nav a").eachText()).containsExactly("Start", "Later", "Deep");
    assertThat(start.select("nav li.section > span").eachText()).containsExactly("Extra");
    assertThat(start.select(".pager a.next").attr("href")).isEqualTo("b/later.html");
    assertThat(run.warnings()).anySatisfy(w -> assertThat(w).contains("SUMMARY.md").contains("ghost.md"));
    assertThat(run.site().resolve("index.html")).exists();
    assertThat(run.site().resolve("SUMMARY.html")).doesNotExist();
  }

  @Test
  void build_mkdocsYml_givesNavAndSiteName() throws Exception {
    RepoFixture repo = new RepoFixture()
        .text("mkdocs.yml", "site_name: Handbook\nnav:\n  - Home: index.md\n  - Guide:\n    - Setup: setup.md\n    - setup2.md\n")
        .text("docs/index.md", "# Home\n")
        .text("docs/setup.md", "# Setup\n")
        .text("docs/setup2.md", "# Second\n");
    DocsRun run = build(repo, Map.of());

    Document home = Jsoup.parse(run.html("index.html"));
    assertThat(home.select(".site-name").text()).isEqualTo("Handbook");
    assertThat(home.select("nav a").eachText()).containsExactly("Home", "Setup", "Second");
    assertThat(home.select("nav li.section > span").eachText()).containsExactly("Guide");
  }

  @Test
  void build_folderTree_putsIndexFirstThenPagesThenFolders() throws Exception {
    RepoFixture repo = new RepoFixture()
        .text("docs/b.md", "# Bee\n")
        .text("docs/a.md", "# Ay\n")
        .text("docs/README.md", "# Top\n")
        .text("docs/sub/index.md", "# Sub\n")
        .text("docs/sub/z.md", "no heading here\n");
    DocsRun run = build(repo, Map.of());

    Document top = Jsoup.parse(run.html("index.html"));
    assertThat(top.select("nav a").eachText()).containsExactly("Top", "Ay", "Bee", "Sub", "Z");
    assertThat(List.of(run.site().resolve("sub/index.html"), run.site().resolve("sub/z.html"))).allMatch(Files::exists);
  }

  @Test
  void build_docsWithoutTopIndex_writesAContentsPage() throws Exception {
    DocsRun run = build(new RepoFixture().text("docs/one.md", "# One\n").text("docs/two.md", "# Two\n"), Map.of());

    Document index = Jsoup.parse(run.html("index.html"));
    assertThat(index.select("article a").eachAttr("href")).containsExactly("one.html", "two.html");
  }

  @Test
  void build_largeSite_opensOnlyTheCurrentPagesSectionInTheNavigation() throws Exception {
    RepoFixture repo = new RepoFixture().text("docs/index.md", "# Home\n");
    for (int i = 0; i < 60; i++) {
      repo.text("docs/a/p" + (100 + i) + ".md", "# A" + i + "\n").text("docs/b/p" + (100 + i) + ".md", "# B" + i + "\n");
    }
    DocsRun run = build(repo, Map.of());

    Document page = Jsoup.parse(run.html("a/p105.html"));
    assertThat(page.select("nav a").eachText()).contains("A0", "A59", "B").doesNotContain("B1");
    assertThat(page.select("nav a:containsOwn(B)").attr("href")).isEqualTo("../b/p100.html");
    Document home = Jsoup.parse(run.html("index.html"));
    assertThat(home.select("nav a")).hasSize(3);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
