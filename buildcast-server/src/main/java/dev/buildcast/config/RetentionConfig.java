package dev.buildcast.config;

import java.time.Duration;

/**
 * The {@code retention:} section.
 *
 * @param jobs how long a finished job (record, log, files and artifacts) is kept after it finished
 */
public record RetentionConfig(Duration jobs) {

  public static RetentionConfig defaults() {
    return new RetentionConfig(Duration.ofDays(7));
  }

  record Raw(String jobs) {
    RetentionConfig check(String source) {
      if (jobs == null) return defaults();
      return new RetentionConfig(Durations.parse(jobs, source + ": retention.jobs"));
    }
  }
}
