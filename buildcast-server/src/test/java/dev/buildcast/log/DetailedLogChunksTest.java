package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.storage.file.FileLogStore;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetailedLogChunksTest {

  @TempDir Path dir;
  private FileLogStore store;
  private JobLog log;

  @BeforeEach
  void open() {
    store = new FileLogStore(id -> dir.resolve(id), LogStoreOptions.unforced(Clock.systemUTC()));
    log = store.open("job-1");
  }

  @AfterEach
  void close() {
    log.close();
    store.close();
  }

  private List<String> chunks(int maxBytes) {
    List<String> chunks = new ArrayList<>();
    DetailedLogChunks.forEach(log, maxBytes, (utf8, length) -> chunks.add(decoded(utf8, length)));
    return chunks;
  }

  /** The chunk's text; fails unless it is well-formed UTF-8. */
  private static String decoded(byte[] utf8, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("a chunk that is not well-formed UTF-8", e);
    }
  }

  @Test
  void forEach_emptyLog_givesNoChunk() {
    assertThat(chunks(DetailedLogChunks.DEFAULT_MAX_BYTES)).isEmpty();
  }

  @Test
  void forEach_largeLog_givesBoundedChunksThatRejoinToTheText() {
    for (int i = 0; i < 20_000; i++) log.append(LogLevel.DETAIL, "line number " + i);
    List<String> chunks = chunks(DetailedLogChunks.DEFAULT_MAX_BYTES);
    assertThat(chunks).hasSizeGreaterThan(3);
    assertThat(chunks)
        .allSatisfy(chunk -> assertThat(chunk.getBytes(StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(DetailedLogChunks.DEFAULT_MAX_BYTES));
    assertThat(String.join("", chunks).getBytes(StandardCharsets.UTF_8).length).isEqualTo(log.textBytes());
  }

  @Test
  void forEach_multiByteCharacters_neverSplitsOneAtAnyBound() {
    log.append(LogLevel.DETAIL, "a€b😀c日本\u00e9😀😀x");
    log.append(LogLevel.NOTICE, "😀".repeat(50) + "€".repeat(50));
    String text = "a€b😀c日本\u00e9😀😀x\n" + "😀".repeat(50) + "€".repeat(50) + "\n";
    for (int maxBytes = 4; maxBytes <= 13; maxBytes++) {
      List<String> chunks = chunks(maxBytes);
      int bound = maxBytes;
      assertThat(String.join("", chunks)).as("max %d", maxBytes).isEqualTo(text);
      assertThat(chunks)
          .as("max %d", maxBytes)
          .allSatisfy(chunk -> {
            assertThat(chunk.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(bound);
            assertThat(chunk).doesNotContain("\uFFFD");
            assertThat(Character.isLowSurrogate(chunk.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))).isFalse();
          });
    }
  }

  @Test
  void forEach_damagedStoredText_givesWellFormedChunksWithEachBadByteReplaced() throws Exception {
    // a stray continuation byte, a lead byte whose sequence is cut by the next line, and C0/F5 leads
    byte[] stored = concat("ok €\n".getBytes(StandardCharsets.UTF_8), new byte[] {'a', (byte) 0x80, 'b', (byte) 0xE2, (byte) 0x82, '\n', (byte) 0xC0, (byte) 0xAF, (byte) 0xF5, '\n'});
    List<String> chunks = new ArrayList<>();
    DetailedLogChunks.forEach(new ByteArrayInputStream(stored), 64, (utf8, length) -> chunks.add(decoded(utf8, length)));
    assertThat(String.join("", chunks)).isEqualTo(new String(stored, StandardCharsets.UTF_8)).contains("ok €\na\uFFFDb");
  }

  @Test
  void forEach_chunkBoundInsideADamagedSequence_stillGivesWellFormedChunks() throws Exception {
    byte[] stored = concat("abc".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xF0, (byte) 0x9F, 'x', 'y', 'z', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    for (int maxBytes = 4; maxBytes <= stored.length; maxBytes++) {
      List<String> chunks = new ArrayList<>();
      DetailedLogChunks.forEach(new ByteArrayInputStream(stored), maxBytes, (utf8, length) -> chunks.add(decoded(utf8, length)));
      assertThat(String.join("", chunks)).as("max %d", maxBytes).startsWith("abc").contains("xyz").doesNotContain("\uD800");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @Test
  void forEach_boundBelowFourBytes_isRejected() {
    assertThatThrownBy(() -> chunks(3)).isInstanceOf(IllegalArgumentException.class);
  }
}
