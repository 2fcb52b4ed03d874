package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.testing.MemoryLogStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobLogSinkTest {

  private final MemoryLogStore logs = new MemoryLogStore();
  private final List<Integer> progress = new ArrayList<>();

  private JobLogSink sink(String... secrets) {
    return new JobLogSink(logs.open("job"), progress::add, List.of(secrets));
  }

  @Test
  void append_configuredSecret_isReplacedBeforeStorage() {
    sink("hunter2").detail("password=hunter2 and again hunter2");
    assertThat(logs.texts("job")).containsExactly("password=*** and again ***");
  }

  @Test
  void mask_secretContainingAnother_masksTheLongerWhole() {
    JobLogSink sink = sink();
    sink.mask("abc");
    sink.mask("abcdef");
    sink.detail("x abcdef y abc");
    assertThat(logs.texts("job")).containsExactly("x *** y ***");
  }

  @Test
  void mask_multiLineSecret_masksEachOfItsLinesWhenPrintedLineByLine() {
    JobLogSink sink = sink("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END KEY-----");
    sink.detail("-----BEGIN KEY-----");
    sink.detail("MIIEvQIBADANBgkq");
    sink.detail("hkiG9w0BAQEFAASC");
    sink.detail("ok");
    assertThat(logs.texts("job")).containsExactly("***", "***", "***", "ok");
  }

  @Test
  void mask_shortLinesOfAMultiLineSecret_areNotMaskedEverywhere() {
    JobLogSink sink = sink("{\nlongsecretvalue\n}");
    sink.detail("{");
    sink.detail("longsecretvalue");
    assertThat(logs.texts("job")).containsExactly("{", "***");
  }

  @Test
  void progress_outOfRange_isClamped() {
    JobLogSink sink = sink();
    sink.progress(-5);
    sink.progress(150);
    assertThat(progress).containsExactly(0, 100);
  }

  @Test
  void progress_insideBatch_isPassedOnAfterTheBatchsLinesInOrder() {
    JobLogSink sink = sink();
    List<String> seenWhenReported = new ArrayList<>();
    JobLogSink watched = new JobLogSink(logs.open("job"), p -> {
      progress.add(p);
      seenWhenReported.addAll(logs.texts("job"));
    }, List.of());
    watched.batch(() -> {
      watched.detail("one");
      watched.progress(40);
      watched.batch(() -> watched.progress(150));
      watched.detail("two");
      assertThat(progress).isEmpty();
    });
    assertThat(progress).containsExactly(40, 100);
    assertThat(seenWhenReported).containsExactly("one", "two", "one", "two");
    sink.progress(7);
    assertThat(progress).containsExactly(40, 100, 7);
  }

  @Test
  void batch_masksEveryLineAppendedInside() {
    JobLogSink sink = sink("hunter2");
    sink.batch(() -> {
      sink.detail("a hunter2");
      sink.mask("swordfish");
      sink.detail("b swordfish");
    });
    assertThat(logs.texts("job")).containsExactly("a ***", "b ***");
  }
}
