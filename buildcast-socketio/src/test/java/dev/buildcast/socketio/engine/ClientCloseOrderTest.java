package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A polling client that closes its session sends the close packet in a POST while its GET is on
 * its way on another connection (the official suite's "forcefully closes the session" sends both
 * at the same instant). Whichever of the two the server handles first, the client gets what the
 * reference server answers when it reads them in the order sent: the GET a noop ({@code 6}), the
 * POST {@code ok}, and any request after them 400 (unknown session). Each test drives one order
 * by hand: the GET held before the close, the close handled before the GET arrives, and the GET
 * looked the session up but waits for its lock while the close ends the session.
 */
class ClientCloseOrderTest {
  private EngineFixture fx;
  private String sid;
  private EngineSession session;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture();
    sid = fx.handshake();
    session = (EngineSession) fx.nextSocket();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private String query() {
    return "EIO=4&transport=polling&sid=" + sid;
  }

  private CompletableFuture<HttpResponse<String>> pollAsync() {
    return fx.http.sendAsync(HttpRequest.newBuilder(fx.uri(query())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void assertSessionUnknownAndClosedByClient() throws Exception {
    HttpResponse<String> next = fx.get(query());
    assertThat(next.statusCode()).isEqualTo(400);
    assertThat(next.body()).contains("Session ID unknown");
    assertThat(fx.closeReason(session).get(60, TimeUnit.SECONDS)).isEqualTo("transport close");
    assertThat(fx.engine.sessionCount()).isZero();
  }

  @Test
  void closePost_afterThePollIsHeld_pollGetsNoopThenTheSessionIsUnknown() throws Exception {
    CompletableFuture<HttpResponse<String>> poll = pollAsync();
    await().atMost(Duration.ofSeconds(60)).until(() -> session.polling().hasPendingPoll());

    HttpResponse<String> close = fx.post(query(), "1");

    assertThat(close.body()).isEqualTo("ok");
    assertThat(poll.get(60, TimeUnit.SECONDS).body()).isEqualTo("6");
    assertSessionUnknownAndClosedByClient();
  }

  @Test
  void closePost_handledBeforeThePollArrives_pollStillGetsNoopThenTheSessionIsUnknown() throws Exception {
    HttpResponse<String> close = fx.post(query(), "1");
    assertThat(close.body()).isEqualTo("ok");
    assertThat(fx.engine.sessionCount()).as("unregistered at once").isZero();

    HttpResponse<String> poll = fx.get(query());

    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).isEqualTo("6");
    assertSessionUnknownAndClosedByClient();
  }

  @Test
  void closePost_whileThePollWaitsForTheSessionLock_pollGetsNoopThenTheSessionIsUnknown() throws Exception {
    CompletableFuture<HttpResponse<String>> poll;
    synchronized (session.lock) {
      poll = pollAsync();
      // the GET has found the session registered and now waits to read its state
      await().atMost(Duration.ofSeconds(60)).until(this::aThreadWaitsForTheSessionLock);
      // what the close packet of a POST read on another thread does (this thread holds the lock,
      // which is reentrant, so the close runs whole before the GET goes on)
      session.onPacket(new Packet(Packet.CLOSE, "", null), session.polling());
      assertThat(fx.engine.sessionCount()).isZero();
    }

    HttpResponse<String> answer = poll.get(60, TimeUnit.SECONDS);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("6");
    assertSessionUnknownAndClosedByClient();
  }

  @Test
  void closePost_thenAnotherPost_refusedAsUnknownWhileThePollIsStillOwedItsNoop() throws Exception {
    fx.post(query(), "1");

    HttpResponse<String> post = fx.post(query(), "4late");

    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(fx.get(query()).body()).isEqualTo("6");
  }

  @Test
  void serverClose_noPollHeld_laterPollGetsTheClosePacketNotANoop() throws Exception {
    session.close("server side");

    assertThat(fx.get(query()).body()).isEqualTo("1");
    assertThat(fx.get(query()).statusCode()).isEqualTo(400);
  }

  @Test
  void abort_noPollHeld_laterPollIsRefused() throws Exception {
    session.abort("gone");

    assertThat(fx.get(query()).statusCode()).isEqualTo(400);
  }

  /**
   * Whether a thread is blocked entering the session's lock: the fixture's Jetty runs requests on
   * platform threads, which the thread dump lists with the monitor they wait for.
   */
  private boolean aThreadWaitsForTheSessionLock() {
    int lock = System.identityHashCode(session.lock);
    ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
    return Arrays.stream(threads).anyMatch(t -> t.getThreadState() == Thread.State.BLOCKED
        && t.getLockInfo() != null && t.getLockInfo().getIdentityHashCode() == lock);
  }
}
