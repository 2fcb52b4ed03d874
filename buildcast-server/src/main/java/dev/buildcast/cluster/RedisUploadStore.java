package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.BlobStoreUnavailableException;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.storage.UnfinishedUploadFile;
import dev.buildcast.storage.UploadRecordJson;
import dev.buildcast.upload.UploadMovedException;
import dev.buildcast.upload.UploadRecord;
import dev.buildcast.upload.UploadStore;
import dev.buildcast.upload.WrongOffsetException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Uploads shared by the nodes of a cluster: every upload's {@link UploadRecord} in Redis, its
 * bytes in the cluster's {@link BlobStore}, so a client can continue an upload on any node and a
 * job on any node can take a completed one.
 *
 * <p>Layout:
 * <ul>
 *   <li>{@code bc:{<id>}:upload} hash: {@code rec} (the record's JSON, {@link UploadRecordJson}),
 *       {@code parts} (the stored parts of the unfinished bytes: for each, in order, the node that wrote
 *       it, joined by {@code ,}), {@code holder} (the node
 *       that continues it), {@code done} ({@code 1} once completed); {@code bc:uploads} set: every id;
 *   <li>the unfinished bytes: blobs {@code upload-parts/<id>/part-00000-<node>, part-00001-<node>, …},
 *       each holding
 *       the bytes between two saves, plus, on the holder only, the bytes since the last save in
 *       {@code <dir>/<id>.part}. The record's offset is the end of the last stored part: what any
 *       node can continue from;
 *   <li>a completed upload: the blob {@code uploads/<id>} (the parts concatenated), as every store.
 * </ul>
 * why the parts are not under {@code uploads/<id>/}: a blob key is a blob or a folder, never both,
 * and {@code uploads/<id>} becomes a blob when the upload completes.
 *
 * <p>Fencing: {@link #adopt} makes the calling node the {@code holder}; a write, save or completion
 * of any other node is then refused with {@link UploadMovedException} (a write checks it with one
 * {@code HGET}, a save and a completion inside their script), so an upload is never extended by two
 * nodes; and since a part's key names the node that wrote it, a node that lost the upload between
 * its check and its put never overwrites a part the new holder counted. Crash order: a part is stored before the record that counts it (a part a crash left
 * uncounted is overwritten by the next save); a completion puts {@code uploads/<id>} before its
 * record says completed, then deletes the parts.
 *
 * <p>Threading: calls for one id are serialised by the caller (the port's rule); the local state
 * of different ids lives in a concurrent map.
 */
public final class RedisUploadStore implements UploadStore {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  static final String INDEX = "bc:uploads";
  private static final String PARTS_PREFIX = "upload-parts/";

  private static final RedisScript CREATE = new RedisScript("""
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'parts', '', 'holder', ARGV[3])
      redis.call('SADD', KEYS[2], ARGV[1])
      return 1
      """, ScriptOutputType.INTEGER);

  /** ARGV: node, record JSON, parts, and 'completed' for a completed record (which keeps its holder; its parts are gone). */
  private static final RedisScript SAVE = new RedisScript("""
      if redis.call('EXISTS', KEYS[1]) == 0 then return 'GONE' end
      if ARGV[4] == 'completed' then
        redis.call('HSET', KEYS[1], 'rec', ARGV[2])
        return 'OK'
      end
      if redis.call('HGET', KEYS[1], 'done') == '1' then return 'DONE' end
      if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then return 'MOVED' end
      redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'parts', ARGV[3])
      return 'OK'
      """, ScriptOutputType.STATUS);

  private static final RedisScript COMPLETE = new RedisScript("""
      if redis.call('EXISTS', KEYS[1]) == 0 then return 'GONE' end
      if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then return 'MOVED' end
      redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'done', '1', 'parts', '')
      return 'OK'
      """, ScriptOutputType.STATUS);

  /** Answers rec, parts, done; makes ARGV[1] the holder of an unfinished upload. */
  private static final RedisScript ADOPT = new RedisScript("""
      if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
      if redis.call('HGET', KEYS[1], 'done') ~= '1' then redis.call('HSET', KEYS[1], 'holder', ARGV[1]) end
      return redis.call('HMGET', KEYS[1], 'rec', 'parts', 'done')
      """, ScriptOutputType.MULTI);

  private static final RedisScript DELETE = new RedisScript("""
      redis.call('DEL', KEYS[1])
      redis.call('SREM', KEYS[2], ARGV[1])
      return 1
      """, ScriptOutputType.INTEGER);

  private final RedisEngine engine;
  private final BlobStore blobs;
  private final Path dir;
  private final String nodeId;
  /** What this node holds of the uploads it continues: the stored bytes and the parts (their writers) its local file follows. */
  private final Map<String, Local> locals = new ConcurrentHashMap<>();

  private record Local(long base, List<String> parts) {}

  /** What Redis holds of one upload. */
  private record Stored(UploadRecord record, List<String> parts, boolean done, String holder) {}

  /**
   * @param dir this node's folder for the bytes since an upload's last save (not shared)
   * @param nodeId this node's id: the holder it writes
   */
  public RedisUploadStore(RedisEngine engine, BlobStore blobs, Path dir, String nodeId) {
    this.engine = engine;
    this.blobs = blobs;
    this.dir = dir;
    this.nodeId = nodeId;
  }

  static String uploadKey(String uploadId) {
    return "bc:{" + checked(uploadId) + "}:upload";
  }

  static String partKey(String uploadId, int part, String writer) {
    return PARTS_PREFIX + checked(uploadId) + "/part-" + String.format("%05d", part) + "-" + writer;
  }

  @Override
  public void create(UploadRecord record) throws IOException {
    String id = record.uploadId();
    PrivateFiles.createFolders(dir);
    PrivateFiles.open(localFile(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
    long created = engine.call("upload create",
        r -> CREATE.<Long>run(r, new String[] {uploadKey(id), INDEX}, id, json(record), nodeId));
    if (created == 0) throw new IOException("upload " + id + " exists");
    locals.put(id, new Local(0, List.of()));
  }

  @Override
  public long write(String uploadId, long offset, ByteBuffer data) throws IOException {
    Local local = holdingLocal(uploadId);
    Path file = localFile(uploadId);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long held = local.base() + channel.size();
      if (offset != held) throw new WrongOffsetException(uploadId, offset, held);
      long at = channel.size();
      while (data.hasRemaining()) at += channel.write(data, at);
      return local.base() + channel.size();
    }
  }

  /**
   * The local state of an upload this node continues, checked against Redis: another holder there
   * means the upload moved (this node forgets its bytes); none here yet (a restart, or the upload
   * was adopted) starts an empty local file after the stored parts.
   */
  private Local holdingLocal(String uploadId) throws IOException {
    String key = uploadKey(uploadId);
    List<String> fields = engine.call("upload write", r -> r.hmget(key, "holder", "done", "rec", "parts")).stream()
        .map(v -> v.getValueOrElse(null)).toList();
    // why moved, not missing, when it completed or went: this node's state of it is stale, and what
    // the caller does with a missing upload (delete it) must not undo what another node did
    if (fields.get(2) == null || "1".equals(fields.get(1)) || !nodeId.equals(fields.get(0))) {
      forgetLocal(uploadId);
      throw new UploadMovedException(uploadId);
    }
    Local local = locals.get(uploadId);
    if (local != null && Files.isRegularFile(localFile(uploadId))) return local;
    UploadRecord record = record(uploadId, fields.get(2));
    return startLocal(uploadId, new Local(record.offset(), parseParts(uploadId, fields.get(3))));
  }

  private Local startLocal(String uploadId, Local local) throws IOException {
    PrivateFiles.createFolders(dir);
    PrivateFiles.open(localFile(uploadId), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
        .close();
    locals.put(uploadId, local);
    return local;
  }

  @Override
  public void save(UploadRecord record) throws IOException {
    String id = record.uploadId();
    if (record.isCompleted()) {
      check(id, engine.call("upload save", r -> SAVE.<String>run(r, new String[] {uploadKey(id)}, nodeId, json(record), "", "completed")));
      return;
    }
    Local local = holdingLocal(id);
    Path file = localFile(id);
    long held = local.base() + Files.size(file);
    if (record.offset() != held) {
      throw new IllegalArgumentException("upload " + id + ": a save must cover the " + held + " bytes held, not " + record.offset());
    }
    List<String> parts = new ArrayList<>(local.parts());
    if (held > local.base()) {
      putBlob(partKey(id, parts.size(), nodeId), file);
      parts.add(nodeId);
    }
    String stored = String.join(",", parts);
    check(id, engine.call("upload save", r -> SAVE.<String>run(r, new String[] {uploadKey(id)}, nodeId, json(record), stored, "unfinished")));
    startLocal(id, new Local(held, List.copyOf(parts)));
  }

  private void check(String uploadId, String answer) throws IOException {
    switch (answer) {
      case "OK" -> {}
      case "MOVED" -> {
        forgetLocal(uploadId);
        throw new UploadMovedException(uploadId);
      }
      case "GONE" -> throw new NoSuchFileException("no upload " + uploadId);
      default -> throw new IOException("upload " + uploadId + " is completed already");
    }
  }

  @Override
  public Optional<UploadRecord> find(String uploadId) throws IOException {
    return stored(uploadId).map(Stored::record);
  }

  @Override
  public Optional<UploadRecord> adopt(String uploadId) throws IOException {
    List<Object> answer = engine.call("upload adopt", r -> ADOPT.<List<Object>>run(r, new String[] {uploadKey(uploadId)}, nodeId));
    if (answer.isEmpty() || answer.get(0) == null) return Optional.empty();
    UploadRecord record = record(uploadId, text(answer.get(0)));
    if (!"1".equals(text(answer.get(2)))) startLocal(uploadId, new Local(record.offset(), parseParts(uploadId, text(answer.get(1)))));
    return Optional.of(record);
  }

  private static String text(Object value) {
    if (value == null) return null;
    return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
  }

  @Override
  public boolean holds(String uploadId) throws IOException {
    String key = uploadKey(uploadId);
    List<String> fields = engine.call("upload holder", r -> r.hmget(key, "holder", "done")).stream()
        .map(v -> v.getValueOrElse(null)).toList();
    return nodeId.equals(fields.get(0)) && !"1".equals(fields.get(1));
  }

  @Override
  public long unfinishedSize(String uploadId) throws IOException {
    Optional<Stored> stored = stored(uploadId);
    if (stored.isEmpty() || stored.get().done()) return -1;
    Local local = locals.get(uploadId);
    if (local != null && nodeId.equals(stored.get().holder())) {
      try {
        return local.base() + Files.size(localFile(uploadId));
      } catch (NoSuchFileException e) {
        return stored.get().record().offset();
      }
    }
    return stored.get().record().offset();
  }

  /** The stored parts in order, then (on the holder) the bytes since the last save. */
  @Override
  public InputStream readUnfinished(String uploadId) throws IOException {
    Stored stored = stored(uploadId).filter(s -> !s.done()).orElseThrow(() -> new NoSuchFileException("no unfinished upload " + uploadId));
    Local local = locals.get(uploadId);
    List<Opener> openers = new ArrayList<>();
    List<String> parts = local != null ? local.parts() : stored.parts();
    for (int i = 0; i < parts.size(); i++) {
      String key = partKey(uploadId, i, parts.get(i));
      openers.add(() -> blobs.get(key).orElseThrow(() -> new NoSuchFileException("part " + key + " is missing")).content());
    }
    if (local != null && Files.isRegularFile(localFile(uploadId))) openers.add(() -> Files.newInputStream(localFile(uploadId)));
    return new SequenceInputStream(lazily(openers));
  }

  /** Opens one piece of a concatenation when the reader reaches it. */
  private interface Opener {
    InputStream open() throws IOException;
  }

  private static Enumeration<InputStream> lazily(List<Opener> openers) {
    return new Enumeration<>() {
      private int next;

      @Override
      public boolean hasMoreElements() {
        return next < openers.size();
      }

      @Override
      public InputStream nextElement() {
        if (!hasMoreElements()) throw new NoSuchElementException();
        try {
          return openers.get(next++).open();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  @Override
  public BlobInfo complete(UploadRecord record) throws IOException {
    if (!record.isCompleted()) throw new IllegalArgumentException("upload " + record.uploadId() + " is not completed");
    String id = record.uploadId();
    holdingLocal(id);
    BlobInfo blob;
    try (InputStream all = readUnfinished(id)) {
      blob = blobs.put(UploadStore.blobKey(id), all);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (blob.size() != record.size()) {
      throw new IOException("upload " + id + ": its parts hold " + blob.size() + " bytes, not the " + record.size() + " completed");
    }
    String answer = engine.call("upload complete", r -> COMPLETE.<String>run(r, new String[] {uploadKey(id)}, nodeId, json(record)));
    check(id, answer);
    blobs.deletePrefix(PARTS_PREFIX + id + "/");
    forgetLocal(id);
    return blob;
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
    engine.call("upload delete", r -> DELETE.<Long>run(r, new String[] {uploadKey(uploadId), INDEX}, uploadId));
    blobs.deletePrefix(PARTS_PREFIX + uploadId + "/");
    blobs.delete(UploadStore.blobKey(uploadId));
    forgetLocal(uploadId);
  }

  private void forgetLocal(String uploadId) throws IOException {
    locals.remove(uploadId);
    Files.deleteIfExists(localFile(uploadId));
  }

  /**
   * Completed uploads of every node, and the unfinished ones this node held (from its earlier
   * process): those of other nodes are theirs, and reach this node by {@link #adopt} when a client
   * resumes here. The local files go: their bytes came after the last save, never promised.
   */
  @Override
  public Restored restore() throws IOException {
    locals.clear();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (UnfinishedUploadFile.uploadIdOf(p.getFileName().toString()).isPresent()) Files.deleteIfExists(p);
        }
      }
    }
    List<UploadRecord> loaded = new ArrayList<>();
    List<Dropped> dropped = new ArrayList<>();
    for (String id : ids()) {
      try {
        Optional<Stored> stored = stored(id);
        if (stored.isEmpty()) {
          engine.call("upload restore", r -> r.srem(INDEX, id)); // a deletion a crash interrupted
          continue;
        }
        Stored s = stored.get();
        if (s.done()) {
          long size = completed(id).orElseThrow(() -> new IOException("the completed blob is missing")).size();
          if (size != s.record().size()) throw new IOException("the completed blob holds " + size + " bytes, not the " + s.record().size() + " recorded");
          loaded.add(s.record());
        } else if (nodeId.equals(s.holder())) {
          loaded.add(s.record());
        }
      } catch (EngineUnavailableException | BlobStoreUnavailableException e) {
        // why not dropped: an outage says nothing of the upload; deleting it would lose it for every node
        throw new IOException("could not read upload " + id + " back: " + e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        dropped.add(new Dropped(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        try {
          delete(id);
        } catch (IOException | RuntimeException ignored) {
          // why go on: the other uploads must still load; the sweeper retries what is left
        }
      }
    }
    return new Restored(loaded, dropped);
  }

  private List<String> ids() {
    Set<String> members = engine.call("upload list", r -> r.smembers(INDEX));
    List<String> ids = new ArrayList<>();
    for (String id : members) if (UploadStore.isUploadId(id)) ids.add(id);
    Collections.sort(ids);
    return ids;
  }

  /** Every unfinished upload of the cluster, with its last saved activity (the sweeper's clock). */
  @Override
  public List<Unfinished> unfinished() throws IOException {
    List<Unfinished> all = new ArrayList<>();
    for (String id : ids()) {
      Optional<Stored> stored = storedQuietly(id);
      if (stored.isPresent() && !stored.get().done()) all.add(new Unfinished(id, stored.get().record().lastActivity()));
    }
    return all;
  }

  @Override
  public List<Completed> completedFiles() {
    return UploadStore.completedBlobs(blobs);
  }

  /** Completed blobs, and every unfinished upload with its stored bytes plus what this node holds since its last save. */
  @Override
  public Usage usage() throws IOException {
    Usage usage = Usage.of(completedFiles());
    for (String id : ids()) {
      Optional<Stored> stored = storedQuietly(id);
      if (stored.isEmpty() || stored.get().done()) continue;
      long bytes = stored.get().record().offset();
      if (locals.containsKey(id)) {
        try {
          bytes += Files.size(localFile(id));
        } catch (NoSuchFileException e) {
          // completed or deleted meanwhile
        }
      }
      usage = usage.plusOne(bytes);
    }
    return usage;
  }

  private Optional<Stored> storedQuietly(String uploadId) {
    try {
      return stored(uploadId);
    } catch (IOException e) {
      return Optional.empty(); // why: a damaged record is restore's to drop; a listing goes on
    }
  }

  private Optional<Stored> stored(String uploadId) throws IOException {
    String key = uploadKey(uploadId);
    List<String> fields = engine.call("upload read", r -> r.hmget(key, "rec", "parts", "done", "holder")).stream()
        .map(v -> v.getValueOrElse(null)).toList();
    if (fields.get(0) == null) return Optional.empty();
    return Optional.of(new Stored(record(uploadId, fields.get(0)), parseParts(uploadId, fields.get(1)), "1".equals(fields.get(2)),
        fields.get(3)));
  }

  private static UploadRecord record(String uploadId, String json) throws IOException {
    return UploadRecordJson.read(json.getBytes(StandardCharsets.UTF_8), uploadId);
  }

  /** The writers of the stored parts, from the hash's {@code parts} field; refuses what is not a list of node ids. */
  private static List<String> parseParts(String uploadId, String parts) throws IOException {
    if (parts == null || parts.isEmpty()) return List.of();
    List<String> writers = List.of(parts.split(",", -1));
    for (String writer : writers) {
      if (!NODE_ID.matcher(writer).matches()) {
        throw new IOException("upload " + uploadId + ": the list of stored parts is damaged: " + parts.substring(0, Math.min(parts.length(), 80)));
      }
    }
    return writers;
  }

  private static String json(UploadRecord record) {
    return new String(UploadRecordJson.write(record), StandardCharsets.UTF_8);
  }

  private void putBlob(String key, Path file) throws IOException {
    try {
      blobs.put(key, file);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Path localFile(String uploadId) {
    return dir.resolve(UnfinishedUploadFile.name(uploadId));
  }

  private static String checked(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) throw new IllegalArgumentException("not an upload id: " + uploadId);
    return uploadId;
  }
}
