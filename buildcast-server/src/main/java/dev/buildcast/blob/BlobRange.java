package dev.buildcast.blob;

/**
 * The part of a blob a reader asks for, before the blob's size is known: everything, from a byte
 * on, a span, or the last {@code n} bytes. {@link #resolve} applies HTTP's rules for one byte range
 * (RFC 9110, section 14.1.2) to a size, so every adapter and every edge agrees on them.
 */
public final class BlobRange {

  private static final BlobRange ALL = new BlobRange(0, Long.MAX_VALUE, -1);

  private final long first;
  private final long last;
  private final long suffix;

  private BlobRange(long first, long last, long suffix) {
    this.first = first;
    this.last = last;
    this.suffix = suffix;
  }

  /** The whole blob (an empty blob too). */
  public static BlobRange all() {
    return ALL;
  }

  /** From byte {@code first} to the end. */
  public static BlobRange from(long first) {
    if (first < 0) throw new IllegalArgumentException("a range starts at byte 0 or later, not " + first);
    return new BlobRange(first, Long.MAX_VALUE, -1);
  }

  /**
   * Bytes {@code first} to {@code last}, both included; a {@code last} past the end means the end.
   * A {@code last} before {@code first} is never satisfiable.
   */
  public static BlobRange between(long first, long last) {
    if (first < 0 || last < 0) throw new IllegalArgumentException("range bounds are 0 or more, not " + first + "-" + last);
    return new BlobRange(first, last, -1);
  }

  /** The last {@code length} bytes (all of them when the blob is shorter). */
  public static BlobRange lastBytes(long length) {
    if (length < 0) throw new IllegalArgumentException("a suffix length is 0 or more, not " + length);
    return new BlobRange(0, Long.MAX_VALUE, length);
  }

  /** Whether this asks for the whole blob. */
  public boolean isAll() {
    return this == ALL;
  }

  /**
   * The bytes of a blob of {@code size} bytes this range covers.
   *
   * @return {@code {first, last}}; {@code {0, -1}} for the whole of an empty blob
   * @throws RangeNotSatisfiableException when no byte of the blob is in the range
   */
  public long[] resolve(String key, long size) {
    if (isAll()) return new long[] {0, size - 1};
    if (suffix >= 0) {
      if (suffix == 0 || size == 0) throw new RangeNotSatisfiableException(key, this, size);
      return new long[] {Math.max(0, size - suffix), size - 1};
    }
    if (first >= size || last < first) throw new RangeNotSatisfiableException(key, this, size);
    return new long[] {first, Math.min(last, size - 1)};
  }

  /** As in a Range header: {@code bytes=0-99}, {@code bytes=100-}, {@code bytes=-100}. */
  @Override
  public String toString() {
    if (isAll()) return "bytes=0-";
    if (suffix >= 0) return "bytes=-" + suffix;
    return "bytes=" + first + "-" + (last == Long.MAX_VALUE ? "" : String.valueOf(last));
  }
}
