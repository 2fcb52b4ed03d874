package dev.buildcast.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs (record, log, files, artifacts) once they finished longer ago than the
 * retention age. Queued and running jobs are never touched, whatever their age. The server runs
 * {@link #sweep()} on its scheduler; tests call it with a fake clock.
 */
public final class JobRetention {

  private static final Logger log = LoggerFactory.getLogger(JobRetention.class);

  private final JobService jobs;
  private final Duration keep;
  private final Clock clock;

  /**
   * @param keep how long after it finished a job is kept
   */
  public JobRetention(JobService jobs, Duration keep, Clock clock) {
    this.jobs = jobs;
    this.keep = keep;
    this.clock = clock;
  }

  /**
   * Deletes every finished job older than the retention age.
   *
   * @return how many were deleted
   */
  public int sweep() {
    Instant cutoff = clock.instant().minus(keep);
    int deleted = 0;
    for (JobRecord record : jobs.allRecords()) {
      if (!record.state().isFinished() || record.finishedAt() == null || !record.finishedAt().isBefore(cutoff)) continue;
      try {
        if (jobs.deleteFinished(record.id())) deleted++;
      } catch (RuntimeException e) {
        // why go on: one job whose files cannot be deleted must not keep every other one forever
        log.warn("{} - could not delete the expired job", record.id(), e);
      }
    }
    if (deleted > 0) log.info("Retention: deleted {} job(s) finished before {}", deleted, cutoff);
    return deleted;
  }

  /** {@link #sweep()} for a scheduler: never throws, so the schedule goes on. */
  public void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Retention sweep failed; trying again at the next one", e);
    }
  }
}
