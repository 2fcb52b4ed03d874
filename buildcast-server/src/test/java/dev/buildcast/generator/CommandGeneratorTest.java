package dev.buildcast.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.log.LogLevel;
import dev.buildcast.testing.RecordingLogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandGeneratorTest {

  @TempDir Path dir;
  private final RecordingLogSink sink = new RecordingLogSink();

  private JobContext context(Map<String, String> params, Optional<Path> input) throws IOException {
    return new JobContext("job-1", Files.createDirectories(dir.resolve("work")), Files.createDirectories(dir.resolve("out")), input, params, sink, "n1");
  }

  private static CommandGenerator bash(String script) {
    return new CommandGenerator(CommandGenerator.Options.of("test", List.of("bash", "-c", script)));
  }

  @Test
  void run_scriptPrintingCommands_returnsExitCodeAndInterpretsLines() throws Exception {
    int exit = bash("echo plain; echo '::notice::hello'; echo '::progress::50'; exit 3").run(context(Map.of(), Optional.empty()));
    assertThat(exit).isEqualTo(3);
    assertThat(sink.entries()).containsExactly(
        new RecordingLogSink.Entry(LogLevel.DETAIL, "plain"), new RecordingLogSink.Entry(LogLevel.NOTICE, "hello"));
    assertThat(sink.progress()).containsExactly(50);
  }

  @Test
  void run_stdoutAndStderrInterleaved_keepsTheOrderWritten() throws Exception {
    bash("for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done").run(context(Map.of(), Optional.empty()));
    assertThat(sink.texts()).containsExactly("out1", "err1", "out2", "err2", "out3", "err3", "out4", "err4", "out5", "err5");
  }

  @Test
  void run_paramsAndInput_reachTheProcessAsEnvironment() throws Exception {
    Path input = Files.writeString(dir.resolve("in.zip"), "x");
    bash("echo \"$BUILDCAST_JOB_ID|$BUILDCAST_PARAM_TITLE|$BUILDCAST_INPUT|$BUILDCAST_OUTPUT\"; pwd")
        .run(context(Map.of("title", "a b; rm -rf /"), Optional.of(input)));
    assertThat(sink.texts()).containsExactly(
        "job-1|a b; rm -rf /|" + input + "|" + dir.resolve("out"), dir.resolve("work").toString());
  }

  @Test
  void run_anyJob_processGetsTheRunningNodesId() throws Exception {
    bash("echo \"node=$BUILDCAST_NODE_ID\"").run(context(Map.of(), Optional.empty()));
    assertThat(sink.texts()).containsExactly("node=n1");
  }

  @Test
  void run_nodeIdInConfiguredOrServerEnvironment_theRunningNodesIdWins() throws Exception {
    // why: a generator's env (or a passEnv of the server's own BUILDCAST_NODE_ID) must not make a job claim another node
    new CommandGenerator(CommandGenerator.Options.of("test", List.of("bash", "-c", "echo \"node=$BUILDCAST_NODE_ID\""))
        .withBaseEnvironment(Map.of("PATH", System.getenv("PATH"), "BUILDCAST_NODE_ID", "from-server"))
        .withExtraEnvironment(Map.of("BUILDCAST_NODE_ID", "from-config")))
        .run(context(Map.of(), Optional.empty()));
    assertThat(sink.texts()).containsExactly("node=n1");
  }

  @Test
  void run_filesWrittenToOutput_stayThere() throws Exception {
    bash("echo built > \"$BUILDCAST_OUTPUT/result.txt\"").run(context(Map.of(), Optional.empty()));
    assertThat(dir.resolve("out/result.txt")).hasContent("built");
  }

  @Test
  void options_emptyCommand_refusedNamingTheGenerator() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandGenerator.Options.of("docs", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("generator docs has an empty command");
  }

  @Test
  void options_defaultsAndWithers_eachSetOnlyItsOwnPart() {
    CommandGenerator.Options defaults = CommandGenerator.Options.of("site", List.of("make"));
    CommandGenerator g = new CommandGenerator(defaults.withDescription("Builds").withInput(InputKind.ZIP)
        .withParams(List.of(new ParamSpec("lang", "", true))).withSiteFolder(Optional.of("public")));

    assertThat(defaults.description()).isEmpty();
    assertThat(defaults.input()).isEqualTo(InputKind.NONE);
    assertThat(defaults.siteFolder()).isEmpty();
    assertThat(GeneratorEnvironment.ALWAYS_PASSED).containsAll(defaults.baseEnvironment().keySet());
    assertThat(List.of(g.name(), g.description(), g.input(), g.siteFolder(), g.command()))
        .containsExactly("site", "Builds", InputKind.ZIP, Optional.of("public"), List.of("make"));
    assertThat(g.params()).extracting(ParamSpec::name).containsExactly("lang");
  }

  @Test
  void run_missingProgram_failsNamingTheProgramButNotItsServerPath() {
    CommandGenerator missing = new CommandGenerator(CommandGenerator.Options.of("x", List.of("/nonexistent/generate")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> missing.run(context(Map.of(), Optional.empty())))
        .hasMessage("could not start generate: no such executable (check the command of generator x)");
  }

  @Test
  void run_interrupted_killsTheWholeProcessTreeAndThrows() throws Exception {
    Path pids = dir.resolve("pids");
    CommandGenerator tree = bash("sleep 300 & echo $! > " + pids + "; echo started; sleep 300");
    AtomicReference<Thread> worker = new AtomicReference<>();
    JobContext ctx = context(Map.of(), Optional.empty());
    CompletableFuture<Throwable> result = new CompletableFuture<>();
    Thread t = Thread.ofVirtual().start(() -> {
      worker.set(Thread.currentThread());
      try {
        tree.run(ctx);
        result.complete(null);
      } catch (Throwable e) {
        result.complete(e);
      }
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> sink.texts().contains("started") && Files.exists(pids) && Files.size(pids) > 0);
    long child = Long.parseLong(Files.readString(pids).strip());
    assertThat(ProcessHandle.of(child)).isPresent();
    t.interrupt();
    assertThat(result.get()).isInstanceOf(InterruptedException.class);
    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void run_backgroundChildHoldsPipeOpen_jobStillEnds() throws Exception {
    int exit = bash("(sleep 300) & echo done").run(context(Map.of(), Optional.empty()));
    assertThat(exit).isZero();
    assertThat(sink.texts()).contains("done");
  }
}
