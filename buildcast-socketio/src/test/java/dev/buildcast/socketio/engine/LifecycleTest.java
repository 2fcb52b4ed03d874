package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void openAndClose2000Sessions_sessionCountReturnsToZero() throws Exception {
    try (EngineFixture fx = new EngineFixture()) {
      List<String> closeReasons = new CopyOnWriteArrayList<>();
      fx.engine.onConnection(s -> {
        s.onClose(closeReasons::add);
        fx.allSockets.add(s);
      });
      List<String> sids = new ArrayList<>();
      for (int batch = 0; batch < 20; batch++) {
        List<CompletableFuture<HttpResponse<String>>> opens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          opens.add(fx.http.sendAsync(HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling")).build(),
              HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : opens) sids.add(EngineFixture.sidOf(f.get(60, TimeUnit.SECONDS).body()));
      }
      assertThat(fx.engine.sessionCount()).isEqualTo(2000);

      // a quarter close themselves (close packet), the server closes the rest
      List<CompletableFuture<HttpResponse<String>>> closes = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        closes.add(fx.http.sendAsync(HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sids.get(i)))
            .POST(HttpRequest.BodyPublishers.ofString("1")).build(), HttpResponse.BodyHandlers.ofString()));
        if (closes.size() == 100) {
          for (var f : closes) assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
          closes.clear();
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> fx.allSockets.size() == 2000);
      for (EngineSocket s : fx.allSockets) if (s.isOpen()) s.close("server side");
      // each client's next poll collects its close packet
      List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
      for (int i = 500; i < 2000; i++) {
        polls.add(fx.http.sendAsync(HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sids.get(i))).build(),
            HttpResponse.BodyHandlers.ofString()));
        if (polls.size() == 100) {
          for (var f : polls) assertThat(f.get(60, TimeUnit.SECONDS).body()).isEqualTo("1");
          polls.clear();
        }
      }

      assertThat(fx.engine.sessionCount()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> closeReasons.size() == 2000);
      assertThat(closeReasons.stream().filter("transport close"::equals).count()).isEqualTo(500);
    }
  }

  @Test
  void engineClose_openSessions_allClosedAndTimerStopped() throws Exception {
    EngineFixture fx = new EngineFixture();
    fx.handshake();
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket");
    ws.nextText();
    EngineSocket a = fx.nextSocket();
    EngineSocket b = fx.nextSocket();
    CountDownLatch closed = new CountDownLatch(2);
    List<String> reasons = new CopyOnWriteArrayList<>();
    a.onClose(r -> { reasons.add(r); closed.countDown(); });
    b.onClose(r -> { reasons.add(r); closed.countDown(); });

    fx.engine.close();

    assertThat(fx.engine.sessionCount()).isZero();
    assertThat(closed.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(reasons).containsOnly("server shutting down");
    assertThat(ws.awaitClose()).isTrue();
    await().atMost(Duration.ofSeconds(60)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("engineio-timer") && t.isAlive()));
    assertThat(fx.get("EIO=4&transport=polling").statusCode()).isEqualTo(400);
    fx.close();
  }

  @Test
  void jettyStop_withoutEngineClose_sessionsClosedAndTimerStopped() throws Exception {
    EngineFixture fx = new EngineFixture();
    fx.handshake();
    EngineSocket socket = fx.nextSocket();

    fx.jetty.stop();

    assertThat(socket.isOpen()).isFalse();
    assertThat(fx.engine.sessionCount()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("engineio-timer") && t.isAlive()));
    fx.close();
  }

  @Test
  void listeners_slowListenerOnOneSession_otherSessionsKeepFlowing() throws Exception {
    try (EngineFixture fx = new EngineFixture()) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Thread> slowThread = new CompletableFuture<>();
      WsPeer slow = fx.connectWs("EIO=4&transport=websocket");
      slow.nextText();
      EngineSocket slowSocket = fx.nextSocket();
      slowSocket.onMessage(m -> {
        slowThread.complete(Thread.currentThread());
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      WsPeer fast = fx.connectWs("EIO=4&transport=websocket");
      fast.nextText();
      EngineSocket fastSocket = fx.nextSocket();
      List<String> fastOrder = new CopyOnWriteArrayList<>();
      fastSocket.onMessage(m -> fastOrder.add(m.text()));

      slow.send("4block");
      Thread t = slowThread.get(60, TimeUnit.SECONDS);
      for (int i = 0; i < 50; i++) fast.send("4f" + i);

      await().atMost(Duration.ofSeconds(60)).until(() -> fastOrder.size() == 50);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 50; i++) expected.add("f" + i);
      assertThat(fastOrder).containsExactlyElementsOf(expected);
      assertThat(t.isVirtual()).isTrue();
      assertThat(t.getName()).startsWith("engineio-listener-");
      release.countDown();
    }
  }
}
