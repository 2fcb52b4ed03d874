package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.testing.RecordingLogSink;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsSiteBadInputTest {

  @TempDir Path temp;

  private DocsRun build(RepoFixture repo, Map<String, String> params) throws Exception {
    return DocsRun.of(temp, Optional.of(repo.zipTo(temp.resolve("repo.zip"), "")), params);
  }

  @Test
  void paramProblem_badValues_areRefusedAtSubmitNamingTheParameter() {
    DocsSiteGenerator generator = new DocsSiteGenerator(DocsSiteSettings.defaults(), java.time.Clock.systemUTC());

    assertThat(generator.paramProblem(Map.of(), false)).hasValueSatisfying(m ->
        assertThat(m).startsWith("Nothing to build: upload a zip of the repository, or set the parameter git_url"));
    assertThat(generator.paramProblem(Map.of("git_url", "https://git.example/r.git"), true)).hasValueSatisfying(m ->
        assertThat(m).isEqualTo("Give either an uploaded zip or the parameter git_url, not both."));
    assertThat(generator.paramProblem(Map.of("theme", "neon"), true)).hasValueSatisfying(m ->
        assertThat(m).isEqualTo("Parameter theme must be one of [auto, light, dark], got \"neon\"."));
    assertThat(generator.paramProblem(Map.of("branch", "a..b"), true)).hasValueSatisfying(m ->
        assertThat(m).contains("branch \"a..b\" is not a valid branch name"));
    assertThat(generator.paramProblem(Map.of("docs_folder", "../etc"), true)).hasValueSatisfying(m ->
        assertThat(m).startsWith("Parameter docs_folder must be a folder inside the repository"));
    assertThat(generator.paramProblem(Map.of("git_url", "file:///etc"), false)).hasValueSatisfying(m ->
        assertThat(m).contains("local repositories"));
    assertThat(generator.paramProblem(Map.of("git_url", "ssh://git.example/r.git"), false)).hasValueSatisfying(m ->
        assertThat(m).contains("only https addresses"));
    assertThat(generator.paramProblem(Map.of("publish_remote", "https://me:pw@git.example/site.git"), true))
        .hasValueSatisfying(m -> assertThat(m).contains("publish_remote", "no user name or password"));
    assertThat(generator.paramProblem(Map.of("git_url", "https://git.example/r.git", "theme", "dark"), false)).isEmpty();
    assertThat(generator.paramProblem(Map.of(), true)).isEmpty();
  }

  @Test
  void build_emptyRepository_failsSayingItIsEmpty() throws Exception {
    DocsRun run = build(new RepoFixture(), Map.of());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).containsExactly("the repository is empty: there is nothing to build");
  }

  @Test
  void build_noMarkdown_failsNamingWhatToSet() throws Exception {
    DocsRun run = build(new RepoFixture().text("src/Main.java", "class Main {}").text("notes.txt", "hi"), Map.of());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().startsWith("no Markdown pages (.md) in the repository (2 other files)").contains("docs_folder");
  }

  @Test
  void build_moreFilesThanTheLimit_failsNamingTheLimit() throws Exception {
    Path zip = temp.resolve("big.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i <= DocsSiteSettings.DEFAULT_MAX_FILES; i++) {
        ZipEntry entry = new ZipEntry("docs/page" + i + ".md");
        entry.setMethod(ZipEntry.STORED); // why: 10,001 empty entries, written fast
        entry.setSize(0);
        entry.setCrc(0);
        z.putNextEntry(entry);
        z.closeEntry();
      }
    }
    DocsRun run = DocsRun.of(temp, Optional.of(zip), Map.of());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().contains("more than 10000 files", "docsSite.maxFiles");
    assertThat(run.site()).doesNotExist();
  }

  @Test
  void build_binaryNamedMd_isSkippedWithAWarning() throws Exception {
    byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2, (byte) 0xFF};
    DocsRun run = build(new RepoFixture().text("index.md", "# Home\n").bytes("blob.md", binary), Map.of());

    assertThat(run.exitCode).isZero();
    assertThat(run.warnings()).contains("blob.md: skipped, it is not a text file (binary data or not UTF-8) although it is named like Markdown");
    assertThat(run.site().resolve("blob.html")).doesNotExist();
  }

  @Test
  void build_onlyBinaryNamedMd_failsClearly() throws Exception {
    DocsRun run = build(new RepoFixture().bytes("blob.md", new byte[] {1, 0, 2}), Map.of());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().contains("could be read as text");
  }

  @Test
  void build_pagesLinkingInALoop_buildsEachPageOnce() throws Exception {
    DocsRun run = build(new RepoFixture()
        .text("a.md", "# A\n\n[to b](b.md)\n")
        .text("b.md", "# B\n\n[to a](a.md) [self](b.md)\n"), Map.of());

    assertThat(run.exitCode).isZero();
    assertThat(run.warnings()).isEmpty();
    assertThat(run.html("b.html")).contains("href=\"a.html\"", "href=\"b.html\"");
  }

  @Test
  void build_linkOutOfTheDocsFolder_isAWarningAndNotFollowed() throws Exception {
    DocsRun run = build(new RepoFixture()
        .text("secret.md", "# Secret\n")
        .text("docs/index.md", "# Home\n\n[up](../secret.md) [far](../../../etc/passwd) ![img](../../x.png)\n"), Map.of());

    assertThat(run.exitCode).isZero();
    assertThat(run.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).startsWith("index.md:3: broken link").endsWith("it leaves the docs folder"));
    try (Stream<Path> files = Files.walk(run.site())) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("secret.html", "passwd", "x.png");
    }
  }

  @Test
  void scan_symbolicLinks_areSkippedAndNeverFollowed() throws Exception {
    Path outside = Files.writeString(temp.resolve("outside.md"), "# TOP SECRET\n");
    Path docs = new RepoFixture().text("index.md", "# Home\n\n[x](leak.md)\n").writeTo(temp.resolve("repo"));
    Files.createSymbolicLink(docs.resolve("leak.md"), outside);
    Files.createSymbolicLink(docs.resolve("loop"), docs);
    Files.createSymbolicLink(docs.resolve("logo.png"), Path.of("/etc/hostname"));
    RecordingLogSink log = new RecordingLogSink();

    new MarkdownSite(log, 100).build(docs, docs, temp.resolve("site"), Optional.empty(), "auto");

    assertThat(log.texts()).contains(
        "skipped leak.md: it is a symbolic link, and links are never followed",
        "skipped loop: it is a symbolic link, and links are never followed",
        "skipped logo.png: it is a symbolic link, and links are never followed");
    try (Stream<Path> files = Files.walk(temp.resolve("site"))) {
      assertThat(files.filter(Files::isRegularFile).map(DocsSiteBadInputTest::read)).noneMatch(text -> text.contains("TOP SECRET"));
    }
    assertThat(temp.resolve("site/leak.html")).doesNotExist();
    assertThat(temp.resolve("site/loop")).doesNotExist();
  }

  @Test
  void build_docsFolderThatIsASymbolicLink_isRefused() throws Exception {
    Path repo = new RepoFixture().text("index.md", "# Home\n").writeTo(temp.resolve("repo"));
    Files.createSymbolicLink(repo.resolve("docs"), temp);

    DocsProblem problem = org.assertj.core.api.Assertions.catchThrowableOfType(DocsProblem.class,
        () -> DocsSiteGenerator.docsRoot(repo, DocsOptions.parse(Map.of("docs_folder", "docs"), true)));

    assertThat(problem).hasMessageContaining("the repository has no folder docs");
  }

  @Test
  void build_badParameters_failBeforeAnythingIsRead() throws Exception {
    Path zip = new RepoFixture().text("index.md", "# Home\n").zipTo(temp.resolve("repo.zip"), "");
    assertThat(DocsRun.of(temp.resolve("1"), Optional.of(zip), Map.of("theme", "neon")).errors())
        .containsExactly("parameter theme must be one of [auto, light, dark], got \"neon\"");
    assertThat(DocsRun.of(temp.resolve("2"), Optional.of(zip), Map.of("docs_folder", "../etc")).errors())
        .singleElement().asString().startsWith("parameter docs_folder must be a folder inside the repository");
    assertThat(DocsRun.of(temp.resolve("3"), Optional.of(zip), Map.of("git_url", "https://example.invalid/x.git")).errors())
        .containsExactly("give either an uploaded zip or the parameter git_url, not both");
    assertThat(DocsRun.of(temp.resolve("4"), Optional.empty(), Map.of()).errors())
        .singleElement().asString().startsWith("nothing to build");
    assertThat(DocsRun.of(temp.resolve("5"), Optional.of(zip), Map.of("publish_branch", "main..x", "publish_remote", "https://h/x")).errors())
        .containsExactly("parameter publish_branch \"main..x\" is not a valid branch name");
  }

  @Test
  void build_zipWithAnEntryClimbingOut_isRefusedBeforeWriting() throws Exception {
    Path zip = temp.resolve("evil.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("index.md"));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("../../escaped.md"));
      z.closeEntry();
    }
    DocsRun run = DocsRun.of(temp, Optional.of(zip), Map.of());

    assertThat(run.errors()).singleElement().asString().contains("would land outside the repository folder");
    assertThat(temp.resolve("escaped.md")).doesNotExist();
    assertThat(run.workDir.resolve("source/index.md")).doesNotExist();
  }

  @Test
  void build_sphinxProjectWhileSphinxIsOff_failsNamingTheSetting() throws Exception {
    DocsRun run = build(new RepoFixture().text("docs/conf.py", "project = 'x'\n").text("docs/index.rst", "X\n=\n"), Map.of());

    assertThat(run.errors()).singleElement().asString().contains("conf.py", "docsSite.sphinx: true");
  }

  @Test
  void build_sphinxProjectWithoutSphinxBuild_failsNamingTheDebianPackages() throws Exception {
    DocsSiteSettings noTool = new DocsSiteSettings(false, true, 1 << 20, java.time.Duration.ofMinutes(1), 100, Optional.empty(),
        temp.resolve("empty-bin").toString());
    Path zip = new RepoFixture().text("docs/conf.py", "project = 'x'\n").text("docs/index.rst", "X\n=\n").zipTo(temp.resolve("s.zip"), "");
    DocsRun run = DocsRun.of(temp, Optional.of(zip), Map.of(), noTool, java.time.Clock.systemUTC());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().contains("sphinx-build is not installed", "python3-sphinx", "python3-myst-parser");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
