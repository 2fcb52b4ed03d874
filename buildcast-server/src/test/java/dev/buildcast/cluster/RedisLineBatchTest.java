package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stream entry's fields for a batch of lines, written and read back without Redis. */
class RedisLineBatchTest {

  @Test
  void lines_ofFields_readBackEveryLineExactly() {
    List<LogLine> batch = List.of(
        new LogLine(7, 1_700_000_000_000L, LogLevel.DETAIL, "first"),
        new LogLine(8, 1_700_000_000_005L, LogLevel.WARNING, ""),
        new LogLine(9, 1_699_999_999_990L, LogLevel.ERROR, "clock went back, caf\u00e9 \ud83d\ude80"),
        new LogLine(10, 1_699_999_999_990L, LogLevel.SYSTEM, "a text\nwith a break, a comma. and dots..."),
        new LogLine(11, 1_700_000_000_100L, LogLevel.GROUP, "x".repeat(5000)));
    Map<String, String> fields = RedisLineBatch.fields(batch);
    assertThat(fields.get(RedisLineBatch.FIRST_SEQ)).isEqualTo("7");
    assertThat(fields.get(RedisLineBatch.META)).startsWith("1700000000000." + LogLevel.DETAIL.code() + ".5,5." + LogLevel.WARNING.code()
        + ".0,-15.");
    assertThat(RedisLineBatch.lines("e", 11, fields)).containsExactlyElementsOf(batch);
  }

  @Test
  void lines_countDisagreesWithTheEntryId_isDamaged() {
    Map<String, String> fields = RedisLineBatch.fields(List.of(new LogLine(1, 5, LogLevel.DETAIL, "a"), new LogLine(2, 5, LogLevel.DETAIL, "b")));
    assertThatThrownBy(() -> RedisLineBatch.lines("bc:{j}:log 3-0", 3, fields)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bc:{j}:log 3-0").hasMessageContaining("holds 2 lines from seq 1, its id says the last is 3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5.1", "5.1.1.1", "5..1", ".1.1", "5.1.", "x.1.1", "5.1.1,", "5.999.1", "5.1.-3", "5.1.9"})
  void lines_badMetadataWithAMatchingChecksum_isDamagedNamingTheEntry(String meta) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(RedisLineBatch.FIRST_SEQ, "1");
    fields.put(RedisLineBatch.TEXT, "a\n");
    fields.put(RedisLineBatch.META, meta);
    fields.put(RedisLineBatch.CHECKSUM, crc("a\n", meta));
    long last = meta.endsWith(",") ? 2 : 1;
    assertThatThrownBy(() -> RedisLineBatch.lines("bc:{j}:log 1-0", last, fields)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the stream entry bc:{j}:log 1-0 is damaged: ");
  }

  @Test
  void lines_textLeftOver_isDamaged() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(RedisLineBatch.FIRST_SEQ, "1");
    fields.put(RedisLineBatch.TEXT, "a\nb\n");
    fields.put(RedisLineBatch.META, "5.1.1");
    fields.put(RedisLineBatch.CHECKSUM, crc("a\nb\n", "5.1.1"));
    assertThatThrownBy(() -> RedisLineBatch.lines("e", 1, fields)).hasMessageContaining("text left over after the last line");
  }

  @Test
  void lines_checksumDiffers_isDamaged() {
    Map<String, String> fields = new LinkedHashMap<>(RedisLineBatch.fields(List.of(new LogLine(1, 5, LogLevel.DETAIL, "a"))));
    fields.put(RedisLineBatch.TEXT, "b\n");
    assertThatThrownBy(() -> RedisLineBatch.lines("e", 1, fields)).hasMessageContaining("CRC32C does not match");
  }

  /** The checksum as the entry format defines it: CRC32C of t's then m's UTF-8 bytes, 8 hex digits. */
  private static String crc(String text, String meta) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    crc.update(meta.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }
}
