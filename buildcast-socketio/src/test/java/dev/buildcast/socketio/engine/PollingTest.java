package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PollingTest {
  private EngineFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withMaxPayloadBytes(100));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private String poll(String sid) throws Exception {
    HttpResponse<String> r = fx.get("EIO=4&transport=polling&sid=" + sid);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    return r.body();
  }

  @Test
  void poll_textAndBinaryQueued_joinedWithRecordSeparator() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();

    assertThat(socket.send(List.of(EngineMessage.text("héllo"), EngineMessage.binary(new byte[] {1, 2, 3, 4})))).isTrue();

    assertThat(poll(sid)).isEqualTo("4héllo\u001ebAQIDBA==");
  }

  @Test
  void poll_nothingQueued_heldUntilSomethingIsSent() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<HttpResponse<String>> pending = fx.http.sendAsync(
        HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sid)).build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(60)).until(() -> ((EngineSession) socket).polling().hasPendingPoll());
    assertThat(pending).isNotDone();

    socket.send(EngineMessage.text("late"));

    assertThat(pending.get(60, TimeUnit.SECONDS).body()).isEqualTo("4late");
  }

  @Test
  void poll_moreQueuedThanMaxPayload_splitAcrossResponsesInOrder() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    String forty = "x".repeat(39);
    for (int i = 0; i < 5; i++) assertThat(socket.send(EngineMessage.text(i + forty))).isTrue();

    // each segment is 41 bytes ("4" + 40 chars); two fit in 100 with a separator, three do not
    assertThat(poll(sid)).isEqualTo("40" + forty + "\u001e41" + forty);
    assertThat(poll(sid)).isEqualTo("42" + forty + "\u001e43" + forty);
    assertThat(poll(sid)).isEqualTo("44" + forty);
  }

  @Test
  void poll_singleMessageLargerThanMaxPayload_stillDelivered() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    String big = "y".repeat(500);
    socket.send(EngineMessage.text(big));
    assertThat(poll(sid)).isEqualTo("4" + big);
  }

  @Test
  void post_textAndBinaryPackets_deliveredInOrderAndAnsweredOk() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    List<EngineMessage> received = new CopyOnWriteArrayList<>();
    socket.onMessage(received::add);

    HttpResponse<String> r = fx.post("EIO=4&transport=polling&sid=" + sid,
        "4a\u001e" + "b" + Base64.getEncoder().encodeToString(new byte[] {9, 8}) + "\u001e6\u001e4€");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 3);
    assertThat(received).containsExactly(
        EngineMessage.text("a"), EngineMessage.binary(new byte[] {9, 8}), EngineMessage.text("€"));
  }

  @Test
  void post_closePacket_pendingPollGetsNoopAndSessionClosesWithTransportClose() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<String> reason = new CompletableFuture<>();
    socket.onClose(reason::complete);
    CompletableFuture<HttpResponse<String>> pending = fx.http.sendAsync(
        HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sid)).build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(60)).until(() -> ((EngineSession) socket).polling().hasPendingPoll());

    assertThat(fx.post("EIO=4&transport=polling&sid=" + sid, "1").statusCode()).isEqualTo(200);

    assertThat(pending.get(60, TimeUnit.SECONDS).body()).isEqualTo("6");
    assertThat(reason.get(60, TimeUnit.SECONDS)).isEqualTo("transport close");
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
  }

  @Test
  void serverClose_pendingPoll_getsQueuedThenClosePacket() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<HttpResponse<String>> pending = fx.http.sendAsync(
        HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sid)).build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(60)).until(() -> ((EngineSession) socket).polling().hasPendingPoll());

    socket.close("forced close");

    assertThat(pending.get(60, TimeUnit.SECONDS).body()).isEqualTo("1");
    assertThat(socket.send(EngineMessage.text("after"))).isFalse();
    assertThat(fx.engine.sessionCount()).isZero();
  }
}
