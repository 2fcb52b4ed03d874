package dev.buildcast.log;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Catch-up batches that end on a chunk's end, kept for the next subscriber that reads the same
 * lines of the same job's log.
 *
 * <p>why: subscribers that fall behind a loud job read it back from disk in chunks, and each read
 * batch used to be read, encoded and framed for its subscriber alone, though dozens of them were
 * reading the same lines a moment apart. Catch-up reads therefore end on multiples of the chunk
 * size, in seqs of the detailed log (see {@link SubscriberCursor}), so that once a subscriber's
 * first read brought its cursor to such a multiple, it asks for the same batches as the others; a
 * batch found here comes with the encodings its first subscriber made ({@link LogBatch#encoded}).
 * Only batches read to a chunk's end are kept, the lines of {@code (from, (k+1)·chunk]} that pass
 * one filter, {@code from} being the chunk's start or a cursor inside it: a log's lines never
 * change once written, so such a batch is the same for every reader from {@code from}, and live
 * subscribers sent to catch-up together all start from the same cursor.
 *
 * <p>Bounded by the lines held over all jobs, a batch counting as at least {@value #LEAST_COST}
 * lines (a chunk of a mostly-detail log holds few basic lines, and each batch costs a map entry
 * and its packet), and by the chars of their text; the least recently used batch goes first. why
 * both: lines of 64 KiB make a chunk of 2,000 lines 128 MB, which a bound in lines alone would
 * let dozens of. Thread-safe: every method holds {@code this}, and none reads the disk.
 */
final class SharedCatchUpBatches {

  static final int LEAST_COST = 64;

  private record Key(String jobId, LogFilter filter, long afterSeq) {}

  private record Kept(LogBatch batch, long lines, long chars) {}

  private final long maxLines;
  private final long maxChars;
  private final LinkedHashMap<Key, Kept> batches = new LinkedHashMap<>(16, 0.75f, true);
  private long lines;
  private long chars;

  /**
   * @param maxLines most lines held over all batches; 0 keeps none
   * @param maxChars most chars of text held over all batches
   */
  SharedCatchUpBatches(long maxLines, long maxChars) {
    if (maxLines < 0 || maxChars < 0) throw new IllegalArgumentException("maxLines or maxChars < 0");
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  /**
   * The kept batch of {@code jobId}'s lines passing {@code filter} right after {@code afterSeq}, or
   * null; it has no lines, only the encodings made of them so far.
   */
  synchronized LogBatch find(String jobId, LogFilter filter, long afterSeq) {
    Kept kept = batches.get(new Key(jobId, filter, afterSeq));
    return kept == null ? null : kept.batch();
  }

  /**
   * Keeps a batch read to its chunk's end {@link LogBatch#withoutLines() without its lines}, evicting the least
   * recently used beyond the bounds; the encodings computed for {@code batch} later are kept too.
   */
  synchronized void keep(String jobId, LogBatch batch) {
    Kept kept = new Kept(batch.withoutLines(), Math.max(LEAST_COST, batch.lines().size()), chars(batch));
    if (kept.lines() > maxLines || kept.chars() > maxChars) return;
    Kept before = batches.put(new Key(jobId, batch.filter(), batch.afterSeq()), kept);
    if (before != null) {
      lines -= before.lines();
      chars -= before.chars();
    }
    lines += kept.lines();
    chars += kept.chars();
    Iterator<Map.Entry<Key, Kept>> eldest = batches.entrySet().iterator();
    while (lines > maxLines || chars > maxChars) {
      Kept out = eldest.next().getValue();
      eldest.remove();
      lines -= out.lines();
      chars -= out.chars();
    }
  }

  private static long chars(LogBatch batch) {
    long chars = 0;
    for (LogLine line : batch.lines()) chars += line.text().length();
    return chars;
  }

  /** Lines held now, a batch counting as at least {@value #LEAST_COST} (for tests and monitoring). */
  synchronized long lineCount() {
    return lines;
  }

  /** Chars of text held now (for tests and monitoring). */
  synchronized long charCount() {
    return chars;
  }
}
