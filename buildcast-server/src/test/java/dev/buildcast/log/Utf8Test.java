package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "41", "7f", "c2 80", "df bf", "e0 a0 80", "e2 82 ac", "ed 9f bf", "ee 80 80", "ef bf bf",
    "f0 90 80 80", "f0 9f 98 80", "f4 8f bf bf", "41 e2 82 ac 42 f0 9f 98 80 43"
  })
  void isWellFormed_wellFormedSequences_areAccepted(String bytes) {
    byte[] utf8 = hex(bytes);
    assertThat(Utf8.isWellFormed(utf8, 0, utf8.length)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "80", "bf", "41 80 42", // a continuation byte without its lead
    "c0 af", "c1 bf", "e0 80 af", "e0 9f bf", "f0 80 80 af", "f0 8f bf bf", // overlong forms
    "ed a0 80", "ed bf bf", // UTF-16 surrogates
    "f4 90 80 80", "f5 80 80 80", "f8 88 80 80 80", "ff", // past U+10FFFF, or no such lead
    "c2", "e2 82", "f0 9f 98", "c2 41", "e2 41 ac", "f0 9f 41 80" // cut short or interrupted
  })
  void isWellFormed_illFormedSequences_areRefused(String bytes) {
    byte[] utf8 = hex(bytes);
    assertThat(Utf8.isWellFormed(utf8, 0, utf8.length)).isFalse();
  }

  @Test
  void isWellFormed_looksOnlyAtItsRange() {
    byte[] utf8 = hex("80 e2 82 ac 41 e2");
    assertThat(Utf8.isWellFormed(utf8, 1, 4)).isTrue();
    assertThat(Utf8.isWellFormed(utf8, 0, 4)).isFalse();
    assertThat(Utf8.isWellFormed(utf8, 1, 5)).isFalse();
    assertThat(Utf8.isWellFormed(utf8, 2, 3)).isFalse();
  }

  @Test
  void isWellFormed_agreesWithTheJdkDecoder_onRandomBytesNearTheEdges() {
    // fixed seed: the same cases every run; bytes drawn mostly from the lead and continuation ranges
    Random random = new Random(20261204L);
    byte[] interesting = hex("00 41 7f 80 8f 90 9f a0 bf c0 c1 c2 df e0 e1 ec ed ee ef f0 f1 f3 f4 f5 f7 f8 fe ff");
    for (int n = 0; n < 200_000; n++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) bytes[i] = interesting[random.nextInt(interesting.length)];
      assertThat(Utf8.isWellFormed(bytes, 0, bytes.length)).as(HexFormat.of().formatHex(bytes)).isEqualTo(jdkAccepts(bytes));
    }
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
