package dev.buildcast.socket;

import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.Namespace;
import dev.buildcast.socketio.SocketIoConfig;
import dev.buildcast.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one batch of log lines for the watchers of a job (in this package because {@link
 * JobWatch#encode} is package-private): once per batch is what a broadcast costs, since every
 * watcher with the same options shares the bytes ({@link LogBatch#encoded}); {@code
 * encodePerWatcher} is what it would cost to encode for each of 200 watchers, the difference the
 * encode-once memo buys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LogBatchEncodeBench {
  static final int WATCHERS = 200;

  @Param({"1", "50", "500"})
  public int lines;

  @Param({"json", "message"})
  public String format;

  private Namespace namespace;
  private List<LogLine> batchLines;
  private boolean json;

  @Setup
  public void prepare() {
    namespace = SocketIoServer.create(new Server(), SocketIoConfig.defaults()).namespace("/job-bench");
    batchLines = new ArrayList<>(lines);
    for (int i = 1; i <= lines; i++) {
      batchLines.add(new LogLine(i, 1_764_000_000_000L + i, i % 10 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL,
          "[INFO] Compiling module " + i + " of 118: src/main/java/dev/example/Generated.java (3 warnings)"));
    }
    json = format.equals("json");
  }

  private LogBatch batch() {
    return new LogBatch(0, lines, LogFilter.ALL, batchLines);
  }

  @Benchmark
  public Optional<EncodedPacket> encodeOnce() {
    LogBatch b = batch();
    Optional<EncodedPacket> first = null;
    for (int w = 0; w < WATCHERS; w++) {
      // as JobWatch.offer does: null (no basic line in message format) is memoised as empty
      Optional<EncodedPacket> p = b.encoded(format, x -> Optional.ofNullable(JobWatch.encode(namespace, x, json)));
      if (first == null) first = p;
    }
    return first;
  }

  @Benchmark
  public EncodedPacket encodePerWatcher() {
    LogBatch b = batch();
    EncodedPacket first = null;
    for (int w = 0; w < WATCHERS; w++) {
      EncodedPacket p = JobWatch.encode(namespace, b, json);
      if (first == null) first = p;
    }
    return first;
  }
}
