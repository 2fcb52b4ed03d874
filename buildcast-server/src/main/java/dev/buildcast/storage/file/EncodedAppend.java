package dev.buildcast.storage.file;

import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogLine;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One append turned into bytes for the three files, before anything is written: the lines it
 * stores, what each file gets, and the log's extent once written.
 *
 * @param lines the lines as stored, with their seqs
 * @param text bytes for {@code detailed.log}, ready to write
 * @param basicIndex bytes for {@code detailed.basic.idx} (empty for detail lines)
 * @param index bytes for {@code detailed.idx}
 * @param after the extent once all of it is written
 */
record EncodedAppend(
    List<LogLine> lines, ByteBuffer text, ByteBuffer basicIndex, ByteBuffer index, LogExtent after) {

  /**
   * Lines that already have their seqs (following {@code before}) and their bytes as stored (see
   * {@link dev.buildcast.log.PendingLine#bytes()}), as the log's writer hands them over, encoded
   * into {@code room}'s buffers: the result is good until the next append with the same room.
   */
  static EncodedAppend ofEncoded(LogExtent before, List<LogLine> lines, List<byte[]> encoded, Room room) {
    int textBytes = 0;
    int basicLines = 0;
    for (int i = 0; i < lines.size(); i++) {
      textBytes += encoded.get(i).length;
      if (lines.get(i).level().isBasic()) basicLines++;
    }
    ByteBuffer textBuffer = room.text(textBytes);
    ByteBuffer basicBuffer = room.basic(basicLines * Long.BYTES);
    ByteBuffer indexBuffer = room.index(lines.size() * RECORD_BYTES);
    long end = before.textBytes();
    for (int i = 0; i < lines.size(); i++) {
      LogLine line = lines.get(i);
      textBuffer.put(encoded.get(i));
      end += encoded.get(i).length;
      LineIndex.put(indexBuffer, end, line.timestampMillis(), line.level());
      if (line.level().isBasic()) basicBuffer.putLong(line.seq());
    }
    LogExtent after =
        new LogExtent(before.lines() + lines.size(), before.basicLines() + basicLines, end);
    return new EncodedAppend(
        List.copyOf(lines), textBuffer.flip(), basicBuffer.flip(), indexBuffer.flip(), after);
  }

  /**
   * Buffers kept from one append to the next by the log's single writer. why: allocating (and so
   * zeroing) three fresh buffers for every append of a 64 KiB batch was a tenth of the CPU a job's
   * output cost (bench/README.md, issue 17). A buffer bigger than {@link #KEPT_BYTES} is made for
   * its append alone, so a large tail appended at the seal does not stay in memory; a batch (about
   * 64 KiB of text) fits, so a running job's log keeps at most a few hundred KiB here.
   *
   * <p>Not thread-safe: used under the log writer's lock.
   */
  static final class Room {
    static final int KEPT_BYTES = 128 * 1024;

    private ByteBuffer text = ByteBuffer.allocate(0);
    private ByteBuffer basic = ByteBuffer.allocate(0);
    private ByteBuffer index = ByteBuffer.allocate(0);

    ByteBuffer text(int bytes) {
      if (bytes > KEPT_BYTES) return ByteBuffer.allocate(bytes);
      text = grown(text, bytes);
      return text.clear().limit(bytes);
    }

    ByteBuffer basic(int bytes) {
      if (bytes > KEPT_BYTES) return ByteBuffer.allocate(bytes);
      basic = grown(basic, bytes);
      return basic.clear().limit(bytes);
    }

    ByteBuffer index(int bytes) {
      if (bytes > KEPT_BYTES) return ByteBuffer.allocate(bytes);
      index = grown(index, bytes);
      return index.clear().limit(bytes);
    }

    private static ByteBuffer grown(ByteBuffer kept, int bytes) {
      if (bytes <= kept.capacity()) return kept;
      return ByteBuffer.allocate(Math.min(KEPT_BYTES, Math.max(bytes, 2 * kept.capacity())));
    }
  }
}
