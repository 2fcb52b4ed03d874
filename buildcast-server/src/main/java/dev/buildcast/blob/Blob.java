package dev.buildcast.blob;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An opened blob: the bytes {@code first..last} of a blob of {@code size} bytes, readable once
 * from {@link #content()}. Close it (or the stream) when done.
 *
 * @param info the blob as stored
 * @param first the first byte served
 * @param last the last byte served; {@code first - 1} for an empty blob
 * @param content exactly {@link #length()} bytes
 */
public record Blob(BlobInfo info, long first, long last, InputStream content) implements Closeable {

  /** How many bytes {@link #content()} yields. */
  public long length() {
    return last - first + 1;
  }

  /** Whether this is less than the whole blob (an HTTP 206 rather than a 200). */
  public boolean isPartial() {
    return length() != info.size();
  }

  @Override
  public void close() throws IOException {
    content.close();
  }
}
