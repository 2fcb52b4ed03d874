package dev.buildcast.upload;

import dev.buildcast.job.InputFiles;
import dev.buildcast.job.SecureTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
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
 * <p>Concurrency: every change of an unfinished upload happens under its {@link Pending} monitor;
 * different uploads proceed in parallel.
 */
public final class UploadService implements InputFiles {

  private static final Logger log = LoggerFactory.getLogger(UploadService.class);

  static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int MAX_NAME_CHARS = 255;

  private final UploadStore store;
  private final UploadLimits limits;
  private final Clock clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, CompletedUpload> completed = new ConcurrentHashMap<>();
  /** Completed uploads in the store, with the address they count for and their last use. */
  private final Map<String, Kept> kept = new ConcurrentHashMap<>();
  private final Map<String, String> addressOfOwner = new ConcurrentHashMap<>();

  public UploadService(UploadStore store, UploadLimits limits, Clock clock) {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
  }

  public UploadLimits limits() {
    return limits;
  }

  /** Where an upload stands after a start or resume: the id, the chunk size to use, the bytes held. */
  public record Started(String uploadId, int chunkSize, long offset, long size, Optional<CompletedUpload> completed) {}

  /** What writing a chunk did: the bytes now held, the progress worth reporting, the completion. */
  public record Written(long offset, Optional<UploadProgress> progress, Optional<CompletedUpload> completed) {}

  /**
   * Starts a new upload of {@code size} bytes for {@code owner}. A zero-byte upload completes at
   * once (the result says so).
   */
  public Started start(String owner, String name, long size, Optional<String> sha256) {
    if (size < 0) throw UploadException.badRequest("'size' must be the file's size in bytes, 0 or more; got " + size + ".");
    return open(owner, name, size, sha256);
  }

