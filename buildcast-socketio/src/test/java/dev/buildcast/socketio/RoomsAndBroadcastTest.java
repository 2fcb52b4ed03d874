package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.socketio.engine.EngineMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomsAndBroadcastTest extends FakeEngineFixture {
  private final List<SocketIoSocket> sockets = new ArrayList<>();
  private final List<FakeEngineSocket> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    start();
    io.namespace("/").onConnect(sockets::add);
    for (int i = 0; i < 3; i++) {
      FakeEngineSocket c = connected("/");
      c.clearSent();
      clients.add(c);
    }
  }

  @Test
  void join_thenBroadcastToRoom_onlyMembersReceive() {
    sockets.get(0).join("r");
    sockets.get(1).join("r");
    int refused = io.namespace("/").to("r").emit("hi", 1);
    assertThat(refused).isZero();
    assertThat(clients.get(0).texts()).containsExactly("2[\"hi\",1]");
    assertThat(clients.get(1).texts()).containsExactly("2[\"hi\",1]");
    assertThat(clients.get(2).texts()).isEmpty();
  }

  @Test
  void broadcast_exceptSocketId_excludesThatSocket() {
    sockets.forEach(s -> s.join("r"));
    io.namespace("/").to("r").except(sockets.get(1).id()).emit("hi");
    assertThat(clients.get(0).texts()).hasSize(1);
    assertThat(clients.get(1).texts()).isEmpty();
    assertThat(clients.get(2).texts()).hasSize(1);
  }

  @Test
  void socketTo_excludesSender() {
    sockets.forEach(s -> s.join("r"));
    sockets.get(0).to("r").emit("hi");
    assertThat(clients.get(0).texts()).isEmpty();
    assertThat(clients.get(1).texts()).hasSize(1);
  }

  @Test
  void broadcast_toSeveralRooms_deliversOncePerSocket() {
    sockets.get(0).join("a");
    sockets.get(0).join("b");
    sockets.get(1).join("b");
    io.namespace("/").to("a", "b").emit("x");
    assertThat(clients.get(0).texts()).hasSize(1);
    assertThat(clients.get(1).texts()).hasSize(1);
    assertThat(clients.get(2).texts()).isEmpty();
  }

  @Test
  void broadcast_toWholeNamespace_sharesOneMessageInstance() {
    assertThat(io.namespace("/").emit("all", "x")).isZero();
    EngineMessage first = clients.get(0).sent.get(0);
    assertThat(clients.get(1).sent.get(0)).isSameAs(first);
    assertThat(clients.get(2).sent.get(0)).isSameAs(first);
  }

  @Test
  void socketIdRoom_addressesThatSocketOnly() {
    io.namespace("/").to(sockets.get(2).id()).emit("direct");
    assertThat(clients.get(2).texts()).hasSize(1);
    assertThat(clients.get(0).texts()).isEmpty();
  }

  @Test
  void leave_thenBroadcast_notReceived() {
    sockets.get(0).join("r");
    sockets.get(0).leave("r");
    io.namespace("/").to("r").emit("x");
    assertThat(clients.get(0).texts()).isEmpty();
    assertThat(io.namespace("/").rooms()).doesNotContain("r");
  }

  @Test
  void disconnect_removesSocketFromAllRooms() {
    sockets.get(0).join("r");
    clients.get(0).drop("transport close");
    assertThat(io.namespace("/").rooms()).doesNotContain("r", sockets.get(0).id());
    assertThat(sockets.get(0).rooms()).isEmpty();
  }

  @Test
  void join_afterDisconnect_doesNothing() {
    clients.get(0).drop("transport close");
    sockets.get(0).join("late");
    assertThat(io.namespace("/").rooms()).doesNotContain("late");
  }

  @Test
  void encodedPacket_sentToManySockets_isSameInstances() {
    EncodedPacket p = io.namespace("/").encode("log", "line", new byte[] {1});
    for (SocketIoSocket s : sockets) assertThat(s.send(p)).isTrue();
    assertThat(clients.get(0).sent).hasSize(2);
    assertThat(clients.get(1).sent.get(0)).isSameAs(p.messages().get(0));
    assertThat(clients.get(2).sent.get(1)).isSameAs(p.messages().get(1));
  }

  @Test
  void encodedPacket_forOtherNamespace_isRefused() {
    EncodedPacket p = io.namespace("/other").encode("log", "line");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sockets.get(0).send(p))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
