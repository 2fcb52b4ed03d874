package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Uploads a file with the server's resumable protocol (docs/protocol.md, "Resumable uploads over
 * HTTP"): announces it with its size and SHA-256, sends it in pieces at the offset the server
 * holds, and when a piece fails on the way (the connection broke, the server restarted) asks the
 * server where the upload stands and continues from there. It gives up after {@link
 * #MAX_ATTEMPTS_WITHOUT_PROGRESS} failures in a row that moved nothing, saying how far it got.
 * A server without resumable uploads gets the file in one {@code PUT}.
 */
final class ResumingUploader {

  /** Failures in a row, with no byte gained between them, before the client gives up. */
  static final int MAX_ATTEMPTS_WITHOUT_PROGRESS = 5;

  /**
   * The most bytes sent in one PATCH. why 16 MiB: every answered PATCH is durable on the server, and
   * a refused body of at most this size is read to its end by the server, so the connection stays.
   */
  static final long PIECE_BYTES = 16L << 20;

  /** Errors of a request that did not go through, or of a piece the server expected elsewhere: worth asking and trying again. */
  private static final Set<String> RETRYABLE = Set.of("connection", "wrong_offset");

  private final ApiClient api;
  private final PrintStream err;
  private final Duration pauseStep;

  /** @param pauseStep how much longer each retry in a row waits than the one before (the first waits nothing) */
  ResumingUploader(ApiClient api, PrintStream err, Duration pauseStep) {
    this.api = api;
    this.err = err;
    this.pauseStep = pauseStep;
  }

  /** Uploads {@code file}; answers its uploadId once the server holds it complete and checked. */
  String upload(Path file) throws InterruptedException {
    long size;
    String sha256;
    try {
      size = Files.size(file);
      sha256 = sha256(file);
    } catch (IOException e) {
      throw new ApiException("file", "Cannot read " + file + ": " + e.getMessage());
    }
    Optional<JsonNode> created = api.createUpload(file.getFileName().toString(), size, sha256);
    if (created.isEmpty()) return api.upload(file);
    String uploadId = created.get().path("uploadId").asText();
    if ("complete".equals(created.get().path("state").asText())) return uploadId;
    long offset = created.get().path("offset").asLong();
    int failures = 0;
    while (true) {
      try {
        ApiClient.Appended appended = api.append(uploadId, file, offset, Math.min(PIECE_BYTES, size - offset));
        if (appended.completed().isPresent()) return uploadId;
        offset = appended.offset();
        continue;
      } catch (ApiException e) {
        if (!RETRYABLE.contains(e.code())) throw e;
        failures++;
        if (failures > MAX_ATTEMPTS_WITHOUT_PROGRESS) throw gaveUp(file, uploadId, offset, size, failures, e);
        err.println("Upload interrupted at " + offset + " of " + size + " bytes (" + e.getMessage() + "); asking the server where to continue"
            + " (retry " + failures + " of " + MAX_ATTEMPTS_WITHOUT_PROGRESS + ")…");
      }
      Thread.sleep(pauseStep.multipliedBy(failures - 1L));
      try {
        JsonNode standing = api.uploadStanding(uploadId);
        if ("complete".equals(standing.path("state").asText())) return uploadId;
        long held = standing.path("offset").asLong();
        if (held > offset) failures = 0; // why: bytes got through, so the link works; only failures in a row that gain nothing count
        offset = held;
      } catch (ApiException e) {
        if (!RETRYABLE.contains(e.code())) throw e;
        // why carry on: the next PATCH fails the same way and counts, or the server answers again
      }
    }
  }

  private static ApiException gaveUp(Path file, String uploadId, long offset, long size, int failures, ApiException last) {
    return new ApiException("upload_interrupted", "Gave up uploading " + file.getFileName() + " after " + failures
        + " failed attempts in a row that got no byte through (last: " + last.getMessage() + "). The server holds " + offset + " of " + size
        + " bytes of upload " + uploadId + " until it expires; check the connection and run the command again.");
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
