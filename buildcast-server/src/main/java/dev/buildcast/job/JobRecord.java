package dev.buildcast.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known of a job at one moment; immutable, and what the {@link JobStore} persists.
 *
 * @param id random, unguessable job id (also the name of its Socket.IO namespace)
 * @param tokenHash SHA-256 of the job's access token, hex; the token itself is never stored, so a
 *     copy of the data folder grants no access
 * @param generator the generator's name
 * @param params the job's parameters
 * @param uploadId the upload given as input, or null
 * @param state the state
 * @param percentage last progress reported, 0-100
 * @param exitCode the exit code once finished, or null
 * @param reason why it failed or was cancelled, or null
 * @param queuedAt when it was submitted
 * @param startedAt when it started running, or null
 * @param finishedAt when it ended, or null
 * @param artifacts the files it produced, once finished
 * @param input the input file's name and size as uploaded, or null (no input, or a record saved
 *     before inputs were recorded)
 */
public record JobRecord(
    String id,
    String tokenHash,
    String generator,
    Map<String, String> params,
    String uploadId,
    JobState state,
    int percentage,
    Integer exitCode,
    String reason,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    List<Artifact> artifacts,
    JobInput input) {

  public JobRecord {
    params = Map.copyOf(params);
    artifacts = List.copyOf(artifacts);
  }

  /** A record without input details (no input file, or one whose name is unknown). */
  public JobRecord(String id, String tokenHash, String generator, Map<String, String> params, String uploadId, JobState state,
      int percentage, Integer exitCode, String reason, Instant queuedAt, Instant startedAt, Instant finishedAt, List<Artifact> artifacts) {
    this(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt, artifacts, null);
  }

  public Optional<String> upload() {
    return Optional.ofNullable(uploadId);
  }

  JobRecord running(Instant at) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, JobState.RUNNING, percentage, null, null, queuedAt, at, null, artifacts, input);
  }

  JobRecord withPercentage(int value) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, state, value, exitCode, reason, queuedAt, startedAt, finishedAt, artifacts, input);
  }

  JobRecord finished(JobState end, Integer code, String why, Instant at, List<Artifact> files) {
    int finalPercentage = end == JobState.SUCCEEDED ? 100 : percentage;
    return new JobRecord(id, tokenHash, generator, params, uploadId, end, finalPercentage, code, why, queuedAt, startedAt, at, files, input);
  }
}
