package dev.buildcast.upload;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where uploads live: one unfinished file per upload, appended to chunk by chunk; once the upload
 * passed its checks, its bytes as the blob {@link #blobKey uploads/<id>} of a {@link BlobStore}
 * (so that jobs on any node can read them); and next to each a durable {@link UploadRecord} (name,
 * size, offset, checksums, address, expectation) so that a restarted server can continue or hand
 * out what an earlier process accepted. Ids are checked by the caller ({@link UploadService});
 * implementations must still refuse ids that are not 22 URL-safe characters, so no id can name a
 * path outside the store.
 *
 * <p>Durability: bytes {@link #write written} are not promised to survive a crash until a record
 * whose offset covers them was {@link #save saved}; after a crash {@link #restore} answers each
 * unfinished upload with exactly the bytes of its last saved record. A record is replaced
 * atomically: a crash leaves the old one or the new one, never a mix.
 *
 * <p>Thread-safety: calls for different ids may run concurrently; calls for one id are serialised
 * by the caller. {@link #restore} runs before any other call.
 */
public interface UploadStore {
  /** See {@link #isUploadId}. */
  Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{22}");


  /** Creates the empty unfinished file of a new upload and saves its record (offset 0). */
  void create(UploadRecord record) throws IOException;

  /**
   * Writes {@code data} at {@code offset} of the unfinished file, which must be exactly the number
   * of bytes it holds (uploads are written in order, never with holes or overlaps).
   *
   * @return the number of bytes held afterwards
   * @throws WrongOffsetException when {@code offset} is not the number of bytes held
   */
  long write(String uploadId, long offset, ByteBuffer data) throws IOException;

  /**
   * Saves the record of an upload, replacing the previous one. For an unfinished upload the first
   * {@code record.offset()} bytes are made durable before the record is, so a saved offset is
   * never ahead of the bytes that survive a crash.
   */
  void save(UploadRecord record) throws IOException;

  /**
   * The upload's last saved record as the store holds it now; empty when it holds none (never
   * created, deleted). A store that several servers share answers the saves of all of them, so a
   * server learns here of an upload another one started or completed. Reading changes nothing.
   */
  Optional<UploadRecord> find(String uploadId) throws IOException;

  /**
   * Makes this server the one that continues the unfinished upload and answers its last saved
   * record: its next {@link #write} starts at that record's offset. From then on a server that
   * wrote it before is refused with {@link UploadMovedException} when it writes, saves or completes
   * it, so two servers never both extend one upload. A completed record is answered as it is, and
   * empty when the store holds none. A store that only one server uses has nobody to take over
   * from: it answers as {@link #find}.
   */
  Optional<UploadRecord> adopt(String uploadId) throws IOException;

  /**
   * Whether this server still continues the unfinished upload: false once another server {@link
   * #adopt adopted} it, or it completed or was deleted there, so this server's idea of it is stale.
   * A store only one server uses answers whether it holds the upload unfinished.
   */
  boolean holds(String uploadId) throws IOException;

  /** The bytes held by the unfinished file; -1 when there is none. */
  long unfinishedSize(String uploadId) throws IOException;

  /** Reads the unfinished file from its start (to rebuild its checksum after a restart). */
  InputStream readUnfinished(String uploadId) throws IOException;

  /**
   * Puts the unfinished file's bytes into the blob store as {@link #blobKey} and saves the
   * completed {@code record}, so that after a crash at any point the upload is either still
   * unfinished with its last record, or completed with this one ({@link #restore} finishes a put a
   * crash interrupted). The unfinished file is gone afterwards. Returns the blob.
   */
  BlobInfo complete(UploadRecord record) throws IOException;

  /** The completed upload's blob, if the upload completed and was not deleted. */
  Optional<BlobInfo> completed(String uploadId);

  /**
   * Opens the completed upload's bytes, or the part {@code range} asks for; the caller closes them.
   * Empty when the upload is not completed or was deleted.
   */
  Optional<Blob> openCompleted(String uploadId, BlobRange range);

  /** The blob key of an upload's completed bytes: {@code uploads/<uploadId>}. */
  static String blobKey(String uploadId) {
    return "uploads/" + uploadId;
  }

  /**
   * Whether {@code text} has the form of an upload id: 22 URL-safe Base64 characters. Anything else
   * (a path, a key of another kind) never names an upload, so stores check it before using it.
   */
  static boolean isUploadId(String text) {
    return text != null && UPLOAD_ID.matcher(text).matches();
  }

  /** The completed uploads' blobs under {@code uploads/} of {@code blobs}, for stores that keep them there. */
  static List<Completed> completedBlobs(BlobStore blobs) {
    String prefix = blobKey("");
    List<Completed> all = new ArrayList<>();
    for (BlobInfo blob : blobs.list(prefix)) {
      String id = blob.key().substring(prefix.length());
      if (isUploadId(id)) all.add(new Completed(id, blob.lastModified(), blob.size()));
    }
    return all;
  }

  /** Deletes whatever the store holds of the upload: unfinished bytes, completed blob, and its record. */
  void delete(String uploadId) throws IOException;

  /**
   * Reads every record back, at start-up: an unfinished upload's file is cut to its record's
   * offset (bytes after it were never promised); a completed one's blob must be there. An upload
   * whose record cannot be read or does not match its bytes (file or blob missing, shorter than the
   * offset, completed blob of another size) is deleted and reported in {@link Restored#dropped},
   * the others load. Completed files an earlier version kept next to the records are put into the
   * blob store here (with or without a record). Unfinished files without a record (from a version
   * that kept none) are left to {@link #unfinished}.
   */
  Restored restore() throws IOException;

  /** Every unfinished file with its last write time, for the sweeper. */
  List<Unfinished> unfinished() throws IOException;

  /** Every completed upload's blob with the time it was stored and its size, for the sweeper and the per-address quotas. */
  List<Completed> completedFiles() throws IOException;

  /**
   * How many uploads the store holds and their bytes: unfinished files and completed blobs
   * ({@link #completedFiles}) together, records not counted.
   */
  Usage usage() throws IOException;

  /** An unfinished file on disk. */
  record Unfinished(String uploadId, Instant lastModified) {}

  /** A completed upload's blob. */
  record Completed(String uploadId, Instant lastModified, long size) {}

  /** The store's size. */
  record Usage(long files, long bytes) {
    /** The size of these completed uploads. */
    public static Usage of(List<Completed> completed) {
      return new Usage(completed.size(), completed.stream().mapToLong(Completed::size).sum());
    }

    /** This size with one more upload of {@code bytes}. */
    public Usage plusOne(long bytes) {
      return new Usage(files + 1, this.bytes + bytes);
    }
  }

  /** What {@link #restore} found: the uploads that load, and those it dropped with why. */
  record Restored(List<UploadRecord> uploads, List<Dropped> dropped) {
    public Restored {
      uploads = List.copyOf(uploads);
      dropped = List.copyOf(dropped);
    }
  }

  /** An upload deleted at start-up because its durable state was damaged: its id (or the file's name) and the reason. */
  record Dropped(String upload, String reason) {}
}
