package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsSiteSphinxTest {

  @TempDir Path temp;

  private static RepoFixture sphinxProject() {
    return new RepoFixture()
        .text("docs/conf.py", "project = 'Sphinx Bench'\nextensions = []\n")
        .text("docs/index.rst", "Sphinx Bench\n============\n\nHello from reStructuredText.\n");
  }

  private static DocsSiteSettings sphinxOn(String searchPath) {
    return new DocsSiteSettings(false, true, 1 << 20, Duration.ofMinutes(1), 1000, Optional.empty(), searchPath);
  }

  /** A stand-in sphinx-build: prints a few lines, writes a page into its output folder, exits with {@code exitCode}. */
  private Path fakeSphinx(int exitCode) throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path tool = bin.resolve("sphinx-build");
    Files.writeString(tool, """
        #!/usr/bin/env bash
        echo "Running Sphinx (fake) with $*"
        out="${@: -1}"
        mkdir -p "$out" && echo '<html><body>built</body></html>' > "$out/index.html"
        echo "build finished"
        exit %d
        """.formatted(exitCode));
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void build_confPy_runsSphinxBuildInTheJobFolderAndStreamsItsOutput() throws Exception {
    Path bin = fakeSphinx(0);
    DocsRun run = DocsRun.of(temp, Optional.of(sphinxProject().zipTo(temp.resolve("p.zip"), "")), Map.of(), sphinxOn(bin.toString()), Clock.systemUTC());

    assertThat(run.errors()).isEmpty();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("build finished")
        .anySatisfy(line -> assertThat(line).startsWith("Running Sphinx (fake) with -b html -d " + run.workDir.resolve("sphinx-doctrees")));
    assertThat(run.log.texts()).contains("Building with Sphinx");
    assertThat(run.html("index.html")).contains("built");
    assertThat(run.outputDir.resolve("site.zip")).exists();
  }

  @Test
  void build_confPy_sphinxBuildStartsFromTheAllowlistNotTheServersEnvironment() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path tool = bin.resolve("sphinx-build");
    // prints the names it was given, one per line (bash adds PWD, SHLVL and _ of its own)
    Files.writeString(tool, """
        #!/usr/bin/env bash
        echo "node=$BUILDCAST_NODE_ID job=$BUILDCAST_JOB_ID"
        compgen -e | sed 's/^/env: /'
        out="${@: -1}"
        mkdir -p "$out" && echo '<html><body>built</body></html>' > "$out/index.html"
        """);
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    DocsRun run = DocsRun.of(temp, Optional.of(sphinxProject().zipTo(temp.resolve("p.zip"), "")), Map.of(), sphinxOn(bin.toString()), Clock.systemUTC());

    assertThat(run.errors()).isEmpty();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("node=n1 job=job-1");
    java.util.List<String> names = run.log.texts(LogLevel.DETAIL).stream().filter(l -> l.startsWith("env: ")).map(l -> l.substring(5)).toList();
    assertThat(names).contains("BUILDCAST_NODE_ID", "BUILDCAST_JOB_ID", "PYTHONDONTWRITEBYTECODE")
        .allSatisfy(name -> assertThat(name).isIn("PATH", "HOME", "LANG", "TZ", "BUILDCAST_JOB_ID", "BUILDCAST_NODE_ID",
            "PYTHONDONTWRITEBYTECODE", "PWD", "OLDPWD", "SHLVL", "_"));
  }

  @Test
  void build_sphinxBuildFailing_failsTheJobWithItsExitCode() throws Exception {
    Path bin = fakeSphinx(2);
    DocsRun run = DocsRun.of(temp, Optional.of(sphinxProject().zipTo(temp.resolve("p.zip"), "")), Map.of(), sphinxOn(bin.toString()), Clock.systemUTC());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).containsExactly("sphinx-build failed with exit code 2; its output is in the detailed log");
  }

  @Test
  void build_realSphinx_buildsTheProject() throws Exception {
    String path = System.getenv().getOrDefault("PATH", "");
    if (SphinxBuild.find(path).isEmpty()) {
      if ("true".equals(System.getenv("CI"))) fail("sphinx-build is not installed; .ci/run installs python3-sphinx");
      Assumptions.abort("sphinx-build is not installed here (Debian: python3-sphinx); CI runs this test");
    }
    DocsRun run = DocsRun.of(temp, Optional.of(sphinxProject().zipTo(temp.resolve("p.zip"), "")), Map.of(), sphinxOn(path), Clock.systemUTC());

    assertThat(run.errors()).isEmpty();
    assertThat(run.html("index.html")).contains("Hello from reStructuredText.");
  }
}
