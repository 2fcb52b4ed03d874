package dev.buildcast.testing;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.util.ArrayList;
import java.util.List;

/** A log sink that remembers what it was told, for generator tests. */
public final class RecordingLogSink implements LogSink {

  /** One recorded line. */
  public record Entry(LogLevel level, String text) {}

  private final List<Entry> entries = new ArrayList<>();
  private final List<Integer> progress = new ArrayList<>();
  private final List<String> masks = new ArrayList<>();

  @Override
  public synchronized void append(LogLevel level, String text) {
    entries.add(new Entry(level, text));
  }

  @Override
  public synchronized void progress(int percentage) {
    progress.add(percentage);
  }

  @Override
  public synchronized void mask(String secret) {
    masks.add(secret);
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  public synchronized List<String> texts() {
    return entries.stream().map(Entry::text).toList();
  }

  public synchronized List<String> texts(LogLevel level) {
    return entries.stream().filter(e -> e.level() == level).map(Entry::text).toList();
  }

  public synchronized List<Integer> progress() {
    return List.copyOf(progress);
  }

  public synchronized List<String> masks() {
    return List.copyOf(masks);
  }
}
