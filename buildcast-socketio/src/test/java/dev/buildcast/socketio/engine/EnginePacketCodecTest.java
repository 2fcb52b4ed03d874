package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnginePacketCodecTest {

  @Test
  void decodePayload_mixedPackets_decodedInOrder() throws Exception {
    List<Packet> packets = EnginePacketCodec.decodePayload("4hello\u001e2\u001ebAQIDBA==\u001e3probe");
    assertThat(packets).extracting(Packet::type).containsExactly('4', '2', '4', '3');
    assertThat(packets.get(0).message()).isEqualTo(EngineMessage.text("hello"));
    assertThat(packets.get(2).message()).isEqualTo(EngineMessage.binary(new byte[] {1, 2, 3, 4}));
    assertThat(packets.get(3).isProbe()).isTrue();
  }

  @Test
  void decodePayload_base64WithLineBreaks_decodedLikeTheReferenceServer() throws Exception {
    byte[] data = new byte[200];
    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
    String mime = java.util.Base64.getMimeEncoder().encodeToString(data) + "\n";
    assertThat(mime).contains("\r\n");

    assertThat(EnginePacketCodec.decodePayload("b" + mime).get(0).message()).isEqualTo(EngineMessage.binary(data));
  }

  @Test
  void decodePayload_emptyMessage_isEmptyText() throws Exception {
    assertThat(EnginePacketCodec.decodePayload("4").get(0).message()).isEqualTo(EngineMessage.text(""));
  }

  @Test
  void decode_badInput_malformed() {
    for (String bad : List.of("", "abc", "7", "0{}", "4a\u001e", "bnot*base64")) {
      assertThatThrownBy(() -> EnginePacketCodec.decodePayload(bad)).as(bad).isInstanceOf(MalformedPacketException.class);
    }
    // over WebSocket, binary travels in binary frames: a "b" text frame is not a packet
    assertThatThrownBy(() -> EnginePacketCodec.decodeText("bAQID")).isInstanceOf(MalformedPacketException.class);
  }

  @Test
  void handshake_containsAllFields() {
    assertThat(EnginePacketCodec.handshake("abc", true, EngineConfig.defaults()))
        .isEqualTo("0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
  }

  @Test
  void message_framings_cachedAndCorrect() {
    EngineMessage text = EngineMessage.text("é");
    assertThat(new String(text.pollingBytes(), StandardCharsets.UTF_8)).isEqualTo("4é");
    ByteBuffer frame = text.webSocketPayload();
    assertThat(frame.isReadOnly()).isTrue();
    assertThat(StandardCharsets.UTF_8.decode(frame.slice()).toString()).isEqualTo("4é");
    assertThat(text.webSocketPayload()).isSameAs(frame);

    EngineMessage binary = EngineMessage.binary(new byte[] {1, 2});
    assertThat(new String(binary.pollingBytes(), StandardCharsets.UTF_8)).isEqualTo("bAQI=");
    assertThat(binary.webSocketPayload().remaining()).isEqualTo(2);
  }

  @Test
  void sessionIds_areLongUrlSafeAndDistinct() {
    SessionIds ids = new SessionIds(java.util.Optional.empty());
    String a = ids.next();
    assertThat(a).matches("[A-Za-z0-9_-]{24}"); // 144 random bits
    assertThat(ids.next()).isNotEqualTo(a);
  }

  @Test
  void sessionIds_withTag_areTagDotAndTheSameRandomPart() {
    SessionIds ids = new SessionIds(java.util.Optional.of("n-2"));
    String a = ids.next();
    assertThat(a).matches("n-2\\.[A-Za-z0-9_-]{24}");
    assertThat(ids.next()).isNotEqualTo(a);
  }
}
