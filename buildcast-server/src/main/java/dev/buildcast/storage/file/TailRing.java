package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.log.HeldBackLines;
import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.PendingLine;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail of a log that went over its limit: the lines written since, held back from the log
 * (they have no seq yet) in a ring of two segment files, {@code detailed.tail.0} and {@code
 * detailed.tail.1}, each holding at most {@code tailBytes} of text. When the current segment is
 * full the other one is emptied and becomes current, so the ring always holds at least the last
 * {@code tailBytes} of output and at most twice that on disk. When the log is sealed the log's
 * writer chooses what of it to append ({@link #forEachKeptSize}, {@link #forEachKept}).
 *
 * <p>{@code detailed.limit} (written atomically when the limit is reached) holds the extent of
 * the head; while it exists the log is over its limit and its tail is in the ring.
 *
 * <p>Record format, big-endian: lines held so far including this one (8), their text bytes so far
 * (8), timestamp ms (8), level code (1), text length in bytes (4), the text as UTF-8. The running
 * totals let a reopened ring know which segment is newer and how much was written without a
 * separate counter file. A torn last record is cut on open.
 *
 * <p>Not thread-safe: used under the writer's lock.
 */
final class TailRing implements HeldBackLines {

  private static final Logger LOG = LoggerFactory.getLogger(TailRing.class);
  private static final int HEADER_BYTES = 8 + 8 + 8 + 1 + 4;
  /** A stored line is at most 64 Ki chars, so at most 192 KiB of UTF-8: anything larger is torn. */
  private static final int MAX_RECORD_TEXT = 256 * 1024;

  private final LogFiles files;
  private final long tailBytes;
  private final LogExtent head;
  private final Segment[] segments = new Segment[2];
  private int current;
  private long totalLines;
  private long totalBytes;
  private FileChannel channel;

  /** One segment file as far as its records are whole. */
  private static final class Segment {
    final Path path;
    long length;
    long lines;
    long textBytes;
    long lastTotalLines;

    Segment(Path path) {
      this.path = path;
    }
  }

  private TailRing(LogFiles files, long tailBytes, LogExtent head) {
    this.files = files;
    this.tailBytes = tailBytes;
    this.head = head;
    segments[0] = new Segment(files.tailSegment(0));
    segments[1] = new Segment(files.tailSegment(1));
  }

  /** Starts holding back lines: empty segments first, then the marker naming the head. */
  static TailRing start(LogFiles files, long tailBytes, LogExtent head) throws IOException {
    TailRing ring = new TailRing(files, tailBytes, head);
    for (Segment segment : ring.segments) PrivateFiles.write(segment.path, new byte[0]);
    String content = "tailBytes=" + tailBytes + "\nheadLines=" + head.lines() + "\nheadBasicLines=" + head.basicLines()
        + "\nheadTextBytes=" + head.textBytes() + "\n";
    PrivateFiles.write(files.limitMarkerDraft(), content.getBytes(StandardCharsets.UTF_8));
    // why: a rename is atomic, so a crash leaves either no marker (the log is under its limit) or
    // a whole one
    Files.move(files.limitMarkerDraft(), files.limitMarker(), StandardCopyOption.ATOMIC_MOVE);
    ring.openChannel();
    return ring;
  }

  /**
   * The ring of a log that was over its limit when the server stopped, with torn records cut; empty
   * when the log is under its limit (stale segment files are then removed).
   */
  static Optional<TailRing> open(LogFiles files) throws IOException {
    Optional<Map<String, Long>> marker = readMarker(files);
    if (marker.isEmpty()) {
      Files.deleteIfExists(files.tailSegment(0));
      Files.deleteIfExists(files.tailSegment(1));
      return Optional.empty();
    }
    Map<String, Long> values = marker.get();
    // why the marker's tail size, not the configured one: the ring was filled under that one
    LogExtent head;
    try {
      head = new LogExtent(values.get("headLines"), values.get("headBasicLines"), values.get("headTextBytes"));
    } catch (IllegalArgumentException e) {
      throw new IOException(files.limitMarker() + " names no possible head; it was not written by Buildcast", e);
    }
    TailRing ring = new TailRing(files, values.get("tailBytes"), head);
    for (Segment segment : ring.segments) ring.scan(segment);
    ring.current = ring.segments[1].lastTotalLines > ring.segments[0].lastTotalLines ? 1 : 0;
    ring.openChannel();
    return Optional.of(ring);
  }

  private static Optional<Map<String, Long>> readMarker(LogFiles files) throws IOException {
    String content;
    try {
      content = Files.readString(files.limitMarker(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Map<String, Long> values = new HashMap<>();
    for (String line : content.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) values.put(line.substring(0, equals), Long.parseLong(line.substring(equals + 1).strip()));
    }
    for (String key : List.of("tailBytes", "headLines", "headBasicLines", "headTextBytes")) {
      if (!values.containsKey(key)) throw new IOException(files.limitMarker() + " lacks " + key + "; it was not written by Buildcast");
    }
    return Optional.of(values);
  }

  @Override
  public LogExtent head() {
    return head;
  }

  @Override
  public long tailBytes() {
    return tailBytes;
  }

  @Override
  public long totalLines() {
    return totalLines;
  }

  @Override
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public long keptLines() {
    return segments[0].lines + segments[1].lines;
  }

  @Override
  public long keptBytes() {
    return segments[0].textBytes + segments[1].textBytes;
  }

  /** Holds back {@code lines}, emptying the older segment when the current one is full. */
  @Override
  public void add(List<PendingLine> lines) {
    List<byte[]> records = new ArrayList<>();
    int pendingBytes = 0;
    Segment segment = segments[current];
    long segmentBytes = segment.textBytes;
    for (PendingLine line : lines) {
      byte[] text = line.text().getBytes(StandardCharsets.UTF_8);
      long bytes = text.length + 1L;
      if (segmentBytes + bytes > tailBytes && (segment.lines > 0 || !records.isEmpty())) {
        write(records, pendingBytes);
        records.clear();
        pendingBytes = 0;
        rotate();
        segment = segments[current];
        segmentBytes = 0;
      }
      totalLines++;
      totalBytes += bytes;
      segmentBytes += bytes;
      ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + text.length);
      record.putLong(totalLines).putLong(totalBytes).putLong(line.timestampMillis())
          .put(line.level().code()).putInt(text.length).put(text);
      records.add(record.array());
      pendingBytes += record.capacity();
    }
    write(records, pendingBytes);
  }

  private void write(List<byte[]> records, int bytes) {
    if (records.isEmpty()) return;
    Segment segment = segments[current];
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    long lines = 0;
    long text = 0;
    for (byte[] record : records) {
      buffer.put(record);
      lines++;
      text += ByteBuffer.wrap(record, 24 + 1, 4).getInt() + 1L;
    }
    try {
      FileIo.writeFully(channel, buffer.flip(), segment.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hold back lines of the log in " + files.dir(), e);
    }
    segment.length += bytes;
    segment.lines += lines;
    segment.textBytes += text;
    segment.lastTotalLines = totalLines;
  }

  private void rotate() {
    current = 1 - current;
    Segment next = segments[current];
    try {
      channel.close();
      openChannel();
      channel.truncate(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate the tail of the log in " + files.dir(), e);
    }
    next.length = 0;
    next.lines = 0;
    next.textBytes = 0;
    next.lastTotalLines = 0;
  }

  private void openChannel() throws IOException {
    channel = PrivateFiles.open(segments[current].path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  @Override
  public void forEachKeptSize(LongConsumer storedBytes) {
    try {
      forEachRecord((lines, text) -> storedBytes.accept(text + 1L));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tail of the log in " + files.dir(), e);
    }
  }

  @Override
  public void forEachKept(long skip, int batchLines, Consumer<List<PendingLine>> batches) {
    List<PendingLine> batch = new ArrayList<>();
    long[] index = {0};
    try {
      forEachRecordWithText((timestamp, level, text) -> {
        if (index[0]++ < skip) return;
        batch.add(new PendingLine(timestamp, level, text));
        if (batch.size() >= batchLines) {
          batches.accept(List.copyOf(batch));
          batch.clear();
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tail of the log in " + files.dir(), e);
    }
    if (!batch.isEmpty()) batches.accept(List.copyOf(batch));
  }

  private interface RecordSizes {
    void record(long totalLines, int textLength);
  }

  private interface Records {
    void record(long timestampMillis, LogLevel level, String text);
  }

  private void forEachRecord(RecordSizes sizes) throws IOException {
    for (Segment segment : ordered()) {
      try (DataInputStream in = input(segment)) {
        for (long i = 0; i < segment.lines; i++) {
          long lines = in.readLong();
          in.skipNBytes(8 + 8 + 1);
          int length = in.readInt();
          in.skipNBytes(length);
          sizes.record(lines, length);
        }
      }
    }
  }

  private void forEachRecordWithText(Records records) throws IOException {
    for (Segment segment : ordered()) {
      try (DataInputStream in = input(segment)) {
        for (long i = 0; i < segment.lines; i++) {
          in.skipNBytes(8 + 8);
          long timestamp = in.readLong();
          LogLevel level = LogLevel.fromCode(in.readByte());
          byte[] text = in.readNBytes(in.readInt());
          records.record(timestamp, level, new String(text, StandardCharsets.UTF_8));
        }
      }
    }
  }

  private List<Segment> ordered() {
    return List.of(segments[1 - current], segments[current]);
  }

  private static DataInputStream input(Segment segment) throws IOException {
    InputStream raw = Channels.newInputStream(FileChannel.open(segment.path, StandardOpenOption.READ));
    return new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
  }

  /** Reads the whole records of a segment after a restart and cuts a torn one off its end. */
  private void scan(Segment segment) throws IOException {
    if (!Files.exists(segment.path)) PrivateFiles.write(segment.path, new byte[0]);
    long size = Files.size(segment.path);
    try (DataInputStream in = input(segment)) {
      while (segment.length + HEADER_BYTES <= size) {
        long lines = in.readLong();
        long bytes = in.readLong();
        in.readLong();
        byte level = in.readByte();
        int length = in.readInt();
        boolean whole = level >= 0 && level < LogLevel.values().length && length >= 0
            && length <= MAX_RECORD_TEXT && segment.length + HEADER_BYTES + length <= size
            && lines > segment.lastTotalLines;
        if (!whole) break;
        in.skipNBytes(length);
        segment.length += HEADER_BYTES + length;
        segment.lines++;
        segment.textBytes += length + 1L;
        segment.lastTotalLines = lines;
        if (lines > totalLines) {
          totalLines = lines;
          totalBytes = bytes;
        }
      }
    } catch (EOFException e) {
      // why: the size check above makes this unreachable unless the file shrank meanwhile
    }
    if (size > segment.length) {
      LOG.warn("{} - repairing a torn log tail: cutting {} from {} to {} bytes", files.jobId(), segment.path.getFileName(), size, segment.length);
      try (FileChannel cut = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
        cut.truncate(segment.length);
      }
    }
  }

  @Override
  public void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot force the tail of the log in " + files.dir() + " to disk", e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("{} - could not close the tail of the log", files.jobId(), e);
    }
  }

  /**
   * Removes the ring once its kept lines are in the log: the marker first, so a crash in between
   * leaves a log under no limit and stale segments that the next open removes.
   */
  @Override
  public void delete() {
    close();
    try {
      Files.deleteIfExists(files.limitMarker());
      Files.deleteIfExists(files.tailSegment(0));
      Files.deleteIfExists(files.tailSegment(1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the tail of the log in " + files.dir(), e);
    }
  }
}
