package dev.buildcast.upload;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the server must know of an upload to continue it after a restart, kept durably by the
 * {@link UploadStore} next to the upload's bytes. A record with a {@link #sha256} is completed;
 * without one it is unfinished and {@link #offset} is the number of bytes known to be durable.
 * Every value is checked on construction, so a record read back from a damaged file either is
 * whole and plausible or does not exist.
 *
 * @param uploadId 22 URL-safe characters
 * @param name the file name the client gave (for people; never a path)
 * @param size the announced size in bytes, or -1 while not known (a stream whose end tells)
 * @param offset bytes held: for an unfinished upload the bytes that are durable, for a completed
 *     one its size
 * @param expectedSha256 the SHA-256 the client announced, lower-case hex
 * @param sha256 the SHA-256 of the completed file, lower-case hex; empty while unfinished
 * @param address the client address the upload counts for (per-address limits and quotas); empty
 *     for none
 * @param expect what the client said the file must be ({@code expect: "zip"})
 * @param resumable whether a client can continue it: false for an upload received in one HTTP
 *     request or over the socketio-file-upload protocol, whose clients cannot resume
 * @param lastActivity the last chunk of an unfinished upload; the completion or last use by a job
 *     of a completed one (expiry counts from it)
 */
public record UploadRecord(
    String uploadId,
    String name,
    long size,
    long offset,
    Optional<String> expectedSha256,
    Optional<String> sha256,
    Optional<String> address,
    Optional<UploadKind> expect,
    boolean resumable,
    Instant lastActivity) {

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** The most characters of a name the service keeps. */
  static final int MAX_NAME_CHARS = 255;

  public UploadRecord {
    Objects.requireNonNull(lastActivity, "lastActivity");
    if (!UploadStore.isUploadId(uploadId)) {
      throw new IllegalArgumentException("not an upload id: " + UploadException.excerpt(String.valueOf(uploadId)));
    }
    if (name == null || name.isBlank() || name.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException("upload " + uploadId + ": the name must be 1 to " + MAX_NAME_CHARS + " characters");
    }
    if (size < -1 || offset < 0 || (size >= 0 && offset > size)) {
      throw new IllegalArgumentException("upload " + uploadId + ": offset " + offset + " does not fit size " + size);
    }
    checkSha(uploadId, expectedSha256);
    checkSha(uploadId, sha256);
    if (sha256.isPresent() && offset != size) {
      throw new IllegalArgumentException("upload " + uploadId + ": completed with " + offset + " of " + size + " bytes");
    }
  }

  private static void checkSha(String uploadId, Optional<String> sha) {
    if (sha.isPresent() && !HEX_SHA256.matcher(sha.get()).matches()) {
      throw new IllegalArgumentException("upload " + uploadId + ": a SHA-256 must be 64 lower-case hexadecimal characters");
    }
  }

  /** Whether every byte arrived and passed the checks. */
  public boolean isCompleted() {
    return sha256.isPresent();
  }

  /** The same record, last active at {@code time}. */
  public UploadRecord activeAt(Instant time) {
    return new UploadRecord(uploadId, name, size, offset, expectedSha256, sha256, address, expect, resumable, time);
  }
}
