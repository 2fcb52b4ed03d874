package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PendingLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "plain ascii", "caf\u00e9 \u00fc\u00df", "\u20ac \u4e2d\u6587", "emoji \ud83d\ude80 end",
      "lone high \ud83d at the end \ud83d", "lone low \ude80 first", "\u007f\u0080\u07ff\u0800\uffff", "\ud83d\ud83d\ude80"})
  void byteCount_anyText_isTheLengthOfItsStoredBytes(String text) {
    assertThat(PendingLine.byteCount(text)).isEqualTo(PendingLine.bytes(text).length);
  }
}
