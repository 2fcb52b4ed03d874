package dev.buildcast.storage.file;

import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.SegmentedLogStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a batch scope adds to the file log: lines written together, and never heard or read early. */
class FileLogBatchTest {

  @TempDir Path dir;
  private FileLogStore store;
  private JobLog log;
  /** Each listener call: the lines heard, and the text file as it was on disk at that moment. */
  private final List<Heard> heard = new ArrayList<>();

  private record Heard(List<LogLine> lines, String textOnDisk) {}

  private void open() {
    store = new FileLogStore(jobId -> dir.resolve(jobId), LogStoreOptions.unforced(Clock.systemUTC()));
    log = store.open("job-1");
    log.addListener(lines -> heard.add(new Heard(lines, textOnDisk())));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private String textOnDisk() {
    try {
      return Files.readString(dir.resolve("job-1").resolve("detailed.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JobLog log) throws IOException {
    try (InputStream in = log.openText()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void batch_linesAppendedInside_areHeardInOneCallAfterTheirBytesAreOnDisk() {
    open();
    log.batch(() -> {
      for (int i = 1; i <= 160; i++) log.append(LogLevel.DETAIL, "line " + i);
    });
    assertThat(heard).hasSize(1);
    Heard batch = heard.getFirst();
    assertThat(batch.lines()).extracting(LogLine::seq).containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(1, 160).boxed().toList());
    assertThat(batch.textOnDisk()).endsWith("line 159\nline 160\n");
  }

  @Test
  void batch_beforeItEnds_readersAndListenersSeeOnlyPublishedLines() throws IOException {
    open();
    log.append(LogLevel.DETAIL, "published");
    log.batch(() -> {
      log.append(LogLevel.NOTICE, "waiting");
      assertThat(log.lastSeq()).isEqualTo(1);
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("published");
      assertThat(log.textBytes()).isEqualTo("published\n".length());
      assertThat(heard).hasSize(1);
      try {
        assertThat(text(log)).isEqualTo("published\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assertThat(log.lastSeq()).isEqualTo(2);
    assertThat(heard).hasSize(2);
  }

  @Test
  void batch_moreTextThanThePublishThreshold_isPublishedInStepsWhileStillInside() {
    open();
    String text = "x".repeat(999);
    int lines = 3 * SegmentedLogStore.PUBLISH_AT_BYTES / 1000;
    log.batch(() -> {
      for (int i = 0; i < lines; i++) log.append(LogLevel.DETAIL, text);
      assertThat(heard).hasSizeGreaterThanOrEqualTo(2);
    });
    assertThat(heard).allSatisfy(call ->
        assertThat(call.lines().size() * 1000).isLessThanOrEqualTo(SegmentedLogStore.PUBLISH_AT_BYTES + 1000));
    assertThat(heard.stream().mapToInt(call -> call.lines().size()).sum()).isEqualTo(lines);
    assertThat(log.lastSeq()).isEqualTo(lines);
  }

  @Test
  void batch_nestedInsideAnother_isPublishedOnceWhenTheOuterEnds() {
    open();
    log.batch(() -> {
      log.append(LogLevel.DETAIL, "outer");
      log.batch(() -> log.append(LogLevel.DETAIL, "inner"));
      assertThat(heard).isEmpty();
    });
    assertThat(heard).singleElement().extracting(Heard::lines, InstanceOfAssertFactories.LIST).hasSize(2);
  }

  @Test
  void batch_writeFailsWhenPublishing_throwsAndTheLogHoldsNoneOfItsLines() throws Exception {
    open();
    log.append(LogLevel.DETAIL, "before");
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread.ofPlatform().start(() -> {
      try {
        log.batch(() -> {
          log.append(LogLevel.DETAIL, "lost");
          // why: an interrupt closes the channel at the next write, as a failing disk fails it
          Thread.currentThread().interrupt();
        });
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }).join();
    assertThat(failure.get()).isInstanceOf(UncheckedIOException.class);
    assertThat(log.lastSeq()).isEqualTo(1);
    assertThat(log.append(LogLevel.DETAIL, "after")).extracting(LogLine::seq).containsExactly(2L);
    log.close();
    store.close();
    assertThat(Files.readString(dir.resolve("job-1").resolve("detailed.log"))).isEqualTo("before\nafter\n");
  }

  @Test
  void close_insideBatch_publishesFirstAndReleasesTheWriterAfterIt() throws IOException {
    open();
    log.batch(() -> {
      log.append(LogLevel.DETAIL, "kept");
      log.close();
    });
    assertThat(store.openWriterCount()).isZero();
    try (JobLog reopened = store.open("job-1")) {
      assertThat(text(reopened)).isEqualTo("kept\n");
    }
  }

  @Test
  void seal_insideBatch_releasesTheWriterAfterIt() {
    open();
    log.batch(() -> {
      log.append(LogLevel.DETAIL, "last");
      log.seal();
    });
    assertThat(store.openWriterCount()).isZero();
    assertThat(heard).singleElement().extracting(Heard::textOnDisk).isEqualTo("last\n");
  }

  @Test
  void append_fromAnotherThreadDuringABatch_waitsForItAndFollowsItsLines() throws Exception {
    open();
    AtomicReference<Thread> appender = new AtomicReference<>();
    List<LogLine> fromOtherThread = new ArrayList<>();
    log.batch(() -> {
      log.append(LogLevel.DETAIL, "first of batch");
      appender.set(Thread.ofPlatform().start(() -> fromOtherThread.addAll(log.append(LogLevel.DETAIL, "other thread"))));
      // why a spin and no sleep: the other append must be waiting for the writer before going on
      while (appender.get().getState() != Thread.State.BLOCKED) Thread.onSpinWait();
      log.append(LogLevel.DETAIL, "last of batch");
    });
    appender.get().join();
    assertThat(fromOtherThread).extracting(LogLine::seq).containsExactly(3L);
    assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text)
        .containsExactly("first of batch", "last of batch", "other thread");
  }
}
