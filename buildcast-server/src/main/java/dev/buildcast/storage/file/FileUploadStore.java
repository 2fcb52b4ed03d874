package dev.buildcast.storage.file;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.storage.UnfinishedUploadFile;
import dev.buildcast.upload.UploadRecord;
import dev.buildcast.upload.UploadStore;
import dev.buildcast.upload.WrongOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Unfinished uploads as files in one folder ({@code data/uploads}): {@code <id>.part}, written
 * with positional writes at the offset it holds; once complete its bytes are put into the {@link
 * BlobStore} as {@code uploads/<id>} and the part file is deleted; {@code <id>.record} is the
 * upload's {@link UploadRecord} ({@link UploadRecordFile}). Memory use does not depend on the
 * file's size: each chunk is written as it comes.
 *
 * <p>Cost: completing copies the bytes once into the blob store (the port's put reads a stream;
 * no adapter promises a move), so a completing upload briefly takes its size twice on disk with
 * {@code FolderBlobStore}.
 *
 * <p>Crash order: a new upload's file is made before its record (a crash between leaves a file
 * without a record, which the sweeper removes once expired); a record of an unfinished upload is
 * saved only after its bytes were forced to disk; completing forces the bytes, saves the completed
 * record, puts the blob and then deletes the part file, so {@link #restore} finishes a completion
 * a crash interrupted; deleting removes the record first.
 *
 * <p>Earlier layout: a version before the blob store renamed a completed upload to {@code <id>} in
 * this folder; {@link #restore} puts such files into the blob store and deletes them.
 */
public final class FileUploadStore implements UploadStore {

  private final Path dir;
  private final BlobStore blobs;
  private final UploadRecordFile records;

  /** Unfinished files and records under {@code dir}, completed uploads in {@code blobs}. */
  public FileUploadStore(Path dir, BlobStore blobs) {
    this.dir = dir;
    this.blobs = blobs;
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
  public Optional<UploadRecord> find(String uploadId) throws IOException {
    try {
      return Optional.of(records.read(checked(uploadId)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** One server uses this folder: nobody to take the upload over from. */
  @Override
  public Optional<UploadRecord> adopt(String uploadId) throws IOException {
    return find(uploadId);
  }

  @Override
  public boolean holds(String uploadId) throws IOException {
    return unfinishedSize(uploadId) >= 0;
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
  public BlobInfo complete(UploadRecord record) throws IOException {
    if (!record.isCompleted()) throw new IllegalArgumentException("upload " + record.uploadId() + " is not completed");
    Path part = part(record.uploadId());
    force(part);
    records.write(record);
    BlobInfo blob = putBlob(record.uploadId(), part);
    Files.delete(part);
    return blob;
  }

  private BlobInfo putBlob(String uploadId, Path file) throws IOException {
    try {
      return blobs.put(UploadStore.blobKey(uploadId), file);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public Optional<BlobInfo> completed(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) return Optional.empty();
    try (Blob blob = blobs.get(UploadStore.blobKey(uploadId), BlobRange.all()).orElse(null)) {
      return blob == null ? Optional.empty() : Optional.of(blob.info());
    } catch (IOException e) {
      throw new UncheckedIOException("could not close blob of upload " + uploadId, e);
    }
  }

  @Override
  public Optional<Blob> openCompleted(String uploadId, BlobRange range) {
    if (!UploadStore.isUploadId(uploadId)) return Optional.empty();
    return blobs.get(UploadStore.blobKey(uploadId), range);
  }

  @Override
  public void delete(String uploadId) throws IOException {
    records.delete(checked(uploadId));
    Files.deleteIfExists(part(uploadId));
    Files.deleteIfExists(legacyCompletedPath(uploadId));
    blobs.delete(UploadStore.blobKey(uploadId));
  }

  @Override
  public Restored restore() throws IOException {
    if (!Files.isDirectory(dir)) return new Restored(List.of(), List.of());
    records.deleteTemporaryFiles();
    migrateLegacyCompletedFiles();
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

  /**
   * Puts every completed file of the earlier layout ({@code <id>} in this folder) into the blob
   * store, keeping its last write time as far as the blob store lets (it does not: the blob is as
   * old as the put, so such an upload expires {@code expireAfter} after this start at the latest).
   */
  private void migrateLegacyCompletedFiles() throws IOException {
    List<Path> legacy = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> UploadStore.isUploadId(p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(legacy::add);
    }
    for (Path file : legacy) {
      putBlob(file.getFileName().toString(), file);
      Files.delete(file);
    }
  }

  /** The record as it loads, its bytes brought in line with it; or why it cannot load. */
  private UploadRecord check(UploadRecord record) throws IOException, DamagedUploadException {
    String id = record.uploadId();
    Path part = part(id);
    if (record.isCompleted()) {
      Optional<BlobInfo> done = completed(id);
      if (done.isPresent()) {
        if (done.get().size() != record.size()) {
          throw new DamagedUploadException("the completed blob holds " + done.get().size() + " bytes, not the " + record.size() + " recorded");
        }
        Files.deleteIfExists(part); // the crash came between the put and the deletion
        return record;
      }
      if (Files.isRegularFile(part) && Files.size(part) == record.size()) {
        putBlob(id, part); // the crash came between the record and the put
        Files.delete(part);
        return record;
      }
      throw new DamagedUploadException("the completed blob is missing");
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
        Optional<String> id = UnfinishedUploadFile.uploadIdOf(p.getFileName().toString());
        if (id.isEmpty()) continue;
        try {
          all.add(new Unfinished(id.get(), Files.getLastModifiedTime(p).toInstant()));
        } catch (NoSuchFileException e) {
          // completed or deleted meanwhile
        }
      }
    }
    return all;
  }

  @Override
  public List<Completed> completedFiles() {
    return UploadStore.completedBlobs(blobs);
  }

  @Override
  public Usage usage() throws IOException {
    Usage usage = Usage.of(completedFiles());
    if (!Files.isDirectory(dir)) return usage;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (UnfinishedUploadFile.uploadIdOf(p.getFileName().toString()).isEmpty()) continue;
        try {
          usage = usage.plusOne(Files.size(p));
        } catch (NoSuchFileException e) {
          // completed or deleted meanwhile
        }
      }
    }
    return usage;
  }

  private Path part(String uploadId) {
    return dir.resolve(UnfinishedUploadFile.name(uploadId));
  }

  /** Where the earlier layout kept a completed upload. */
  private Path legacyCompletedPath(String uploadId) {
    return dir.resolve(checked(uploadId));
  }

  static String checked(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) {
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
