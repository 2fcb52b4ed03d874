package dev.buildcast.generator.docs;

import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.JobSecrets;
import dev.buildcast.log.LogLevel;
import dev.buildcast.testing.RecordingLogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One run of the docs-site generator in a test's temporary folder, and what it left behind. */
final class DocsRun {

  final RecordingLogSink log;
  final int exitCode;
  final Path workDir;
  final Path outputDir;

  private DocsRun(RecordingLogSink log, int exitCode, Path workDir, Path outputDir) {
    this.log = log;
    this.exitCode = exitCode;
    this.workDir = workDir;
    this.outputDir = outputDir;
  }

  static DocsRun of(Path temp, Optional<Path> input, Map<String, String> params) throws InterruptedException, IOException {
    return of(temp, input, params, settings(), Clock.systemUTC());
  }

  static DocsRun of(Path temp, Optional<Path> input, Map<String, String> params, DocsSiteSettings settings, Clock clock)
      throws InterruptedException, IOException {
    return of(temp, input, params, settings, clock, JobSecrets.none());
  }

  /** A run with job secrets; masked in the log as the job service does before the generator starts. */
  static DocsRun of(Path temp, Optional<Path> input, Map<String, String> params, DocsSiteSettings settings, Clock clock, JobSecrets secrets)
      throws InterruptedException, IOException {
    Path workDir = Files.createDirectories(temp.resolve("job/work"));
    Path outputDir = Files.createDirectories(temp.resolve("job/output"));
    RecordingLogSink log = new RecordingLogSink();
    secrets.values().forEach(log::mask);
    JobContext context = new JobContext("job-1", workDir, outputDir, input, params, log, secrets, "n1");
    int exitCode = new DocsSiteGenerator(settings, clock).run(context);
    return new DocsRun(log, exitCode, workDir, outputDir);
  }

  static DocsSiteSettings settings() {
    return DocsSiteSettings.defaults();
  }

  Path site() {
    return workDir.resolve(DocsSiteGenerator.SITE_FOLDER);
  }

  String html(String path) throws IOException {
    return Files.readString(site().resolve(path), StandardCharsets.UTF_8);
  }

  List<String> warnings() {
    return log.texts(LogLevel.WARNING);
  }

  List<String> errors() {
    return log.texts(LogLevel.ERROR);
  }
}
