package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.LogExtent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an unsealed log's files back to a consistent state after the server was killed or lost
 * power mid-append, so every seq that was ever read names the same line as before.
 *
 * <p>A line exists once its index record is complete and points at a complete text line. Repair
 * therefore, in order:
 *
 * <ol>
 *   <li>cuts a partial record off the end of the line index;
 *   <li>drops trailing records that point past the end of the text, do not increase the offset,
 *       carry an unknown level, or whose line does not end in {@code \n} (a zero-filled tail after
 *       power loss);
 *   <li>cuts the text after the last indexed line (a torn or unindexed last line);
 *   <li>cuts a partial entry off the basic index, drops trailing entries beyond the last line or
 *       out of order, then adds entries for basic lines the index has but the basic index lost.
 * </ol>
 */
final class LogFileRepair {

  private static final Logger LOG = LoggerFactory.getLogger(LogFileRepair.class);
  private static final int SCAN_RECORDS = 4096;

  private LogFileRepair() {}

  /** Repairs the files in place (creating missing ones) and returns the resulting extent. */
  static LogExtent repair(LogFiles files) throws IOException {
    try (FileChannel text = openForRepair(files.text());
        FileChannel index = openForRepair(files.index());
        FileChannel basic = openForRepair(files.basicIndex())) {
      long lines = validLines(index, text);
      long textEnd = lines == 0 ? 0 : endOffset(index, lines - 1);
      cut(files, index, lines * RECORD_BYTES, files.index().getFileName().toString());
      cut(files, text, textEnd, files.text().getFileName().toString());
      long basicLines = repairBasicIndex(files, basic, index, lines);
      return new LogExtent(lines, basicLines, textEnd);
    }
  }

  private static FileChannel openForRepair(java.nio.file.Path path) throws IOException {
    return PrivateFiles.open(
        path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static long validLines(FileChannel index, FileChannel text) throws IOException {
    long lines = index.size() / RECORD_BYTES;
    long textSize = text.size();
    while (lines > 0 && !isValidLast(index, text, lines - 1, textSize)) lines--;
    return lines;
  }

  private static boolean isValidLast(FileChannel index, FileChannel text, long record, long textSize)
      throws IOException {
    LineIndex.Entry entry = LineIndex.get(FileIo.read(index, RECORD_BYTES, record * RECORD_BYTES));
    long start = record == 0 ? 0 : endOffset(index, record - 1);
    if (!entry.hasValidLevel() || entry.endOffset() <= start || entry.endOffset() > textSize) {
      return false;
    }
    return FileIo.read(text, 1, entry.endOffset() - 1).get() == '\n';
  }

  private static long endOffset(FileChannel index, long record) throws IOException {
    return FileIo.read(index, Long.BYTES, record * RECORD_BYTES).getLong();
  }

  private static long repairBasicIndex(LogFiles files, FileChannel basic, FileChannel index, long lines)
      throws IOException {
    long entries = basic.size() / Long.BYTES;
    while (entries > 0) {
      long seq = basicSeq(basic, entries - 1);
      long previous = entries == 1 ? 0 : basicSeq(basic, entries - 2);
      if (seq <= lines && seq > previous) break;
      entries--;
    }
    cut(files, basic, entries * Long.BYTES, "the basic index");
    long lastBasic = entries == 0 ? 0 : basicSeq(basic, entries - 1);
    return addMissingBasicEntries(files, basic, index, entries, lastBasic, lines);
  }

  /**
   * why: after power loss the page cache may have flushed the line index but not the basic index,
   * so basic lines after the last surviving entry are found again from the line index's levels.
   */
  private static long addMissingBasicEntries(
      LogFiles files, FileChannel basic, FileChannel index, long entries, long lastBasic, long lines)
      throws IOException {
    long added = 0;
    for (long record = lastBasic; record < lines; record += SCAN_RECORDS) {
      int count = (int) Math.min(SCAN_RECORDS, lines - record);
      ByteBuffer records = FileIo.read(index, count * RECORD_BYTES, record * RECORD_BYTES);
      ByteBuffer found = ByteBuffer.allocate(count * Long.BYTES);
      for (int i = 0; i < count; i++) {
        LineIndex.Entry entry = LineIndex.get(records);
        if (entry.hasValidLevel() && entry.level().isBasic()) found.putLong(record + i + 1);
      }
      found.flip();
      long position = (entries + added) * Long.BYTES;
      added += found.remaining() / Long.BYTES;
      FileIo.writeFully(basic, found, position);
    }
    if (added > 0) LOG.warn("{} - restored {} lost basic-index entries", files.jobId(), added);
    return entries + added;
  }

  private static long basicSeq(FileChannel basic, long entry) throws IOException {
    return FileIo.read(basic, Long.BYTES, entry * Long.BYTES).getLong();
  }

  private static void cut(LogFiles files, FileChannel channel, long size, String what) throws IOException {
    if (channel.size() > size) {
      LOG.warn("{} - repairing a torn log: cutting {} from {} to {} bytes", files.jobId(), what, channel.size(), size);
      channel.truncate(size);
    }
  }
}
