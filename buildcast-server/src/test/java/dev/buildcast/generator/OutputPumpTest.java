package dev.buildcast.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    return new InputStream() {
      private int next;

      @Override
      public int read() {
        throw new UnsupportedOperationException("the pump reads into a buffer");
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (next == chunks.length) return -1;
        byte[] bytes = chunks[next++].getBytes(StandardCharsets.UTF_8);
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
