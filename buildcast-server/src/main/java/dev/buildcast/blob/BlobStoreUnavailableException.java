package dev.buildcast.blob;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The storage behind a {@link BlobStore} cannot be used right now: its endpoint does not answer,
 * or it answers that it failed (HTTP 5xx, throttling). Nothing about the key or the bytes was
 * wrong, so the same call may succeed later; the edges answer 503 rather than 500. Problems that
 * will not pass by themselves (wrong credentials, a missing bucket, a full disk) stay plain {@link
 * UncheckedIOException}s.
 */
public final class BlobStoreUnavailableException extends UncheckedIOException {

  private final String key;

  /**
   * @param key the blob key or prefix the call was about
   * @param reason what went wrong, for the message
   */
  public BlobStoreUnavailableException(String key, String reason, Throwable cause) {
    super("The blob storage is unavailable (" + reason + ") while working on '" + key + "'; the call may succeed when it is back.",
        cause instanceof IOException io ? io : new IOException(reason, cause));
    this.key = key;
  }

  /** The blob key or prefix the failed call was about. */
  public String key() {
    return key;
  }
}
