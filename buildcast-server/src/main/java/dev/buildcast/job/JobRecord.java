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
 * @param version the store's version of this record: every change is a compare-and-set on it (see
 *     {@link JobStore#update}); 0 for a record saved before versions were kept
 * @param owner the node that runs (or ran) the job, or null while queued and in records saved
 *     before owners were kept
 * @param leaseUntil until when the owner holds the job; it renews this while the job runs, and
 *     whoever sees it pass fails the job. Null when nobody holds it.
 * @param secretNames the names of the job secrets it was submitted with, never their values (those
 *     stay in the memory of the server it was submitted to); lets a run after a restart say which
 *     secret it lost. Empty in records saved before secrets existed.
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
    JobInput input,
    long version,
    String owner,
    Instant leaseUntil,
    List<String> secretNames) {

  public JobRecord {
    params = Map.copyOf(params);
    artifacts = List.copyOf(artifacts);
    secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
  }

  /** A record without job secrets. */
  public JobRecord(String id, String tokenHash, String generator, Map<String, String> params, String uploadId, JobState state,
      int percentage, Integer exitCode, String reason, Instant queuedAt, Instant startedAt, Instant finishedAt, List<Artifact> artifacts,
      JobInput input, long version, String owner, Instant leaseUntil) {
    this(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt, artifacts, input,
        version, owner, leaseUntil, List.of());
  }

  /** A record of version 0 without owner or lease (a new job). */
  public JobRecord(String id, String tokenHash, String generator, Map<String, String> params, String uploadId, JobState state,
      int percentage, Integer exitCode, String reason, Instant queuedAt, Instant startedAt, Instant finishedAt, List<Artifact> artifacts,
      JobInput input) {
    this(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt, artifacts, input,
        0, null, null);
  }

  /** A record without input details (no input file, or one whose name is unknown). */
  public JobRecord(String id, String tokenHash, String generator, Map<String, String> params, String uploadId, JobState state,
      int percentage, Integer exitCode, String reason, Instant queuedAt, Instant startedAt, Instant finishedAt, List<Artifact> artifacts) {
    this(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt, artifacts, null);
  }

  public Optional<String> upload() {
    return Optional.ofNullable(uploadId);
  }

  /** Whether {@code node} holds this job now: it runs there and nobody has ended it. */
  public boolean isHeldBy(String node) {
    return state.isRunning() && node.equals(owner);
  }

  /** Whether the owner's lease has passed at {@code now} (a record without a lease never expires). */
  public boolean leaseExpiredAt(Instant now) {
    return state.isRunning() && leaseUntil != null && !now.isBefore(leaseUntil);
  }

  /** This record as the store holds it at {@code storedVersion}. */
  public JobRecord withVersion(long storedVersion) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt,
        artifacts, input, storedVersion, owner, leaseUntil, secretNames);
  }

  JobRecord running(Instant at, String node, Instant lease) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, JobState.RUNNING, percentage, null, null, queuedAt, at, null, artifacts,
        input, version, node, lease, secretNames);
  }

  JobRecord cancelling() {
    return new JobRecord(id, tokenHash, generator, params, uploadId, JobState.CANCELLING, percentage, exitCode, reason, queuedAt, startedAt,
        finishedAt, artifacts, input, version, owner, leaseUntil, secretNames);
  }

  JobRecord withLease(Instant until) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt,
        artifacts, input, version, owner, until, secretNames);
  }

  JobRecord withArtifacts(List<Artifact> files) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, state, percentage, exitCode, reason, queuedAt, startedAt, finishedAt, files,
        input, version, owner, leaseUntil, secretNames);
  }

  JobRecord withPercentage(int value) {
    return new JobRecord(id, tokenHash, generator, params, uploadId, state, value, exitCode, reason, queuedAt, startedAt, finishedAt, artifacts,
        input, version, owner, leaseUntil, secretNames);
  }

  JobRecord finished(JobState end, Integer code, String why, Instant at, List<Artifact> files) {
    int finalPercentage = end == JobState.SUCCEEDED ? 100 : percentage;
    return new JobRecord(id, tokenHash, generator, params, uploadId, end, finalPercentage, code, why, queuedAt, startedAt, at, files, input,
        version, owner, null, secretNames);
  }
}
