package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.buildcast.socketio.engine.EngineMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketEncoderTest {
  private final ObjectMapper mapper = Json.mapper(64, 1_000_000);
  private final PacketEncoder encoder = new PacketEncoder(mapper);

  record Status(String state, int code) {}

  @Test
  void event_inRootNamespace_omitsNamespace() {
    List<EngineMessage> m = encoder.event("/", Packet.NO_ACK, "foo", new Object[] {1, "2"});
    assertThat(m).extracting(EngineMessage::text).containsExactly("2[\"foo\",1,\"2\"]");
  }

  @Test
  void event_inCustomNamespaceWithAck_writesNamespaceCommaAndId() {
    List<EngineMessage> m = encoder.event("/admin", 12, "foo", new Object[] {});
    assertThat(m.get(0).text()).isEqualTo("2/admin,12[\"foo\"]");
  }

  @Test
  void event_withRecordAndNull_serialisesThem() {
    List<EngineMessage> m = encoder.event("/", Packet.NO_ACK, "s", new Object[] {new Status("ok", 3), null});
    assertThat(m.get(0).text()).isEqualTo("2[\"s\",{\"state\":\"ok\",\"code\":3},null]");
  }

  @Test
  void event_withNestedByteArrays_becomesBinaryEventWithPlaceholders() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("a", new byte[] {1, 2});
    payload.put("list", List.of("x", new byte[] {3}));
    List<EngineMessage> m = encoder.event("/admin", Packet.NO_ACK, "bin", new Object[] {payload});
    assertThat(m).hasSize(3);
    assertThat(m.get(0).text())
        .isEqualTo(
            "52-/admin,[\"bin\",{\"a\":{\"_placeholder\":true,\"num\":0},"
                + "\"list\":[\"x\",{\"_placeholder\":true,\"num\":1}]}]");
    assertThat(m.get(1).binary()).containsExactly(1, 2);
    assertThat(m.get(2).binary()).containsExactly(3);
  }

  @Test
  void event_withBinaryNodeInCallersTree_leavesCallersTreeUnchanged() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("data", new byte[] {9});
    List<EngineMessage> m = encoder.event("/", Packet.NO_ACK, "t", new Object[] {tree});
    assertThat(m.get(0).text()).isEqualTo("51-[\"t\",{\"data\":{\"_placeholder\":true,\"num\":0}}]");
    assertThat(tree.get("data").isBinary()).isTrue();
  }

  @Test
  void event_withJsonNodeArgument_isWrittenAsIs() {
    JsonNode node = mapper.createObjectNode().put("k", "v");
    assertThat(encoder.event("/", Packet.NO_ACK, "e", new Object[] {node}).get(0).text())
        .isEqualTo("2[\"e\",{\"k\":\"v\"}]");
  }

  @Test
  void writtenEvent_isWhatTheTreeEncoderMakesOfTheSameArgument_inAnyNamespace() {
    for (String namespace : List.of("/", "/job-1", "/ünïcode")) {
      for (String text : List.of("plain", "quote \" backslash \\", "tab\tESC\u001B[0m", "emoji 😀 日本", "\u2028", "", "x".repeat(70_000))) {
        EngineMessage tree = encoder.event(namespace, Packet.NO_ACK, "file-content", new Object[] {text}).get(0);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // the buffer's size is only a hint: none, too small, right and too large give the same packet
        for (int expected : List.of(0, utf8.length / 2, utf8.length + 32, utf8.length * 3)) {
          EngineMessage written = encoder.writtenEvent(namespace, "file-content", expected, generator -> generator.writeString(text));
          EngineMessage fromUtf8 = encoder.writtenEvent(namespace, "file-content", expected, generator -> generator.writeUTF8String(utf8, 0, utf8.length));

          assertThat(written.text()).isEqualTo(tree.text());
          assertThat(written).isEqualTo(tree);
          assertThat(fromUtf8).isEqualTo(tree);
        }
      }
    }
  }

  @Test
  void ack_withBinary_becomesBinaryAck() {
    List<EngineMessage> m = encoder.ack("/", 789, new Object[] {new byte[] {1}, new byte[] {2}});
    assertThat(m.get(0).text())
        .isEqualTo("62-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(m).hasSize(3);
  }

  @Test
  void ack_plain_writesIdAndArray() {
    assertThat(encoder.ack("/admin", 13, new Object[] {"bar"}).get(0).text()).isEqualTo("3/admin,13[\"bar\"]");
  }

  @Test
  void control_connectErrorAndDisconnect_followSpecExamples() {
    ObjectNode err = JsonNodeFactory.instance.objectNode().put("message", "Not authorized");
    assertThat(encoder.control(PacketType.CONNECT_ERROR, "/", err).text()).isEqualTo("4{\"message\":\"Not authorized\"}");
    ObjectNode sid = JsonNodeFactory.instance.objectNode().put("sid", "abc");
    assertThat(encoder.control(PacketType.CONNECT, "/admin", sid).text()).isEqualTo("0/admin,{\"sid\":\"abc\"}");
    assertThat(encoder.control(PacketType.DISCONNECT, "/admin", null).text()).isEqualTo("1/admin,");
    assertThat(encoder.control(PacketType.DISCONNECT, "/", null).text()).isEqualTo("1");
  }

  @Test
  void encodeThenDecode_binaryEvent_roundTrips() throws Exception {
    List<EngineMessage> m = encoder.event("/x", 5, "e", new Object[] {Map.of("b", new byte[] {7, 8})});
    PacketDecoder decoder = new PacketDecoder(mapper, 10);
    BinaryReassembler r = new BinaryReassembler();
    assertThat(r.onText(decoder.decode(m.get(0).text()))).isNull();
    Packet p = r.onBinary(m.get(1).binary());
    assertThat(p.ackId()).isEqualTo(5);
    assertThat(p.payload().get(1).get("b").binaryValue()).containsExactly(7, 8);
  }
}
