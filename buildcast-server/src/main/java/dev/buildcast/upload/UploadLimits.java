package dev.buildcast.upload;

import java.time.Duration;

/**
 * What uploads may do; the configuration's {@code uploads:} section (see docs/protocol.md).
 *
 * @param maxBytes the largest upload, in bytes
 * @param maxUnfinishedPerAddress how many unfinished uploads one client address may hold at once
 *     (a resumed upload counts for the address that resumed it)
 * @param expireAfter an unfinished upload with no chunk for this long is deleted, and so is a
 *     completed one no job has taken for this long
 * @param chunkSize the chunk size the server asks socket clients for; at most {@link
 *     #MAX_CHUNK_BYTES} so that a chunk packet fits the Socket.IO payload limit on every transport
 * @param zipMaxEntries the most entries a zip input may hold
 * @param zipMaxUnpackedBytes the most bytes a zip input may unpack to
 * @param maxBytesPerAddress the most bytes the uploads of one client address may hold on disk,
 *     unfinished (as announced) and completed together
 * @param maxUploadsPerAddress the most uploads one client address may hold, unfinished and completed
 */
public record UploadLimits(
    long maxBytes,
    int maxUnfinishedPerAddress,
    Duration expireAfter,
    int chunkSize,
    int zipMaxEntries,
    long zipMaxUnpackedBytes,
    long maxBytesPerAddress,
    int maxUploadsPerAddress) {

  /** With the default per-address quotas. */
  public UploadLimits(long maxBytes, int maxUnfinishedPerAddress, Duration expireAfter, int chunkSize, int zipMaxEntries, long zipMaxUnpackedBytes) {
    this(maxBytes, maxUnfinishedPerAddress, expireAfter, chunkSize, zipMaxEntries, zipMaxUnpackedBytes, DEFAULT_BYTES_PER_ADDRESS,
        DEFAULT_UPLOADS_PER_ADDRESS);
  }

  /** 1 GiB per client address. */
  public static final long DEFAULT_BYTES_PER_ADDRESS = 1L << 30;
  /** 1,000 uploads per client address. */
  public static final int DEFAULT_UPLOADS_PER_ADDRESS = 1000;

  /**
   * The largest chunk: 512 KiB. why: the engine refuses packets over 1 MB, and over HTTP
   * long-polling a binary chunk travels base64-encoded (4/3 larger) next to its JSON header.
   */
  public static final int MAX_CHUNK_BYTES = 512 * 1024;

  public UploadLimits {
    if (maxBytes < 1 || maxUnfinishedPerAddress < 1 || zipMaxEntries < 1 || zipMaxUnpackedBytes < 1 || maxBytesPerAddress < 1
        || maxUploadsPerAddress < 1) {
      throw new IllegalArgumentException("upload limits must be positive");
    }
    if (expireAfter.isNegative() || expireAfter.isZero()) throw new IllegalArgumentException("expireAfter must be positive");
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunkSize must be from 1 to " + MAX_CHUNK_BYTES);
    }
  }

  /** 512 MiB, 4 unfinished per address, 24 h, 512 KiB chunks, zips of 10,000 entries and 1 GiB unpacked, 1 GiB and 1,000 uploads per address. */
  public static UploadLimits defaults() {
    return new UploadLimits(512L << 20, 4, Duration.ofHours(24), MAX_CHUNK_BYTES, 10_000, 1L << 30);
  }

  public UploadLimits withMaxBytes(long bytes) {
    return new UploadLimits(bytes, maxUnfinishedPerAddress, expireAfter, chunkSize, zipMaxEntries, zipMaxUnpackedBytes, maxBytesPerAddress,
        maxUploadsPerAddress);
  }
}
