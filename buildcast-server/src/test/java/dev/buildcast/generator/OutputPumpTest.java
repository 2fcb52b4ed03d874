package dev.buildcast.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

  private final List<String> lines = new ArrayList<>();

  private void pump(byte[] bytes, int max) throws IOException {
    new OutputPump(max, lines::add).pump(new ByteArrayInputStream(bytes));
  }

  private void pump(String text) throws IOException {
    pump(text.getBytes(StandardCharsets.UTF_8), 1024);
  }

  @Test
  void pump_mixedLineEndings_splitsAtEachTerminatorOnce() throws IOException {
    pump("a\nb\r\nc\rd");
    assertThat(lines).containsExactly("a", "b", "c", "d");
  }

  @Test
  void pump_emptyLines_keepsThem() throws IOException {
    pump("a\n\n\nb\n");
    assertThat(lines).containsExactly("a", "", "", "b");
  }

  @Test
  void pump_invalidUtf8_replacesBadBytesAndKeepsTheRest() throws IOException {
    byte[] bytes = {'o', 'k', (byte) 0xC3, '\n', (byte) 0xFF, (byte) 0xFE, 'x', '\n'};
    pump(bytes, 1024);
    assertThat(lines).containsExactly("ok\uFFFD", "\uFFFD\uFFFDx");
  }

  @Test
  void pump_multiByteCharacterAcrossReadBuffers_decodesWhole() throws IOException {
    String text = "x".repeat(16 * 1024 - 1) + "é€😀\n";
    pump(text.getBytes(StandardCharsets.UTF_8), 64 * 1024);
    assertThat(lines).containsExactly(text.substring(0, text.length() - 1));
  }

  @Test
  void pump_multiByteCharacterSplitBetweenTwoReads_decodesWhole() throws IOException {
    for (String character : List.of("é", "€", "😀")) {
      byte[] bytes = ("a" + character + "b\n").getBytes(StandardCharsets.UTF_8);
      for (int cut = 2; cut < 1 + character.getBytes(StandardCharsets.UTF_8).length; cut++) {
        lines.clear();
        new OutputPump(1024, lines::add).pump(chunks(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length)));
        assertThat(lines).as("%s cut after byte %d", character, cut).containsExactly("a" + character + "b");
      }
    }
  }

  @Test
  void pump_carriageReturnAndLineFeedInTwoReads_endOneLine() throws IOException {
    new OutputPump(1024, lines::add).pump(chunks("a\r", "\nb\r", "c\n"));
    assertThat(lines).containsExactly("a", "b", "c");
  }

  @Test
  void pump_incompleteCharacterBeforeTerminatorOrEnd_becomesOneReplacement() throws IOException {
    byte[] bytes = {'a', (byte) 0xE2, (byte) 0x82, '\r', 'b', (byte) 0xF0, (byte) 0x9F, (byte) 0x98};
    pump(bytes, 1024);
    assertThat(lines).containsExactly("a\uFFFD", "b\uFFFD");
  }

  @Test
  void pump_lineLongerThanTheReadBuffer_isCutIntoPiecesInOrder() throws IOException {
    // why this long: more than the pump's buffer (the longest line it decodes whole, plus a read)
    String longLine = "0123456789€".repeat(30_000);
    pump((longLine + "\nnext\n").getBytes(StandardCharsets.UTF_8), LogLine.MAX_TEXT_CHARS);
    assertThat(lines.getLast()).isEqualTo("next");
    List<String> pieces = lines.subList(0, lines.size() - 1);
    assertThat(pieces).hasSize(6);
    assertThat(pieces).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(LogLine.MAX_TEXT_CHARS));
    assertThat(pieces.getFirst()).hasSize(LogLine.MAX_TEXT_CHARS);
    assertThat(String.join("", pieces).replace(OutputPump.CONTINUED_MARKER, "")).isEqualTo(longLine);
  }

  @Test
  void pump_longLineWithCharacterSplitBetweenReads_decodesItWhole() throws IOException {
    byte[] bytes = ("x".repeat(40) + "😀".repeat(20) + "\n").getBytes(StandardCharsets.UTF_8);
    for (int cut = 41; cut < 45; cut++) {
      lines.clear();
      new OutputPump(16, lines::add).pump(chunks(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertThat(String.join("", lines).replace(OutputPump.CONTINUED_MARKER, ""))
          .as("cut after byte %d", cut).isEqualTo("x".repeat(40) + "😀".repeat(20));
    }
  }

  @Test
  void pump_lineOfExactlyTheLimitInBytes_isKeptWhole() throws IOException {
    pump(("y".repeat(64) + "\n" + "é".repeat(32) + "\n" + "y".repeat(65) + "\n").getBytes(StandardCharsets.UTF_8), 64);
    assertThat(lines).containsExactly("y".repeat(64), "é".repeat(32), "y".repeat(64), OutputPump.CONTINUED_MARKER + "y");
  }

  /**
   * Any bytes, read in any pieces, give the lines that decoding the whole output at once and then
   * splitting and cutting it gives. The bytes favour what is hard: terminators, the lead and
   * continuation bytes of every length, bytes never valid in UTF-8. Fixed seed, so every run
   * checks the same cases.
   */
  @Test
  void pump_anyBytesInAnyReads_givesTheLinesOfTheWholeOutputDecodedAtOnce() throws IOException {
    byte[] alphabet = {'a', 'b', ' ', '\n', '\r', (byte) 0x80, (byte) 0x9F, (byte) 0xBF, (byte) 0xC0, (byte) 0xC3,
        (byte) 0xDF, (byte) 0xE0, (byte) 0xE2, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
    Random random = new Random(17);
    for (int round = 0; round < 2_000; round++) {
      byte[] bytes = new byte[random.nextInt(200)];
      for (int i = 0; i < bytes.length; i++) bytes[i] = alphabet[random.nextInt(alphabet.length)];
      int max = round % 2 == 0 ? 16 : 1024;
      lines.clear();
      new OutputPump(max, lines::add).pump(randomReads(bytes, random));
      assertThat(lines).as("round %d: %s", round, HexFormat.of().formatHex(bytes)).isEqualTo(wholeOutputLines(bytes, max));
    }
  }

  /** The spec: decode everything, split at each terminator, cut each line longer than max. */
  private static List<String> wholeOutputLines(byte[] bytes, int max) throws IOException {
    String text = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
    List<String> result = new ArrayList<>();
    String[] split = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < split.length; i++) {
      if (i == split.length - 1 && split[i].isEmpty()) break; // nothing after the last terminator
      String line = split[i];
      while (line.length() > max) {
        int cut = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
        result.add(line.substring(0, cut));
        line = OutputPump.CONTINUED_MARKER + line.substring(cut);
      }
      result.add(line);
    }
    return result;
  }

  /** Gives out the bytes in reads of random sizes (1 to 40 bytes). */
  private static InputStream randomReads(byte[] bytes, Random random) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] buffer, int offset, int length) {
        return super.read(buffer, offset, Math.min(length, 1 + random.nextInt(40)));
      }
    };
  }

  @Test
  void pump_lineLongerThanLimit_splitsWithMarkerAndLosesNothing() throws IOException {
    String longLine = "0123456789".repeat(20);
    pump((longLine + "\n").getBytes(StandardCharsets.UTF_8), 64);
    assertThat(lines).hasSizeGreaterThan(3);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
    assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).startsWith(OutputPump.CONTINUED_MARKER));
    String rejoined = String.join("", lines).replace(OutputPump.CONTINUED_MARKER, "");
    assertThat(rejoined).isEqualTo(longLine);
  }

  @Test
  void pump_surrogatePairAtSplitPoint_neverSplitsThePair() throws IOException {
    String line = "😀".repeat(100);
    pump((line + "\n").getBytes(StandardCharsets.UTF_8), 33);
    assertThat(lines).allSatisfy(l -> assertThat(Character.isHighSurrogate(l.charAt(l.length() - 1))).isFalse());
    assertThat(String.join("", lines).replace(OutputPump.CONTINUED_MARKER, "")).isEqualTo(line);
  }

  /** Gives out its chunks one per read, as a pipe gives what the process wrote so far. */
  private static InputStream chunks(String... chunks) {
    return chunks(Arrays.stream(chunks).map(chunk -> chunk.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new));
  }

  private static InputStream chunks(byte[]... chunks) {
    return new InputStream() {
      private int next;

      @Override
      public int read() {
        throw new UnsupportedOperationException("the pump reads into a buffer");
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (next == chunks.length) return -1;
        byte[] bytes = chunks[next++];
        System.arraycopy(bytes, 0, buffer, offset, bytes.length);
        return bytes.length;
      }
    };
  }

  @Test
  void pump_eachChunkRead_emitsItsLinesInsideOneScope() throws IOException {
    List<List<String>> scopes = new ArrayList<>();
    OutputPump pump = new OutputPump(1024, line -> scopes.getLast().add(line), chunk -> {
      scopes.add(new ArrayList<>());
      chunk.run();
    });
    pump.pump(chunks("a\nb\nc", "d\n", "e\nf"));
    assertThat(scopes).containsExactly(List.of("a", "b"), List.of("cd"), List.of("e"), List.of("f"));
  }
}
