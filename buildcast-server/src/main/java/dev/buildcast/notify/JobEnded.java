package dev.buildcast.notify;

import dev.buildcast.log.LogLine;
import dev.buildcast.protocol.JobStatusPayload;
import java.time.Duration;
import java.util.List;

/**
 * What a notification says about a job that ended.
 *
 * @param status the final status, as {@code GET /api/jobs/{id}} gives it
 * @param links absolute links carrying the token
 * @param duration from start to end (from submit when it never started)
 * @param lastLines the last basic lines when it did not succeed; empty otherwise
 */
public record JobEnded(JobStatusPayload status, JobLinks links, Duration duration, List<LogLine> lastLines) {

  public JobEnded {
    lastLines = List.copyOf(lastLines);
  }

  public boolean succeeded() {
    return "succeeded".equals(status.state());
  }

  /** {@code 1 min 5 s}, {@code 2.4 s}. */
  public String humanDuration() {
    if (duration.toMinutes() == 0) return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    if (duration.toHours() == 0) return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    return duration.toHours() + " h " + duration.toMinutesPart() + " min";
  }
}
