package dev.buildcast.socket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.BuildcastException;
import dev.buildcast.socketio.SocketIoServer;
import dev.buildcast.socketio.SocketIoSocket;
import dev.buildcast.upload.CompletedUpload;
import dev.buildcast.upload.UploadService;
import dev.buildcast.upload.UploadService.Started;
import dev.buildcast.upload.UploadService.Written;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the socketio-file-upload ("siofu") 0.7 protocol, so its unmodified browser
 * client uploads to Buildcast: {@code siofu_start} → {@code siofu_ready}; each {@code
 * siofu_progress} chunk → {@code siofu_chunk} (the client sends the next one on it); {@code
 * siofu_done} → {@code siofu_complete} with {@code detail: {uploadId, name, size, sha256}}, or
 * {@code siofu_error}. The same limits and store as Buildcast's own upload events apply, and the
 * client also gets {@code upload.progress} and {@code upload.complete}.
 *
 * <p>siofu's file ids are a counter of the client's page, so they are only unique per socket: each
 * socket keeps its own id → upload map, and its disconnect deletes its own unfinished uploads only
 * (the siofu client cannot resume). The Node server deleted a file of whichever client came first.
 */
public final class SiofuEvents {

  private static final Logger log = LoggerFactory.getLogger(SiofuEvents.class);
  private static final String TRANSFERS = "buildcast.siofu";
  private static final String FAILED = "buildcast.siofu.failed";
  /** siofu's ids are a page's counter; longer ones are refused, so a socket's bookkeeping stays small. */
  static final int MAX_ID_CHARS = 64;
  /** Failed ids remembered per socket (to ignore their late events); the oldest are forgotten first. */
  static final int MAX_FAILED_IDS = 256;

  private final UploadService uploads;

  public SiofuEvents(SocketIoServer io, SocketGateway gateway, UploadService uploads) {
    this.uploads = uploads;
    gateway.onRootEvent(SocketEvents.SIOFU_START, (socket, args, ack) -> handle(socket, args, true, this::start));
    // why a failed file's later events are ignored: the client sends on (its last chunk, then done)
    // before it sees siofu_error, and a second error would replace the first, telling one
    // "unknown file" instead of what went wrong
    gateway.onRootEvent(SocketEvents.SIOFU_PROGRESS, (socket, args, ack) -> handle(socket, args, false, this::progress));
    gateway.onRootEvent(SocketEvents.SIOFU_DONE, (socket, args, ack) -> handle(socket, args, false, this::done));
    io.namespace("/").onConnect(socket -> socket.onDisconnect(reason -> disconnected(socket)));
  }

  /** One file the siofu client is sending on this socket. Used on the socket's serial thread. */
  private static final class Transfer {
    final String uploadId;
    volatile CompletedUpload completed;

    Transfer(String uploadId) {
      this.uploadId = uploadId;
    }
  }

  @FunctionalInterface
  private interface Step {
    void run(SocketIoSocket socket, String fileId, JsonNode data) throws Exception;
  }

  /** siofu sends no acknowledgements: every refusal becomes {@code siofu_error} for that file. */
  private void handle(SocketIoSocket socket, List<JsonNode> args, boolean starts, Step step) throws Exception {
    JsonNode data = UploadPayloads.object(args, "siofu", "{id, ...}");
    JsonNode id = data.get("id");
    if (id == null || id.isNull() || id.isContainerNode() || id.isBinary() || id.asText().length() > MAX_ID_CHARS) {
      throw UploadPayloads.badRequest("'id' is required: the siofu file id (a number or a string of at most " + MAX_ID_CHARS + " characters).");
    }
    String fileId = id.asText();
    if (!starts && failed(socket).contains(fileId)) return;
    try {
      step.run(socket, fileId, data);
    } catch (BuildcastException e) {
      fail(socket, fileId, id, e.code(), e.getMessage());
    } catch (UncheckedIOException e) {
      // why siofu_error, not the general error event: the client may have been told to send on
      // already (see progress), and only siofu_error stops it and tells its page
      Transfer transfer = transfers(socket).get(fileId);
      log.error("{} - siofu upload failed while storing a chunk", transfer != null ? transfer.uploadId : "siofu file " + fileId, e);
      fail(socket, fileId, id, "internal", "The server could not store the file; it was deleted: upload it again.");
    }
  }

  private void fail(SocketIoSocket socket, String fileId, JsonNode id, String code, String message) {
    failed(socket).add(fileId);
    Transfer dropped = transfers(socket).remove(fileId);
    if (dropped != null) uploads.abortQuietly(dropped.uploadId);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("id", id);
    error.put("message", message);
    error.put("code", code);
    socket.emit(SocketEvents.SIOFU_ERROR, error);
  }

