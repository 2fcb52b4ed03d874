package dev.buildcast.storage.file;

import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.LineNormalizer;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  static EncodedAppend of(LogExtent before, long timestampMillis, LogLevel level, String text) {
    List<String> texts = LineNormalizer.normalize(text);
    List<LogLine> lines = new ArrayList<>(texts.size());
    List<byte[]> encoded = new ArrayList<>(texts.size());
    int textBytes = 0;
    for (String lineText : texts) {
      byte[] bytes = (lineText + "\n").getBytes(StandardCharsets.UTF_8);
      encoded.add(bytes);
      textBytes += bytes.length;
      lines.add(new LogLine(before.lines() + lines.size() + 1, timestampMillis, level, lineText));
    }
    int basicLines = level.isBasic() ? lines.size() : 0;
    ByteBuffer textBuffer = ByteBuffer.allocate(textBytes);
    ByteBuffer basicBuffer = ByteBuffer.allocate(basicLines * Long.BYTES);
    ByteBuffer indexBuffer = ByteBuffer.allocate(lines.size() * RECORD_BYTES);
    long end = before.textBytes();
    for (int i = 0; i < lines.size(); i++) {
      textBuffer.put(encoded.get(i));
      end += encoded.get(i).length;
      LineIndex.put(indexBuffer, end, timestampMillis, level);
      if (level.isBasic()) basicBuffer.putLong(lines.get(i).seq());
    }
    LogExtent after =
        new LogExtent(before.lines() + lines.size(), before.basicLines() + basicLines, end);
    return new EncodedAppend(
        List.copyOf(lines), textBuffer.flip(), basicBuffer.flip(), indexBuffer.flip(), after);
  }
}
