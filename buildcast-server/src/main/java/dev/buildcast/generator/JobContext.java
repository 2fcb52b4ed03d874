package dev.buildcast.generator;

import dev.buildcast.log.LogSink;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a generator may use while it runs one job.
 *
 * @param jobId the job's id (for log lines and environment variables)
 * @param workDir a fresh, empty working folder of this job
 * @param outputDir the folder whose files become the job's downloadable artifacts
 * @param input the uploaded input file, when the job has one
 * @param params the job's parameters, already checked (names letters/digits/underscore, values ≤
 *     4 KiB)
 * @param log where the generator writes its log lines and progress
 * @param secrets the job secrets it was submitted with (values in memory only; see {@link JobSecrets})
 * @param nodeId the id of the node running the job (the owner in its record)
 */
public record JobContext(
    String jobId,
    Path workDir,
    Path outputDir,
    Optional<Path> input,
    Map<String, String> params,
    LogSink log,
    JobSecrets secrets,
    String nodeId) {

  public JobContext {
    params = Map.copyOf(params);
    Objects.requireNonNull(nodeId, "nodeId");
  }

  /** A context for a job submitted without secrets. */
  public JobContext(String jobId, Path workDir, Path outputDir, Optional<Path> input, Map<String, String> params, LogSink log,
      String nodeId) {
    this(jobId, workDir, outputDir, input, params, log, JobSecrets.none(), nodeId);
  }
}
