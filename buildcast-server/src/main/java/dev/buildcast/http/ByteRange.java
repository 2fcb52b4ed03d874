package dev.buildcast.http;

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
