package dev.buildcast.job;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link OutputCaptureBench}'s capture timed by the CPU time of the thread that runs it rather
 * than by the wall clock: on a shared machine other processes stretch wall time, not a thread's
 * CPU time. Runs the capture {@code warm-up} times, then {@code rounds} times, and prints the
 * median and the range of CPU nanoseconds per line (GC and JIT threads not counted).
 *
 * <pre>java -cp "$cp" dev.buildcast.job.OutputCaptureCpuTime [ascii|utf8] [warm-up] [rounds] [read bytes, 65536]</pre>
 *
 * ({@code cp} as {@code bench/jmh/run} builds it.)
 */
public final class OutputCaptureCpuTime {

  private OutputCaptureCpuTime() {}

  public static void main(String[] args) throws Exception {
    OutputCaptureBench bench = new OutputCaptureBench();
    bench.text = args.length > 0 ? args[0] : "ascii";
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    bench.readBytes = args.length > 3 ? Integer.parseInt(args[3]) : 64 * 1024;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    bench.openStore();
    try {
      for (int i = 0; i < warmUp; i++) bench.capture();
      double[] nanosPerLine = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long before = threads.getCurrentThreadCpuTime();
        long lines = bench.capture();
        nanosPerLine[i] = (threads.getCurrentThreadCpuTime() - before) / (double) lines;
      }
      Arrays.sort(nanosPerLine);
      System.out.printf(Locale.ROOT, "%s, reads of %,d bytes: capture thread CPU per line, median %.0f ns (min %.0f, max %.0f) over %d rounds of %,d lines%n",
          bench.text, bench.readBytes, nanosPerLine[rounds / 2], nanosPerLine[0], nanosPerLine[rounds - 1], rounds, OutputCaptureBench.LINES);
    } finally {
      bench.removeStore();
    }
  }
}
