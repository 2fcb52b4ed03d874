package dev.buildcast.generator.docs;

import dev.buildcast.generator.GeneratorEnvironment;
import dev.buildcast.generator.JobContext;
import dev.buildcast.log.LogSink;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds a Sphinx project (a docs folder with a {@code conf.py}) with {@code sphinx-build} as a
 * child process in the job's own folder. Its output goes to a file in the work folder that this
 * class reads as it grows, so every line reaches the detailed log while the build runs, without a
 * thread of its own; a cancel kills the process and its children.
 *
 * <p>Sphinx runs the project's {@code conf.py}, which is Python code: the operator has to allow it
 * ({@code docsSite.sphinx: true}). Without {@code sphinx-build} on the server the job fails naming
 * the Debian packages to install. For the same reason the process starts from the allowlisted
 * environment of a command generator's ({@link GeneratorEnvironment}), never the server's whole one.
 */
final class SphinxBuild {

  static final String TOOL = "sphinx-build";
  static final String PACKAGES = "python3-sphinx and python3-myst-parser";
  private static final long POLL_MILLIS = 200;

  private final DocsSiteSettings settings;
  private final LogSink log;
  private final JobContext job;

  SphinxBuild(DocsSiteSettings settings, JobContext job) {
    this.settings = settings;
    this.log = job.log();
    this.job = job;
  }

  void build(Path docsRoot, Path siteDir, Path workDir) throws DocsProblem, IOException, InterruptedException {
    if (!settings.sphinx()) {
      throw new DocsProblem("this is a Sphinx project (it has a conf.py), and building it would run its conf.py, which is"
          + " Python code, on the server; the operator allows that with docsSite.sphinx: true");
    }
    Path tool = find(settings.searchPath()).orElseThrow(() -> new DocsProblem("this is a Sphinx project (it has a conf.py), but "
        + TOOL + " is not installed on this server; the operator installs the Debian packages " + PACKAGES));
    log.group("Building with Sphinx");
    Path output = workDir.resolve("sphinx-output.log");
    ProcessBuilder builder = new ProcessBuilder(List.of(tool.toString(), "-b", "html", "-d", workDir.resolve("sphinx-doctrees").toString(),
        docsRoot.toString(), siteDir.toString()))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = builder.environment();
    // why clear: conf.py is the uploader's code, and the server's own environment holds its secrets
    env.clear();
    env.putAll(GeneratorEnvironment.of(System.getenv(), List.of()));
    env.put("BUILDCAST_JOB_ID", job.jobId());
    env.put("BUILDCAST_NODE_ID", job.nodeId());
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = builder.start();
    try (RandomAccessFile lines = new RandomAccessFile(output.toFile(), "r")) {
      // why poll: reading a pipe would block this thread past a cancel; a file can be read as it grows
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        streamLines(lines, false);
      }
      streamLines(lines, true);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    } finally {
      log.endGroup();
    }
    if (process.exitValue() != 0) {
      throw new DocsProblem(TOOL + " failed with exit code " + process.exitValue() + "; its output is in the detailed log");
    }
    Files.deleteIfExists(siteDir.resolve(".buildinfo"));
    log.notice("Sphinx built the site");
  }

  private final StringBuilder partial = new StringBuilder();

  private void streamLines(RandomAccessFile file, boolean atEnd) throws IOException {
    long available = file.length() - file.getFilePointer();
    if (available > 0) {
      byte[] bytes = new byte[(int) Math.min(available, 1 << 20)];
      file.readFully(bytes);
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    }
    int newline;
    while ((newline = partial.indexOf("\n")) >= 0) {
      log.detail(partial.substring(0, newline));
      partial.delete(0, newline + 1);
    }
    if (atEnd && !partial.isEmpty()) {
      log.detail(partial.toString());
      partial.setLength(0);
    }
  }

  static Optional<Path> find(String searchPath) {
    for (String folder : searchPath.split(File.pathSeparator)) {
      if (folder.isBlank()) continue;
      Path candidate = Path.of(folder, TOOL);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }
}
