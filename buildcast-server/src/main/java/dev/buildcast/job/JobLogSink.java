package dev.buildcast.job;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The {@link LogSink} a running job writes to: masks secrets, then appends to the job's log, and
 * reports progress to the job service.
 *
 * <p>Masking happens here, before a line is stored or sent, so a secret reaches neither the disk
 * nor any watcher. Longer secrets are replaced first, so a secret that contains another is masked
 * whole. A secret hidden by ANSI escapes or invisible characters is masked too ({@link #masked}).
 */
final class JobLogSink implements LogSink {

  static final String MASK = "***";

  /**
   * Lines of a multi-line secret shorter than this are not masked on their own: masking "-----"
   * or "}" everywhere would ruin the log and protect nothing.
   */
  static final int MIN_LINE_SECRET_CHARS = 4;

  private final JobLog log;
  private final IntConsumer progress;
  private final List<String> secrets = new CopyOnWriteArrayList<>();
  /** Progress reported inside this thread's open batch, not passed on yet. */
  private final ThreadLocal<List<Integer>> progressInBatch = new ThreadLocal<>();

  JobLogSink(JobLog log, IntConsumer progress, List<String> initialSecrets) {
    this.log = log;
    this.progress = progress;
    initialSecrets.forEach(this::mask);
  }

  @Override
  public void append(LogLevel level, String text) {
    log.append(level, masked(text));
  }

  /**
   * Runs the appends in one batch of the log. Progress reported inside it is passed on after it,
   * in order. why: the log's batch holds the log's lock, and the job service appends its own
   * lines holding the job's lock, which it also takes to record progress; passing progress on
   * inside the batch could deadlock the two.
   */
  @Override
  public void batch(Runnable appends) {
    if (progressInBatch.get() != null) {
      log.batch(appends); // joins the outer batch, which passes the progress on
      return;
    }
    List<Integer> reported = new ArrayList<>();
    progressInBatch.set(reported);
    try {
      log.batch(appends);
    } finally {
      progressInBatch.remove();
      reported.forEach(progress::accept);
    }
  }

  @Override
  public void progress(int percentage) {
    int clamped = Math.clamp(percentage, 0, 100);
    List<Integer> reported = progressInBatch.get();
    if (reported != null) {
      reported.add(clamped);
    } else {
      progress.accept(clamped);
    }
  }

  /**
   * Registers a secret. A secret of several lines (a private key, say) reaches the log one line
   * at a time, so each of its lines is masked on its own as well.
   */
  @Override
  public synchronized void mask(String secret) {
    add(secret.strip());
    secret.lines().map(String::strip).filter(line -> line.length() >= MIN_LINE_SECRET_CHARS).forEach(this::add);
    secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
  }

  private void add(String value) {
    if (!value.isEmpty() && !secrets.contains(value)) secrets.add(value);
  }

  /**
   * The text with every secret masked. When a secret shows only once ANSI escapes and invisible
   * characters are taken out (as the page and terminals show the line), the line is stored without
   * them and masked: a line written to hide a secret from the mask loses its colours, never the
   * mask.
   */
  @Override
  public String masked(String text) {
    String result = replaced(text);
    if (secrets.isEmpty()) return result;
    String visible = VisibleText.of(result);
    if (visible.equals(result)) return result;
    String maskedVisible = replaced(visible);
    return maskedVisible.equals(visible) ? result : maskedVisible;
  }

  @Override
  public int longestSecretChars() {
    return secrets.isEmpty() ? 0 : secrets.getFirst().length();
  }

  private String replaced(String text) {
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) result = result.replace(secret, MASK);
    }
    return result;
  }
}
