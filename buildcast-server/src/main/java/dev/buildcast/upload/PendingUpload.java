package dev.buildcast.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * An unfinished upload as the service holds it: what its record says, plus what lives only in
 * this process (the connection that owns it, the running SHA-256, the progress throttle).
 *
 * <p>Concurrency: guarded by its own monitor, except {@link #owner} and {@link #address}, which the
 * service changes under its own lock (and which are volatile for the readers that count them).
 */
final class PendingUpload {
  final String id;
  final String name;
  long size;
  String expectedSha256;
  volatile String owner;
  volatile String address;
  Optional<UploadKind> expect;
  boolean resumable;
  /** The SHA-256 of the bytes held; null after a restart until {@link UploadService} rebuilds it from the file. */
  MessageDigest digest;
  final ProgressThrottle throttle;
  final Clock clock;
  long bytes;
  /** The bytes covered by the last saved record: what a crash keeps. */
  long durableBytes;
  /** When the last record was saved (the upload's last activity then). */
  Instant savedAt;
  Instant lastActivity;
  boolean closed;

  PendingUpload(String id, String name, long size, String expectedSha256, String owner, String address, Clock clock) {
    this.id = id;
    this.name = name;
    this.size = size;
    this.expectedSha256 = expectedSha256;
    this.owner = owner;
    this.address = address;
    this.clock = clock;
    this.throttle = new ProgressThrottle(clock);
    this.lastActivity = clock.instant();
    this.savedAt = lastActivity;
    this.expect = Optional.empty();
    this.resumable = true;
    this.digest = sha256();
  }

  /** An upload an earlier process left, from its record; its digest is rebuilt when first needed. */
  static PendingUpload restored(UploadRecord record, Clock clock) {
    PendingUpload upload = new PendingUpload(record.uploadId(), record.name(), record.size(), record.expectedSha256().orElse(null), null,
        record.address().orElse(null), clock);
    upload.expect = record.expect();
    upload.resumable = record.resumable();
    upload.bytes = record.offset();
    upload.durableBytes = record.offset();
    upload.lastActivity = record.lastActivity();
    upload.savedAt = record.lastActivity();
    upload.digest = null;
    return upload;
  }

  void touch() {
    lastActivity = clock.instant();
  }

  /** The record of its state now, as unfinished. */
  UploadRecord record() {
    return new UploadRecord(id, name, size, bytes, Optional.ofNullable(expectedSha256), Optional.empty(), Optional.ofNullable(address),
        expect, resumable, lastActivity);
  }

  /** The record of it completed with {@code sha256}, at {@code now}. */
  UploadRecord completedRecord(String sha256, Instant now) {
    return new UploadRecord(id, name, bytes, bytes, Optional.ofNullable(expectedSha256), Optional.of(sha256), Optional.ofNullable(address),
        expect, resumable, now);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
