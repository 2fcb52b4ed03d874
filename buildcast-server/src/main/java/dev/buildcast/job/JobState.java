package dev.buildcast.job;

import java.util.Locale;

/**
 * Where a job is in its life. The last three are final.
 *
 * <p>{@link #CANCELLING} is internal: a cancel asked for a running job, which its owner has not
 * acted on yet. Clients never see it (the protocol has no such state): {@link #visible()} shows it as
 * {@link #RUNNING}, which is what the job still is until its process tree is gone.
 */
public enum JobState {
  QUEUED,
  RUNNING,
  CANCELLING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** Whether a node runs the job now (running, or running with a cancel asked). */
  public boolean isRunning() {
    return this == RUNNING || this == CANCELLING;
  }

  /** The state clients see: {@link #CANCELLING} is shown as {@link #RUNNING}. */
  public JobState visible() {
    return this == CANCELLING ? RUNNING : this;
  }

  public String wireName() {
    return visible().name().toLowerCase(Locale.ROOT);
  }
}
