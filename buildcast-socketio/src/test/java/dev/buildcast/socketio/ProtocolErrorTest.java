package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolErrorTest extends FakeEngineFixture {

  @BeforeEach
  void setUp() {
    start();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"abc", "42{}", "2{}", "2abc[\"message-with-ack\",1]", "2[null]", "2[\"disconnect\"]", "31{}", "2[true]", "1{}", "4{}", "511-[\"a\"]", "2[\"a\""})
  void invalidPacket_fromConnectedClient_closesOnlyThatConnection(String packet) {
    List<String> reasons = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.onDisconnect(reasons::add));
    FakeEngineSocket bad = connected("/");
    FakeEngineSocket good = connected("/");
    bad.receive(packet);
    assertThat(bad.isOpen()).isFalse();
    assertThat(bad.closedWith).isEqualTo("parse error");
    assertThat(reasons).containsExactly("parse error");
    assertThat(good.isOpen()).isTrue();
    assertThat(io.of("/").orElseThrow().socketCount()).isEqualTo(1);
  }

  /** More lenient than the reference on purpose (it closes the connection): see Client.route. */
  @Test
  void packets_forANamespaceNotConnected_ignored_connectionAndItsNamespacesStay() {
    List<String> got = new ArrayList<>();
    io.namespace("/").onConnect(s -> s.on("m", (args, ack) -> got.add(args.toString())));
    io.namespace("/nsp");
    FakeEngineSocket s = connected("/");

    s.receive("2/nsp,[\"m\",0]");
    s.receive("1/nsp,");
    s.receive("3/nsp,4[1]");
    s.receive("2[\"m\",1]");

    assertThat(s.isOpen()).isTrue();
    assertThat(got).containsExactly("[1]");
  }

  @Test
  void firstPacket_notConnect_closesConnection() {
    FakeEngineSocket s = engine.connect();
    s.receive("2[\"hello\"]");
    assertThat(s.isOpen()).isFalse();
  }

  @Test
  void invalidHandshake_closesConnection() {
    FakeEngineSocket s = engine.connect();
    s.receive("abc");
    assertThat(s.isOpen()).isFalse();
  }

  @Test
  void binaryMessage_withoutHeader_closesConnection() {
    FakeEngineSocket s = connected("/");
    s.receive(new byte[] {1, 2});
    assertThat(s.isOpen()).isFalse();
  }

  @Test
  void textPacket_whileAttachmentsAwaited_closesConnection() {
    FakeEngineSocket s = connected("/");
    s.receive("51-[\"m\",{\"_placeholder\":true,\"num\":0}]");
    s.receive("2[\"m\"]");
    assertThat(s.isOpen()).isFalse();
  }

  @Test
  void eventForNamespaceNotJoined_isIgnored() {
    io.namespace("/a");
    FakeEngineSocket s = connected("/");
    s.receive("2/a,[\"x\"]");
    assertThat(s.isOpen()).isTrue();
  }
}
