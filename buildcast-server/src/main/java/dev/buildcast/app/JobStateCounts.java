package dev.buildcast.app;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Jobs by state for the {@code buildcast_jobs} gauge: queued and running ones live, finished ones
 * from the store, whose reading (one file per job) is reused for {@code maxAge} so a scrape stays
 * cheap.
 */
final class JobStateCounts {

  private final JobService jobs;
  private final Clock clock;
  private final Duration maxAge;
  private Map<JobState, Long> stored = Map.of();
  private Instant readAt;

  JobStateCounts(JobService jobs, Clock clock, Duration maxAge) {
    this.jobs = jobs;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  long count(JobState state) {
    if (!state.isFinished()) return jobs.activeCounts().getOrDefault(state, 0L);
    return storedCounts().getOrDefault(state, 0L);
  }

  private synchronized Map<JobState, Long> storedCounts() {
    Instant now = clock.instant();
    if (readAt == null || !now.isBefore(readAt.plus(maxAge))) {
      Map<JobState, Long> counts = new EnumMap<>(JobState.class);
      for (JobRecord record : jobs.allRecords()) counts.merge(record.state().visible(), 1L, Long::sum);
      stored = counts;
      readAt = now;
    }
    return stored;
  }
}
