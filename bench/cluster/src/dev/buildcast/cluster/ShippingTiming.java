package dev.buildcast.cluster;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.AcceptedLines;
import dev.buildcast.log.cluster.StreamEntry;
import dev.buildcast.log.cluster.StreamPosition;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plain timing harness of the cluster's log path against a running redis-server (the port is
 * the first argument): encoding a batch, the fenced append script at several batch sizes, one at
 * a time as the shipper sends them, and reading the stream back as a mirror does. Prints ms per
 * operation and MB/s of line text. Run by bench/cluster/timing (which compiles it against the server's classes).
 */
public final class ShippingTiming {

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private ShippingTiming() {}

  private static double redisCpuSeconds(RedisEngine redis) {
    String info = redis.call("cpu", r -> r.info("cpu"));
    double s = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) s += Double.parseDouble(line.substring(line.indexOf(':') + 1));
    }
    return s;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int totalLines = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    List<LogLine> lines = new ArrayList<>(totalLines);
    long now = System.currentTimeMillis();
    for (int i = 1; i <= totalLines; i++) {
      String head = i + " " + (now * 1000 + i) + " ";
      lines.add(new LogLine(i, now + i / 100, LogLevel.DETAIL, head + "x".repeat(Math.max(1, 99 - head.length()))));
    }
    encode(lines);
    try (RedisEngine redis = RedisEngine.connect("redis://127.0.0.1:" + port, Duration.ofSeconds(5));
        RedisAcceptedLines engine = new RedisAcceptedLines(redis)) {
      for (int batchBytes : new int[] {200, 16 * 1024, 64 * 1024, 256 * 1024, 256 * 1024}) {
        append(redis, engine, lines, batchBytes);
      }
      read(engine, "timing-" + (256 * 1024) + "-" + 4);
    }
  }

  private static void encode(List<LogLine> lines) {
    List<LogLine> batch = lines.subList(0, 2600);
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      long cpu = CPU.getCurrentThreadCpuTime();
      int n = 0;
      while (System.nanoTime() - start < 500_000_000L) {
        RedisLineBatch.fields(batch);
        n++;
      }
      double ms = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6 / n;
      Map<String, String> fields = RedisLineBatch.fields(batch);
      long dstart = System.nanoTime();
      long dcpu = CPU.getCurrentThreadCpuTime();
      int d = 0;
      while (System.nanoTime() - dstart < 500_000_000L) {
        RedisLineBatch.lines("bench", 2600, fields);
        d++;
      }
      double dms = (CPU.getCurrentThreadCpuTime() - dcpu) / 1e6 / d;
      System.out.printf("CPU: encode 2600 lines (~256 KiB): %.3f ms (%.0f ns/line); decode: %.3f ms (%.0f ns/line)%n", ms, ms * 1e6 / 2600, dms,
          dms * 1e6 / 2600);
    }
  }

  private static int round;

  private static void append(RedisEngine redis, RedisAcceptedLines engine, List<LogLine> lines, int batchBytes) {
    String jobId = "timing-" + batchBytes + "-" + (++round);
    AcceptedLines.Takeover taken = engine.takeOver(jobId, "n1");
    long after = 0;
    long bytes = 0;
    int appends = 0;
    List<Long> times = new ArrayList<>();
    double redisCpu = redisCpuSeconds(redis);
    long cpu = CPU.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int limit = batchBytes < 1000 ? 20_000 : lines.size();
    while (after < limit) {
      List<LogLine> batch = new ArrayList<>();
      int size = 0;
      for (int i = (int) after; i < limit; i++) {
        LogLine line = lines.get(i);
        if (!batch.isEmpty() && size + line.text().length() + 1 > batchBytes) break;
        batch.add(line);
        size += line.text().length() + 1;
      }
      long t = System.nanoTime();
      var result = engine.append(jobId, taken.owner(), after, batch);
      times.add(System.nanoTime() - t);
      if (!result.isStored()) throw new IllegalStateException(result.toString());
      after = batch.get(batch.size() - 1).seq();
      bytes += size;
      appends++;
    }
    double s = (System.nanoTime() - start) / 1e9;
    double clientCpuMs = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6 / appends;
    double redisCpuMs = (redisCpuSeconds(redis) - redisCpu) * 1e3 / appends;
    times.sort(null);
    System.out.printf("append batches of <= %d B: %d appends of %d lines, %.1f MB/s, %.0f appends/s, per append p50 %.3f ms p99 %.3f ms; CPU per append: caller thread %.3f ms, redis-server %.3f ms%n",
        batchBytes, appends, after, bytes / 1e6 / s, appends / s, times.get(times.size() / 2) / 1e6, times.get(times.size() * 99 / 100) / 1e6,
        clientCpuMs, redisCpuMs);
  }

  private static void read(RedisAcceptedLines engine, String jobId) {
    for (int count : new int[] {100}) {
      long start = System.nanoTime();
      StreamPosition after = StreamPosition.afterLine(0);
      long lines = 0;
      while (true) {
        List<StreamEntry> entries = engine.read(jobId, after, count);
        if (entries.isEmpty()) break;
        for (StreamEntry e : entries) if (e instanceof StreamEntry.Lines l) lines += l.lines().size();
        after = entries.get(entries.size() - 1).position();
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("read back %d lines (XRANGE, %d entries a read, decoded): %.3f s, %.0f lines/s%n", lines, count, s, lines / s);
    }
  }
}
