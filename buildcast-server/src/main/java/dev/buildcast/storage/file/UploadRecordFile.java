package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.storage.UploadRecordJson;
import dev.buildcast.upload.UploadRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One upload's {@link UploadRecord} as {@code <id>.record}, a small JSON object (600), written to
 * {@code <id>.record.tmp}, forced to disk and renamed over the old one, so a crash leaves the old
 * record or the new one. The JSON is {@link UploadRecordJson}'s, which refuses anything that is not a
 * whole, plausible record.
 */
final class UploadRecordFile {

  private static final String SUFFIX = ".record";
  private static final String TEMPORARY = ".record.tmp";

  private final Path dir;

  UploadRecordFile(Path dir) {
    this.dir = dir;
  }

  void write(UploadRecord record) throws IOException {
    String id = record.uploadId();
    Path temp = dir.resolve(FileUploadStore.checked(id) + TEMPORARY);
    try (FileChannel channel = PrivateFiles.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      FileIo.writeFully(channel, ByteBuffer.wrap(UploadRecordJson.write(record)), 0);
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
    if (size > UploadRecordJson.MAX_BYTES) throw new IOException("the record is " + size + " bytes, not a record");
    return UploadRecordJson.read(Files.readAllBytes(file), uploadId);
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
