package dev.buildcast.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.SocketClients;
import io.socket.client.Ack;
import io.socket.client.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/** Buildcast's upload events spoken with the official Java Socket.IO client, recording what the server sends. */
public final class UploadClient implements AutoCloseable {

  /** A progress event and the moment it arrived. */
  record Progress(JsonNode payload, long arrivedNanos) {}

  final Socket socket;
  final List<Progress> progress = new CopyOnWriteArrayList<>();
  public final List<JsonNode> completed = new CopyOnWriteArrayList<>();
  final List<JsonNode> errors = new CopyOnWriteArrayList<>();

  public UploadClient(String url) throws Exception {
    this(url, p -> {});
  }

  UploadClient(String url, java.util.function.Consumer<JsonNode> onProgress) throws Exception {
    this.socket = SocketClients.root(url);
    socket.on("upload.progress", a -> {
      JsonNode p = SocketClients.tree(a[0]);
      onProgress.accept(p);
      progress.add(new Progress(p, System.nanoTime()));
    });
    socket.on("upload.complete", a -> completed.add(SocketClients.tree(a[0])));
    socket.on("error", a -> errors.add(SocketClients.tree(a[0])));
  }

  public JsonNode start(String name, long size, String sha256) throws Exception {
    JSONObject request = new JSONObject().put("name", name).put("size", size);
    if (sha256 != null) request.put("sha256", sha256);
    return call("upload.start", request);
  }

  /** Starts an upload with an announced SHA-256 that must be a file of {@code kind} ("zip"). */
  JsonNode start(String name, long size, String sha256, String kind) throws Exception {
    return call("upload.start", new JSONObject().put("name", name).put("size", size).put("sha256", sha256).put("expect", kind));
  }

  /** Starts an upload that must be a file of {@code kind} ("zip"). */
  JsonNode startExpecting(String name, long size, String kind) throws Exception {
    return call("upload.start", new JSONObject().put("name", name).put("size", size).put("expect", kind));
  }

  public JsonNode resume(String uploadId) throws Exception {
    return call("upload.start", new JSONObject().put("uploadId", uploadId));
  }

  public JsonNode chunk(String uploadId, long offset, byte[] file, int length) throws Exception {
    return chunkAsync(uploadId, offset, file, length).get(60, TimeUnit.SECONDS);
  }

  CompletableFuture<JsonNode> chunkAsync(String uploadId, long offset, byte[] file, int length) throws Exception {
    byte[] data = Arrays.copyOfRange(file, (int) offset, (int) offset + length);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    socket.emit("upload.chunk", new Object[] {new JSONObject().put("uploadId", uploadId).put("offset", offset).put("data", data)},
        (Ack) args -> reply.complete(SocketClients.tree(args[0])));
    return reply;
  }

  JsonNode abort(String uploadId) throws Exception {
    return call("upload.abort", new JSONObject().put("uploadId", uploadId));
  }

  /** Sends the file from {@code offset} on, a chunk at a time, each after the previous acknowledgement. */
  public JsonNode sendFrom(String uploadId, long offset, byte[] file, int chunkSize) throws Exception {
    JsonNode last = null;
    long at = offset;
    while (at < file.length) {
      int n = (int) Math.min(chunkSize, file.length - at);
      last = chunk(uploadId, at, file, n);
      if (last.has("error")) return last;
      at = last.get("offset").asLong();
    }
    return last;
  }

  private JsonNode call(String event, JSONObject request) throws Exception {
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    socket.emit(event, new Object[] {request}, (Ack) args -> reply.complete(SocketClients.tree(args[0])));
    return reply.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    socket.disconnect();
    socket.close();
  }

}
