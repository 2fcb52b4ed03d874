package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.socketio.engine.EngineMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventAndAckTest extends FakeEngineFixture {
  private final AtomicReference<SocketIoSocket> socket = new AtomicReference<>();

  @BeforeEach
  void setUp() {
    start();
    io.namespace("/").onConnect(socket::set);
  }

  @Test
  void event_withHandler_receivesArgumentsAfterName() {
    List<List<JsonNode>> got = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.on("message", (args, ack) -> got.add(args)));
    FakeEngineSocket s = connected("/");
    s.receive("2[\"message\",1,\"2\",{\"3\":[true]}]");
    assertThat(got).singleElement().satisfies(args -> assertThat(args.toString()).isEqualTo("[1, \"2\", {\"3\":[true]}]"));
  }

  @Test
  void event_withANumericName_reachesTheHandlerOfItsText_withAck() {
    List<List<JsonNode>> got = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.on("1", (args, ack) -> {
      got.add(args);
      ack.send("ok");
    }));
    FakeEngineSocket s = connected("/");

    s.receive("27[1,2]");

    assertThat(got).singleElement().satisfies(args -> assertThat(args.toString()).isEqualTo("[2]"));
    assertThat(s.lastText()).isEqualTo("37[\"ok\"]");
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void event_withoutAckId_ackNotRequestedAndSendsNothing() {
    AtomicReference<Ack> ack = new AtomicReference<>();
    io.namespace("/").onConnect(s -> s.on("m", (args, a) -> ack.set(a)));
    FakeEngineSocket s = connected("/");
    s.clearSent();
    s.receive("2[\"m\"]");
    assertThat(ack.get().requested()).isFalse();
    assertThat(ack.get().send("x")).isFalse();
    assertThat(s.sent).isEmpty();
  }

  @Test
  void event_withAckId_ackSentOnceWithSameId() {
    io.namespace("/").onConnect(s -> s.on("m", (args, ack) -> {
      assertThat(ack.requested()).isTrue();
      assertThat(ack.send(args.get(0), "two")).isTrue();
      assertThat(ack.send("again")).isFalse();
    }));
    FakeEngineSocket s = connected("/");
    s.receive("2456[\"m\",1]");
    assertThat(s.lastText()).isEqualTo("3456[1,\"two\"]");
  }

  @Test
  void event_withAckInCustomNamespace_answersInThatNamespace() {
    io.namespace("/c").onConnect(s -> s.on("m", (args, ack) -> ack.send(Map.of("ok", true))));
    FakeEngineSocket s = connected("/c");
    s.receive("2/c,7[\"m\"]");
    assertThat(s.lastText()).isEqualTo("3/c,7[{\"ok\":true}]");
  }

  @Test
  void binaryEvent_withAck_echoesAttachmentsAsBinaryAck() {
    io.namespace("/").onConnect(s -> s.on("message-with-ack", (args, ack) -> ack.send(args.toArray())));
    FakeEngineSocket s = connected("/");
    s.clearSent();
    s.receive("52-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    s.receive(new byte[] {1, 2, 3});
    s.receive(new byte[] {4, 5, 6});
    assertThat(s.sent).hasSize(3);
    assertThat(s.sent.get(0).text()).isEqualTo("62-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(s.sent.get(1).binary()).containsExactly(1, 2, 3);
    assertThat(s.sent.get(2).binary()).containsExactly(4, 5, 6);
  }

  @Test
  void binaryEvent_attachmentsArriveAsBinaryNodes() throws Exception {
    List<JsonNode> got = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.on("up", (args, ack) -> got.addAll(args)));
    FakeEngineSocket s = connected("/");
    s.receive("51-[\"up\",{\"name\":\"f\",\"data\":{\"_placeholder\":true,\"num\":0}}]");
    s.receive(new byte[] {9, 8});
    assertThat(got.get(0).get("data").isBinary()).isTrue();
    assertThat(got.get(0).get("data").binaryValue()).containsExactly(9, 8);
  }

  @Test
  void handler_throws_connectionStaysAndNextEventIsHandled() {
    List<String> got = new ArrayList<>();
    io.namespace("/").onConnect(s -> {
      s.on("boom", (args, ack) -> {
        throw new IllegalStateException("handler bug");
      });
      s.on("ok", (args, ack) -> got.add("ok"));
    });
    FakeEngineSocket s = connected("/");
    s.receive("2[\"boom\"]");
    s.receive("2[\"ok\"]");
    assertThat(s.isOpen()).isTrue();
    assertThat(got).containsExactly("ok");
  }

  @Test
  void emit_connected_queuesEventText() {
    FakeEngineSocket s = connected("/");
    assertThat(socket.get().emit("status", Map.of("state", "running"))).isTrue();
    assertThat(s.lastText()).isEqualTo("2[\"status\",{\"state\":\"running\"}]");
  }

  @Test
  void emit_byteArray_sendsBinaryEvent() {
    FakeEngineSocket s = connected("/");
    s.clearSent();
    socket.get().emit("bin", (Object) new byte[] {1, 2, 3});
    assertThat(s.sent).extracting(EngineMessage::isBinary).containsExactly(false, true);
    assertThat(s.sent.get(0).text()).isEqualTo("51-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
  }

  @Test
  void emit_reservedName_throws() {
    connected("/");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.get().emit("disconnect"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emit_afterDisconnect_returnsFalse() {
    FakeEngineSocket s = connected("/");
    s.drop("transport close");
    assertThat(socket.get().emit("x")).isFalse();
  }

  @Test
  void emitWithAck_clientAnswers_futureCompletesWithArgs() throws Exception {
    FakeEngineSocket s = connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofSeconds(5), "ping", 1);
    assertThat(s.lastText()).isEqualTo("20[\"ping\",1]");
    s.receive("30[\"pong\",2]");
    assertThat(f.get(60, TimeUnit.SECONDS).toString()).isEqualTo("[\"pong\", 2]");
    assertThat(socket.get().pendingAcks()).isZero();
  }

  @Test
  void emitWithAck_binaryAnswer_completesWithBinaryNode() throws Exception {
    FakeEngineSocket s = connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofSeconds(5), "get");
    s.receive("61-0[{\"_placeholder\":true,\"num\":0}]");
    s.receive(new byte[] {5});
    assertThat(f.get(60, TimeUnit.SECONDS).get(0).binaryValue()).containsExactly(5);
  }

  @Test
  void emitWithAck_noAnswer_failsWithTimeout() {
    connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofMillis(50), "ping");
    await().atMost(Duration.ofSeconds(60)).until(f::isDone);
    assertThat(f).isCompletedExceptionally();
    org.assertj.core.api.Assertions.assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(socket.get().pendingAcks()).isZero();
  }

  @Test
  void ack_lateOrUnknownId_isIgnored() {
    FakeEngineSocket s = connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofMillis(20), "ping");
    await().atMost(Duration.ofSeconds(60)).until(f::isDone);
    s.receive("30[\"late\"]");
    s.receive("399[\"unknown\"]");
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void event_withoutPayload_reachesNoHandler_connectionStaysAsInTheReference() {
    List<List<JsonNode>> got = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.on("message", (args, ack) -> got.add(args)));
    FakeEngineSocket s = connected("/");
    int sent = s.texts().size();

    s.receive("2");
    s.receive("21");
    s.receive("2[\"message\",1]");

    assertThat(got).singleElement().satisfies(args -> assertThat(args.toString()).isEqualTo("[1]"));
    assertThat(s.texts()).hasSize(sent);
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void ack_withoutId_isIgnored_pendingAckStaysPending() throws Exception {
    FakeEngineSocket s = connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofSeconds(60), "ping");

    s.receive("3[\"no id\"]");

    assertThat(s.isOpen()).isTrue();
    assertThat(f).isNotDone();
    s.receive("30[\"pong\"]");
    assertThat(f.get(60, TimeUnit.SECONDS).toString()).isEqualTo("[\"pong\"]");
  }

  @Test
  void ack_withoutPayload_completesWithNoArguments() throws Exception {
    FakeEngineSocket s = connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofSeconds(60), "ping");

    s.receive("30");

    assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void emitWithAck_socketDisconnects_futureFails() {
    FakeEngineSocket s = connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck(Duration.ofSeconds(30), "ping");
    s.drop("transport close");
    assertThat(f).isCompletedExceptionally();
  }

  @Test
  void emitWithAck_defaultTimeout_usesConfig() {
    io.close();
    start(SocketIoConfig.defaults().withDefaultAckTimeout(Duration.ofMillis(30)));
    io.namespace("/").onConnect(socket::set);
    connected("/");
    CompletableFuture<List<JsonNode>> f = socket.get().emitWithAck("ping");
    await().atMost(Duration.ofSeconds(60)).until(f::isDone);
    assertThat(f).isCompletedExceptionally();
  }

  @Test
  void handlers_ofOneClient_runInArrivalOrder() {
    List<Integer> order = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.on("n", (args, ack) -> order.add(args.get(0).asInt())));
    FakeEngineSocket s = connected("/");
    for (int i = 0; i < 100; i++) s.receive("2[\"n\"," + i + "]");
    assertThat(order).hasSize(100).isSorted();
  }
}
