package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinaryReassemblerTest {
  private final PacketDecoder decoder = new PacketDecoder(Json.mapper(64, 1_000_000), 10);
  private final BinaryReassembler reassembler = new BinaryReassembler();

  @Test
  void onBinary_lastAttachment_returnsPacketWithBinaryNodesInPlace() throws Exception {
    assertThat(reassembler.onText(decoder.decode(
        "52-[\"m\",{\"_placeholder\":true,\"num\":1},{\"x\":[{\"_placeholder\":true,\"num\":0}]}]"))).isNull();
    assertThat(reassembler.onBinary(new byte[] {1})).isNull();
    Packet p = reassembler.onBinary(new byte[] {2});
    assertThat(p.payload().get(1).binaryValue()).containsExactly(2);
    assertThat(p.payload().get(2).get("x").get(0).binaryValue()).containsExactly(1);
  }

  @Test
  void onText_plainPacket_passesThrough() {
    Packet p = decoder.decode("2[\"m\"]");
    assertThat(reassembler.onText(p)).isSameAs(p);
  }

  @Test
  void onText_whileAwaitingAttachments_throws() {
    reassembler.onText(decoder.decode("51-[\"m\",{\"_placeholder\":true,\"num\":0}]"));
    assertThatThrownBy(() -> reassembler.onText(decoder.decode("2[\"m\"]")))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void onBinary_withoutHeader_throws() {
    assertThatThrownBy(() -> reassembler.onBinary(new byte[] {1})).isInstanceOf(ProtocolException.class);
  }

  @Test
  void onBinary_placeholderIndexOutOfRange_throws() {
    reassembler.onText(decoder.decode("51-[\"m\",{\"_placeholder\":true,\"num\":3}]"));
    assertThatThrownBy(() -> reassembler.onBinary(new byte[] {1})).isInstanceOf(ProtocolException.class);
  }

  @Test
  void onBinary_placeholderNumNotANumber_throws() {
    reassembler.onText(decoder.decode("51-[\"m\",{\"_placeholder\":true,\"num\":\"0\"}]"));
    assertThatThrownBy(() -> reassembler.onBinary(new byte[] {1})).isInstanceOf(ProtocolException.class);
  }

  @Test
  void onText_binaryWithZeroAttachments_completesAtOnce() {
    assertThat(reassembler.onText(decoder.decode("50-[\"m\"]"))).isNotNull();
  }
}
