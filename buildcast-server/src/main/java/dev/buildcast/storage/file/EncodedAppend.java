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
   * {@link dev.buildcast.log.PendingLine#bytes()}), as the log's writer hands them over.
   */
  static EncodedAppend ofEncoded(LogExtent before, List<LogLine> lines, List<byte[]> encoded) {
    int textBytes = 0;
    int basicLines = 0;
    for (int i = 0; i < lines.size(); i++) {
      textBytes += encoded.get(i).length;
      if (lines.get(i).level().isBasic()) basicLines++;
    }
    ByteBuffer textBuffer = ByteBuffer.allocate(textBytes);
    ByteBuffer basicBuffer = ByteBuffer.allocate(basicLines * Long.BYTES);
    ByteBuffer indexBuffer = ByteBuffer.allocate(lines.size() * RECORD_BYTES);
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
}
