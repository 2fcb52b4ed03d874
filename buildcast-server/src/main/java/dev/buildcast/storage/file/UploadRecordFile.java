package dev.buildcast.storage.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.upload.UploadKind;
import dev.buildcast.upload.UploadRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One upload's {@link UploadRecord} as {@code <id>.record}, a small JSON object (600), written to
 * {@code <id>.record.tmp}, forced to disk and renamed over the old one, so a crash leaves the old
 * record or the new one. Reading refuses anything that is not a whole, plausible record.
 */
final class UploadRecordFile {

  private static final String SUFFIX = ".record";
  private static final String TEMPORARY = ".record.tmp";
  private static final int VERSION = 1;
  /** why a cap: a record is a few hundred bytes; a huge file there is damage, not a record. */
  private static final long MAX_BYTES = 64 * 1024;

  private final Path dir;
  private final ObjectMapper json = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  UploadRecordFile(Path dir) {
    this.dir = dir;
  }

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
          Optional.ofNullable(address), Optional.ofNullable(expect).map(UploadRecordFile::kind), resumable, Instant.parse(lastActivity));
    }
  }

  private static UploadKind kind(String wireName) {
    return Arrays.stream(UploadKind.values()).filter(k -> k.wireName().equals(wireName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown kind \"" + wireName + "\""));
  }

  void write(UploadRecord record) throws IOException {
    String id = record.uploadId();
    Path temp = dir.resolve(FileUploadStore.checked(id) + TEMPORARY);
    try (FileChannel channel = PrivateFiles.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      FileIo.writeFully(channel, ByteBuffer.wrap(json.writeValueAsBytes(Stored.of(record))), 0);
      channel.force(false);
    }
    try {
      Files.move(temp, path(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, path(id), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The record of {@code uploadId}; refuses a file that is not a whole record of that upload. */
  UploadRecord read(String uploadId) throws IOException {
    Path file = path(uploadId);
    long size = Files.size(file);
    if (size > MAX_BYTES) throw new IOException("the record is " + size + " bytes, not a record");
    UploadRecord record;
    try {
      Stored stored = json.readValue(Files.readAllBytes(file), Stored.class);
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

  void delete(String uploadId) throws IOException {
    Files.deleteIfExists(path(uploadId));
  }

  /** The ids of every record in the folder. */
  List<String> ids() throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (!name.endsWith(SUFFIX)) continue;
        String id = name.substring(0, name.length() - SUFFIX.length());
        try {
          ids.add(FileUploadStore.checked(id));
        } catch (IllegalArgumentException e) {
          // not a record of ours: leave it alone
        }
      }
    }
    return ids;
  }

  /** Removes records a crash left half-written; the record they were to replace is still there. */
  void deleteTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(TEMPORARY)) Files.deleteIfExists(p);
      }
    }
  }

  private Path path(String uploadId) {
    return dir.resolve(FileUploadStore.checked(uploadId) + SUFFIX);
  }
}
