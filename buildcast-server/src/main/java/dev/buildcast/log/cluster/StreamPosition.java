package dev.buildcast.log.cluster;

/**
 * Where an entry sits in a job's stream, in the order entries were accepted: a batch of lines at
 * {@code (its last seq, 0)}, a mark after line {@code seq} at {@code (seq, its mark number)}. (In
 * Redis, the stream entry id {@code seq-index}.) Mark numbers grow over the whole job, so marks
 * after the same line keep their order and a retried mark is recognised.
 *
 * @param seq the last line at or before the entry
 * @param index 0 for lines, the mark's number (from 1) for a mark
 */
public record StreamPosition(long seq, long index) implements Comparable<StreamPosition> {

  /** Before everything: a reader from here gets the whole stream. */
  public static final StreamPosition START = new StreamPosition(0, 0);

  public StreamPosition {
    if (seq < 0 || index < 0) throw new IllegalArgumentException("not a stream position: " + seq + "-" + index);
  }

  /** The position a reader that has every line up to {@code seq} (and nothing after) reads after. */
  public static StreamPosition afterLine(long seq) {
    return new StreamPosition(seq, 0);
  }

  @Override
  public int compareTo(StreamPosition other) {
    int bySeq = Long.compare(seq, other.seq);
    return bySeq != 0 ? bySeq : Long.compare(index, other.index);
  }

  public boolean isAfter(StreamPosition other) {
    return compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return seq + "-" + index;
  }
}
