package dev.buildcast.socket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.socketio.Ack;
import dev.buildcast.socketio.SocketIoServer;
import dev.buildcast.socketio.SocketIoSocket;
import dev.buildcast.limits.ClientAddress;
import dev.buildcast.upload.CompletedUpload;
import dev.buildcast.upload.UploadKind;
import dev.buildcast.upload.UploadService;
import dev.buildcast.upload.UploadService.Started;
import dev.buildcast.upload.UploadService.Written;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buildcast's upload events on namespace "/": {@code upload.start} (new or resume), {@code
 * upload.chunk}, {@code upload.abort}; the server answers on acknowledgements and sends {@code
 * upload.progress} and {@code upload.complete} to the uploading client only. Decisions are the
 * {@link UploadService}'s.
 *
 * <p>A connection's uploads are owned by it for the per-connection limit; when it closes they stay,
 * resumable by id from any connection, until they complete, are aborted or expire.
 *
 * <p>{@code upload.start} may say what the file must be ({@code expect: "zip"}); the completion then
 * reports the file's {@code kind} and, when it is not what was expected, an {@code error}. The
 * expectation is the upload's (kept by the {@link UploadService} with its record, so it survives a
 * reconnect and a restart); a resume that says {@code expect} replaces it.
 */
public final class UploadEvents {

  private final UploadService uploads;

  public UploadEvents(SocketIoServer io, SocketGateway gateway, UploadService uploads) {
    this.uploads = uploads;
    gateway.onRootEvent(SocketEvents.UPLOAD_START, this::start);
    gateway.onRootEvent(SocketEvents.UPLOAD_CHUNK, this::chunk);
    gateway.onRootEvent(SocketEvents.UPLOAD_ABORT, this::abort);
    io.namespace("/").onConnect(socket -> {
      // why the address: limits and quotas on uploads are per client address, so a reconnect resets nothing
      uploads.bindAddress(owner(socket), ClientAddress.of(socket.handshake().remoteAddress()));
      socket.onDisconnect(reason -> uploads.release(owner(socket)));
    });
  }

  /** Who owns a socket's uploads for the per-connection limit: its Engine.IO connection. */
  static String owner(SocketIoSocket socket) {
    return "socket:" + socket.connectionId();
  }

  private void start(SocketIoSocket socket, List<JsonNode> args, Ack ack) {
    JsonNode request = UploadPayloads.object(args, SocketEvents.UPLOAD_START, "{name, size, sha256?, expect?} or {uploadId, expect?}");
    Optional<String> expected = UploadPayloads.optionalText(request, "expect");
    if (expected.isPresent() && !expected.get().equals(UploadKind.ZIP.wireName())) {
      throw UploadPayloads.badRequest("'expect' must be \"zip\" or left out.");
    }
    Optional<UploadKind> expect = expected.map(k -> UploadKind.ZIP);
    Started started = request.hasNonNull("uploadId")
        ? uploads.resume(owner(socket), UploadPayloads.text(request, "uploadId"), expect)
        : uploads.start(owner(socket), new UploadService.Announced(UploadPayloads.text(request, "name"), UploadPayloads.whole(request, "size"),
            UploadPayloads.optionalText(request, "sha256"), expect, true));
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("uploadId", started.uploadId());
    reply.put("chunkSize", started.chunkSize());
    reply.put("offset", started.offset());
    reply.put("size", started.size());
    ack.send(reply);
    // why the request's expectation first: a completed upload keeps the one it completed with
    started.completed().ifPresent(done -> completed(socket, done, !request.hasNonNull("uploadId"), expect));
  }

  private void chunk(SocketIoSocket socket, List<JsonNode> args, Ack ack) throws Exception {
    JsonNode request = UploadPayloads.object(args, SocketEvents.UPLOAD_CHUNK, "{uploadId, offset, data}");
    String uploadId = UploadPayloads.text(request, "uploadId");
    long offset = UploadPayloads.whole(request, "offset");
    JsonNode data = request.get("data");
    if (data == null || !data.isBinary()) throw UploadPayloads.badRequest("'data' is required and must be binary (an ArrayBuffer, Blob, Buffer or byte[]).");
    Written written = uploads.write(uploadId, offset, ByteBuffer.wrap(data.binaryValue()));
    written.progress().ifPresent(p -> socket.emit(SocketEvents.UPLOAD_PROGRESS, UploadPayloads.progress(p)));
    ack.send(Map.of("offset", written.offset()));
    written.completed().ifPresent(done -> socket.emit(SocketEvents.UPLOAD_COMPLETE, complete(done, Optional.empty())));
  }

  private void abort(SocketIoSocket socket, List<JsonNode> args, Ack ack) {
    JsonNode request = UploadPayloads.object(args, SocketEvents.UPLOAD_ABORT, "{uploadId}");
    uploads.abort(UploadPayloads.text(request, "uploadId"));
    ack.send(Map.of("ok", true));
  }

  /** {@code upload.complete}, with the file's kind and, if it is not the kind expected, why. */
  private Map<String, Object> complete(CompletedUpload done, Optional<UploadKind> expectNow) {
    Map<String, Object> payload = UploadPayloads.complete(done);
    UploadKind expected = expectNow.or(() -> uploads.expectation(done.uploadId())).orElse(null);
    Optional<UploadKind.Verdict> verdict = uploads.kindOf(done.uploadId());
    if (verdict.isEmpty()) return payload;
    Optional<String> notZip = verdict.get().whyNotZip();
    payload.put("kind", verdict.get().kind().wireName());
    if (expected == UploadKind.ZIP && notZip.isPresent()) {
      payload.put("error", Map.of("code", "not_a_zip", "message",
          "The generator takes a zip file, but " + done.name() + " is not one: " + notZip.get() + ". Choose the .zip file."));
    }
    return payload;
  }

  /** An upload completed on start (zero bytes) or found complete on resume. */
  private void completed(SocketIoSocket socket, CompletedUpload done, boolean reportProgress, Optional<UploadKind> expectNow) {
    if (reportProgress) {
      socket.emit(SocketEvents.UPLOAD_PROGRESS, Map.of("uploadId", done.uploadId(), "bytesReceived", 0, "size", 0, "percentage", 100));
    }
    socket.emit(SocketEvents.UPLOAD_COMPLETE, complete(done, expectNow));
  }
}
