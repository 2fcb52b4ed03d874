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
 * reading the same lines a moment apart. Catch-up reads therefore end on multiples of the chunk
 * size, in seqs of the detailed log (see {@link SubscriberCursor}), so that once a subscriber's
 * first read brought its cursor to such a multiple, it asks for the same batches as the others; a
 * batch found here comes with the encodings its first subscriber made ({@link LogBatch#encoded}).
 * Only whole chunks are kept, the lines of {@code (k·chunk, (k+1)·chunk]} that pass one filter: a
 * log's lines never change once written, so such a batch is the same for every reader.
 *
 * <p>Bounded by the lines held over all jobs, a batch counting as at least {@value #LEAST_COST}
 * lines (a chunk of a mostly-detail log holds few basic lines, and each batch costs a map entry
 * and its packet); the least recently used batch goes first.
 * Thread-safe: every method holds {@code this}, and none reads the disk.
 */
final class SharedCatchUpBatches {

  static final int LEAST_COST = 64;

  private record Key(String jobId, LogFilter filter, long afterSeq) {}

  private final long maxLines;
  private final LinkedHashMap<Key, LogBatch> batches = new LinkedHashMap<>(16, 0.75f, true);
  private long lines;

  /** @param maxLines most lines held over all batches; 0 keeps none */
  SharedCatchUpBatches(long maxLines) {
    if (maxLines < 0) throw new IllegalArgumentException("maxLines < 0");
    this.maxLines = maxLines;
  }

  /** The kept batch of {@code jobId}'s lines passing {@code filter} right after {@code afterSeq}, or null. */
  synchronized LogBatch find(String jobId, LogFilter filter, long afterSeq) {
    return batches.get(new Key(jobId, filter, afterSeq));
  }

  /** Keeps a whole-chunk batch, evicting the least recently used beyond the bound. */
  synchronized void keep(String jobId, LogBatch batch) {
    if (cost(batch) > maxLines) return;
    LogBatch before = batches.put(new Key(jobId, batch.filter(), batch.afterSeq()), batch);
    if (before != null) lines -= cost(before);
    lines += cost(batch);
    Iterator<Map.Entry<Key, LogBatch>> eldest = batches.entrySet().iterator();
    while (lines > maxLines) {
      lines -= cost(eldest.next().getValue());
      eldest.remove();
    }
  }

  private static long cost(LogBatch batch) {
    return Math.max(LEAST_COST, batch.lines().size());
  }

  /** Lines held now, a batch counting as at least {@value #LEAST_COST} (for tests and monitoring). */
  synchronized long lineCount() {
    return lines;
  }
}