  /** {@code size} -1: not known yet (a stream whose end tells). */
  private Started open(String owner, String name, long size, Optional<String> sha256) {
    checkSize(size);
    String expected = sha256.map(UploadService::checkedSha).orElse(null);
    Pending upload = new Pending(SecureTokens.newId(), checkedName(name), size, expected, owner, addressOf(owner), clock);
    synchronized (this) {
      // why the service lock: two starts from one address (HTTP, or a client on two threads) must not both pass the count
      checkUnfinishedLimit(upload.address);
      checkQuota(upload.address, Math.max(size, 0), null);
      pending.put(upload.id, upload);
    }
    synchronized (upload) {
      try {
        store.create(upload.id);
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
    checkId(uploadId);
    Pending upload = pending.get(uploadId);
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
      return new Started(uploadId, limits.chunkSize(), upload.bytes, upload.size, Optional.empty());
    }
  }

  /**
   * Writes a chunk that must start at the bytes held. When it brings the upload to its declared
   * size, the upload is checked and completed (or deleted if a check fails, and the failure
   * thrown).
   */
  public Written write(String uploadId, long offset, ByteBuffer data) {
    checkId(uploadId);
    Pending upload = pending.get(uploadId);
    if (upload == null) throw UploadException.unknown(uploadId);
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
      upload.digest.update(data.duplicate());
      try {
        upload.bytes = store.write(uploadId, offset, data);
      } catch (IOException e) {
        fail(upload);
        throw new UncheckedIOException("writing upload " + uploadId + " failed", e);
      }
      upload.touch();
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
    Pending upload = pending.get(uploadId);
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
    if (size.isPresent()) return start(owner, name, size.getAsLong(), sha256);
    return open(owner, name, -1, sha256);
  }

  /** Deletes an upload, unfinished or completed. Unknown ids are refused. */
  public void abort(String uploadId) {
    checkId(uploadId);
    Pending upload = pending.get(uploadId);
    if (upload != null) {
      synchronized (upload) {
        if (!upload.closed) {
          fail(upload);
          log.info("{} - upload aborted at {} bytes", uploadId, upload.bytes);
          return;
        }
      }
    }
    kept.remove(uploadId);
    if (completed.remove(uploadId) != null || store.completed(uploadId).isPresent()) {
      deleteQuietly(uploadId);
      log.info("{} - completed upload deleted", uploadId);
      return;
    }
    throw UploadException.unknown(uploadId);
  }

  /** Aborts if the upload is still there; for transports cleaning up after a failure. */
  public void abortQuietly(String uploadId) {
    Pending upload = pending.get(uploadId);
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
    for (Pending p : pending.values()) {
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

  /** The completed upload, if it exists (also after a restart: then from the store alone). */
  @Override
  public Optional<Path> completed(String uploadId) {
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) return Optional.empty();
    Optional<Path> file = store.completed(uploadId);
    // why: a job took it, so it is in use; it expires expireAfter after its last use, not after its completion
    file.ifPresent(f -> kept.compute(uploadId, (id, k) -> k == null ? new Kept(null, sizeOf(f), clock.instant()) : k.usedAt(clock.instant())));
    return file;
  }

  private static long sizeOf(Path file) {
    try {
      return java.nio.file.Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public Optional<String> nameOf(String uploadId) {
    return completedUpload(uploadId).map(CompletedUpload::name);
  }

  /** The completion record of an upload completed since this server started. */
  public Optional<CompletedUpload> completedUpload(String uploadId) {
    return Optional.ofNullable(completed.get(uploadId));
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
    for (Pending p : pending.values()) {
      synchronized (p) {
        if (!p.closed && p.lastActivity.isBefore(cutoff)) {
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

  private int sweepCompleted(Instant cutoff) {
    int deleted = 0;
    for (Map.Entry<String, Kept> e : kept.entrySet()) {
      if (e.getValue().lastUse().isBefore(cutoff) && kept.remove(e.getKey(), e.getValue())) {
        completed.remove(e.getKey());
        deleteQuietly(e.getKey());
        deleted++;
        log.info("{} - completed upload unused for {}, deleted", e.getKey(), limits.expireAfter());
      }
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
  private CompletedUpload finish(Pending upload) {
    String sha = HexFormat.of().formatHex(upload.digest.digest());
    if (upload.expectedSha256 != null && !upload.expectedSha256.equals(sha)) {
      fail(upload);
      throw new UploadException("checksum_mismatch", "Upload " + upload.id + " arrived with SHA-256 " + sha
          + " but " + upload.expectedSha256 + " was announced; the file was deleted: upload it again.");
    }
    try {
      store.complete(upload.id);
    } catch (IOException e) {
      fail(upload);
      throw new UncheckedIOException("completing upload " + upload.id + " failed", e);
    }
    upload.closed = true;
    CompletedUpload done = new CompletedUpload(upload.id, upload.name, upload.bytes, sha);
    completed.put(upload.id, done);
    kept.put(upload.id, new Kept(upload.address, upload.bytes, clock.instant()));
    pending.remove(upload.id);
    log.info("{} - upload complete: {} bytes, sha256 {}", upload.id, upload.bytes, sha);
    return done;
  }

  /** Called with the upload's lock held: forgets and deletes it; nothing half-written is kept. */
  private void fail(Pending upload) {
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
    for (Pending p : pending.values()) {
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

  /** A completed upload in the store: whose address it counts for, its size, and when a job last took it (or it completed). */
  private record Kept(String address, long size, Instant lastUse) {
    Kept usedAt(Instant now) {
      return new Kept(address, size, now);
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
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) throw UploadException.unknown(uploadId);
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
    return name.length() <= MAX_NAME_CHARS ? name : name.substring(0, MAX_NAME_CHARS);
  }

  /** An unfinished upload; guarded by its own monitor (owner by the service's). */
  private static final class Pending {
    final String id;
    final String name;
    long size;
    String expectedSha256;
    volatile String owner;
    volatile String address;
    final MessageDigest digest = sha256();
    final ProgressThrottle throttle;
    final Clock clock;
    long bytes;
    Instant lastActivity;
    boolean closed;

    Pending(String id, String name, long size, String expectedSha256, String owner, String address, Clock clock) {
      this.id = id;
      this.name = name;
      this.size = size;
      this.expectedSha256 = expectedSha256;
      this.owner = owner;
      this.address = address;
      this.clock = clock;
      this.throttle = new ProgressThrottle(clock);
      this.lastActivity = clock.instant();
    }

    void touch() {
      lastActivity = clock.instant();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
