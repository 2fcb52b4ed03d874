package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.generator.OutputPump;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.testing.MemoryLogStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 8: a secret is masked wherever it stands in a line — across the place a long
 * line is cut, and behind ANSI escapes or invisible characters that a page or terminal drops.
 */
class MaskingBypassTest {

  private static final String SECRET = "SuperSecretValue123";

  private final MemoryLogStore logs = new MemoryLogStore();

  private JobLogSink sink() {
    return sink("job");
  }

  private JobLogSink sink(String job) {
    return new JobLogSink(logs.open(job), p -> {}, List.of(SECRET));
  }

  /** The process's output through the pump into the sink, as CommandGenerator wires them. */
  private void pump(JobLogSink sink, String output) throws Exception {
    new OutputPump(LogLine.MAX_TEXT_CHARS, line -> sink.append(LogLevel.DETAIL, line), sink::batch, sink)
        .pump(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)));
  }

  private String stored() {
    return stored("job");
  }

  private String stored(String job) {
    return String.join("\n", logs.texts(job));
  }

  @Test
  void pump_secretStraddlingTheCutOfALongLine_isMaskedWhole() throws Exception {
    for (int before : new int[] {LogLine.MAX_TEXT_CHARS - 5, LogLine.MAX_TEXT_CHARS - 1, LogLine.MAX_TEXT_CHARS - SECRET.length() + 1}) {
      String job = "job-" + before;
      pump(sink(job), "x".repeat(before) + SECRET + " tail\n");
      String joined = stored(job).replace("\n" + OutputPump.CONTINUED_MARKER, "");
      assertThat(joined).as("secret starting at %d", before).doesNotContain("Super").doesNotContain("123").contains("*** tail");
      assertThat(logs.texts(job)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(LogLine.MAX_TEXT_CHARS));
    }
  }

  @Test
  void pump_secretStraddlingTheCutOfALineArrivingInSmallReads_isMaskedWhole() throws Exception {
    String output = "x".repeat(LogLine.MAX_TEXT_CHARS - 5) + SECRET + "y".repeat(2 * LogLine.MAX_TEXT_CHARS) + "\n";
    JobLogSink sink = sink();
    // why small reads: the line is then cut while it is still arriving, not once it has ended
    InputStream smallReads = new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] buffer, int offset, int length) {
        return super.read(buffer, offset, Math.min(length, 1000));
      }
    };
    new OutputPump(LogLine.MAX_TEXT_CHARS, line -> sink.append(LogLevel.DETAIL, line), sink::batch, sink).pump(smallReads);
    assertThat(logs.texts("job")).hasSize(4);
    String joined = stored().replace("\n" + OutputPump.CONTINUED_MARKER, "");
    assertThat(joined).doesNotContain("Super").doesNotContain("123").isEqualTo("x".repeat(LogLine.MAX_TEXT_CHARS - 5) + "***" + "y".repeat(2 * LogLine.MAX_TEXT_CHARS));
  }

  @Test
  void pump_longLineWithoutSecrets_isCutIntoPiecesAsBefore() throws Exception {
    pump(sink(), "y".repeat(LogLine.MAX_TEXT_CHARS * 2 + 10) + "\n");
    List<String> lines = logs.texts("job");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).hasSize(LogLine.MAX_TEXT_CHARS);
    assertThat(lines.get(1)).startsWith(OutputPump.CONTINUED_MARKER);
  }

  @Test
  void append_secretSplitByAnAnsiEscape_isMaskedAndNoCopyIsStored() {
    sink().detail("token: Super\u001b[0mSecretValue123 done");
    assertThat(stored()).isEqualTo("token: *** done");
  }

  @Test
  void append_secretSplitByColourAndZeroWidthCharacters_isMasked() {
    sink().detail("\u001b[31mSuper\u001b[1;32mSecret\u200bValue\u001b]8;;http://x\u0007123\u001b[0m");
    assertThat(stored()).doesNotContain("Super").doesNotContain("Value").contains("***");
  }

  @Test
  void append_colouredLineWithoutHiddenSecret_keepsItsColours() {
    sink().detail("\u001b[32mok\u001b[0m " + SECRET);
    assertThat(stored()).isEqualTo("\u001b[32mok\u001b[0m ***");
  }
}
