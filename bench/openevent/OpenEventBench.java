import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.openevent.OpenEventSiteGenerator;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Benchmark of the open-event-site generator: runs it on an export zip (or a synthetic one with N
 * sessions) a few times and prints pages per second and the heap's peak use. Launched by run.sh.
 */
public class OpenEventBench {

  /** Counts lines instead of storing them, so the log does not weigh on the heap figure. */
  static final boolean VERBOSE = Boolean.getBoolean("verbose");
  static final boolean VERBOSE_DETAIL = Boolean.getBoolean("verboseDetail");

  static final class CountingLog implements LogSink {
    final AtomicInteger lines = new AtomicInteger();
    final AtomicInteger warnings = new AtomicInteger();
    final StringBuilder steps = new StringBuilder();
    private String step;
    private long stepStart;

    @Override public void append(LogLevel level, String text) {
      lines.incrementAndGet();
      if (level == LogLevel.GROUP) {
        step = text;
        stepStart = System.nanoTime();
      } else if (level == LogLevel.ENDGROUP && step != null) {
        steps.append(String.format("%s %.0f ms; ", step, (System.nanoTime() - stepStart) / 1e6));
      }
      if (level == LogLevel.WARNING || level == LogLevel.ERROR) {
        warnings.incrementAndGet();
        System.out.println("  " + level.wireName() + ": " + text);
      }
      if (VERBOSE && level != LogLevel.DETAIL) {
        System.out.println("  [" + level.wireName() + "] " + text);
      } else if (VERBOSE_DETAIL) {
        System.out.println("  [" + level.wireName() + "] " + text);
      }
    }
    @Override public void progress(int percentage) {}
    @Override public void mask(String secret) {}
  }

  public static void main(String[] args) throws Exception {
    // why: the template engine's debug logging would dominate the console and the timings
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.INFO);
    Path zip = args.length > 0 && !args[0].matches("\\d+") ? Path.of(args[0]) : null;
    int runs = Integer.getInteger("runs", 5);
    if (zip == null) {
      int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
      zip = Files.createTempFile("openevent-synthetic-", ".zip");
      writeSynthetic(zip, sessions);
      System.out.println("synthetic export: " + sessions + " sessions, " + sessions + " speakers -> " + zip);
    }
    System.out.println("export: " + zip + " (" + Files.size(zip) + " bytes), runs: " + runs);
    for (int run = 1; run <= runs; run++) {
      Path work = Files.createTempDirectory("openevent-bench-");
      Path out = Files.createDirectories(work.resolve("out"));
      Path jobWork = Files.createDirectories(work.resolve("work"));
      CountingLog log = new CountingLog();
      java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      int code = new OpenEventSiteGenerator().run(
          new JobContext("bench-" + run, jobWork, out, Optional.of(zip), Map.of(), log, "local"));
      double seconds = (System.nanoTime() - start) / 1e9;
      // why: the machine is shared; CPU time of the job's thread is less disturbed by neighbours than wall time
      double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
      long pages;
      try (Stream<Path> files = Files.walk(jobWork.resolve("site"))) {
        pages = files.filter(p -> p.toString().endsWith(".html")).count();
      }
      System.out.printf("run %d: exit %d, %d pages in %.3f s = %.0f pages/s (%.3f s CPU = %.0f pages per CPU-second), %d log lines, site.zip %d bytes%n",
          run, code, pages, seconds, pages / seconds, cpuSeconds, pages / cpuSeconds, log.lines.get(),
          Files.size(out.resolve("site.zip")));
      System.out.println("  steps: " + log.steps);
      if (System.getProperty("keep") == null) deleteTree(work);
      else System.out.println("kept " + work);
    }
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
    }
    System.out.printf("peak heap used (sum of heap pools' peaks): %.1f MiB; max heap %d MiB%n",
        peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576);
  }

  static void writeSynthetic(Path zip, int sessions) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      put(out, "event", "{\"id\":1,\"name\":\"Synthetic Summit\",\"timezone\":\"Asia/Singapore\","
          + "\"starts-at\":\"2030-03-17T09:00:00+08:00\",\"ends-at\":\"2030-03-19T18:00:00+08:00\","
          + "\"location-name\":\"Hall\",\"description\":\"<p>A <b>synthetic</b> event.</p>\"}");
      StringBuilder tracks = new StringBuilder("[");
      for (int t = 1; t <= 20; t++) {
        tracks.append(t > 1 ? "," : "").append("{\"id\":").append(t).append(",\"name\":\"Track ").append(t)
            .append("\",\"color\":\"#336699\"}");
      }
      put(out, "tracks", tracks.append(']').toString());
      StringBuilder rooms = new StringBuilder("[");
      for (int r = 1; r <= 15; r++) {
        rooms.append(r > 1 ? "," : "").append("{\"id\":").append(r).append(",\"name\":\"Room ").append(r).append("\"}");
      }
      put(out, "microlocations", rooms.append(']').toString());
      StringBuilder speakers = new StringBuilder("[");
      StringBuilder list = new StringBuilder("[");
      for (int i = 1; i <= sessions; i++) {
        speakers.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"name\":\"Speaker ").append(i)
            .append("\",\"short-biography\":\"<p>Works on <i>things</i> number ").append(i)
            .append(".</p>\",\"photo-url\":\"https://example.org/p/").append(i).append(".png\"}");
        int day = 17 + i % 3;
        int hour = 9 + i % 9;
        list.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"title\":\"Session ").append(i)
            .append("\",\"starts-at\":\"2030-03-").append(day).append('T').append(String.format("%02d", hour))
            .append(":00:00+08:00\",\"ends-at\":\"2030-03-").append(day).append('T')
            .append(String.format("%02d", hour)).append(":45:00+08:00\",\"track\":{\"id\":").append(1 + i % 20)
            .append("},\"microlocation\":{\"id\":").append(1 + i % 15).append("},\"speakers\":[{\"id\":").append(i)
            .append("}],\"long-abstract\":\"<p>").append("Abstract text with <a href=\\\"https://example.org\\\">a link</a>. ".repeat(8))
            .append("</p>\"}");
      }
      put(out, "speakers", speakers.append(']').toString());
      put(out, "sessions", list.append(']').toString());
      put(out, "sponsors", "[{\"id\":1,\"name\":\"Acme\",\"level\":\"5\",\"type\":\"Gold\",\"url\":\"https://example.org\"}]");
    }
  }

  static void put(ZipOutputStream out, String name, String content) throws IOException {
    out.putNextEntry(new ZipEntry(name));
    out.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
