package dev.buildcast.blob;

import dev.buildcast.BuildcastException;

/** A byte range that lies outside the blob: HTTP 416, with the blob's size for Content-Range. */
public final class RangeNotSatisfiableException extends BuildcastException {

  private final long size;

  RangeNotSatisfiableException(String key, BlobRange range, long size) {
    super("range_not_satisfiable", "The range '" + range + "' lies outside the " + size + " bytes of "
        + key.substring(key.lastIndexOf('/') + 1) + (size == 0 ? "; it is empty: send no Range." : "; ask for bytes 0 to " + (size - 1) + " or send no Range."));
    this.size = size;
  }

  /** The size of the blob the range was applied to. */
  public long size() {
    return size;
  }
}
