package dev.buildcast.storage.file;

import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSegmentReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads lines of one log through its indexes, up to a given extent.
 *
 * <p>Every read opens its own read-only channels and closes them before returning: nothing stays
 * open for a finished log, and an interrupted reader cannot close a channel that the writer uses.
 * Stateless, so safe for any number of threads.
 */
final class LogFileReader implements LogSegmentReader {

  private final LogFiles files;

  LogFileReader(LogFiles files) {
    this.files = files;
  }

  @Override
  public List<LogLine> read(LogExtent extent, long afterSeq, LogFilter filter, int maxLines) {
    return read(extent, afterSeq, extent.lines(), filter, maxLines);
  }

  /** Basic lines through the basic index, which finds where they stop by a second search. */
  @Override
  public List<LogLine> readThrough(LogExtent extent, long afterSeq, long throughSeq, LogFilter filter) {
    return read(extent, afterSeq, throughSeq, filter, Integer.MAX_VALUE);
  }

  /** At most {@code maxLines} lines with {@code afterSeq < seq <= throughSeq} (and within the extent) that pass {@code filter}. */
  private List<LogLine> read(LogExtent extent, long afterSeq, long throughSeq, LogFilter filter, int maxLines) {
    long after = Math.max(0, afterSeq);
    long through = Math.min(throughSeq, extent.lines());
    if (maxLines <= 0 || after >= through) return List.of();
    try (FileChannel index = open(files.index());
        FileChannel text = open(files.text())) {
      return filter == LogFilter.ALL
          ? readAll(index, text, after, (int) Math.min(maxLines, through - after))
          : readBasic(index, text, extent, after, through, maxLines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log in " + files.dir(), e);
    }
  }

  @Override
  public InputStream openText(LogExtent extent) {
    try {
      FileChannel text = open(files.text());
      return new BoundedInputStream(Channels.newInputStream(text), extent.textBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the log in " + files.dir(), e);
    }
  }

  /** Consecutive lines: one read of their records, one read of their text. */
  private static List<LogLine> readAll(FileChannel index, FileChannel text, long after, int count)
      throws IOException {
    long firstRecord = after == 0 ? 0 : after - 1;
    int records = (int) (after + count - firstRecord);
    ByteBuffer recordBytes = FileIo.read(index, records * RECORD_BYTES, firstRecord * RECORD_BYTES);
    long start = after == 0 ? 0 : LineIndex.get(recordBytes).endOffset();
    LineIndex.Entry[] entries = new LineIndex.Entry[count];
    for (int i = 0; i < count; i++) entries[i] = LineIndex.get(recordBytes);
    byte[] bytes = readText(text, start, entries[count - 1].endOffset());
    List<LogLine> lines = new ArrayList<>(count);
    long lineStart = start;
    for (int i = 0; i < count; i++) {
      LineIndex.Entry entry = entries[i];
      int offset = (int) (lineStart - start);
      lines.add(line(after + i + 1, entry, bytes, offset, (int) (entry.endOffset() - lineStart)));
      lineStart = entry.endOffset();
    }
    return lines;
  }

  /** Scattered lines up to {@code through}: found through the basic index, each read on its own. */
  private List<LogLine> readBasic(
      FileChannel index, FileChannel text, LogExtent extent, long after, long through, int maxLines)
      throws IOException {
    try (FileChannel basic = open(files.basicIndex())) {
      long first = firstBasicEntryAfter(basic, extent.basicLines(), after);
      long end = through == extent.lines() ? extent.basicLines() : firstBasicEntryAfter(basic, extent.basicLines(), through);
      int count = (int) Math.min(maxLines, end - first);
      if (count <= 0) return List.of();
      ByteBuffer seqs = FileIo.read(basic, count * Long.BYTES, first * Long.BYTES);
      List<LogLine> lines = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long seq = seqs.getLong();
        long firstRecord = seq == 1 ? 0 : seq - 2;
        ByteBuffer recordBytes =
            FileIo.read(index, (int) (seq - firstRecord) * RECORD_BYTES, firstRecord * RECORD_BYTES);
        long start = seq == 1 ? 0 : LineIndex.get(recordBytes).endOffset();
        LineIndex.Entry entry = LineIndex.get(recordBytes);
        byte[] bytes = readText(text, start, entry.endOffset());
        lines.add(line(seq, entry, bytes, 0, bytes.length));
      }
      return lines;
    }
  }

  /** Binary search: the position of the first basic-index entry whose seq is after {@code seq}. */
  private static long firstBasicEntryAfter(FileChannel basic, long entries, long seq)
      throws IOException {
    long low = 0;
    long high = entries;
    ByteBuffer one = ByteBuffer.allocate(Long.BYTES);
    while (low < high) {
      long middle = (low + high) >>> 1;
      one.clear();
      FileIo.readFully(basic, one, middle * Long.BYTES);
      if (one.flip().getLong() <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private static byte[] readText(FileChannel text, long start, long end) throws IOException {
    long size = end - start;
    if (size > Integer.MAX_VALUE - 16) throw new IOException("read of " + size + " bytes too big");
    ByteBuffer buffer = FileIo.read(text, (int) size, start);
    return buffer.array();
  }

  /** The line stored as {@code stored} bytes (its '\n' included) at {@code offset}. */
  private static LogLine line(
      long seq, LineIndex.Entry entry, byte[] bytes, int offset, int stored) {
    String text = new String(bytes, offset, stored - 1, StandardCharsets.UTF_8);
    return new LogLine(seq, entry.timestampMillis(), entry.level(), text);
  }

  private static FileChannel open(java.nio.file.Path path) throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ);
  }
}
