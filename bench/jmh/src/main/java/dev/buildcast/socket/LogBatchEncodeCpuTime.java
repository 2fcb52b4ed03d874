package dev.buildcast.socket;

import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.socketio.Namespace;
import dev.buildcast.socketio.SocketIoConfig;
import dev.buildcast.socketio.SocketIoServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Server;

/**
 * A watcher's {@code log} batch encoded for it alone (what each watcher catching up from disk
 * costs), timed by the CPU time of the thread that encodes rather than by the wall clock, which
 * other processes stretch on a shared machine. Encodes a 500-line batch {@code warm-up} times,
 * then {@code rounds} rounds of 200, and prints the median and range of CPU nanoseconds per line.
 *
 * <pre>java -cp "$cp" dev.buildcast.socket.LogBatchEncodeCpuTime [warm-up, 3000] [rounds, 30]</pre>
 */
public final class LogBatchEncodeCpuTime {
  private static final int LINES = 500;
  private static final int PER_ROUND = 200;

  private LogBatchEncodeCpuTime() {}

  public static void main(String[] args) {
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Namespace namespace = SocketIoServer.create(new Server(), SocketIoConfig.defaults()).namespace("/job-bench");
    List<LogLine> lines = new ArrayList<>(LINES);
    for (int i = 1; i <= LINES; i++) {
      lines.add(new LogLine(i, 1_764_000_000_000L + i, i % 10 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL,
          "[INFO] Compiling module " + i + " of 118: src/main/java/dev/example/Generated.java (3 warnings)"));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long bytes = 0; // why summed and printed: the JIT may not drop what is used
    for (int i = 0; i < warmUp; i++) bytes += JobWatch.encode(namespace, new LogBatch(0, LINES, LogFilter.ALL, lines), true).size();
    double[] nanosPerLine = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long before = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PER_ROUND; i++) bytes += JobWatch.encode(namespace, new LogBatch(0, LINES, LogFilter.ALL, lines), true).size();
      nanosPerLine[r] = (threads.getCurrentThreadCpuTime() - before) / (double) (PER_ROUND * LINES);
    }
    Arrays.sort(nanosPerLine);
    System.out.printf(Locale.ROOT, "json log batch of %d lines, encoded per watcher: CPU per line median %.0f ns (min %.0f, max %.0f) over %d rounds of %d batches (%,d bytes)%n",
        LINES, nanosPerLine[rounds / 2], nanosPerLine[0], nanosPerLine[rounds - 1], rounds, PER_ROUND, bytes);
  }
}