  private void start(SocketIoSocket socket, String fileId, JsonNode data) {
    failed(socket).remove(fileId);
    Transfer previous = transfers(socket).remove(fileId);
    if (previous != null) uploads.abortQuietly(previous.uploadId);
    // why meta.sha256: a page can set file.meta = {sha256} and get the same check as upload.start
    Optional<String> sha256 = Optional.ofNullable(data.path("meta").get("sha256")).filter(JsonNode::isTextual).map(JsonNode::asText);
    // why not resumable: the siofu client cannot resume; its upload is deleted when its connection closes, and so at a restart
    Started started = uploads.start(UploadEvents.owner(socket),
        new UploadService.Announced(UploadPayloads.text(data, "name"), UploadPayloads.whole(data, "size"), sha256, Optional.empty(), false));
    Transfer transfer = new Transfer(started.uploadId());
    started.completed().ifPresent(done -> transfer.completed = done);
    transfers(socket).put(fileId, transfer);
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("id", data.get("id"));
    ready.put("name", baseName(UploadPayloads.text(data, "name")));
    ready.put("uploadId", started.uploadId());
    socket.emit(SocketEvents.SIOFU_READY, ready);
  }

  private void progress(SocketIoSocket socket, String fileId, JsonNode data) throws Exception {
    Transfer transfer = transfer(socket, fileId);
    byte[] bytes = content(data);
    Map<String, Object> next = Map.of("id", data.get("id"));
    if (transfer.completed != null && bytes.length == 0) {
      socket.emit(SocketEvents.SIOFU_CHUNK, next);
      return;
    }
    long offset = data.hasNonNull("start") ? UploadPayloads.whole(data, "start") : -1;
    // why the answer before the write: the client reads and sends its next chunk only once it has
    // it, so the two overlap instead of taking turns; a failed write still ends in siofu_error
    Written written = uploads.write(transfer.uploadId, offset, ByteBuffer.wrap(bytes), () -> socket.emit(SocketEvents.SIOFU_CHUNK, next));
    written.progress().ifPresent(p -> socket.emit(SocketEvents.UPLOAD_PROGRESS, UploadPayloads.progress(p)));
    written.completed().ifPresent(done -> transfer.completed = done);
  }

  private void done(SocketIoSocket socket, String fileId, JsonNode data) {
    if (data.path("interrupt").asBoolean(false)) {
      Transfer dropped = transfers(socket).remove(fileId);
      if (dropped != null) uploads.abortQuietly(dropped.uploadId);
      return;
    }
    Transfer transfer = transfer(socket, fileId);
    if (transfer.completed == null) {
      throw new dev.buildcast.upload.UploadException("size_mismatch",
          "The client finished the file before sending all of it; it was deleted: upload it again.");
    }
    transfers(socket).remove(fileId);
    CompletedUpload done = transfer.completed;
    if (done.size() == 0) {
      socket.emit(SocketEvents.UPLOAD_PROGRESS, Map.of("uploadId", done.uploadId(), "bytesReceived", 0, "size", 0, "percentage", 100));
    }
    Map<String, Object> complete = new LinkedHashMap<>();
    complete.put("id", data.get("id"));
    complete.put("success", true);
    complete.put("detail", UploadPayloads.complete(done));
    socket.emit(SocketEvents.SIOFU_COMPLETE, complete);
    socket.emit(SocketEvents.UPLOAD_COMPLETE, UploadPayloads.complete(done));
  }

  private Transfer transfer(SocketIoSocket socket, String fileId) {
    Transfer transfer = transfers(socket).get(fileId);
    if (transfer == null) {
      throw new dev.buildcast.upload.UploadException("unknown_upload", "No upload with siofu id " + fileId
          + " on this connection: it failed, was aborted, or was started on another connection; upload the file again.");
    }
    return transfer;
  }

  /** The chunk's bytes: binary (the default), base64 text ({@code useBuffer: false}) or plain text ({@code useText}). */
  private static byte[] content(JsonNode data) throws Exception {
    JsonNode content = data.get("content");
    if (content == null || content.isNull()) throw UploadPayloads.badRequest("'content' is required: the chunk's bytes.");
    if (content.isBinary()) return content.binaryValue();
    if (content.isTextual()) {
      if (data.path("base64").asBoolean(false)) {
        try {
          return Base64.getDecoder().decode(content.asText());
        } catch (IllegalArgumentException e) {
          throw UploadPayloads.badRequest("'content' is not valid base64.");
        }
      }
      return content.asText().getBytes(StandardCharsets.UTF_8);
    }
    throw UploadPayloads.badRequest("'content' must be binary or a string.");
  }

  private void disconnected(SocketIoSocket socket) {
    Map<String, Transfer> mine = transfers(socket);
    for (Transfer t : mine.values()) {
      if (t.completed == null) {
        uploads.abortQuietly(t.uploadId);
        log.info("{} - siofu upload deleted: its client disconnected mid-file", t.uploadId);
      }
    }
    mine.clear();
  }

  /**
   * The ids of this socket's failed files. why bounded: a client could fail any number of ids; the
   * oldest are forgotten, which only means a very late event of one gets a second siofu_error.
   * Used on the socket's serial thread, but synchronised as the attribute map is shared.
   */
  @SuppressWarnings("unchecked")
  private static java.util.Set<String> failed(SocketIoSocket socket) {
    return (java.util.Set<String>) socket.attributes().computeIfAbsent(FAILED, k -> java.util.Collections.synchronizedSet(
        java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<String, Boolean>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_FAILED_IDS;
          }
        })));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Transfer> transfers(SocketIoSocket socket) {
    return (Map<String, Transfer>) socket.attributes().computeIfAbsent(TRANSFERS, k -> new ConcurrentHashMap<String, Transfer>());
  }

  private static String baseName(String name) {
    String base = name.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }
}
