package dev.buildcast.log;

/**
 * Which held-back lines a sealed log keeps: the latest {@link HeldBackLines#tailBytes()} of text,
 * and at least the last line. Counted over what the segments still keep; everything else held
 * back is "left out".
 *
 * @param skip kept lines of the segments passed over before the first line the log keeps
 * @param keptLines lines the log keeps
 * @param keptBytes their text bytes
 * @param leftOutLines lines held back and not kept
 * @param leftOutBytes their text bytes
 */
record TailSelection(long skip, long keptLines, long keptBytes, long leftOutLines, long leftOutBytes) {

  static TailSelection of(HeldBackLines held) {
    long[] records = {held.keptLines()};
    long[] remaining = {held.keptBytes()};
    long tailBytes = held.tailBytes();
    long[] skipped = {0};
    long[] left = {remaining[0]};
    held.forEachKeptSize(bytes -> {
      if (left[0] > tailBytes && skipped[0] < records[0] - 1) {
        skipped[0]++;
        left[0] -= bytes;
      }
    });
    long kept = records[0] - skipped[0];
    return new TailSelection(skipped[0], kept, left[0], held.totalLines() - kept, held.totalBytes() - left[0]);
  }
}
