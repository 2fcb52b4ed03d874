package dev.buildcast.log;

import static dev.buildcast.log.LineNormalizer.CONTINUATION_MARKER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineNormalizerTest {

  private static final int MAX = LogLine.MAX_TEXT_CHARS;

  @Test
  void normalize_plainLine_isStoredAsIs_withoutACopy() {
    String line = "[INFO] Compiling 42 files \u001B[32mok\u001B[0m\twith é, € and 日本";
    assertThat(LineNormalizer.normalize(line)).singleElement().isSameAs(line);
  }

  @Test
  void normalize_everyCharAfterText_followsTheRules_onTheFastPathAndOff() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String text = "x" + c;
      List<String> expected;
      if (c == '\r' || c == '\n') expected = List.of("x");
      else if (Character.isSurrogate(c) || (Character.isISOControl(c) && c != '\t' && c != '\u001B')) expected = List.of("x\uFFFD");
      else expected = List.of(text);
      assertThat(LineNormalizer.normalize(text)).as("char %04x", (int) c).isEqualTo(expected);
    }
  }

  @Test
  void normalize_eachKindOfLineBreak_startsANewLine() {
    assertThat(LineNormalizer.normalize("a\r\nb\rc\nd")).containsExactly("a", "b", "c", "d");
    assertThat(LineNormalizer.normalize("a\n\r\nb")).containsExactly("a", "", "b");
    assertThat(LineNormalizer.normalize("a\r\rb")).containsExactly("a", "", "b");
  }

  @Test
  void normalize_oneTrailingBreak_addsNoLine() {
    assertThat(LineNormalizer.normalize("a\r\n")).containsExactly("a");
    assertThat(LineNormalizer.normalize("\n")).containsExactly("");
    assertThat(LineNormalizer.normalize("")).containsExactly("");
  }

  @Test
  void normalize_controlCharacters_becomeReplacementButTabAndEscStay() {
    assertThat(LineNormalizer.normalize("\u0000\u0001\u0008\u007F\u0085\u009B\t\u001B[1m"))
        .containsExactly("\uFFFD".repeat(6) + "\t\u001B[1m");
  }

  @Test
  void normalize_unpairedSurrogates_becomeReplacementPairsStay() {
    assertThat(LineNormalizer.normalize("\uDC00x\uD83D\uDE00y\uD83D"))
        .containsExactly("\uFFFDx\uD83D\uDE00y\uFFFD");
  }

  @Test
  void normalize_lineOfExactlyMax_isKeptWhole() {
    assertThat(LineNormalizer.normalize("a".repeat(MAX))).containsExactly("a".repeat(MAX));
  }

  @Test
  void normalize_longLine_isSplitWithMarkerAndNeverSplitsAPair() {
    String text = "a".repeat(MAX - 1) + "\uD83D\uDE00" + "b".repeat(MAX);
    List<String> parts = LineNormalizer.normalize(text);
    assertThat(parts.get(0)).isEqualTo("a".repeat(MAX - 1));
    assertThat(parts.get(1)).startsWith(CONTINUATION_MARKER + "\uD83D\uDE00b");
    assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(MAX));
    assertThat(parts.subList(1, parts.size())).allSatisfy(part -> assertThat(part).startsWith(CONTINUATION_MARKER));
    StringBuilder rejoined = new StringBuilder(parts.get(0));
    parts.subList(1, parts.size()).forEach(part -> rejoined.append(part.substring(CONTINUATION_MARKER.length())));
    assertThat(rejoined.toString()).isEqualTo(text);
  }

  @Test
  void storedAsIsBytes_anyCharAnywhereInALine_givesTheStoredBytesExactlyWhenNormalizeKeepsTheLine() {
    String around = "abcdefghijklmnop";
    List<String> wrong = new ArrayList<>();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      // why these places: the first and last byte of a word of eight, and the tail after the words
      for (int at : new int[] {0, 7, 16}) {
        String text = around.substring(0, at) + c + around.substring(at);
        boolean kept = LineNormalizer.normalize(text).equals(List.of(text));
        Optional<byte[]> bytes = LineNormalizer.storedAsIsBytes(text);
        if (bytes.isPresent() != kept || bytes.isPresent() && !Arrays.equals(bytes.get(), PendingLine.bytes(text))) {
          wrong.add(String.format("%04x at %d", (int) c, at));
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void storedAsIsBytes_textWithManyKindsOfCharacters_givesItsUtf8WithTheLineFeed() {
    String line = "[INFO] Compiling 42 files \u001B[32mok\u001B[0m\twith é, € and 日本? done";
    assertThat(LineNormalizer.storedAsIsBytes(line)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(PendingLine.bytes(line)));
  }

  @Test
  void storedAsIsBytes_lineLongerThanMax_isLeftToNormalize() {
    assertThat(LineNormalizer.storedAsIsBytes("a".repeat(MAX))).hasValueSatisfying(bytes -> assertThat(bytes).hasSize(MAX + 1));
    assertThat(LineNormalizer.storedAsIsBytes("a".repeat(MAX + 1))).isEmpty();
  }

  @Test
  void storedAsIsBytes_unpairedSurrogate_isLeftToNormalize() {
    assertThat(LineNormalizer.storedAsIsBytes("ok? \uD83D")).isEmpty();
    assertThat(LineNormalizer.normalize("ok? \uD83D")).containsExactly("ok? \uFFFD");
  }
}
