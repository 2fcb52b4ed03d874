package dev.buildcast.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines appended inside a batch scope and not yet stored: each already has the seq it will be
 * stored under (the writer's lock is held for the whole scope, so nothing else can take a seq in
 * between) and its bytes as stored, so publishing them is one append to the segments.
 *
 * <p>Not thread-safe: owned by a {@link JobLogWriter} and used under its lock.
 */
final class UnpublishedLines {

  /** Lines taken for storing, with their bytes in the same order. */
  record Taken(List<LogLine> lines, List<byte[]> bytes) {}

  private final List<LogLine> lines = new ArrayList<>();
  private List<byte[]> encoded = new ArrayList<>();
  private long textBytes;

  /**
   * Adds lines following those already held, which follow {@code published}.
   *
   * @param bytes each line's bytes as stored, in the order of {@code texts}
   * @return the lines with the seqs they will have
   */
  List<LogLine> add(LogExtent published, long timestampMillis, LogLevel level, List<String> texts, List<byte[]> bytes) {
    List<LogLine> added = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      LogLine line = new LogLine(published.lines() + lines.size() + 1, timestampMillis, level, texts.get(i));
      lines.add(line);
      added.add(line);
      encoded.add(bytes.get(i));
      textBytes += bytes.get(i).length;
    }
    return added;
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  /** Bytes of text held, not yet stored. */
  long textBytes() {
    return textBytes;
  }

  /** Every line held, and forgets them: if storing them fails, none of them is in the log. */
  Taken take() {
    // why the bytes are handed over, not copied: nothing here touches them again
    Taken taken = new Taken(List.copyOf(lines), encoded);
    lines.clear();
    encoded = new ArrayList<>();
    textBytes = 0;
    return taken;
  }
}
