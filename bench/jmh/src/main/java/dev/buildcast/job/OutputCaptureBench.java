package dev.buildcast.job;

import dev.buildcast.generator.OutputPump;
import dev.buildcast.generator.WorkflowCommands;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogForcing;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.time.Repeater;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
 * How many lines per second one job's output capture stores, on the thread that does it in the
 * server (the pump, {@code buildcast-pump-<jobId>}): the pipe's bytes, already in memory, go
 * through {@link OutputPump}, {@link WorkflowCommands} and the job's {@link JobLogSink} into a
 * {@link FileLogStore} as the server builds it (forced every second, 10 GB limit). It is in this
 * package because the sink is package-private. The process and the pipe are left out: this is the
 * part of issue 17's ingest goal ("a job prints at the pace of the disk") that is Buildcast's own
 * CPU. {@code ascii} is ~100-byte lines like those of {@code bench/ingest/run}; {@code utf8} has
 * a multi-byte character every few words, as a German or Japanese build log would.
 *
 * <pre>bench/jmh/run OutputCapture -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OutputCaptureBench {
  static final int LINES = 20_000;

  @Param({"ascii", "utf8"})
  public String text;

  /**
   * The most one read returns: 64 KiB is a full pipe (a generator far ahead of the pump), 8 KiB
   * one write of a generator that the pump keeps up with (bench/compare's gen.py writes 8 KiB).
   */
  @Param({"65536", "8192"})
  public int readBytes;

  private Path dir;
  private ScheduledExecutorService forcer;
  private FileLogStore store;
  private byte[] output;
  private int job;

  @Setup(Level.Trial)
  public void openStore() throws IOException {
    dir = Files.createTempDirectory("buildcast-jmh-capture");
    forcer = Executors.newSingleThreadScheduledExecutor();
    store = new FileLogStore(dir::resolve, new LogStoreOptions(Clock.systemUTC(), LogLimit.of(10L * 1000 * 1000 * 1000),
        LogForcing.every(Duration.ofSeconds(1), Repeater.on(forcer))));
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= LINES; i++) {
      if (text.equals("ascii")) {
        out.append(String.format("[INFO] %08d Compiling module 42 of 118: src/main/java/dev/example/Generated.java (3 warnings)%n", i));
      } else {
        out.append(String.format("[INFO] %08d Übersetze Modul 42 von 118: src/main/java/dev/例/Generated.java (3 Warnungen) ✓%n", i));
      }
    }
    output = out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void removeStore() throws IOException {
    forcer.shutdownNow();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One job's whole output captured into a fresh log, which is then deleted. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public long capture() throws IOException {
    String jobId = "job-" + job++;
    long lastSeq;
    try (JobLog log = store.open(jobId)) {
      JobLogSink sink = new JobLogSink(log, percentage -> {}, List.of());
      WorkflowCommands commands = new WorkflowCommands(sink);
      OutputPump pump = new OutputPump(LogLine.MAX_TEXT_CHARS, commands::accept, sink::batch, sink);
      try (InputStream in = new PipeSizedReads(output, readBytes)) {
        pump.pump(in);
      }
      lastSeq = log.lastSeq();
    }
    store.delete(jobId);
    return lastSeq;
  }

  /** The output in reads of at most {@code readBytes} (no more than a pipe holds). */
  private static final class PipeSizedReads extends ByteArrayInputStream {
    private final int readBytes;

    PipeSizedReads(byte[] bytes, int readBytes) {
      super(bytes);
      this.readBytes = readBytes;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, readBytes));
    }
  }
}
