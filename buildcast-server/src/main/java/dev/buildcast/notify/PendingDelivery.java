package dev.buildcast.notify;

import dev.buildcast.job.JobFiles;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One notification to one target (a webhook URL or an email address) about one job, from the
 * submit that asked for it until it is delivered or given up. Its {@link #id} is the delivery id
 * the receiver sees ({@code X-Buildcast-Delivery}), the same on every attempt and across restarts.
 *
 * <p>It never holds the job's token: see docs/security.md ("Notifications after a restart").
 *
 * @param id a UUID, drawn when the job is submitted
 * @param jobEnded false while the job has not ended (nothing is sent yet); true once it is due
 * @param failedAttempts attempts that failed so far; an attempt cut off by a stop is not counted, so it is made again
 * @param nextAttemptAt when the next attempt is due (meaningful once {@code jobEnded})
 * @param lastFailure why the last attempt failed, or empty
 */
public record PendingDelivery(
    String id,
    String jobId,
    DeliveryKind kind,
    String target,
    boolean jobEnded,
    int failedAttempts,
    Instant nextAttemptAt,
    String lastFailure) {

  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  /** Longer targets are refused: a URL or address this long is no one's. */
  static final int MAX_TARGET_CHARS = 4096;
  static final int MAX_FAILURE_CHARS = 500;

  /** @throws IllegalArgumentException naming the field that is not valid (a garbled stored record) */
  public PendingDelivery {
    requireValid(id != null && UUID.matcher(id).matches(), "the delivery id is not a UUID");
    requireValid(JobFiles.isValidId(jobId), "the job id is not valid");
    requireValid(kind != null, "the kind is missing");
    requireValid(target != null && !target.isBlank() && target.length() <= MAX_TARGET_CHARS, "the target is empty or too long");
    requireValid(failedAttempts >= 0, "the attempt count is negative");
    requireValid(nextAttemptAt != null, "the next attempt time is missing");
    lastFailure = Objects.requireNonNullElse(lastFailure, "");
    if (lastFailure.length() > MAX_FAILURE_CHARS) lastFailure = lastFailure.substring(0, MAX_FAILURE_CHARS) + "…";
  }

  /** A delivery recorded at submit, to be sent when the job ends. */
  static PendingDelivery awaitingJob(String jobId, DeliveryKind kind, String target, Instant now) {
    return new PendingDelivery(java.util.UUID.randomUUID().toString(), jobId, kind, target, false, 0, now, "");
  }

  /** The same delivery, due at {@code now} because its job ended. */
  PendingDelivery dueAt(Instant now) {
    return new PendingDelivery(id, jobId, kind, target, true, failedAttempts, now, lastFailure);
  }

  /** The same delivery after one more failed attempt, to be tried again at {@code next}. */
  PendingDelivery failed(String why, Instant next) {
    return new PendingDelivery(id, jobId, kind, target, true, failedAttempts + 1, next, why);
  }

  private static void requireValid(boolean ok, String what) {
    if (!ok) throw new IllegalArgumentException(what);
  }
}
