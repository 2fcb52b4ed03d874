package dev.buildcast.testing;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.json.JSONObject;

/** The official Java Socket.IO client, set up the way Buildcast's users would. */
public final class SocketClients {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The client's org.json value as Jackson's, which reads without checked exceptions. */
  public static JsonNode tree(Object value) {
    try {
      return JSON.readTree(String.valueOf(value));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private SocketClients() {}

  /** A connected client on namespace "/". */
  public static Socket root(String url) throws Exception {
    Socket socket = IO.socket(URI.create(url + "/"), IO.Options.builder().setForceNew(true).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, a -> connected.complete(null));
    socket.once(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(new IllegalStateException(String.valueOf(a[0]))));
    socket.connect();
    connected.get(60, TimeUnit.SECONDS);
    return socket;
  }

  /** Emits {@code generate} and returns the acknowledgement's object. */
  public static JsonNode generate(Socket root, Map<String, ?> request) throws Exception {
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    root.emit("generate", new JSONObject(JSON.writeValueAsString(request)), (Ack) args -> reply.complete(tree(args[0])));
    return reply.get(60, TimeUnit.SECONDS);
  }

  /** Records everything a watcher of one job receives. */
  public static final class Watcher implements AutoCloseable {
    public final Socket socket;
    public final List<String> messages = new CopyOnWriteArrayList<>();
    public final List<JsonNode> logLines = new CopyOnWriteArrayList<>();
    public final List<JsonNode> statuses = new CopyOnWriteArrayList<>();
    /** {@code error} events' payloads ({@code {error: {code, message}}}). */
    public final List<JsonNode> errors = new CopyOnWriteArrayList<>();
    /** The names of the {@code log}, {@code status} and {@code error} events, in arrival order. */
    public final List<String> order = new CopyOnWriteArrayList<>();
    public final List<String> fileContent = new CopyOnWriteArrayList<>();
    public final CompletableFuture<JsonNode> fileContentEnd = new CompletableFuture<>();
    public final CompletableFuture<Object> connectError = new CompletableFuture<>();
    public final CompletableFuture<Void> connected = new CompletableFuture<>();
    /** How often it connected: 1, then one more per reconnection. */
    public final java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
    /** The Engine.IO transports under it (the handshake's, the upgrade's, those of reconnections). */
    public final EngineTransports transports;

    Watcher(Socket socket) {
      this.socket = socket;
      this.transports = EngineTransports.observe(socket);
      socket.on(Socket.EVENT_CONNECT, a -> {
        connects.incrementAndGet();
        connected.complete(null);
      });
      socket.on(Socket.EVENT_CONNECT_ERROR, a -> connectError.complete(a[0]));
      socket.on("message", a -> messages.add((String) a[0]));
      socket.on("status", a -> {
        order.add("status");
        statuses.add(tree(a[0]));
      });
      socket.on("error", a -> {
        order.add("error");
        errors.add(tree(a[0]));
      });
      socket.on("log", a -> {
        order.add("log");
        tree(a[0]).get("lines").forEach(logLines::add);
      });
      socket.on("file-content", a -> fileContent.add((String) a[0]));
      socket.on("file-content-end", a -> fileContentEnd.complete(tree(a[0])));
    }

    public String lastState() {
      return statuses.isEmpty() ? null : statuses.getLast().get("state").asText();
    }

    public List<Long> seqs() {
      return logLines.stream().map(l -> l.get("seq").asLong()).toList();
    }

    @Override
    public void close() {
      socket.disconnect();
      socket.close();
    }
  }

  /** Starts watching job {@code jobId} with the given auth (token, format, detail, since). */
  public static Watcher watch(String url, String jobId, Map<String, ?> auth) {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false).build();
    @SuppressWarnings("unchecked")
    Map<String, String> authMap = (Map<String, String>) (Map<String, ?>) auth;
    options.auth = authMap;
    Socket socket = IO.socket(URI.create(url + "/" + jobId), options);
    Watcher watcher = new Watcher(socket);
    socket.connect();
    return watcher;
  }

  /**
   * Like {@link #watch} but as a client that reconnects by itself (the client's default backoff)
   * and resumes: {@code auth}'s {@code since} follows the last seq received, so a reconnection
   * asks for exactly the lines after it.
   */
  public static Watcher watchAndResume(String url, String jobId, Map<String, String> auth) {
    Map<String, String> resumingAuth = new java.util.concurrent.ConcurrentHashMap<>(auth);
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(true).build();
    options.auth = resumingAuth;
    Socket socket = IO.socket(URI.create(url + "/" + jobId), options);
    Watcher watcher = new Watcher(socket);
    // why after the watcher's own listener: the line is recorded before the next connect may ask past it
    socket.on("log", a -> {
      JsonNode lines = tree(a[0]).get("lines");
      if (!lines.isEmpty()) resumingAuth.put("since", Long.toString(lines.get(lines.size() - 1).get("seq").asLong()));
    });
    socket.connect();
    return watcher;
  }
}
