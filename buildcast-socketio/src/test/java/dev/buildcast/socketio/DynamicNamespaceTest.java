package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamicNamespaceTest extends FakeEngineFixture {
  private static final Pattern JOBS = Pattern.compile("^/[A-Za-z0-9_-]{8,64}$");
  private NamespaceGroup jobs;
  private int baseline;

  @BeforeEach
  void setUp() {
    start();
    jobs = io.namespace(JOBS);
    baseline = io.namespaceCount();
  }

  @Test
  void connect_matchingName_createsChildVisibleToMiddlewareAndListener() {
    AtomicReference<String> seenByMiddleware = new AtomicReference<>();
    AtomicReference<SocketIoSocket> connected = new AtomicReference<>();
    jobs.use(s -> seenByMiddleware.set(s.namespace().name()));
    jobs.onConnect(connected::set);
    FakeEngineSocket c = connected("/job-12345678");
    assertThat(c.texts().get(0)).startsWith("0/job-12345678,{\"sid\":");
    assertThat(seenByMiddleware.get()).isEqualTo("/job-12345678");
    assertThat(connected.get().namespace().group()).containsSame(jobs);
    assertThat(io.of("/job-12345678")).containsSame(connected.get().namespace());
    assertThat(io.namespaceCount()).isEqualTo(baseline + 1);
  }

  @Test
  void connect_nameNotMatching_isInvalidNamespace() {
    FakeEngineSocket c = engine.connect();
    c.receive("0/short,");
    assertThat(c.texts()).containsExactly("4/short,{\"message\":\"Invalid namespace\"}");
    assertThat(io.namespaceCount()).isEqualTo(baseline);
  }

  @Test
  void lastSocketLeaves_childIsRemoved() {
    FakeEngineSocket a = connected("/job-aaaaaaaa");
    FakeEngineSocket b = connected("/job-aaaaaaaa");
    assertThat(jobs.size()).isEqualTo(1);
    a.receive("1/job-aaaaaaaa,");
    assertThat(jobs.size()).isEqualTo(1);
    b.drop("transport close");
    assertThat(jobs.size()).isZero();
    assertThat(io.of("/job-aaaaaaaa")).isEmpty();
  }

  @Test
  void middlewareRefuses_childIsRemoved() {
    jobs.use(s -> {
      throw new ConnectRefusedException("Invalid token");
    });
    FakeEngineSocket c = engine.connect();
    c.receive("0/job-bbbbbbbb,");
    assertThat(c.texts()).containsExactly("4/job-bbbbbbbb,{\"message\":\"Invalid token\"}");
    assertThat(io.namespaceCount()).isEqualTo(baseline);
  }

  @Test
  void staticNamespace_winsOverGroup() {
    Namespace fixed = io.namespace("/job-static-1");
    AtomicReference<SocketIoSocket> connected = new AtomicReference<>();
    fixed.onConnect(connected::set);
    connected("/job-static-1");
    assertThat(connected.get().namespace()).isSameAs(fixed);
    assertThat(jobs.size()).isZero();
  }

  @Test
  void childOwnMiddleware_runsAfterGroupMiddleware() {
    List<String> order = new ArrayList<>();
    jobs.use(s -> order.add("group"));
    jobs.onConnect(s -> {
      order.add("connect");
      s.namespace().use(x -> order.add("child"));
    });
    FakeEngineSocket first = connected("/job-cccccccc");
    connected("/job-cccccccc");
    assertThat(order).containsExactly("group", "connect", "group", "child", "connect");
    assertThat(first.isOpen()).isTrue();
  }

  @Test
  void churn_tenThousandDistinctNamespaces_leavesNothingBehind() {
    List<SocketIoSocket> live = new ArrayList<>();
    jobs.use(s -> {
      if (s.handshake().auth().path("refuse").asBoolean()) throw new ConnectRefusedException("no");
    });
    jobs.onConnect(s -> {
      s.join("logs");
      s.on("cancel", (args, ack) -> ack.send("ok"));
      live.add(s);
    });
    for (int i = 0; i < 10_000; i++) {
      String ns = String.format("/job-%08d", i);
      FakeEngineSocket c = engine.connect();
      switch (i % 4) {
        case 0 -> { // client leaves the namespace, then closes
          c.receive("0" + ns + ",");
          c.receive("2" + ns + ",1[\"cancel\"]");
          c.receive("1" + ns + ",");
          c.drop("transport close");
        }
        case 1 -> { // abrupt close
          c.receive("0" + ns + ",");
          live.get(live.size() - 1).emitWithAck(java.time.Duration.ofMinutes(1), "ping");
          c.drop("transport close");
        }
        case 2 -> { // server disconnects the socket, then the connection goes
          c.receive("0" + ns + ",");
          live.get(live.size() - 1).disconnect();
          c.drop("transport close");
        }
        default -> { // refused by middleware
          c.receive("0" + ns + ",{\"refuse\":true}");
          c.drop("transport close");
        }
      }
    }
    assertThat(io.namespaceCount()).isEqualTo(baseline);
    assertThat(jobs.size()).isZero();
    assertThat(io.clientCount()).isZero();
    assertThat(live).hasSize(7_500).allSatisfy(s -> {
      assertThat(s.isConnected()).isFalse();
      assertThat(s.rooms()).isEmpty();
      assertThat(s.pendingAcks()).isZero();
    });
    assertThat(io.namespace("/").rooms()).isEmpty();
    assertThat(io.timers().pending()).isZero();
  }
}
