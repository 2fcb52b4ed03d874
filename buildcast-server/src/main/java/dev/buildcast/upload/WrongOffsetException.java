package dev.buildcast.upload;

import dev.buildcast.BuildcastException;
import java.util.Map;

/** A chunk sent at another offset than the number of bytes the server holds. */
public final class WrongOffsetException extends BuildcastException {

  private final long expectedOffset;

  public WrongOffsetException(String uploadId, long offset, long expectedOffset) {
    super("wrong_offset", "Chunk at offset " + offset + " refused: the server holds " + expectedOffset
        + " bytes of upload " + uploadId + "; send the chunk that starts at offset " + expectedOffset + ".");
    this.expectedOffset = expectedOffset;
  }

  /** The offset the next chunk must start at: the bytes the server holds. */
  public long expectedOffset() {
    return expectedOffset;
  }

  @Override
  public Map<String, Object> details() {
    return Map.of("expectedOffset", expectedOffset);
  }
}
