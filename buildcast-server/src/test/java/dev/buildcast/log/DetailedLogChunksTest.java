package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.storage.file.FileLogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
    DetailedLogChunks.forEach(log, maxBytes, (chunk, bytes) -> {
      assertThat(bytes).as("the chunk's UTF-8 length").isEqualTo(chunk.getBytes(StandardCharsets.UTF_8).length);
      chunks.add(chunk);
    });
    return chunks;
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
  void forEach_boundBelowFourBytes_isRejected() {
    assertThatThrownBy(() -> chunks(3)).isInstanceOf(IllegalArgumentException.class);
  }
}
