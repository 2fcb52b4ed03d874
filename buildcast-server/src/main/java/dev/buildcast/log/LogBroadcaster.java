package dev.buildcast.log;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * Delivers every job's new log lines to the job's subscribers, batched, gap-free and
 * duplicate-free across late joins, reconnects, slow clients and restarts.
 *
 * <p>A subscriber is a cursor into the detailed log. While it keeps up it is <em>live</em>: each
 * delivery takes the job's lines appended since the last one (handed over in memory by the log's
 * listener, never read back from disk) and makes them at most one {@link LogBatch} per filter, and the same batch
 * object is offered to every live subscriber with that filter, so it is encoded once. A subscriber
 * that refuses a batch drops to <em>catch-up</em>: it reads the log from its cursor in chunks of
 * {@code catchUpChunkLines} on the {@code readers} executor (a whole chunk is kept a while for the
 * next subscriber reading it, see {@link SharedCatchUpBatches}), waits for {@link
 * LogSubscriber#whenWritable} whenever refused, and rejoins live exactly at the head. Late joiners
 * and resumes ({@code afterSeq} behind the head) start in catch-up. One mechanism thus serves slow
 * clients, resume and history, and the broadcaster never holds lines for a subscriber: memory does
 * not grow with a slow client.
 *
 * <p>Deliveries: appending to a job with live subscribers hands one delivery for it to the {@code
 * deliveries} executor at once, unless one is already queued or running; lines appended meanwhile
 * wait in memory and the next delivery takes them all. So an idle job's line leaves at once, and
 * batches grow only under load, by as much as arrived while the last delivery was under way (the
 * way a socket's write queue coalesces while a write is in flight), up to one catch-up chunk (in
 * lines, and {@link JobLog#READ_CHUNK_BYTES} of text): lines beyond it are not kept, and the live
 * subscribers read them from the log in catch-up, so neither this server's heap nor one packet
 * grows with a flood the deliveries fall behind. An idle job schedules nothing,
 * and lines appended while a job has no live subscriber are dropped at once. A job's state exists only while it has subscribers: it is removed when the last one
 * leaves (cancelled, failed, or caught up to the end of the sealed log), whether or not the log is
 * sealed.
 *
 * <p>All subscriptions to one job id share its state; the logs passed for one job id must be
 * handles on the same log (see {@link JobLog}), and each stays open while its subscription lasts.
 *
 * <p>Thread-safe. Subscribers' callbacks run on the deliveries and readers threads, sometimes under
 * the job's lock: see {@link LogSubscriber}.
 */
public final class LogBroadcaster {

  public static final int DEFAULT_CATCH_UP_CHUNK_LINES = 1000;
  /**
   * Lines of catch-up batches kept for other subscribers over all jobs ({@link
   * SharedCatchUpBatches}), which keeps their encodings and not their lines. why 131,072, measured
   * with bench/compare's 50-watcher flood and bench/stuck at -Xmx256m (bench/README.md): server CPU
   * per delivered line 0.36 and 0.45 µs against 0.62 to 0.70 with 65,536, and bench/stuck's peak
   * heap after GC 129 MB, within the 105 to 139 MB of the build before; 262,144 cut the CPU to 0.21
   * to 0.27 µs but raised that heap to 151 MB.
   */
  public static final long DEFAULT_SHARED_CATCH_UP_LINES = 131_072;

  /**
   * Chars of text of those batches: 131,072 lines of 128. why: lines of ordinary length reach the
   * bound in lines first; long ones this one, so a few chunks of 64 KiB lines cannot fill the heap.
   */
  public static final long DEFAULT_SHARED_CATCH_UP_CHARS = 16L * 1024 * 1024;

  private final Executor deliveries;
  private final Executor readers;
  private final int catchUpChunkLines;
  private final SharedCatchUpBatches shared;
  private final ConcurrentMap<String, JobFanOut> jobs = new ConcurrentHashMap<>();

  /**
   * @param deliveries runs deliveries, which only queue batches on subscribers and never block
   *     (one thread is plenty; its tasks must run in the order given for one job, which any
   *     executor does here since a job has at most one delivery queued or running)
   * @param readers runs catch-up reads, which block on disk
   * @param catchUpChunkLines most lines read and offered at once in catch-up
   */
  public LogBroadcaster(Executor deliveries, Executor readers, int catchUpChunkLines) {
    this(deliveries, readers, catchUpChunkLines, DEFAULT_SHARED_CATCH_UP_LINES);
  }

  /**
   * @param sharedCatchUpLines most lines of catch-up batches kept for subscribers reading the
   *     same chunk (0: none kept)
   */
  public LogBroadcaster(Executor deliveries, Executor readers, int catchUpChunkLines, long sharedCatchUpLines) {
    if (catchUpChunkLines < 1) throw new IllegalArgumentException("catchUpChunkLines < 1");
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    this.readers = Objects.requireNonNull(readers, "readers");
    this.catchUpChunkLines = catchUpChunkLines;
    this.shared = new SharedCatchUpBatches(sharedCatchUpLines, DEFAULT_SHARED_CATCH_UP_CHARS);
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

  /** How many lines wait for the next delivery, over all jobs (for monitoring and memory tests). */
  public int bufferedLineCount() {
    return jobs.values().stream().mapToInt(JobFanOut::bufferedLineCount).sum();
  }

  Executor deliveries() {
    return deliveries;
  }

  Executor readers() {
    return readers;
  }

  int catchUpChunkLines() {
    return catchUpChunkLines;
  }

  SharedCatchUpBatches sharedCatchUpBatches() {
    return shared;
  }

  /** Lines of catch-up batches kept for other subscribers now (for monitoring and memory tests). */
  public long sharedCatchUpLineCount() {
    return shared.lineCount();
  }

  void retired(JobFanOut job) {
    jobs.remove(job.jobId(), job);
  }
}
