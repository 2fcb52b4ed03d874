package dev.buildcast.socket;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link LogBatchEncodeBench#encodePerWatcher} for a 500-line {@code json} batch (what each watcher
 * catching up from disk costs), timed by the CPU time of the thread that encodes rather than by the
 * wall clock, which other processes stretch on a shared machine. Runs it {@code warm-up} times,
 * then {@code rounds} times, and prints the median and range of CPU nanoseconds per line encoded.
 *
 * <pre>java -cp "$cp" dev.buildcast.socket.LogBatchEncodeCpuTime [warm-up, 15] [rounds, 30]</pre>
 */
public final class LogBatchEncodeCpuTime {
  private static final int LINES = 500;

  private LogBatchEncodeCpuTime() {}

  public static void main(String[] args) {
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    LogBatchEncodeBench bench = new LogBatchEncodeBench();
    bench.lines = LINES;
    bench.format = "json";
    bench.prepare();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long bytes = 0; // why summed and printed: the JIT may not drop what is used
    for (int i = 0; i < warmUp; i++) bytes += bench.encodePerWatcher().size();
    double[] nanosPerLine = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long before = threads.getCurrentThreadCpuTime();
      bytes += bench.encodePerWatcher().size();
      nanosPerLine[r] = (threads.getCurrentThreadCpuTime() - before) / (double) (LogBatchEncodeBench.WATCHERS * LINES);
    }
    Arrays.sort(nanosPerLine);
    System.out.printf(Locale.ROOT, "json log batch of %d lines, encoded per watcher: CPU per line median %.0f ns (min %.0f, max %.0f) over %d rounds of %d batches (%,d bytes of the first)%n",
        LINES, nanosPerLine[rounds / 2], nanosPerLine[0], nanosPerLine[rounds - 1], rounds, LogBatchEncodeBench.WATCHERS, bytes);
  }
}
