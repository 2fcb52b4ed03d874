package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official Java client (io.socket:socket.io-client 2.1.2) against a real server. */
class JavaClientIT {
  private static final long WAIT = 10;
  private static ItServer server;
  private final List<Socket> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = new ItServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void closeClients() {
    opened.forEach(Socket::close);
  }

  private IO.Options options(String... transports) {
    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.reconnection = false;
    if (transports.length > 0) o.transports = transports;
    return o;
  }

  private Socket open(String namespace, IO.Options options) {
    Socket s = IO.socket(URI.create(server.url() + namespace), options);
    opened.add(s);
    return s;
  }

  private Socket connected(String namespace, IO.Options options) throws Exception {
    Socket s = open(namespace, options);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    s.once(Socket.EVENT_CONNECT, a -> connected.complete(null));
    s.once(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(new AssertionError("connect_error " + a[0])));
    s.connect();
    connected.get(WAIT, TimeUnit.SECONDS);
    return s;
  }

  private static Object[] emitWithAck(Socket s, String event, Object... args) throws Exception {
    CompletableFuture<Object[]> answer = new CompletableFuture<>();
    s.emit(event, args, (Ack) answer::complete);
    return answer.get(WAIT, TimeUnit.SECONDS);
  }

  @Test
  void connect_rootAndAdminOverOneManager_areMultiplexedWithAuth() throws Exception {
    IO.Options o = options();
    o.auth = Map.of("token", "secret", "user", "ada");
    Manager manager = new Manager(URI.create(server.url()), o);
    Socket root = manager.socket("/");
    Socket admin = manager.socket("/admin", o);
    opened.add(root);
    opened.add(admin);
    CompletableFuture<Object> welcome = new CompletableFuture<>();
    admin.on("welcome", a -> welcome.complete(a[0]));
    CompletableFuture<Void> rootUp = new CompletableFuture<>();
    root.once(Socket.EVENT_CONNECT, a -> rootUp.complete(null));
    root.connect();
    admin.connect();
    rootUp.get(WAIT, TimeUnit.SECONDS);
    assertThat(welcome.get(WAIT, TimeUnit.SECONDS)).isEqualTo("ada");
    assertThat(server.io.of("/admin").orElseThrow().sockets())
        .singleElement()
        .satisfies(s -> assertThat(s.connectionId())
            .isEqualTo(server.io.of("/").orElseThrow().socket(root.id()).orElseThrow().connectionId()));
  }

  @Test
  void connect_badToken_connectErrorHasMessageAndData() throws Exception {
    IO.Options o = options();
    o.auth = Map.of("token", "wrong");
    Socket s = open("/admin", o);
    CompletableFuture<Object> error = new CompletableFuture<>();
    s.once(Socket.EVENT_CONNECT_ERROR, a -> error.complete(a[0]));
    s.connect();
    Object err = error.get(WAIT, TimeUnit.SECONDS);
    assertThat(err).isInstanceOf(JSONObject.class);
    JSONObject json = (JSONObject) err;
    assertThat(json.getString("message")).isEqualTo("Invalid token");
    assertThat(json.getJSONObject("data").getInt("code")).isEqualTo(401);
  }

  @Test
  void connect_unknownNamespace_connectErrorInvalidNamespace() throws Exception {
    Socket s = open("/nope", options());
    CompletableFuture<Object> error = new CompletableFuture<>();
    s.once(Socket.EVENT_CONNECT_ERROR, a -> error.complete(a[0]));
    s.connect();
    assertThat(((JSONObject) error.get(WAIT, TimeUnit.SECONDS)).getString("message")).isEqualTo("Invalid namespace");
  }

  @Test
  void ack_clientToServer_returnsArguments() throws Exception {
    Socket s = connected("/", options());
    Object[] answer = emitWithAck(s, "echo-ack", 1, "two", new JSONObject("{\"three\":[true]}"));
    assertThat(answer[0]).isEqualTo(1);
    assertThat(answer[1]).isEqualTo("two");
    assertThat(answer[2].toString()).isEqualTo("{\"three\":[true]}");
  }

  @Test
  void ack_serverToClient_serverGetsClientAnswer() throws Exception {
    Socket s = connected("/", options());
    s.on("question", a -> ((Ack) a[a.length - 1]).call("answer to " + a[0]));
    CompletableFuture<Object> answer = new CompletableFuture<>();
    s.on("answer", a -> answer.complete(a[0]));
    s.emit("ask", "life");
    assertThat(answer.get(WAIT, TimeUnit.SECONDS)).isEqualTo("answer to life");
  }

