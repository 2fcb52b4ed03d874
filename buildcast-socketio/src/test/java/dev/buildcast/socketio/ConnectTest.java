package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectTest extends FakeEngineFixture {

  @BeforeEach
  void setUp() {
    start();
  }

  @Test
  void connect_toRoot_answersSidAndRunsConnectListener() {
    List<SocketIoSocket> seen = new ArrayList<>();
    io.namespace("/").onConnect(seen::add);
    FakeEngineSocket s = connected("/");
    assertThat(s.texts()).hasSize(1);
    assertThat(s.texts().get(0)).startsWith("0{\"sid\":\"");
    assertThat(seen).singleElement().satisfies(sock -> {
      assertThat(sock.id()).isEqualTo(sidOf(s.texts().get(0)));
      assertThat(sock.isConnected()).isTrue();
      assertThat(sock.rooms()).containsExactly(sock.id());
    });
  }

  @Test
  void connect_answer_isSentWithAPause_andTheConnectListenersFirstEmitAfterIt() {
    io.namespace("/").onConnect(socket -> socket.emit("auth", Map.of()));
    FakeEngineSocket s = connected("/");

    assertThat(s.texts()).hasSize(2);
    assertThat(s.texts().get(1)).isEqualTo("2[\"auth\",{}]");
    assertThat(s.pausesAfter).containsExactly(Map.entry(0, Client.CONNECT_ANSWER_PAUSE));
  }

  @Test
  void connect_toCustomNamespace_answersWithNamespacePrefix() {
    io.namespace("/custom");
    FakeEngineSocket s = connected("/custom");
    assertThat(s.texts().get(0)).startsWith("0/custom,{\"sid\":\"");
  }

  @Test
  void connect_toUnknownNamespace_answersInvalidNamespaceAndKeepsConnection() {
    FakeEngineSocket s = engine.connect();
    s.receive("0/random");
    assertThat(s.texts()).containsExactly("4/random,{\"message\":\"Invalid namespace\"}");
    assertThat(s.isOpen()).isTrue();
    assertThat(io.namespaceCount()).isEqualTo(1);
  }

  @Test
  void connect_toUnknownNamespace_withAnApplicationRefusal_sendsItsMessageAndData() {
    io.onInvalidNamespace(name -> new ConnectRefusedException("Invalid namespace: no " + name + " here", Map.of("code", "invalid_namespace")));
    FakeEngineSocket s = engine.connect();

    s.receive("0/random");

    assertThat(s.texts()).containsExactly(
        "4/random,{\"message\":\"Invalid namespace: no /random here\",\"data\":{\"code\":\"invalid_namespace\"}}");
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void connect_toUnknownNamespace_whenTheApplicationRefusalFails_sendsTheReferenceMessage() {
    io.onInvalidNamespace(name -> {
      throw new IllegalStateException("broken");
    });
    FakeEngineSocket s = engine.connect();

    s.receive("0/random");

    assertThat(s.texts()).containsExactly("4/random,{\"message\":\"Invalid namespace\"}");
  }

  @Test
  void connect_withAnAckIdToAKnownNamespace_connectsAsTheReferenceDoes() {
    io.namespace("/nsp");
    FakeEngineSocket s = engine.connect();

    s.receive("0/nsp,123");

    assertThat(s.texts()).hasSize(1);
    assertThat(s.texts().get(0)).startsWith("0/nsp,{\"sid\":");
  }

  @Test
  void connect_withAuth_authVisibleToMiddlewareAndListener() {
    AtomicReference<JsonNode> inMiddleware = new AtomicReference<>();
    AtomicReference<SocketIoSocket> connected = new AtomicReference<>();
    Namespace ns = io.namespace("/custom");
    ns.use(sock -> {
      inMiddleware.set(sock.handshake().auth());
      sock.attributes().put("user", sock.handshake().auth().get("token").asText());
    });
    ns.onConnect(connected::set);
    FakeEngineSocket s = engine.connect(Map.of("EIO", "4"));
    s.receive("0/custom,{\"token\":\"abc\"}");
    assertThat(inMiddleware.get().get("token").asText()).isEqualTo("abc");
    assertThat(connected.get().attributes()).containsEntry("user", "abc");
    assertThat(connected.get().handshake().query()).containsEntry("EIO", "4");
    assertThat(connected.get().handshake().headers()).containsEntry("user-agent", "fake");
    assertThat(connected.get().handshake().remoteAddress()).isNotNull();
  }

  @Test
  void connect_withoutAuth_authIsEmptyObject() {
    AtomicReference<SocketIoSocket> connected = new AtomicReference<>();
    io.namespace("/").onConnect(connected::set);
    connected("/");
    assertThat(connected.get().handshake().auth().isObject()).isTrue();
    assertThat(connected.get().handshake().auth().isEmpty()).isTrue();
  }

  @Test
  void connect_refusedByMiddleware_sendsConnectErrorWithMessageAndData() {
    List<SocketIoSocket> seen = new ArrayList<>();
    Namespace ns = io.namespace("/secure");
    ns.use(sock -> {
      throw new ConnectRefusedException("Invalid token", Map.of("code", 401));
    });
    ns.onConnect(seen::add);
    FakeEngineSocket s = engine.connect();
    s.receive("0/secure,{\"token\":\"bad\"}");
    assertThat(s.texts()).containsExactly("4/secure,{\"message\":\"Invalid token\",\"data\":{\"code\":401}}");
    assertThat(seen).isEmpty();
    assertThat(ns.socketCount()).isZero();
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void connect_middlewareThrowsUnexpectedly_sendsGenericConnectError() {
    io.namespace("/").use(sock -> {
      throw new IllegalStateException("database down: secret details");
    });
    FakeEngineSocket s = connected("/");
    assertThat(s.texts()).containsExactly("4{\"message\":\"Internal server error\"}");
  }

  @Test
  void connect_middlewareInOrder_secondNotRunAfterRefusal() {
    List<String> order = new ArrayList<>();
    Namespace ns = io.namespace("/");
    ns.use(sock -> order.add("first"));
    ns.use(sock -> {
      order.add("second");
      throw new ConnectRefusedException("no");
    });
    ns.use(sock -> order.add("third"));
    connected("/");
    assertThat(order).containsExactly("first", "second");
  }

  @Test
  void connect_twoNamespacesOnOneConnection_areMultiplexed() {
    io.namespace("/a");
    io.namespace("/b");
    FakeEngineSocket s = engine.connect();
    s.receive("0/a,");
    s.receive("0/b,");
    assertThat(s.texts()).hasSize(2);
    assertThat(io.of("/a").orElseThrow().socketCount()).isEqualTo(1);
    assertThat(io.of("/b").orElseThrow().socketCount()).isEqualTo(1);
    assertThat(sidOf(s.texts().get(0))).isNotEqualTo(sidOf(s.texts().get(1)));
  }

  @Test
  void connect_secondConnectToSameNamespace_isIgnored() {
    FakeEngineSocket s = connected("/");
    s.receive("0");
    assertThat(s.texts()).hasSize(1);
    assertThat(io.of("/").orElseThrow().socketCount()).isEqualTo(1);
  }

  @Test
  void connectListener_throws_connectionStaysOpen() {
    io.namespace("/").onConnect(sock -> {
      throw new IllegalStateException("listener bug");
    });
    FakeEngineSocket s = connected("/");
    assertThat(s.isOpen()).isTrue();
    assertThat(io.of("/").orElseThrow().socketCount()).isEqualTo(1);
  }

  @Test
  void clientDisconnect_ofOneNamespace_leavesOthersAndKeepsSession() {
    io.namespace("/a");
    List<String> reasons = new ArrayList<>();
    io.namespace("/").onConnect(sock -> sock.onDisconnect(reasons::add));
    FakeEngineSocket s = engine.connect();
    s.receive("0");
    s.receive("0/a,");
    s.receive("1");
    assertThat(reasons).containsExactly("client namespace disconnect");
    assertThat(io.of("/").orElseThrow().socketCount()).isZero();
    assertThat(io.of("/a").orElseThrow().socketCount()).isEqualTo(1);
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void clientDisconnect_ofLastNamespace_keepsEngineSession() {
    FakeEngineSocket s = connected("/");
    s.receive("1");
    assertThat(s.isOpen()).isTrue();
    assertThat(io.clientCount()).isEqualTo(1);
  }

  @Test
  void serverDisconnect_sendsDisconnectPacketWithReason() {
    io.namespace("/a");
    AtomicReference<SocketIoSocket> sock = new AtomicReference<>();
    List<String> reasons = new ArrayList<>();
    io.namespace("/a").onConnect(x -> {
      sock.set(x);
      x.onDisconnect(reasons::add);
    });
    FakeEngineSocket s = connected("/a");
    sock.get().disconnect();
    assertThat(s.lastText()).isEqualTo("1/a,");
    assertThat(reasons).containsExactly("server namespace disconnect");
    assertThat(sock.get().isConnected()).isFalse();
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void serverDisconnect_withClose_sendsDisconnectForEveryNamespaceThenCloses() {
    AtomicReference<SocketIoSocket> sock = new AtomicReference<>();
    List<String> reasons = new ArrayList<>();
    io.namespace("/").onConnect(x -> {
      sock.set(x);
      x.onDisconnect(reasons::add);
    });
    io.namespace("/a").onConnect(x -> x.onDisconnect(reasons::add));
    FakeEngineSocket s = engine.connect();
    s.receive("0");
    s.receive("0/a,");
    s.clearSent();
    sock.get().disconnect(true);
    assertThat(s.texts()).containsExactlyInAnyOrder("1", "1/a,");
    assertThat(reasons).containsExactly("server namespace disconnect", "server namespace disconnect");
    assertThat(s.isOpen()).isFalse();
    assertThat(io.clientCount()).isZero();
  }

  @Test
  void engineClose_disconnectsEverySocketWithEngineReason() {
    io.namespace("/a");
    List<String> reasons = new ArrayList<>();
    io.namespace("/").onConnect(x -> x.onDisconnect(reasons::add));
    io.namespace("/a").onConnect(x -> x.onDisconnect(reasons::add));
    FakeEngineSocket s = engine.connect();
    s.receive("0");
    s.receive("0/a,");
    s.drop("transport close");
    assertThat(reasons).containsExactly("transport close", "transport close");
    assertThat(io.of("/").orElseThrow().rooms()).isEmpty();
    assertThat(io.clientCount()).isZero();
  }

  @Test
  void onDisconnect_addedAfterDisconnect_runsAtOnce() {
    AtomicReference<SocketIoSocket> sock = new AtomicReference<>();
    io.namespace("/").onConnect(sock::set);
    FakeEngineSocket s = connected("/");
    s.drop("ping timeout");
    List<String> reasons = new ArrayList<>();
    sock.get().onDisconnect(reasons::add);
    assertThat(reasons).containsExactly("ping timeout");
  }
}
