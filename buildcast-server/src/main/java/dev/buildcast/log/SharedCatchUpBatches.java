package dev.buildcast.log;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Catch-up batches of whole chunks, kept for the next subscriber that reads the same chunk of the
 * same job's log.
 *
 * <p>why: subscribers that fall behind a loud job read it back from disk in chunks, and each read
 * batch used to be read, encoded and framed for its subscriber alone, though dozens of them were
 * reading the same lines a moment apart. Catch-up reads of every line therefore end on multiples
 * of the chunk size (see {@link SubscriberCursor}), so that once a subscriber's first read brought
 * its cursor to such a multiple, it asks for the same batches as the others; a batch found here
 * comes with the encodings its first subscriber made ({@link LogBatch#encoded}). Only the lines
 * {@code (k·chunk, (k+1)·chunk]} of {@link LogFilter#ALL} are kept: a log's lines never change
 * once written, so such a batch is the same for every reader. Basic-filter reads are not aligned:
 * the basic index finds the next N basic lines, not the basic lines up to a seq, and bounding them
 * would read far past the bound in a log of mostly detail lines.
 *
 * <p>Bounded by the lines held over all jobs; the least recently used batch goes first.
 * Thread-safe: every method holds {@code this}, and none reads the disk.
 */
final class SharedCatchUpBatches {

  private record Key(String jobId, long afterSeq) {}

  private final long maxLines;
  private final LinkedHashMap<Key, LogBatch> batches = new LinkedHashMap<>(16, 0.75f, true);
  private long lines;

  /** @param maxLines most lines held over all batches; 0 keeps none */
  SharedCatchUpBatches(long maxLines) {
    if (maxLines < 0) throw new IllegalArgumentException("maxLines < 0");
    this.maxLines = maxLines;
  }

  /** The kept batch of {@code jobId}'s lines right after {@code afterSeq}, or null. */
  synchronized LogBatch find(String jobId, long afterSeq) {
    return batches.get(new Key(jobId, afterSeq));
  }

  /** Keeps a whole-chunk batch of every line, evicting the least recently used beyond the bound. */
  synchronized void keep(String jobId, LogBatch batch) {
    if (batch.filter() != LogFilter.ALL) throw new IllegalArgumentException("only batches of every line are shared: " + batch);
    if (batch.lines().size() > maxLines) return;
    LogBatch before = batches.put(new Key(jobId, batch.afterSeq()), batch);
    if (before != null) lines -= before.lines().size();
    lines += batch.lines().size();
    Iterator<Map.Entry<Key, LogBatch>> eldest = batches.entrySet().iterator();
    while (lines > maxLines) {
      lines -= eldest.next().getValue().lines().size();
      eldest.remove();
    }
  }

  /** Lines held now (for tests and monitoring). */
  synchronized long lineCount() {
    return lines;
  }
}
