package dev.buildcast.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.upload.UploadKind;
import dev.buildcast.upload.UploadRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The stored form of an {@link UploadRecord}: one small JSON object with a version. Every upload
 * store writes and reads records through this class (the file store's {@code <id>.record}, the
 * cluster store's Redis hash), so both read the same form. Reading refuses anything that is not a
 * whole, plausible record of the upload asked for.
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
public final class UploadRecordJson {

  private static final int VERSION = 1;
  /** why a cap: a record is a few hundred bytes; anything much bigger is damage, not a record. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private UploadRecordJson() {}

  /** The record as it is stored: plain values, nulls for what is absent. */
  record Stored(int version, String uploadId, String name, long size, long offset, String expectedSha256, String sha256,
      String address, String expect, boolean resumable, String lastActivity) {

    static Stored of(UploadRecord r) {
      return new Stored(VERSION, r.uploadId(), r.name(), r.size(), r.offset(), r.expectedSha256().orElse(null), r.sha256().orElse(null),
          r.address().orElse(null), r.expect().map(UploadKind::wireName).orElse(null), r.resumable(), r.lastActivity().toString());
    }

    UploadRecord toRecord() {
      if (version != VERSION) throw new IllegalArgumentException("record version " + version + " is not " + VERSION);
      return new UploadRecord(uploadId, name, size, offset, Optional.ofNullable(expectedSha256), Optional.ofNullable(sha256),
          Optional.ofNullable(address), Optional.ofNullable(expect).map(UploadRecordJson::kind), resumable, Instant.parse(lastActivity));
    }
  }

  private static UploadKind kind(String wireName) {
    return Arrays.stream(UploadKind.values()).filter(k -> k.wireName().equals(wireName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown kind \"" + wireName + "\""));
  }

  /** The record as UTF-8 JSON. */
  public static byte[] write(UploadRecord record) {
    try {
      return JSON.writeValueAsBytes(Stored.of(record));
    } catch (JsonProcessingException e) {
      // why unchecked: a record is plain values; failing to write one is a bug, not bad input
      throw new UncheckedIOException("could not write the record of upload " + record.uploadId() + " as JSON", e);
    }
  }

  /**
   * The record of {@code uploadId} in {@code json}.
   *
   * @throws IOException saying what is wrong when it is not a whole record of that upload
   */
  public static UploadRecord read(byte[] json, String uploadId) throws IOException {
    if (json.length > MAX_BYTES) throw new IOException("the record is " + json.length + " bytes, not a record");
    UploadRecord record;
    try {
      Stored stored = JSON.readValue(json, Stored.class);
      if (stored == null) throw new IOException("the record is empty");
      record = stored.toRecord();
    } catch (JsonProcessingException e) {
      throw new IOException("the record is not readable JSON (" + e.getOriginalMessage() + ")", e);
    } catch (RuntimeException e) {
      throw new IOException("the record holds impossible values (" + e.getMessage() + ")", e);
    }
    if (!record.uploadId().equals(uploadId)) throw new IOException("the record names another upload, " + record.uploadId());
    return record;
  }
}
