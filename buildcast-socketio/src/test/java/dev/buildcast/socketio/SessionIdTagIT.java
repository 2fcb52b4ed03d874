package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official clients against a server whose session ids carry a tag (as behind a load balancer
 * that routes by it): with their default transports they handshake over polling, keep naming the
 * tagged id, and upgrade to WebSocket with it; an id of another tag is an unknown session.
 */
class SessionIdTagIT {
  private static final String TAG = "node-7";
  private static final String TAGGED_ID = "node-7\\.[A-Za-z0-9_-]{24}";
  private static final long WAIT = 10;
  private static ItServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ItServer(engine -> engine.withSessionIdTag(TAG));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void nodeClient_defaultTransports_pollsAndUpgradesWithTheTaggedId() throws Exception {
    String out = NodeClientIT.runScenario(server.url(), "tagged-sid", TAG);

    assertThat(out).contains("ok the client started with polling", "ok upgraded to websocket",
        "ok the session kept its tagged id through the upgrade", "ok ack after the upgrade");
  }

  @Test
  void javaClient_defaultTransports_pollsAndUpgradesWithTheTaggedId() throws Exception {
    IO.Options options = new IO.Options();
    options.forceNew = true;
    options.reconnection = false;
    Socket client = IO.socket(URI.create(server.url()), options);
    try {
      CompletableFuture<Void> connected = new CompletableFuture<>();
      client.once(Socket.EVENT_CONNECT, a -> connected.complete(null));
      client.once(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(new AssertionError("connect_error " + a[0])));
      client.connect();
      connected.get(WAIT, TimeUnit.SECONDS);
      SocketIoSocket onServer = server.io.of("/").orElseThrow().socket(client.id()).orElseThrow();
      String sid = onServer.connectionId();
      assertThat(sid).matches(TAGGED_ID);
      assertThat(onServer.handshake().query()).as("the session began with a polling handshake").containsEntry("transport", "polling");
      assertThat(ack(client, "echo-ack", "first")).isEqualTo("first");

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ack(client, "transport")).isEqualTo("websocket"));

      assertThat(server.io.of("/").orElseThrow().socket(client.id()).orElseThrow().connectionId()).isEqualTo(sid);
      assertThat(ack(client, "echo-ack", "after")).isEqualTo("after");
    } finally {
      client.close();
    }
  }

  @Test
  void polling_sidOfAnotherTag_answeredSessionIdUnknown() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create(server.url() + "/socket.io/?EIO=4&transport=polling&sid=node-8.AAAAAAAAAAAAAAAAAAAAAAAA")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    }
  }

  private static Object ack(Socket s, String event, Object... args) throws Exception {
    CompletableFuture<Object[]> answer = new CompletableFuture<>();
    s.emit(event, args, (Ack) answer::complete);
    return answer.get(WAIT, TimeUnit.SECONDS)[0];
  }
}
