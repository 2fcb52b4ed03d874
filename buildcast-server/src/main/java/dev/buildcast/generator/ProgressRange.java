package dev.buildcast.generator;

import dev.buildcast.log.LogSink;

/**
 * Maps one step's work items onto its slice of the job's 0–100 progress, so each step moves the
 * bar forward without knowing about the other steps. Only changes are sent, to keep the log quiet.
 * For built-in generators, whose steps each know only their own count of items.
 */
public final class ProgressRange {

  private final LogSink log;
  private final int from;
  private final int to;
  private final int total;
  private int done;
  private int lastSent = -1;

  public ProgressRange(LogSink log, int from, int to, int total) {
    this.log = log;
    this.from = from;
    this.to = to;
    this.total = Math.max(total, 1);
  }

  public void advance() {
    done = Math.min(done + 1, total);
    int percent = from + (int) ((long) (to - from) * done / total);
    if (percent != lastSent) {
      lastSent = percent;
      log.progress(percent);
    }
  }
}
