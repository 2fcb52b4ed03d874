package dev.buildcast.generator.openevent;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link LogSink} fake that keeps every line and progress value for assertions. */
final class RecordingLogSink implements LogSink {

  record Line(LogLevel level, String text) {}

  private final List<Line> lines = new ArrayList<>();
  private final List<Integer> progress = new ArrayList<>();
  private Predicate<Line> interruptWhen = line -> false;

  /** Interrupts the calling thread when a matching line is appended, to simulate a cancel. */
  RecordingLogSink interruptingWhen(Predicate<Line> condition) {
    this.interruptWhen = condition;
    return this;
  }

  @Override
  public synchronized void append(LogLevel level, String text) {
    Line line = new Line(level, text);
    lines.add(line);
    if (interruptWhen.test(line)) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void progress(int percentage) {
    progress.add(percentage);
  }

  @Override
  public void mask(String secret) {}

  synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  synchronized List<Integer> progress() {
    return List.copyOf(progress);
  }

  List<String> texts(LogLevel level) {
    return lines().stream().filter(l -> l.level() == level).map(Line::text).toList();
  }

  /** Basic lines: everything but detail, as users see them live. */
  List<String> basic() {
    return lines().stream().filter(l -> l.level().isBasic()).map(l -> l.level().wireName() + ": " + l.text()).toList();
  }
}
