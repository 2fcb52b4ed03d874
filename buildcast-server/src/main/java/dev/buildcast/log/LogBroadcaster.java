package dev.buildcast.log;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Delivers every job's new log lines to the job's subscribers, batched, gap-free and
 * duplicate-free across late joins, reconnects, slow clients and restarts.
 *
 * <p>A subscriber is a cursor into the detailed log. While it keeps up it is <em>live</em>: each
 * tick the job's lines appended since the last tick (handed over in memory by the log's listener,
 * never read back from disk) become at most one {@link LogBatch} per filter, and the same batch
 * object is offered to every live subscriber with that filter, so it is encoded once. A subscriber
 * that refuses a batch drops to <em>catch-up</em>: it reads the log from its cursor in chunks of
 * {@code catchUpChunkLines} on the {@code readers} executor, waits for {@link
 * LogSubscriber#whenWritable} whenever refused, and rejoins live exactly at the head. Late joiners
 * and resumes ({@code afterSeq} behind the head) start in catch-up. One mechanism thus serves slow
 * clients, resume and history, and the broadcaster never holds lines for a subscriber: memory does
 * not grow with a slow client.
 *
 * <p>Ticks: appending to a job with live subscribers schedules one tick for it {@code tick} later;
 * an idle job schedules nothing, and lines appended while a job has no live subscriber are dropped
 * at once. A job's state exists only while it has subscribers: it is removed when the last one
 * leaves (cancelled, failed, or caught up to the end of the sealed log), whether or not the log is
 * sealed.
 *
 * <p>All subscriptions to one job id share its state; the logs passed for one job id must be
 * handles on the same log (see {@link JobLog}), and each stays open while its subscription lasts.
 *
 * <p>Thread-safe. Subscribers' callbacks run on the ticker and readers threads, sometimes under
 * the job's lock: see {@link LogSubscriber}.
 */
public final class LogBroadcaster {

  public static final Duration DEFAULT_TICK = Duration.ofMillis(15);
  public static final int DEFAULT_CATCH_UP_CHUNK_LINES = 1000;

  private final ScheduledExecutorService ticker;
  private final long tickNanos;
  private final Executor readers;
  private final int catchUpChunkLines;
  private final ConcurrentMap<String, JobFanOut> jobs = new ConcurrentHashMap<>();

  /**
   * @param ticker runs the ticks (one thread is plenty)
   * @param tick how long lines gather before being sent: batching against latency
   * @param readers runs catch-up reads, which block on disk (virtual threads suit it)
   * @param catchUpChunkLines most lines read and offered at once in catch-up
   */
  public LogBroadcaster(
      ScheduledExecutorService ticker, Duration tick, Executor readers, int catchUpChunkLines) {
    if (catchUpChunkLines < 1) throw new IllegalArgumentException("catchUpChunkLines < 1");
    if (tick.isNegative()) throw new IllegalArgumentException("negative tick");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.tickNanos = tick.toNanos();
    this.readers = Objects.requireNonNull(readers, "readers");
    this.catchUpChunkLines = catchUpChunkLines;
  }

  /**
   * Starts delivering {@code log}'s lines after {@code afterSeq} that pass {@code filter} to
   * {@code subscriber}. {@code afterSeq} is a detailed-log seq (0 for everything); one beyond the
   * log's last line is taken as its last line.
   */
  public LogSubscription subscribe(
      JobLog log, long afterSeq, LogFilter filter, LogSubscriber subscriber) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(subscriber, "subscriber");
    while (true) {
      JobFanOut job = jobs.computeIfAbsent(log.jobId(), id -> new JobFanOut(log, this));
      SubscriberCursor subscription = job.add(log, afterSeq, filter, subscriber);
      // null: the job's state was being retired as we came; the next attempt makes a fresh one
      if (subscription != null) return subscription;
    }
  }

  /** How many jobs have subscribers now (for monitoring and leak tests). */
  public int activeJobCount() {
    return jobs.size();
  }

  /** How many lines wait for the next tick, over all jobs (for monitoring and memory tests). */
  public int bufferedLineCount() {
    return jobs.values().stream().mapToInt(JobFanOut::bufferedLineCount).sum();
  }

  /** Runs every job's tick now, on the calling thread: lets tests step ticks by hand. */
  void tickNow() {
    jobs.values().forEach(JobFanOut::tick);
  }

  ScheduledExecutorService ticker() {
    return ticker;
  }

  long tickNanos() {
    return tickNanos;
  }

  Executor readers() {
    return readers;
  }

  int catchUpChunkLines() {
    return catchUpChunkLines;
  }

  void retired(JobFanOut job) {
    jobs.remove(job.jobId(), job);
  }
}
