package dev.buildcast.bench;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogForcing;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.time.Repeater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending one ~100-byte line to a job's detailed log, as the output pump does for every line a
 * process prints: the store as the server builds it (forced to disk every second), with a 10 GB
 * limit so that a fast iteration never reaches the held-back tail.
 * A fresh log each iteration keeps the files small. {@link #appendBatchOf160} appends 160 lines
 * in one batch scope, as the output pump does with a 16 KiB chunk of output; its score is counted
 * per line ({@code @OperationsPerInvocation}), so both scores are lines per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LogAppendBench {
  @Param({"DETAIL", "NOTICE"})
  public String level;

  private Path dir;
  private ScheduledExecutorService forcer;
  private FileLogStore store;
  private JobLog log;
  private LogLevel lineLevel;
  private int iteration;
  private final String line = "[INFO] Compiling module 42 of 118: src/main/java/dev/example/Generated.java (3 warnings)";

  @Setup(Level.Trial)
  public void openStore() throws IOException {
    dir = Files.createTempDirectory("buildcast-jmh-log");
    forcer = Executors.newSingleThreadScheduledExecutor();
    store = new FileLogStore(dir::resolve, new LogStoreOptions(Clock.systemUTC(), LogLimit.of(10L * 1000 * 1000 * 1000),
        LogForcing.every(Duration.ofSeconds(1), Repeater.on(forcer))));
    lineLevel = LogLevel.valueOf(level);
  }

  @Setup(Level.Iteration)
  public void openLog() {
    log = store.open("job-" + iteration++);
  }

  @TearDown(Level.Iteration)
  public void closeLog() {
    log.close();
    store.delete("job-" + (iteration - 1));
  }

  @TearDown(Level.Trial)
  public void removeStore() throws IOException {
    forcer.shutdownNow();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Lines per batch: about the lines of ~100 bytes in one 16 KiB read from a process. */
  private static final int BATCH_LINES = 160;

  @Benchmark
  public Object appendLine() {
    return log.append(lineLevel, line);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH_LINES)
  public void appendBatchOf160() {
    log.batch(() -> {
      for (int i = 0; i < BATCH_LINES; i++) log.append(lineLevel, line);
    });
  }
}
