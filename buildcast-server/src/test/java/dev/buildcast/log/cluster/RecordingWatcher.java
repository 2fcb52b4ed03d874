package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSubscriber;
import java.util.ArrayList;
import java.util.List;

/** A watcher that takes every batch, checks it continues its cursor exactly, and records the lines. */
final class RecordingWatcher implements LogSubscriber {

  final List<LogLine> lines = new ArrayList<>();
  boolean caughtUpToEnd;
  volatile Exception failure;
  private final long since;

  RecordingWatcher(long since) {
    this.since = since;
  }

  @Override
  public synchronized boolean offer(LogBatch batch) {
    long cursor = lines.isEmpty() ? since : lines.get(lines.size() - 1).seq();
    assertThat(batch.afterSeq()).as("a batch continues the watcher's cursor").isEqualTo(cursor);
    lines.addAll(batch.lines());
    return true;
  }

  @Override
  public void whenWritable(Runnable callback) {
    callback.run();
  }

  @Override
  public synchronized void caughtUpToEnd() {
    caughtUpToEnd = true;
  }

  @Override
  public void failed(Exception cause) {
    failure = cause;
  }
}
