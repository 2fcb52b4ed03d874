package dev.buildcast.blob;

import dev.buildcast.BuildcastException;

/** A key or prefix that breaks a rule of {@link BlobKeys}, or that collides with stored blobs. */
public final class InvalidBlobKeyException extends BuildcastException {

  /** For adapters: {@code problem} completes "The blob key '...' ". */
  public InvalidBlobKeyException(String key, String problem) {
    super("invalid_blob_key", "The blob key '" + BuildcastException.excerpt(key) + "' " + problem + ".");
  }
}
