package dev.buildcast.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.buildcast.job.JobRecord;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of a {@link JobRecord}: one JSON object, times as ISO-8601 text. Every job store
 * writes and reads records through this class, so a record written by one adapter reads the same
 * in another. Unknown fields are ignored and missing ones read as absent, so records written
 * before a field existed (no version, owner, lease or input) still read.
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
public final class JobRecordJson {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JobRecordJson() {}

  /** The record as UTF-8 JSON. */
  public static byte[] write(JobRecord job) {
    try {
      return JSON.writeValueAsBytes(job);
    } catch (JsonProcessingException e) {
      // why unchecked: a record is plain values; failing to write one is a bug, not bad input
      throw new UncheckedIOException("could not write the record of job " + job.id() + " as JSON", e);
    }
  }

  /**
   * The record in {@code json}.
   *
   * @throws IOException when it is not a job record's JSON (the caller names where it came from)
   */
  public static JobRecord read(byte[] json) throws IOException {
    return JSON.readValue(json, JobRecord.class);
  }
}
