package dev.buildcast.testing;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.upload.UploadRecord;
import dev.buildcast.upload.UploadStore;
import dev.buildcast.upload.WrongOffsetException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An upload store in memory, for tests of the layers above it. Unfinished bytes and records live
 * in maps shared by every store {@link #restarted} from this one, which models a new process over
 * the same durable state; {@link #afterPowerLoss} also loses every byte no save made durable.
 * Completed uploads go into the blob store given, as the port says; their records stay here.
 *
 * <p>Thread-safety: calls for one id are serialised by the caller (the port's rule); the maps are
 * concurrent for calls on different ids.
 */
public final class MemoryUploadStore implements UploadStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");

  /** One upload: its bytes, how many of them a save made durable, and its record. */
  private static final class Entry {
    byte[] bytes = new byte[0];
    long durable;
    UploadRecord record;
    boolean completed;
    Instant lastWrite;
  }

  private final BlobStore blobs;
  private final Clock clock;
  private final Map<String, Entry> entries;

  public MemoryUploadStore(BlobStore blobs, Clock clock) {
    this(blobs, clock, new ConcurrentHashMap<>());
  }

  private MemoryUploadStore(BlobStore blobs, Clock clock, Map<String, Entry> entries) {
    this.blobs = blobs;
    this.clock = clock;
    this.entries = entries;
  }

  /** The store a new process sees after this one was killed: bytes written stay, as after a SIGKILL. */
  public MemoryUploadStore restarted() {
    return new MemoryUploadStore(blobs, clock, entries);
  }

  /** The store after the machine lost power: every byte no save made durable is gone. */
  public MemoryUploadStore afterPowerLoss() {
    for (Entry e : entries.values()) {
      if (!e.completed && e.bytes.length > e.durable) e.bytes = Arrays.copyOf(e.bytes, (int) e.durable);
    }
    return restarted();
  }

  @Override
  public void create(UploadRecord record) throws IOException {
    Entry e = new Entry();
    e.record = record;
    e.lastWrite = clock.instant();
    if (entries.putIfAbsent(checked(record.uploadId()), e) != null) throw new IOException("upload " + record.uploadId() + " exists");
  }

  @Override
  public long write(String uploadId, long offset, ByteBuffer data) throws IOException {
    Entry e = unfinishedEntry(uploadId);
    if (offset != e.bytes.length) throw new WrongOffsetException(uploadId, offset, e.bytes.length);
    byte[] grown = Arrays.copyOf(e.bytes, e.bytes.length + data.remaining());
    data.get(grown, e.bytes.length, data.remaining());
    e.bytes = grown;
    e.lastWrite = clock.instant();
    return grown.length;
  }

  @Override
  public void save(UploadRecord record) throws IOException {
    Entry e = entry(record.uploadId());
    if (e == null) throw new NoSuchFileException(record.uploadId());
    if (!e.completed) {
      if (record.offset() > e.bytes.length) throw new IOException("record ahead of the bytes of " + record.uploadId());
      e.durable = record.offset();
    }
    e.record = record;
  }

  @Override
  public Optional<UploadRecord> find(String uploadId) {
    Entry e = entry(uploadId);
    return e == null ? Optional.empty() : Optional.of(e.record);
  }

  @Override
  public Optional<UploadRecord> adopt(String uploadId) {
    return find(uploadId);
  }

  @Override
  public boolean holds(String uploadId) {
    return unfinishedSize(uploadId) >= 0;
  }

  @Override
  public long unfinishedSize(String uploadId) {
    Entry e = entry(uploadId);
    return e == null || e.completed ? -1 : e.bytes.length;
  }

  @Override
  public InputStream readUnfinished(String uploadId) throws IOException {
    return new ByteArrayInputStream(unfinishedEntry(uploadId).bytes.clone());
  }

  @Override
  public BlobInfo complete(UploadRecord record) throws IOException {
    Entry e = unfinishedEntry(record.uploadId());
    if (!record.isCompleted()) throw new IllegalArgumentException("upload " + record.uploadId() + " is not completed");
    BlobInfo blob = blobs.put(UploadStore.blobKey(record.uploadId()), new ByteArrayInputStream(e.bytes));
    e.completed = true;
    e.durable = e.bytes.length;
    e.record = record;
    e.bytes = new byte[0];
    return blob;
  }

  @Override
  public Optional<BlobInfo> completed(String uploadId) {
    return openCompleted(uploadId, BlobRange.all()).map(blob -> {
      try (blob) {
        return blob.info();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public Optional<Blob> openCompleted(String uploadId, BlobRange range) {
    if (uploadId == null || !ID.matcher(uploadId).matches()) return Optional.empty();
    Entry e = entry(uploadId);
    return e != null && e.completed ? blobs.get(UploadStore.blobKey(uploadId), range) : Optional.empty();
  }

  @Override
  public void delete(String uploadId) throws IOException {
    Entry e = entries.remove(checked(uploadId));
    if (e != null && e.completed) blobs.delete(UploadStore.blobKey(uploadId));
  }

  @Override
  public Restored restore() {
    List<UploadRecord> loaded = new ArrayList<>();
    for (Map.Entry<String, Entry> each : entries.entrySet()) {
      Entry e = each.getValue();
      UploadRecord r = e.record;
      if (!e.completed) {
        // as the file store: bytes past the last save were never promised
        e.bytes = Arrays.copyOf(e.bytes, (int) r.offset());
      }
      loaded.add(r);
    }
    return new Restored(loaded, List.of());
  }

  @Override
  public List<Unfinished> unfinished() {
    return entries.entrySet().stream().filter(e -> !e.getValue().completed).map(e -> new Unfinished(e.getKey(), e.getValue().lastWrite)).toList();
  }

  @Override
  public List<Completed> completedFiles() {
    String prefix = UploadStore.blobKey("");
    return blobs.list(prefix).stream().map(b -> new Completed(b.key().substring(prefix.length()), b.lastModified(), b.size())).toList();
  }

  @Override
  public Usage usage() {
    long count = 0;
    long bytes = 0;
    for (Entry e : entries.values()) {
      if (e.completed) continue;
      count++;
      bytes += e.bytes.length;
    }
    for (Completed c : completedFiles()) {
      count++;
      bytes += c.size();
    }
    return new Usage(count, bytes);
  }

  private Entry entry(String uploadId) {
    return entries.get(checked(uploadId));
  }

  private Entry unfinishedEntry(String uploadId) throws IOException {
    Entry e = entry(uploadId);
    if (e == null || e.completed) throw new NoSuchFileException("no unfinished upload " + uploadId);
    return e;
  }

  private static String checked(String uploadId) {
    if (uploadId == null || !ID.matcher(uploadId).matches()) throw new IllegalArgumentException("not an upload id: " + uploadId);
    return uploadId;
  }
}
