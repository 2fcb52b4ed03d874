package dev.buildcast.storage.file;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines appended inside a batch scope and not yet written: each already has the seq it will be
 * stored under (the writer's lock is held for the whole scope, so nothing else can take a seq in
 * between) and its bytes as stored, so publishing them is one {@link EncodedAppend}.
 *
 * <p>Not thread-safe: owned by a {@link LogFileWriter} and used under its lock.
 */
final class UnpublishedLines {

  private final List<LogLine> lines = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
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

  /** Bytes of text held, not yet in {@code detailed.log}. */
  long textBytes() {
    return textBytes;
  }

  /**
   * Encodes every line held for writing after {@code published}, and forgets them: if that write
   * fails, none of them is in the log.
   */
  EncodedAppend take(LogExtent published) {
    EncodedAppend append = EncodedAppend.ofEncoded(published, lines, encoded);
    lines.clear();
    encoded.clear();
    textBytes = 0;
    return append;
  }
}
