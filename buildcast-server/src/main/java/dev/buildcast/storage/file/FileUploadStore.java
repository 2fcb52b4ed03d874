package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.upload.UploadRecord;
import dev.buildcast.upload.UploadStore;
import dev.buildcast.upload.WrongOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Uploads as files in one folder ({@code data/uploads}): {@code <id>.part} while unfinished,
 * written with positional writes at the offset it holds, then renamed to {@code <id>} once
 * complete; {@code <id>.record} is the upload's {@link UploadRecord} ({@link UploadRecordFile}).
 * Memory use does not depend on the file's size: each chunk is written as it comes.
 *
 * <p>Crash order: a new upload's file is made before its record (a crash between leaves a file
 * without a record, which the sweeper removes once expired); a record of an unfinished upload is
 * saved only after its bytes were forced to disk; completing forces the bytes, saves the completed
 * record and then renames, so {@link #restore} finishes a rename a crash interrupted; deleting
 * removes the record first.
 */
public final class FileUploadStore implements UploadStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final String PART = ".part";

  private final Path dir;
  private final UploadRecordFile records;

  public FileUploadStore(Path dir) {
    this.dir = dir;
    this.records = new UploadRecordFile(dir);
  }

  @Override
  public void create(UploadRecord record) throws IOException {
    PrivateFiles.createFolders(dir);
    PrivateFiles.open(part(record.uploadId()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    records.write(record);
  }

  @Override
  public long write(String uploadId, long offset, ByteBuffer data) throws IOException {
    try (FileChannel channel = FileChannel.open(part(uploadId), StandardOpenOption.WRITE)) {
      long held = channel.size();
      // why check the file, not a counter: the file is the truth after a crash or a failed write
      if (offset != held) throw new WrongOffsetException(uploadId, offset, held);
      FileIo.writeFully(channel, data, offset);
      return channel.size();
    }
  }

  @Override
  public void save(UploadRecord record) throws IOException {
    if (!record.isCompleted()) force(part(record.uploadId()));
    records.write(record);
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(false);
    }
  }

  @Override
  public long unfinishedSize(String uploadId) throws IOException {
    Path part = part(uploadId);
    try {
      return Files.size(part);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  @Override
  public InputStream readUnfinished(String uploadId) throws IOException {
    return Files.newInputStream(part(uploadId));
  }

  @Override
  public Path complete(UploadRecord record) throws IOException {
    if (!record.isCompleted()) throw new IllegalArgumentException("upload " + record.uploadId() + " is not completed");
    Path part = part(record.uploadId());
    force(part);
    records.write(record);
    Path done = completedPath(record.uploadId());
    Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
    return done;
  }

  @Override
  public Optional<Path> completed(String uploadId) {
    if (!ID.matcher(uploadId).matches()) return Optional.empty();
    Path done = completedPath(uploadId);
    return Files.isRegularFile(done) ? Optional.of(done) : Optional.empty();
  }

  @Override
  public void delete(String uploadId) throws IOException {
    records.delete(checked(uploadId));
    Files.deleteIfExists(part(uploadId));
    Files.deleteIfExists(completedPath(uploadId));
  }

  @Override
  public Restored restore() throws IOException {
    if (!Files.isDirectory(dir)) return new Restored(List.of(), List.of());
    records.deleteTemporaryFiles();
    List<UploadRecord> loaded = new ArrayList<>();
    List<Dropped> dropped = new ArrayList<>();
    for (String id : records.ids()) {
      try {
        loaded.add(check(records.read(id)));
      } catch (DamagedUploadException | IOException | RuntimeException e) {
        // why RuntimeException too: whatever a damaged record holds must not stop the server starting
        dropped.add(new Dropped(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        deleteDamaged(id);
      }
    }
    return new Restored(loaded, dropped);
  }

  private void deleteDamaged(String uploadId) {
    try {
      delete(uploadId);
    } catch (IOException e) {
      // why go on: the other uploads must still load; the sweeper removes files without a record later
    }
  }

  /** The record as it loads, its bytes brought in line with it; or why it cannot load. */
  private UploadRecord check(UploadRecord record) throws IOException, DamagedUploadException {
    String id = record.uploadId();
    Path part = part(id);
    Path done = completedPath(id);
    if (record.isCompleted()) {
      if (Files.isRegularFile(done)) {
        if (Files.size(done) != record.size()) {
          throw new DamagedUploadException("the completed file holds " + Files.size(done) + " bytes, not the " + record.size() + " recorded");
        }
        return record;
      }
      if (Files.isRegularFile(part) && Files.size(part) == record.size()) {
        Files.move(part, done, StandardCopyOption.ATOMIC_MOVE); // the crash came between the record and the rename
        return record;
      }
      throw new DamagedUploadException("the completed file is missing");
    }
    if (!Files.isRegularFile(part)) throw new DamagedUploadException("its bytes (the .part file) are missing");
    long held = Files.size(part);
    if (held < record.offset()) {
      throw new DamagedUploadException("its file holds " + held + " bytes, fewer than the " + record.offset() + " recorded as written");
    }
    if (held > record.offset()) {
      // why cut: bytes past the recorded offset were written but never forced, so they may be torn
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
        channel.truncate(record.offset());
        channel.force(false);
      }
    }
    return record;
  }

  @Override
  public List<Unfinished> unfinished() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Unfinished> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (!name.endsWith(PART)) continue;
        String id = name.substring(0, name.length() - PART.length());
        if (!ID.matcher(id).matches()) continue;
        try {
          all.add(new Unfinished(id, Files.getLastModifiedTime(p).toInstant()));
        } catch (NoSuchFileException e) {
          // completed or deleted meanwhile
        }
      }
    }
    return all;
  }

  @Override
  public List<Completed> completedFiles() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Completed> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String id = p.getFileName().toString();
        if (!ID.matcher(id).matches()) continue;
        try {
          all.add(new Completed(id, Files.getLastModifiedTime(p).toInstant(), Files.size(p)));
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        }
      }
    }
    return all;
  }

  @Override
  public Usage usage() throws IOException {
    if (!Files.isDirectory(dir)) return new Usage(0, 0);
    long count = 0;
    long bytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!isUploadFile(p.getFileName().toString())) continue;
        try {
          bytes += Files.size(p);
          count++;
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        }
      }
    }
    return new Usage(count, bytes);
  }

  private static boolean isUploadFile(String name) {
    String id = name.endsWith(PART) ? name.substring(0, name.length() - PART.length()) : name;
    return ID.matcher(id).matches();
  }

  private Path part(String uploadId) {
    return dir.resolve(checked(uploadId) + PART);
  }

  private Path completedPath(String uploadId) {
    return dir.resolve(checked(uploadId));
  }

  static String checked(String uploadId) {
    if (uploadId == null || !ID.matcher(uploadId).matches()) {
      throw new IllegalArgumentException("not an upload id: " + uploadId);
    }
    return uploadId;
  }

  /** Durable state that does not match itself; the upload is dropped. */
  private static final class DamagedUploadException extends Exception {
    private static final long serialVersionUID = 1L;

    DamagedUploadException(String message) {
      super(message);
    }
  }
}
