package dev.buildcast.upload;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.job.InputFiles;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.job.SecureTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides everything about uploads: starts them within the limits, accepts chunks only at the
 * offset the server holds, hashes bytes as they are written, completes an upload when its last
 * byte is in (checking size and SHA-256), aborts, and expires idle ones. Transports call it;
 * bytes go to the {@link UploadStore}.
 *
 * <p>Ownership: each unfinished upload belongs to one <em>owner</em> (a connection) and counts for
 * that owner's client <em>address</em> (bound by the transport with {@link #bindAddress}; an owner
 * never bound is its own address). The limits on unfinished uploads and the quotas on bytes and
 * uploads held are per address, so a client cannot reset them by reconnecting; resuming moves an
 * upload to the resuming connection and its address. Nothing but the id is needed to resume, abort
 * or write, so the id is the capability (128 random bits, never listed).
 *
 * <p>Expiry: an unfinished upload with no chunk for {@code expireAfter}, and a completed one no job
 * has taken for {@code expireAfter}, are deleted by {@link #sweep}.
 *
 * <p>Restart: what a client or a job needs after a restart is in the store's {@link UploadRecord}s
 * (name, size, announced SHA-256, address, expectation, offset, completion). An unfinished upload's
 * record is saved every {@link #CHECKPOINT_BYTES} of chunks (or {@link #CHECKPOINT_INTERVAL} of
 * them, whichever comes first), when it is resumed, and when its transport asks ({@link #saveProgress}: at
 * the end of each HTTP body); each save forces the bytes first (see {@link UploadStore#save}), so a restarted server
 * answers a resume with the offset of the last save and the client sends the rest again. The
 * SHA-256 in progress is not saved (a digest cannot be): it is rebuilt by reading the file once, when
 * the restored upload's next chunk or completion needs it, which costs at most {@code maxBytes} of
 * reading, on that upload's request only (start-up reads no upload's bytes).
 *
 * <p>Size: the class stays whole past 400 lines because limits, offsets, completion, expiry and
 * restore all change the same two maps under the same locks; split, each part would need the
 * others' locking rules.
 *
 * <p>Concurrency: every change of an unfinished upload happens under its {@link PendingUpload} monitor;
 * different uploads proceed in parallel.
 */
public final class UploadService implements InputFiles {

  private static final Logger log = LoggerFactory.getLogger(UploadService.class);

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  /**
   * How many bytes of chunks an unfinished upload takes between two saves of its record. why 4 MiB:
   * a save forces the file to disk, which costs milliseconds; every 8th chunk keeps that small next to
   * the writes, and a crash costs a client at most 4 MiB sent again.
   */
  static final long CHECKPOINT_BYTES = 4L << 20;

  /**
   * The longest an unfinished upload that gets chunks goes without a save of its record, so that a
   * slow client's upload is restored with a recent last activity (its expiry counts from it).
   */
  static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

  private final UploadStore store;
  private final UploadLimits limits;
  private final Clock clock;
  private final long checkpointBytes;
  private final Map<String, PendingUpload> pending = new ConcurrentHashMap<>();
  private final Map<String, CompletedUpload> completed = new ConcurrentHashMap<>();
  /** Completed uploads in the store, with the address they count for and their last use. */
  private final Map<String, Kept> kept = new ConcurrentHashMap<>();
  private final Map<String, String> addressOfOwner = new ConcurrentHashMap<>();
  /**
   * Serialises the store calls on completed uploads (saving a last use, deleting), which happen
   * outside any upload's lock: the store wants one call at a time per id. They are rare (a job
   * taking an upload, an abort, an expiry), so one lock for all is enough.
   */
  private final Object completedRecords = new Object();
  /** Serialises taking uploads over from the store ({@link #adopted}). */
  private final Object adoptions = new Object();

  /** Reads back what the store holds from an earlier run ({@link UploadStore#restore}) before anything else. */
  public UploadService(UploadStore store, UploadLimits limits, Clock clock) {
    this(store, limits, clock, CHECKPOINT_BYTES);
  }

  UploadService(UploadStore store, UploadLimits limits, Clock clock, long checkpointBytes) {
    if (checkpointBytes < 1) throw new IllegalArgumentException("checkpointBytes must be positive");
    this.store = store;
    this.limits = limits;
    this.clock = clock;
    this.checkpointBytes = checkpointBytes;
    restore();
  }

  public UploadLimits limits() {
    return limits;
  }

  /** Where an upload stands after a start or resume: the id, the chunk size to use, the bytes held. */
  public record Started(String uploadId, int chunkSize, long offset, long size, Optional<CompletedUpload> completed) {}

  /** What writing a chunk did: the bytes now held, the progress worth reporting, the completion. */
  public record Written(long offset, Optional<UploadProgress> progress, Optional<CompletedUpload> completed) {}

  /**
   * What a client announces when it starts an upload.
   *
   * @param expect what the file must be; the completion reports whether it is ({@link #expectation})
   * @param resumable whether its client can resume it by id; one that cannot (socketio-file-upload)
   *     is deleted at a restart instead of waiting for its expiry
   */
  public record Announced(String name, long size, Optional<String> sha256, Optional<UploadKind> expect, boolean resumable) {}

  /**
   * Starts a new upload of {@code size} bytes for {@code owner}, resumable by id, with no
   * expectation. A zero-byte upload completes at once (the result says so).
   */
  public Started start(String owner, String name, long size, Optional<String> sha256) {
    return start(owner, new Announced(name, size, sha256, Optional.empty(), true));
  }

  /** Starts a new upload as announced; a zero-byte upload completes at once (the result says so). */
  public Started start(String owner, Announced file) {
    if (file.size() < 0) throw UploadException.badRequest("'size' must be the file's size in bytes, 0 or more; got " + file.size() + ".");
    return open(owner, file);
  }

  /** {@code size} -1: not known yet (a stream whose end tells). */
  private Started open(String owner, Announced file) {
    long size = file.size();
    checkSize(size);
    String expected = file.sha256().map(UploadService::checkedSha).orElse(null);
    PendingUpload upload = new PendingUpload(SecureTokens.newId(), checkedName(file.name()), size, expected, owner, addressOf(owner), clock);
    upload.expect = file.expect();
    upload.resumable = file.resumable();
    synchronized (this) {
      // why the service lock: two starts from one address (HTTP, or a client on two threads) must not both pass the count
      checkUnfinishedLimit(upload.address);
      checkQuota(upload.address, Math.max(size, 0), null);
      pending.put(upload.id, upload);
    }
    synchronized (upload) {
      try {
        store.create(upload.record());
      } catch (IOException e) {
        pending.remove(upload.id);
        throw new UncheckedIOException("could not create upload " + upload.id, e);
      }
      log.info("{} - upload started: {} bytes", upload.id, size);
      Optional<CompletedUpload> done = size == 0 ? Optional.of(finish(upload)) : Optional.empty();
      return new Started(upload.id, limits.chunkSize(), upload.bytes, size, done);
    }
  }

  /**
   * Continues an unfinished upload, now owned by {@code owner}: the result's offset is the bytes the
   * server holds. A completed upload answers with its full size and the completion.
   */
  public Started resume(String owner, String uploadId) {
    return resume(owner, uploadId, Optional.empty());
  }

  /**
   * Continues an unfinished upload, as {@link #resume(String, String)}; {@code expect}, when given,
   * replaces the expectation the upload was started with. A restored upload whose every byte is
   * in (a crash came before its completion) completes now.
   */
  public Started resume(String owner, String uploadId, Optional<UploadKind> expect) {
    return resume(owner, uploadId, expect, true);
  }

  private Started resume(String owner, String uploadId, Optional<UploadKind> expect, boolean retry) {
    checkId(uploadId);
    PendingUpload upload = adopted(uploadId);
    if (upload == null) {
      CompletedUpload done = completed.get(uploadId);
      if (done != null && store.completed(uploadId).isPresent()) {
        return new Started(uploadId, limits.chunkSize(), done.size(), done.size(), Optional.of(done));
      }
      throw UploadException.unknown(uploadId);
    }
    synchronized (this) {
      String address = addressOf(owner);
      if (!Objects.equals(upload.address, address)) checkUnfinishedLimit(address);
      upload.owner = owner;
      upload.address = address;
    }
    synchronized (upload) {
      if (upload.closed) throw UploadException.unknown(uploadId);
      upload.touch();
      expect.ifPresent(kind -> upload.expect = Optional.of(kind));
      upload.resumable = true; // why: this client resumes by id, whatever protocol started the upload
      if (upload.size >= 0 && upload.bytes == upload.size) {
        return new Started(uploadId, limits.chunkSize(), upload.bytes, upload.size, Optional.of(finish(upload)));
      }
      checkpoint(upload); // why: the address it counts for and its expectation must survive a restart too
      if (!upload.closed) return new Started(uploadId, limits.chunkSize(), upload.bytes, upload.size, Optional.empty());
    }
    // the checkpoint found that another server continues it now: take it over from the store, once
    if (retry) return resume(owner, uploadId, expect, false);
    throw UploadException.unknown(uploadId);
  }

  /**
   * Where an upload stands, read without changing it (nor who it counts for): its bytes held, its
   * announced size and, once complete, its completion. Unknown, aborted and expired ids are refused.
   */
  public Standing standing(String uploadId) {
    checkId(uploadId);
    PendingUpload upload = adopted(uploadId);
    if (upload != null) {
      synchronized (upload) {
        if (!upload.closed) return new Standing(uploadId, upload.name, upload.bytes, upload.size, Optional.empty());
      }
    }
    CompletedUpload done = completed.get(uploadId);
    if (done != null && store.completed(uploadId).isPresent()) return new Standing(uploadId, done.name(), done.size(), done.size(), Optional.of(done));
    throw UploadException.unknown(uploadId);
  }

  /** An upload's name, bytes held and announced size (-1: not known yet), and its completion once complete. */
  public record Standing(String uploadId, String name, long offset, long size, Optional<CompletedUpload> completed) {}

  /**
   * Saves an unfinished resumable upload's record at the bytes it holds now (bytes forced first),
   * so that a restart keeps every byte received so far. For a transport whose request ended (an HTTP
   * body, whole or cut): what it answers is then what a restarted server answers too. A failure is
   * logged, as for the periodic saves; an upload that is complete or gone is left alone.
   */
  public void saveProgress(String uploadId) {
    PendingUpload upload = pending.get(uploadId);
    if (upload == null) return;
    synchronized (upload) {
      if (!upload.closed && upload.resumable && upload.bytes > upload.durableBytes) checkpoint(upload);
    }
  }

  /** What the client said the upload must be, at its start or last resume; empty when it said nothing or the upload is unknown. */
  public Optional<UploadKind> expectation(String uploadId) {
    if (uploadId == null) return Optional.empty();
    PendingUpload upload = pending.get(uploadId);
    if (upload != null) {
      synchronized (upload) {
        return upload.expect;
      }
    }
    if (!kept.containsKey(uploadId)) completedUpload(uploadId); // why: it may have completed on another server
    Kept k = kept.get(uploadId);
    return k == null ? Optional.empty() : k.expect();
  }

  /**
   * Writes a chunk that must start at the bytes held. When it brings the upload to its declared
   * size, the upload is checked and completed (or deleted if a check fails, and the failure
   * thrown).
   */
  public Written write(String uploadId, long offset, ByteBuffer data) {
    return write(uploadId, offset, data, NOTHING);
  }

  /**
   * Writes a chunk as {@link #write(String, long, ByteBuffer)} does, and runs {@code accepted} once
   * the chunk passed every check (upload known, offset, declared size, limits), before its bytes are
   * hashed and written. why: a client that sends one chunk and waits for an answer before the next
   * (socketio-file-upload) can be told to go on while this one goes to disk, so its next chunk is
   * under way meanwhile; a refusal still comes before {@code accepted}, and a failure of the write
   * itself is thrown as usual (the upload is deleted), for the transport to report. {@code
   * accepted} runs under the upload's lock: it must not block nor call this service.
   */
  public Written write(String uploadId, long offset, ByteBuffer data, Runnable accepted) {
    checkId(uploadId);
    PendingUpload upload = adopted(uploadId);
    if (upload == null) throw UploadException.unknown(uploadId);
    try {
      return writeLocked(upload, offset, data, accepted);
    } catch (MovedAway e) {
      // why not an error: the client resumed on another server; this one takes it back at what that one saved
      PendingUpload now = adopted(uploadId);
      if (now == null) throw UploadException.unknown(uploadId);
      throw new WrongOffsetException(uploadId, offset, now.bytes);
    }
  }

  /**
   * Writes the next piece of a request that began by {@link #resume resuming} the upload on this
   * server (the rest of an HTTP {@code PATCH} body), as {@link #write} does — except when another
   * server continued the upload since: then this request is stale (its client went on elsewhere,
   * or gave it up and the server is still reading what it had sent), and it is refused with
   * {@code wrong_offset} at the offset the store recorded, leaving the upload where it is. why not
   * as {@link #write}, which takes the upload back: the other server's request, the live one, would
   * then be refused at its next piece, and its client would send again what it had already sent.
   */
  public Written writeResumed(String uploadId, long offset, ByteBuffer data) {
    checkId(uploadId);
    PendingUpload upload = pending.get(uploadId);
    if (upload == null) throw movedOn(uploadId, offset);
    try {
      if (!store.holds(uploadId)) {
        synchronized (upload) {
          forget(upload);
        }
        throw movedOn(uploadId, offset);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the holder of upload " + uploadId + " failed", e);
    }
    try {
      return writeLocked(upload, offset, data, NOTHING);
    } catch (MovedAway e) {
      throw movedOn(uploadId, offset);
    }
  }

  /** The refusal of a stale request's piece: the offset the store recorded, or unknown once the upload completed or went. */
  private RuntimeException movedOn(String uploadId, long offset) {
    Optional<UploadRecord> stored;
    try {
      stored = store.find(uploadId);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the record of upload " + uploadId + " failed", e);
    }
    if (stored.isEmpty() || !stored.get().resumable()) return UploadException.unknown(uploadId);
    if (stored.get().isCompleted()) {
      learnCompleted(stored.get());
      return UploadException.unknown(uploadId);
    }
    return new WrongOffsetException(uploadId, offset, stored.get().offset());
  }

  /** Signals, out of an upload's lock, that the store says another server continues the upload now. */
  private static final class MovedAway extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MovedAway() {
      super(null, null, false, false);
    }
  }

  private static final Runnable NOTHING = () -> { };

  private Written writeLocked(PendingUpload upload, long offset, ByteBuffer data, Runnable accepted) {
    String uploadId = upload.id;
    synchronized (upload) {
      if (upload.closed) throw UploadException.unknown(uploadId);
      if (offset != upload.bytes) throw new WrongOffsetException(uploadId, offset, upload.bytes);
      long end = offset + data.remaining();
      if (upload.size >= 0 && end > upload.size) {
        throw new UploadException("size_mismatch", "Chunk ends at byte " + end + ", past the declared size of "
            + upload.size + " bytes of upload " + uploadId + "; send at most " + (upload.size - offset) + " bytes here.");
      }
      if (end > limits.maxBytes()) {
        fail(upload);
        throw tooLarge(end);
      }
      if (upload.size < 0) {
        // why only for a stream of unknown length: a known size was counted against the quota at start
        try {
          checkQuota(upload.address, end, upload.id);
        } catch (UploadException overQuota) {
          fail(upload);
          throw overQuota;
        }
      }
      MessageDigest digest = digestOf(upload);
      accepted.run();
      digest.update(data.duplicate());
      try {
        upload.bytes = store.write(uploadId, offset, data);
      } catch (UploadMovedException e) {
        forget(upload);
        throw new MovedAway(); // why thrown out of the lock: adopting takes the adoption lock, which waits for upload locks
      } catch (IOException e) {
        fail(upload);
        throw new UncheckedIOException("writing upload " + uploadId + " failed", e);
      }
      upload.touch();
      boolean last = upload.size >= 0 && upload.bytes == upload.size;
      if (!last && upload.resumable && isCheckpointDue(upload)) checkpoint(upload);
      Optional<UploadProgress> progress = upload.size >= 0 && upload.throttle.shouldReport(upload.bytes, upload.size)
          ? Optional.of(UploadProgress.of(uploadId, upload.bytes, upload.size))
          : Optional.empty();
      Optional<CompletedUpload> done = upload.size >= 0 && upload.bytes == upload.size ? Optional.of(finish(upload)) : Optional.empty();
      return new Written(upload.bytes, progress, done);
    }
  }

  /**
   * Completes an upload whose size was not known when it started (an HTTP body without length),
   * checking the SHA-256 if one is expected now.
   */
  public CompletedUpload finishStream(String uploadId, Optional<String> sha256) {
    PendingUpload upload = pending.get(uploadId);
    if (upload == null) throw UploadException.unknown(uploadId);
    synchronized (upload) {
      if (upload.closed) throw UploadException.unknown(uploadId);
      sha256.map(UploadService::checkedSha).ifPresent(s -> upload.expectedSha256 = s);
      if (upload.size < 0) upload.size = upload.bytes;
      if (upload.bytes != upload.size) {
        fail(upload);
        throw new UploadException("size_mismatch", "Upload " + uploadId + " ended after " + upload.bytes
            + " bytes, but " + upload.size + " were announced; it was deleted, upload the whole file again.");
      }
      return finish(upload);
    }
  }

  /**
   * Receives a whole upload from a stream (HTTP), chunk by chunk, never holding more than one
   * buffer. {@code size} is the announced length when known.
   */
  public CompletedUpload receive(String owner, String name, OptionalLong size, Optional<String> sha256, InputStream in)
      throws IOException {
    Started started = startStream(owner, name, size, sha256);
    if (started.completed().isPresent()) return started.completed().get();
    String uploadId = started.uploadId();
    try {
      byte[] buffer = new byte[limits.chunkSize()];
      long offset = 0;
      int read;
      // why no check for bytes after the announced size: the HTTP server already cuts the body at Content-Length
      while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        Written written = write(uploadId, offset, ByteBuffer.wrap(buffer, 0, read));
        if (written.completed().isPresent()) return written.completed().get();
        offset = written.offset();
      }
      return finishStream(uploadId, Optional.empty());
    } catch (IOException | RuntimeException e) {
      abortQuietly(uploadId);
      throw e;
    }
  }

  /** Starts an upload to be filled by {@link #write} in order and ended by {@link #finishStream}. */
  public Started startStream(String owner, String name, OptionalLong size, Optional<String> sha256) {
    // why not resumable: the client learns the id only from the answer, after the last byte
    Announced file = new Announced(name, size.orElse(-1), sha256, Optional.empty(), false);
    return size.isPresent() ? start(owner, file) : open(owner, file);
  }

  /** Deletes an upload, unfinished or completed. Unknown ids are refused. */
  public void abort(String uploadId) {
    checkId(uploadId);
    PendingUpload upload = adopted(uploadId);
    if (upload != null) {
      synchronized (upload) {
        if (!upload.closed) {
          fail(upload);
          log.info("{} - upload aborted at {} bytes", uploadId, upload.bytes);
          return;
        }
      }
    }
    synchronized (completedRecords) {
      kept.remove(uploadId);
      if (completed.remove(uploadId) != null || store.completed(uploadId).isPresent()) {
        deleteQuietly(uploadId);
        log.info("{} - completed upload deleted", uploadId);
        return;
      }
    }
    throw UploadException.unknown(uploadId);
  }

  /** Aborts if the upload is still there; for transports cleaning up after a failure. */
  public void abortQuietly(String uploadId) {
    PendingUpload upload = pending.get(uploadId);
    if (upload == null) return;
    synchronized (upload) {
      if (!upload.closed) fail(upload);
    }
  }

  /** How many unfinished uploads there are, of every owner (for monitoring, and for tests that check nothing is left behind). */
  public int unfinishedCount() {
    return pending.size();
  }

  /** How many unfinished uploads {@code owner} holds. */
  public int unfinishedOf(String owner) {
    return (int) pending.values().stream().filter(p -> Objects.equals(p.owner, owner)).count();
  }

  /**
   * The owner went away (its connection closed): its uploads stay, resumable by id, and keep counting
   * for their address (a new connection from it gets no fresh allowance). Nobody else's upload is touched.
   */
  public void release(String owner) {
    for (PendingUpload p : pending.values()) {
      if (!Objects.equals(p.owner, owner)) continue;
      synchronized (this) {
        if (Objects.equals(p.owner, owner)) p.owner = null;
      }
    }
    addressOfOwner.remove(owner);
  }

  /** Uploads {@code owner} starts or resumes count for {@code address} (the client's IP address). */
  public void bindAddress(String owner, String address) {
    addressOfOwner.put(owner, address);
  }

  /** How many unfinished uploads {@code address} holds. */
  public int unfinishedOfAddress(String address) {
    return (int) pending.values().stream().filter(p -> Objects.equals(p.address, address)).count();
  }

  /** Files and bytes in the upload store (for {@code /healthz} and {@code /metrics}). */
  public UploadStore.Usage storeUsage() {
    try {
      return store.usage();
    } catch (IOException e) {
      throw new UncheckedIOException("could not measure the upload store", e);
    }
  }

  /**
   * The completed upload's blob, if it exists (also after a restart: then from the store alone).
   * Counts as a use: a job takes it.
   */
  @Override
  public Optional<BlobInfo> completed(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) return Optional.empty();
    Optional<BlobInfo> blob = store.completed(uploadId);
    blob.ifPresent(b -> used(uploadId, b.size()));
    return blob;
  }

  /** Copies the completed upload's bytes into the new file {@code target}; counts as a use, as {@link #completed}. */
  @Override
  public boolean copyTo(String uploadId, Path target) throws IOException {
    Optional<Blob> opened = open(uploadId);
    if (opened.isEmpty()) return false;
    try (Blob blob = opened.get()) {
      used(uploadId, blob.info().size());
      try (FileChannel channel = PrivateFiles.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        blob.content().transferTo(out);
      }
    }
    return true;
  }

  /** Opens the completed upload's bytes (the caller closes them), without counting as a use; empty when there is none. */
  public Optional<Blob> open(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) return Optional.empty();
    return store.openCompleted(uploadId, BlobRange.all());
  }

  /**
   * Whether the completed upload is a zip, read from its blob by ranges (its end record and central
   * directory, not its whole bytes); empty when there is no such upload. Not a use.
   */
  public Optional<UploadKind.Verdict> kindOf(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) return Optional.empty();
    Optional<BlobInfo> blob = store.completed(uploadId);
    if (blob.isEmpty()) return Optional.empty();
    long size = blob.get().size();
    return Optional.of(new UploadKind.Verdict(UploadKind.whyNotZip(new ZipCentralDirectory.Source() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public ByteBuffer read(long position, int length) throws IOException {
        if (position < 0 || position + length > size) throw new ZipException("a zip record points past the file's " + size + " bytes");
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        if (length == 0) return buffer;
        try (Blob part = store.openCompleted(uploadId, BlobRange.between(position, position + length - 1))
            .orElseThrow(() -> new IOException("the upload was deleted while it was read"))) {
          byte[] bytes = part.content().readNBytes(length);
          if (bytes.length != length) throw new ZipException("zip ends early at byte " + (position + bytes.length));
          return buffer.put(bytes).flip().order(ByteOrder.LITTLE_ENDIAN);
        }
      }
    })));
  }

  /** why: a job took it, so it is in use; it expires expireAfter after its last use, not after its completion */
  private void used(String uploadId, long size) {
    Kept used = kept.compute(uploadId, (id, k) -> k == null ? new Kept(null, size, clock.instant(), Optional.empty()) : k.usedAt(clock.instant()));
    saveUse(uploadId, used);
  }

  /** Records a completed upload's last use, so its expiry counts from it after a restart too. */
  private void saveUse(String uploadId, Kept used) {
    synchronized (completedRecords) {
      CompletedUpload done = completed.get(uploadId);
      // why check kept: an abort or the sweeper may have deleted it meanwhile, and a record must not come back
      if (done == null || kept.get(uploadId) != used) return; // no record: a file from a version that kept none
      try {
        store.save(new UploadRecord(uploadId, done.name(), done.size(), done.size(), Optional.empty(), Optional.of(done.sha256()),
            Optional.ofNullable(used.address()), used.expect(), true, used.lastUse()));
      } catch (IOException | RuntimeException e) {
        log.warn("{} - saving the upload's last use failed; after a restart it may expire earlier: {}", uploadId, e.toString());
      }
    }
  }

  @Override
  public Optional<String> nameOf(String uploadId) {
    return completedUpload(uploadId).map(CompletedUpload::name);
  }

  /** The completion record of a completed upload (also of one completed before a restart). */
  public Optional<CompletedUpload> completedUpload(String uploadId) {
    CompletedUpload done = completed.get(uploadId);
    if (done != null || !UploadStore.isUploadId(uploadId)) return Optional.ofNullable(done);
    try {
      // why ask the store: a store shared by several servers holds uploads another one completed
      return store.find(uploadId).filter(UploadRecord::isCompleted).map(this::learnCompleted);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the record of upload " + uploadId + " failed", e);
    }
  }

  /** Takes a completed record the store holds (of an earlier run, or of another server) into the maps; answers its completion. */
  private CompletedUpload learnCompleted(UploadRecord r) {
    CompletedUpload done = new CompletedUpload(r.uploadId(), r.name(), r.size(), r.sha256().orElseThrow());
    kept.putIfAbsent(r.uploadId(), new Kept(r.address().orElse(null), r.size(), r.lastActivity(), r.expect()));
    CompletedUpload known = completed.putIfAbsent(r.uploadId(), done);
    return known != null ? known : done;
  }

  /**
   * The unfinished upload {@code uploadId}: this server's while the store says this server still
   * continues it ({@link UploadStore#holds}), or else one the store holds that another
   * server (or an earlier process) saved, which this server then continues from its saved offset
   * ({@link UploadStore#adopt}). A completed one found there is learnt ({@link #learnCompleted}) and
   * null answered, as for none. An upload whose client cannot resume it stays with its server.
   */
  private PendingUpload adopted(String uploadId) {
    PendingUpload upload = pending.get(uploadId);
    try {
      if (upload != null && store.holds(uploadId)) return upload;
      // why one lock: the store wants one call at a time per id, and two requests finding the same
      // stale copy must adopt once, not reset each other's bytes; adopting is rare (once per move)
      synchronized (adoptions) {
        upload = pending.get(uploadId);
        if (upload != null) {
          if (store.holds(uploadId)) return upload; // another request adopted it meanwhile
          synchronized (upload) {
            forget(upload); // why: another server continued it since; what this one holds is stale
          }
        }
        Optional<UploadRecord> found = store.adopt(uploadId);
        if (found.isEmpty()) return null;
        UploadRecord r = found.get();
        if (r.isCompleted()) {
          learnCompleted(r);
          return null;
        }
        if (!r.resumable()) return null;
        PendingUpload restored = PendingUpload.restored(r, clock);
        PendingUpload raced = pending.putIfAbsent(uploadId, restored);
        if (raced != null) return raced;
        log.info("{} - unfinished upload taken over from the store at {} of {} bytes", uploadId, r.offset(), r.size());
        return restored;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the record of upload " + uploadId + " failed", e);
    }
  }


  /**
   * Deletes unfinished uploads idle longer than {@code expireAfter}, unfinished files nobody holds
   * (left by a previous process) once as old, and completed uploads no job took within
   * {@code expireAfter} of their completion or last use (files of a previous process: of their last
   * write). Returns how many were deleted.
   */
  public int sweep() {
    Instant cutoff = clock.instant().minus(limits.expireAfter());
    int deleted = 0;
    for (PendingUpload p : pending.values()) {
      synchronized (p) {
        if (!p.closed && p.lastActivity.isBefore(cutoff)) {
          if (continuedElsewhere(p, cutoff)) {
            forget(p);
            continue;
          }
          fail(p);
          deleted++;
          log.info("{} - unfinished upload expired after {} idle, deleted", p.id, limits.expireAfter());
        }
      }
    }
    try {
      for (UploadStore.Unfinished u : store.unfinished()) {
        if (!pending.containsKey(u.uploadId()) && u.lastModified().isBefore(cutoff)) {
          store.delete(u.uploadId());
          deleted++;
          log.info("{} - unfinished upload file from an earlier run expired, deleted", u.uploadId());
        }
      }
    } catch (IOException e) {
      log.warn("sweeping unfinished uploads failed; will retry", e);
    }
    return deleted + sweepCompleted(cutoff);
  }

  /**
   * Called with the upload's lock held: whether the store's record says another server completed
   * the upload or saved it after {@code cutoff} (a client resumed it there), so this server's idle
   * copy is stale and must not delete it. A store only this server uses never says so.
   */
  private boolean continuedElsewhere(PendingUpload upload, Instant cutoff) {
    try {
      return store.find(upload.id).map(r -> r.isCompleted() || r.lastActivity().isAfter(cutoff)).orElse(false);
    } catch (IOException | RuntimeException e) {
      return true; // why: unsure, keep it; the next sweep asks again
    }
  }

  private int sweepCompleted(Instant cutoff) {
    int deleted = 0;
    for (Map.Entry<String, Kept> e : kept.entrySet()) {
      if (!e.getValue().lastUse().isBefore(cutoff)) continue;
      synchronized (completedRecords) {
        if (!kept.remove(e.getKey(), e.getValue())) continue;
        completed.remove(e.getKey());
        deleteQuietly(e.getKey());
      }
      deleted++;
      log.info("{} - completed upload unused for {}, deleted", e.getKey(), limits.expireAfter());
    }
    try {
      for (UploadStore.Completed c : store.completedFiles()) {
        if (!kept.containsKey(c.uploadId()) && !pending.containsKey(c.uploadId()) && c.lastModified().isBefore(cutoff)) {
          completed.remove(c.uploadId());
          store.delete(c.uploadId());
          deleted++;
          log.info("{} - completed upload from an earlier run unused for {}, deleted", c.uploadId(), limits.expireAfter());
        }
      }
    } catch (IOException e) {
      log.warn("sweeping completed uploads failed; will retry", e);
    }
    return deleted;
  }

  /** Called with the upload's lock held. */
  private CompletedUpload finish(PendingUpload upload) {
    String sha = HexFormat.of().formatHex(digestOf(upload).digest());
    if (upload.expectedSha256 != null && !upload.expectedSha256.equals(sha)) {
      fail(upload);
      throw new UploadException("checksum_mismatch", "Upload " + upload.id + " arrived with SHA-256 " + sha
          + " but " + upload.expectedSha256 + " was announced; the file was deleted: upload it again.");
    }
    try {
      store.complete(upload.completedRecord(sha, clock.instant()));
    } catch (UploadMovedException e) {
      forget(upload);
      throw UploadException.unknown(upload.id);
    } catch (IOException e) {
      fail(upload);
      throw new UncheckedIOException("completing upload " + upload.id + " failed", e);
    }
    upload.closed = true;
    CompletedUpload done = new CompletedUpload(upload.id, upload.name, upload.bytes, sha);
    completed.put(upload.id, done);
    kept.put(upload.id, new Kept(upload.address, upload.bytes, clock.instant(), upload.expect));
    pending.remove(upload.id);
    log.info("{} - upload complete: {} bytes, sha256 {}", upload.id, upload.bytes, sha);
    return done;
  }

  /**
   * Called with the upload's lock held: the SHA-256 of the bytes held, read back from the file once
   * after a restart (bounded by {@code maxBytes}).
   */
  private MessageDigest digestOf(PendingUpload upload) {
    if (upload.digest != null) return upload.digest;
    MessageDigest digest = PendingUpload.sha256();
    try (InputStream in = store.readUnfinished(upload.id)) {
      byte[] buffer = new byte[64 * 1024];
      long left = upload.bytes;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) throw new IOException("the file ends " + left + " bytes early");
        digest.update(buffer, 0, n);
        left -= n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading upload " + upload.id + " back to rebuild its SHA-256 failed", e);
    }
    upload.digest = digest;
    log.info("{} - SHA-256 of the {} bytes held rebuilt from the file", upload.id, upload.bytes);
    return digest;
  }

  /**
   * Saves every resumable unfinished upload at the bytes it holds, so a server that stops normally
   * costs its clients nothing to send again (a crash costs at most a checkpoint's worth). Called
   * once no more chunks can arrive.
   */
  public void saveUnfinished() {
    for (PendingUpload upload : pending.values()) {
      synchronized (upload) {
        if (upload.resumable && upload.bytes > upload.durableBytes && pending.get(upload.id) == upload) checkpoint(upload);
      }
    }
  }

  private boolean isCheckpointDue(PendingUpload upload) {
    return upload.bytes - upload.durableBytes >= checkpointBytes || !clock.instant().isBefore(upload.savedAt.plus(CHECKPOINT_INTERVAL));
  }

  /**
   * Called with the upload's lock held: saves its record, bytes held first. A failure is logged, not
   * thrown: the upload goes on, and only a crash before the next save would cost the client more.
   */
  private void checkpoint(PendingUpload upload) {
    try {
      store.save(upload.record());
      upload.durableBytes = upload.bytes;
      upload.savedAt = upload.lastActivity;
    } catch (UploadMovedException e) {
      forget(upload);
      log.info("{} - the upload is continued by another server now; this one forgets it", upload.id);
    } catch (IOException | RuntimeException e) {
      log.warn("{} - saving the upload's state failed; a restart would resume it at {} bytes: {}", upload.id, upload.durableBytes, e.toString());
    }
  }

  /**
   * Reads back the uploads of an earlier run: unfinished ones become resumable at their saved
   * offset (those whose client cannot resume are deleted), completed ones are usable and count for
   * their address again. Damaged state is dropped and logged; nothing here stops the server starting.
   */
  private void restore() {
    UploadStore.Restored restored;
    try {
      restored = store.restore();
    } catch (IOException | RuntimeException e) {
      log.error("reading the upload store's records failed; uploads of the earlier run cannot be resumed and expire: {}", e.toString());
      return;
    }
    for (UploadStore.Dropped d : restored.dropped()) {
      log.warn("{} - upload dropped at start-up, its saved state is damaged: {}; its files were deleted", d.upload(), d.reason());
    }
    int unfinished = 0;
    for (UploadRecord r : restored.uploads()) {
      if (r.isCompleted()) {
        completed.put(r.uploadId(), new CompletedUpload(r.uploadId(), r.name(), r.size(), r.sha256().orElseThrow()));
        kept.put(r.uploadId(), new Kept(r.address().orElse(null), r.size(), r.lastActivity(), r.expect()));
      } else if (!r.resumable()) {
        deleteQuietly(r.uploadId());
        log.info("{} - unfinished upload of the earlier run deleted: its client (one HTTP body, or socketio-file-upload) cannot resume it", r.uploadId());
      } else {
        pending.put(r.uploadId(), PendingUpload.restored(r, clock));
        unfinished++;
        log.info("{} - unfinished upload restored at {} of {} bytes", r.uploadId(), r.offset(), r.size());
      }
    }
    if (!restored.uploads().isEmpty()) log.info("restored {} unfinished and {} completed uploads", unfinished, kept.size());
  }

  /** Called with the upload's lock held: forgets it here, leaving the store's state to the server that continues it. */
  private void forget(PendingUpload upload) {
    upload.closed = true;
    pending.remove(upload.id, upload);
  }

  /** Called with the upload's lock held: forgets and deletes it; nothing half-written is kept. */
  private void fail(PendingUpload upload) {
    upload.closed = true;
    pending.remove(upload.id);
    deleteQuietly(upload.id);
  }

  private void deleteQuietly(String uploadId) {
    try {
      store.delete(uploadId);
    } catch (IOException e) {
      log.warn("{} - deleting upload failed; the sweeper will retry", uploadId, e);
    }
  }

  private String addressOf(String owner) {
    return owner == null ? null : addressOfOwner.getOrDefault(owner, owner);
  }

  /** Called with the service lock held. */
  private void checkUnfinishedLimit(String address) {
    if (address == null) return;
    int held = unfinishedOfAddress(address);
    if (held >= limits.maxUnfinishedPerAddress()) {
      throw new UploadException("limit_exceeded", "Your address already has " + held
          + " unfinished uploads, the limit (uploads.maxUnfinishedPerAddress = " + limits.maxUnfinishedPerAddress()
          + "); finish, resume or abort one first, or ask the operator to raise uploads.maxUnfinishedPerAddress.");
    }
  }

  /**
   * Refuses when {@code address} would hold more uploads or bytes than its quota with {@code bytes}
   * more (for the upload {@code except}, already counted, when not null).
   */
  private void checkQuota(String address, long bytes, String except) {
    if (address == null) return;
    long count = 0;
    long held = 0;
    for (PendingUpload p : pending.values()) {
      if (!Objects.equals(p.address, address) || p.id.equals(except)) continue;
      count++;
      held += Math.max(p.size, p.bytes);
    }
    for (Kept k : kept.values()) {
      if (!Objects.equals(k.address(), address)) continue;
      count++;
      held += k.size();
    }
    if (except == null && count + 1 > limits.maxUploadsPerAddress()) {
      throw new UploadException("limit_exceeded", "Your address already holds " + count + " uploads, the limit (uploads.maxUploadsPerAddress = "
          + limits.maxUploadsPerAddress() + "); abort uploads you no longer need (unused ones expire after uploads.expireAfter = "
          + limits.expireAfter() + "), or ask the operator to raise uploads.maxUploadsPerAddress.");
    }
    if (held + bytes > limits.maxBytesPerAddress()) {
      throw new UploadException("limit_exceeded", "Your address's uploads would hold " + (held + bytes) + " bytes, over the limit of "
          + limits.maxBytesPerAddress() + " bytes (uploads.maxBytesPerAddress); abort uploads you no longer need (unused ones expire after"
          + " uploads.expireAfter), or ask the operator to raise uploads.maxBytesPerAddress.");
    }
  }

  /**
   * A completed upload in the store: whose address it counts for, its size, when a job last took it
   * (or it completed), and what its client expected it to be.
   */
  private record Kept(String address, long size, Instant lastUse, Optional<UploadKind> expect) {
    Kept usedAt(Instant now) {
      return new Kept(address, size, now, expect);
    }
  }

  private void checkSize(long size) {
    if (size > limits.maxBytes()) throw tooLarge(size);
  }

  private UploadException tooLarge(long size) {
    return new UploadException("too_large", "The upload is " + size + " bytes, over the limit of " + limits.maxBytes()
        + " bytes (uploads.maxBytes); send a smaller file, or ask the operator to raise uploads.maxBytes in the configuration.");
  }

  static void checkId(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) throw UploadException.unknown(uploadId);
  }

  private static String checkedSha(String sha) {
    if (!SHA256.matcher(sha).matches()) {
      throw UploadException.badRequest("'sha256' must be 64 hexadecimal characters (the file's SHA-256), got '"
          + UploadException.excerpt(sha) + "'.");
    }
    return sha.toLowerCase(Locale.ROOT);
  }

  private static String checkedName(String name) {
    if (name == null || name.isBlank()) throw UploadException.badRequest("'name' is required: the file's name.");
    return name.length() <= UploadRecord.MAX_NAME_CHARS ? name : name.substring(0, UploadRecord.MAX_NAME_CHARS);
  }
}
