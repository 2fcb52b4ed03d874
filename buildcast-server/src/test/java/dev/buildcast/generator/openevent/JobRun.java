package dev.buildcast.generator.openevent;

import dev.buildcast.generator.JobContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** One run of the generator in a test's temporary folder, and what it left behind. */
final class JobRun {

  final RecordingLogSink log;
  final int exitCode;
  final Path workDir;
  final Path outputDir;

  private JobRun(RecordingLogSink log, int exitCode, Path workDir, Path outputDir) {
    this.log = log;
    this.exitCode = exitCode;
    this.workDir = workDir;
    this.outputDir = outputDir;
  }

  static JobRun of(Path temp, ExportZip export) throws IOException, InterruptedException {
    return of(temp, export.writeTo(temp.resolve("export.zip")), new RecordingLogSink());
  }

  static JobRun of(Path temp, ExportZip export, Map<String, String> params) throws IOException, InterruptedException {
    return of(temp, export.writeTo(temp.resolve("export.zip")), params, new RecordingLogSink());
  }

  static JobRun of(Path temp, Path input, RecordingLogSink log) throws IOException, InterruptedException {
    return of(temp, input, Map.of(), log);
  }

  static JobRun of(Path temp, Path input, Map<String, String> params, RecordingLogSink log)
      throws IOException, InterruptedException {
    return of(temp, input, params, log, new OpenEventSiteGenerator());
  }

  /** A run of a generator the test set up (remote images on, say). */
  static JobRun of(Path temp, ExportZip export, OpenEventSiteGenerator generator) throws IOException, InterruptedException {
    return of(temp, export.writeTo(temp.resolve("export.zip")), Map.of(), new RecordingLogSink(), generator);
  }

  static JobRun of(Path temp, Path input, Map<String, String> params, RecordingLogSink log, OpenEventSiteGenerator generator)
      throws IOException, InterruptedException {
    Path workDir = Files.createDirectories(temp.resolve("work"));
    Path outputDir = Files.createDirectories(temp.resolve("output"));
    JobContext context = new JobContext("job-1", workDir, outputDir, Optional.ofNullable(input), params, log, "n1");
    int exitCode = generator.run(context);
    return new JobRun(log, exitCode, workDir, outputDir);
  }

  Path site() {
    return workDir.resolve("site");
  }

  Document page(String path) throws IOException {
    Path file = site().resolve(path);
    return Jsoup.parse(Files.readString(file, StandardCharsets.UTF_8), file.toUri().toString());
  }

  String html(String path) throws IOException {
    return Files.readString(site().resolve(path), StandardCharsets.UTF_8);
  }
}
