package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A text message written as UTF-8 is the same message, on every transport, as one made from its String. */
class EngineMessageTest {
  private static final String TEXT = "2/job,[\"log\",\"héllo 😀 日本 \\u0000\"]";

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.slice().get(out);
    return out;
  }

  @Test
  void writtenText_isTheSameMessageAsItsString_onTheWebSocketAndInAPoll() {
    EngineMessage written = EngineMessage.writtenText(16, out -> out.write(TEXT.getBytes(StandardCharsets.UTF_8)));
    EngineMessage fromString = EngineMessage.text(TEXT);

    assertThat(written.isBinary()).isFalse();
    assertThat(written.text()).isEqualTo(TEXT);
    assertThat(written).isEqualTo(fromString).hasSameHashCodeAs(fromString);
    assertThat(bytes(written.webSocketPayload())).isEqualTo(bytes(fromString.webSocketPayload()));
    assertThat(written.pollingBytes()).isEqualTo(fromString.pollingBytes());
    assertThat(written.pollingSegment()).isEqualTo(fromString.pollingSegment());
    assertThat(written.size()).as("its UTF-8 length").isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void writtenText_whoseWriterFails_throwsUnchecked() {
    assertThatThrownBy(() -> EngineMessage.writtenText(16, out -> {
      throw new IOException("disk gone");
    })).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk gone");
  }

  @Test
  void binaryMessage_isNotEqualToAWrittenText() {
    EngineMessage written = EngineMessage.writtenText(16, out -> out.write('x'));

    assertThat(written).isNotEqualTo(EngineMessage.binary(new byte[] {'x'}));
    assertThat(EngineMessage.binary(new byte[] {'x'})).isNotEqualTo(written);
  }
}
