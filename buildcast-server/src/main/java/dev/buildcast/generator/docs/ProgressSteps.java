package dev.buildcast.generator.docs;

import dev.buildcast.log.LogSink;

/** Maps one step's items onto its slice of the job's 0–100 progress; only changes are sent. */
final class ProgressSteps {

  private final LogSink log;
  private final int from;
  private final int to;
  private final int total;
  private int done;
  private int lastSent = -1;

  ProgressSteps(LogSink log, int from, int to, int total) {
    this.log = log;
    this.from = from;
    this.to = to;
    this.total = Math.max(total, 1);
  }

  void advance() {
    done = Math.min(done + 1, total);
    int percent = from + (int) ((long) (to - from) * done / total);
    if (percent != lastSent) {
      lastSent = percent;
      log.progress(percent);
    }
  }
}
