package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnginePacketCodecTest {

  @Test
  void decodePayload_base64WithLineBreaks_decodedAsTheBytes() throws Exception {
    // as the Java client 2.x sends binary over long-polling: wrapped at 76 characters, newline at the end
    byte[] bytes = new byte[100];
    for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i;
    String wrapped = java.util.Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(bytes) + "\n";
    List<Packet> packets = EnginePacketCodec.decodePayload("b" + wrapped + EnginePacketCodec.SEPARATOR + "4hello");
    assertThat(packets.getFirst().message().binary()).isEqualTo(bytes);
    assertThat(packets.get(1).message().text()).isEqualTo("hello");
  }

  @Test
  void decodePayload_badBase64_refused() {
    assertThatThrownBy(() -> EnginePacketCodec.decodePayload("b%%%")).isInstanceOf(MalformedPacketException.class);
  }
}