  @Test
  void broadcast_toRoom_excludesSenderAndNonMembers() throws Exception {
    Socket a = connected("/", options());
    Socket b = connected("/", options());
    Socket c = connected("/", options());
    emitWithAck(a, "join", "r");
    emitWithAck(b, "join", "r");
    BlockingQueue<Object> atA = new LinkedBlockingQueue<>();
    BlockingQueue<Object> atB = new LinkedBlockingQueue<>();
    BlockingQueue<Object> atC = new LinkedBlockingQueue<>();
    a.on("shout", x -> atA.add(x[0]));
    b.on("shout", x -> atB.add(x[0]));
    c.on("shout", x -> atC.add(x[0]));
    assertThat(emitWithAck(a, "shout", "r", "hi")[0]).isEqualTo(0);
    assertThat(atB.poll(WAIT, TimeUnit.SECONDS)).isEqualTo("hi");
    // a marker through the same connections proves a and c had their chance to receive it
    emitWithAck(a, "echo-ack", "sync");
    emitWithAck(c, "echo-ack", "sync");
    assertThat(atA).isEmpty();
    assertThat(atC).isEmpty();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1024, 100 * 1024, 900 * 1024})
  void binaryOverWebSocket_bothWays_roundTripsIntact(int size) throws Exception {
    binaryRoundTrip(connected("/", options("websocket")), size);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1024, 100 * 1024, 900 * 1024})
  void binaryOverPolling_bothWays_roundTripsIntact(int size) throws Exception {
    binaryRoundTrip(connected("/", options("polling")), size);
  }

  private static void binaryRoundTrip(Socket s, int size) throws Exception {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) data[i] = (byte) (i * 31);
    assertThat(emitWithAck(s, "bin-len", (Object) data)[0]).isEqualTo(size);
    Object[] back = emitWithAck(s, "echo-ack", (Object) data);
    assertThat((byte[]) back[0]).isEqualTo(data);
    byte[] made = (byte[]) emitWithAck(s, "make-bin", size)[0];
    assertThat(made).hasSize(size);
    assertThat(made[size - 1]).isEqualTo((byte) (size - 1));
  }

  @Test
  void binaryFromServerOverPolling_900KiB_arrivesIntact() throws Exception {
    Socket s = connected("/", options("polling"));
    byte[] made = (byte[]) emitWithAck(s, "make-bin", 900 * 1024)[0];
    assertThat(made).hasSize(900 * 1024);
    assertThat(made[1000]).isEqualTo((byte) 1000);
  }

  @Test
  void slowHandler_ofOneClient_neitherStallsOthersNorReordersItsOwnEvents() throws Exception {
    Socket slow = connected("/", options("websocket"));
    Socket other = connected("/", options("websocket"));
    List<Object> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    slow.emit("block", new Object[0], (Ack) a -> order.add(a[0]));
    assertThat(server.blocked.await(WAIT, TimeUnit.SECONDS)).isTrue();
    slow.emit("echo-ack", new Object[] {"after"}, (Ack) a -> order.add(a[0]));
    assertThat(emitWithAck(other, "echo-ack", "meanwhile")[0]).isEqualTo("meanwhile");
    assertThat(order).isEmpty();
    server.release.countDown();
    await().atMost(Duration.ofSeconds(WAIT)).until(() -> order.size() == 2);
    assertThat(order).containsExactly("released", "after");
  }

  @Test
  void handlers_runOffJettyThreads() throws Exception {
    Socket s = connected("/", options());
    assertThat((String) emitWithAck(s, "thread")[0]).doesNotStartWith("qtp");
  }

  @Test
  void pollingOnly_staysOnPolling() throws Exception {
    Socket s = connected("/", options("polling"));
    assertThat(emitWithAck(s, "transport")[0]).isEqualTo("polling");
    assertThat(emitWithAck(s, "echo-ack", "x")[0]).isEqualTo("x");
  }

  @Test
  void websocketOnly_usesWebSocket() throws Exception {
    Socket s = connected("/", options("websocket"));
    assertThat(emitWithAck(s, "transport")[0]).isEqualTo("websocket");
  }

  @Test
  void upgradeUnderLoad_allTicksArriveInOrder() throws Exception {
    Socket s = open("/", options("polling", "websocket"));
    List<Integer> ticks = new java.util.concurrent.CopyOnWriteArrayList<>();
    s.on("tick", a -> ticks.add((Integer) a[0]));
    s.on(Socket.EVENT_CONNECT, a -> s.emit("burst", 3000));
    s.connect();
    await().atMost(Duration.ofSeconds(60)).until(() -> ticks.size() >= 3000);
    assertThat(ticks).hasSize(3000).isSorted();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(emitWithAck(s, "transport")[0]).isEqualTo("websocket"));
  }

  @Test
  void reconnect_afterServerClosesConnection_connectsAgain() throws Exception {
    IO.Options o = options();
    o.reconnection = true;
    o.reconnectionDelay = 50;
    o.reconnectionDelayMax = 200;
    Socket s = open("/", o);
    AtomicInteger connects = new AtomicInteger();
    s.on(Socket.EVENT_CONNECT, a -> {
      if (connects.incrementAndGet() == 1) s.emit("drop-me");
    });
    s.connect();
    await().atMost(Duration.ofSeconds(60)).until(() -> connects.get() >= 2);
    assertThat(emitWithAck(s, "echo-ack", "back")[0]).isEqualTo("back");
  }

  @Test
  void dynamicNamespace_connectAndLeave_isCreatedThenRemoved() throws Exception {
    int baseline = server.io.namespaceCount();
    Socket s = open("/job-abcdefgh", options());
    CompletableFuture<Object> hello = new CompletableFuture<>();
    s.on("hello", a -> hello.complete(a[0]));
    s.connect();
    assertThat(hello.get(WAIT, TimeUnit.SECONDS)).isEqualTo("/job-abcdefgh");
    assertThat(server.io.namespaceCount()).isEqualTo(baseline + 1);
    s.disconnect();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.io.namespaceCount() == baseline);
  }

  @Test
  void dynamicNamespace_churnOverNetwork_returnsToBaseline() throws Exception {
    int baseline = server.io.namespaceCount();
    for (int i = 0; i < 50; i++) {
      Socket s = connected(String.format("/job-churn%03d", i), options("websocket"));
      if (i % 2 == 0) s.disconnect(); else s.emit("drop-me"); // clean leave, or the connection closed
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> server.io.namespaceCount() == baseline);
    assertThat(server.jobs.size()).isZero();
  }
}
