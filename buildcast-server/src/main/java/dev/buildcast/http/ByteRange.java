package dev.buildcast.http;

import dev.buildcast.blob.BlobRange;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} header ({@code a-b}, {@code a-}, {@code -n}).
 * Several ranges are answered as the whole file, which the standard allows.
 */
record ByteRange(long first, long last, boolean satisfiable) {

  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  long length() {
    return last - first + 1;
  }

  /**
   * The range a {@code Range} header asks for, before the size is known (for blobs, which resolve
   * it against the size of what they open); empty when there is no usable header (then the whole
   * file is sent). The same grammar as {@link #parse}; {@code bytes=5-3} is never satisfiable.
   */
  static Optional<BlobRange> requested(String header) {
    if (header == null) return Optional.empty();
    Matcher m = SINGLE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return Optional.empty();
    try {
      if (m.group(1).isEmpty()) return Optional.of(BlobRange.lastBytes(Long.parseLong(m.group(2))));
      long first = Long.parseLong(m.group(1));
      return Optional.of(m.group(2).isEmpty() ? BlobRange.from(first) : BlobRange.between(first, Long.parseLong(m.group(2))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Empty when there is no usable Range header (then the whole file is sent). */
  static Optional<ByteRange> parse(String header, long size) {
    if (header == null) return Optional.empty();
    Matcher m = SINGLE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return Optional.empty();
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) return Optional.of(new ByteRange(0, -1, false));
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1, true));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (first >= size || last < first) return Optional.of(new ByteRange(0, -1, false));
      return Optional.of(new ByteRange(first, last, true));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
