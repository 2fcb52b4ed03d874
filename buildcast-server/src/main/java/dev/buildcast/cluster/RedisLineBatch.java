package dev.buildcast.cluster;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * How a batch of lines is written into one entry of a job's stream, and read back:
 *
 * <ul>
 *   <li>{@code f}: the first line's seq (the entry id carries the last);
 *   <li>{@code t}: the lines' texts, each followed by {@code \n}, so the entry reads as text in
 *       {@code redis-cli};
 *   <li>{@code m}: per line {@code <time>.<level>.<length>}, joined by {@code ,}: the time in epoch
 *       ms as the difference to the line before (the first line's absolute), the level's one-digit
 *       storage code ({@link LogLevel#code()}), the text's length in chars. why the lengths: a text
 *       is split by them, not at {@code \n}, so a text that holds a line break still reads back as
 *       it was sent;
 *   <li>{@code c}: CRC32C of {@code t}'s and then {@code m}'s UTF-8 bytes, 8 hex digits, checked on
 *       every read.
 * </ul>
 *
 * <p>Threading: stateless.
 */
final class RedisLineBatch {

  static final String FIRST_SEQ = "f";
  static final String TEXT = "t";
  static final String META = "m";
  static final String CHECKSUM = "c";

  private RedisLineBatch() {}

  /** The entry's fields for {@code lines} (non-empty, contiguous), in the order above. */
  static Map<String, String> fields(List<LogLine> lines) {
    // why sized first: a 256 KiB batch grew its builders by copying a dozen times
    int chars = 0;
    for (LogLine line : lines) chars += line.text().length() + 1;
    StringBuilder text = new StringBuilder(chars);
    StringBuilder meta = new StringBuilder(lines.size() * 8);
    long previousTime = 0;
    for (LogLine line : lines) {
      text.append(line.text()).append('\n');
      if (!meta.isEmpty()) meta.append(',');
      meta.append(line.timestampMillis() - previousTime).append('.').append(line.level().code()).append('.')
          .append(line.text().length());
      previousTime = line.timestampMillis();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(FIRST_SEQ, Long.toString(lines.get(0).seq()));
    fields.put(TEXT, text.toString());
    fields.put(META, meta.toString());
    fields.put(CHECKSUM, checksum(text.toString(), meta.toString()));
    return fields;
  }

  /**
   * The lines of the entry {@code where} (for messages) from its fields.
   *
   * @throws IllegalStateException when the fields are missing, damaged or inconsistent
   */
  static List<LogLine> lines(String where, long lastSeq, Map<String, String> fields) {
    String first = fields.get(FIRST_SEQ);
    String text = fields.get(TEXT);
    String meta = fields.get(META);
    String crc = fields.get(CHECKSUM);
    if (first == null || text == null || meta == null || crc == null) {
      throw damaged(where, "fields f, t, m and c are required, found " + fields.keySet());
    }
    if (!checksum(text, meta).equals(crc)) throw damaged(where, "its CRC32C does not match its text and metadata");
    try {
      long seq = Long.parseLong(first);
      int count = 1;
      for (int i = meta.indexOf(','); i >= 0; i = meta.indexOf(',', i + 1)) count++;
      if (seq < 1 || seq + count - 1 != lastSeq) {
        throw damaged(where, "it holds " + count + " lines from seq " + seq + ", its id says the last is " + lastSeq);
      }
      List<LogLine> lines = new ArrayList<>(count);
      long time = 0;
      int at = 0;
      // why by hand rather than split: two splits per entry and one per line made reading an
      // entry cost microseconds per line on the mirror's thread
      for (int from = 0; from <= meta.length(); ) {
        int comma = meta.indexOf(',', from);
        int to = comma < 0 ? meta.length() : comma;
        int dot = meta.indexOf('.', from);
        int secondDot = dot < 0 || dot >= to ? -1 : meta.indexOf('.', dot + 1);
        int thirdDot = secondDot < 0 ? -1 : meta.indexOf('.', secondDot + 1);
        if (secondDot < 0 || secondDot >= to || (thirdDot >= 0 && thirdDot < to)) {
          throw damaged(where, "line metadata '" + meta.substring(from, to) + "' is not time.level.length");
        }
        time += Long.parseLong(meta, from, dot, 10);
        LogLevel level = LogLevel.fromCode(toByte(Integer.parseInt(meta, dot + 1, secondDot, 10)));
        int end = at + Integer.parseInt(meta, secondDot + 1, to, 10);
        if (end < at || end >= text.length() || text.charAt(end) != '\n') {
          throw damaged(where, "line " + seq + "'s length does not fit the text");
        }
        lines.add(new LogLine(seq++, time, level, text.substring(at, end)));
        at = end + 1;
        from = to + 1;
      }
      if (at != text.length()) throw damaged(where, "text left over after the last line");
      return lines;
    } catch (IllegalArgumentException e) {
      throw damaged(where, e.getMessage());
    }
  }

  /** The level code as a byte; out of range is refused as {@link Byte#parseByte} refused it. */
  private static byte toByte(int code) {
    if (code < Byte.MIN_VALUE || code > Byte.MAX_VALUE) throw new NumberFormatException("level code " + code + " is out of range");
    return (byte) code;
  }

  private static String checksum(String text, String meta) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    crc.update(meta.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  private static IllegalStateException damaged(String where, String what) {
    return new IllegalStateException("the stream entry " + where + " is damaged: " + what);
  }
}
