package dev.buildcast.job;

import java.util.Locale;

/** Where a job is in its life. The last three are final. */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
