package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Follows one job over Socket.IO with the official Java client: {@code log} events (JSON lines,
 * basic or all) go to the printer, and the future completes with the final {@code status}, which the
 * server sends only after the job's last line.
 *
 * <p>The client reconnects by itself after a network failure; the {@code since} in its auth map
 * moves with every line printed, so a reconnect resumes exactly after it (the map is read again on
 * each connect).
 */
final class SocketFollower implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Socket socket;
  private final CompletableFuture<JsonNode> finalStatus = new CompletableFuture<>();
  private final Map<String, String> auth = new ConcurrentHashMap<>();

  SocketFollower(URI server, String jobId, String token, boolean detail, LinePrinter printer, Consumer<JsonNode> onStatus) {
    auth.put("token", token);
    auth.put("format", "json");
    auth.put("detail", String.valueOf(detail));
    auth.put("since", "0");
    IO.Options options = IO.Options.builder()
        .setForceNew(true)
        .setReconnectionAttempts(10)
        .setReconnectionDelay(500)
        .setReconnectionDelayMax(5000)
        .build();
    options.auth = auth;
    this.socket = IO.socket(URI.create(server.toString().replaceAll("/+$", "") + "/" + jobId), options);
    socket.on("log", args -> {
      for (JsonNode line : tree(args[0]).path("lines")) printer.print(line);
      auth.put("since", String.valueOf(printer.lastSeq()));
    });
    socket.on("status", args -> {
      JsonNode status = tree(args[0]);
      onStatus.accept(status);
      if (isFinished(status.path("state").asText())) finalStatus.complete(status);
    });
    socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
      JsonNode error = args.length > 0 ? tree(args[0]) : JSON.nullNode();
      String code = error.path("data").path("code").asText("");
      // why only these: other connect errors are network trouble, which reconnection handles
      if (code.equals("forbidden") || code.equals("not_found")) {
        finalStatus.completeExceptionally(new ApiException(code, error.path("message").asText("refused")));
      }
    });
    socket.io().on(Manager.EVENT_RECONNECT_FAILED, args ->
        finalStatus.completeExceptionally(new ApiException("connection", "Lost the connection to " + server + " and could not reconnect.")));
  }

  CompletableFuture<JsonNode> start() {
    socket.connect();
    return finalStatus;
  }

  static boolean isFinished(String state) {
    return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
  }

  private static JsonNode tree(Object value) {
    try {
      return JSON.readTree(String.valueOf(value));
    } catch (IOException e) {
      return JSON.nullNode();
    }
  }

  @Override
  public void close() {
    socket.off();
    socket.close();
    // why: the client's OkHttp threads are not daemons; without this the JVM lingers after main
    socket.io().off();
  }
}
