package dev.buildcast.storage.file;

import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.LinesThrough;
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
    return read(extent, afterSeq, extent.lines(), filter, maxLines, Long.MAX_VALUE).lines();
  }

  /** Basic lines through the basic index, which finds where they stop by a second search; stops reading at {@code maxBytes}. */
  @Override
  public LinesThrough readThrough(LogExtent extent, long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    return read(extent, afterSeq, throughSeq, filter, Integer.MAX_VALUE, maxBytes);
  }

  /**
   * At most {@code maxLines} lines with {@code afterSeq < seq <= throughSeq} (and within the
   * extent) that pass {@code filter}, stopping after the line at which their stored bytes reach
   * {@code maxBytes}.
   */
  private LinesThrough read(LogExtent extent, long afterSeq, long throughSeq, LogFilter filter, int maxLines, long maxBytes) {
    long after = Math.max(0, afterSeq);
    long through = Math.min(throughSeq, extent.lines());
    if (maxLines <= 0 || after >= through) return new LinesThrough(List.of(), Math.max(after, through));
    try (FileChannel index = open(files.index());
        FileChannel text = open(files.text())) {
      return filter == LogFilter.ALL
          ? readAll(index, text, after, (int) Math.min(maxLines, through - after), maxBytes)
          : readBasic(index, text, extent, after, through, maxLines, maxBytes);
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

  /**
   * Consecutive lines: one read of their records, one read of their text, which ends with the
   * first line at which the text reaches {@code maxBytes} (known from the records before it is read).
   */
  private static LinesThrough readAll(FileChannel index, FileChannel text, long after, int count, long maxBytes)
      throws IOException {
    long firstRecord = after == 0 ? 0 : after - 1;
    int records = (int) (after + count - firstRecord);
    ByteBuffer recordBytes = FileIo.read(index, records * RECORD_BYTES, firstRecord * RECORD_BYTES);
    long start = after == 0 ? 0 : LineIndex.get(recordBytes).endOffset();
    LineIndex.Entry[] entries = new LineIndex.Entry[count];
    int taken = 0;
    while (taken < count) {
      entries[taken] = LineIndex.get(recordBytes);
      if (entries[taken++].endOffset() - start >= maxBytes) break;
    }
    byte[] bytes = readText(text, start, entries[taken - 1].endOffset());
    List<LogLine> lines = new ArrayList<>(taken);
    long lineStart = start;
    for (int i = 0; i < taken; i++) {
      LineIndex.Entry entry = entries[i];
      int offset = (int) (lineStart - start);
      lines.add(line(after + i + 1, entry, bytes, offset, (int) (entry.endOffset() - lineStart)));
      lineStart = entry.endOffset();
    }
    return new LinesThrough(lines, after + taken);
  }

  /** Scattered lines up to {@code through}: found through the basic index, each read on its own. */
  private LinesThrough readBasic(
      FileChannel index, FileChannel text, LogExtent extent, long after, long through, int maxLines, long maxBytes)
      throws IOException {
    try (FileChannel basic = open(files.basicIndex())) {
      long first = firstBasicEntryAfter(basic, extent.basicLines(), after);
      long end = through == extent.lines() ? extent.basicLines() : firstBasicEntryAfter(basic, extent.basicLines(), through);
      int count = (int) Math.min(maxLines, end - first);
      if (count <= 0) return new LinesThrough(List.of(), through);
      ByteBuffer seqs = FileIo.read(basic, count * Long.BYTES, first * Long.BYTES);
      List<LogLine> lines = new ArrayList<>(Math.min(count, 1024));
      long read = 0;
      for (int i = 0; i < count; i++) {
        long seq = seqs.getLong();
        long firstRecord = seq == 1 ? 0 : seq - 2;
        ByteBuffer recordBytes =
            FileIo.read(index, (int) (seq - firstRecord) * RECORD_BYTES, firstRecord * RECORD_BYTES);
        long start = seq == 1 ? 0 : LineIndex.get(recordBytes).endOffset();
        LineIndex.Entry entry = LineIndex.get(recordBytes);
        byte[] bytes = readText(text, start, entry.endOffset());
        lines.add(line(seq, entry, bytes, 0, bytes.length));
        read += bytes.length;
        if (read >= maxBytes && i < count - 1) return new LinesThrough(lines, seq);
      }
      // every basic line up to the end found was read: the read covers through, or through the
      // last line the line count allowed
      return new LinesThrough(lines, count < end - first ? lines.get(lines.size() - 1).seq() : through);
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
