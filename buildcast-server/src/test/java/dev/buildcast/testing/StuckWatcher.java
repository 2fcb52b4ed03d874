package dev.buildcast.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Socket.IO watcher over a raw WebSocket that joins a job's namespace and then stops reading:
 * it asks its WebSocket for no more messages, so TCP back-pressure reaches the server. Models a
 * frozen tab or a client on a dead network.
 */
public final class StuckWatcher implements AutoCloseable {

  private final WebSocket socket;
  private final AtomicInteger received = new AtomicInteger();

  private StuckWatcher(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects, joins {@code /<jobId>} with the token, then stops reading. */
  public static StuckWatcher join(String baseUrl, String jobId, String token) throws Exception {
    CompletableFuture<Void> joined = new CompletableFuture<>();
    AtomicInteger count = new AtomicInteger();
    String ws = baseUrl.replaceFirst("^http", "ws") + "/socket.io/?EIO=4&transport=websocket";
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(ws), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (!last) {
              webSocket.request(1);
              return null;
            }
            String message = text.toString();
            text.setLength(0);
            count.incrementAndGet();
            if (message.startsWith("0")) {
              webSocket.sendText("40/" + jobId + ",{\"token\":\"" + token + "\",\"format\":\"json\",\"detail\":true}", true);
            } else if (message.startsWith("2")) {
              webSocket.sendText("3", true);
            }
            if (message.startsWith("40/" + jobId)) {
              joined.complete(null); // and from here on, never request another message
            } else {
              webSocket.request(1);
            }
            return null;
          }
        }).get(60, TimeUnit.SECONDS);
    joined.get(60, TimeUnit.SECONDS);
    StuckWatcher watcher = new StuckWatcher(socket);
    watcher.received.set(count.get());
    return watcher;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
