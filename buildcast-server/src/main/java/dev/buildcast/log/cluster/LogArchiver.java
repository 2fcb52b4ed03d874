package dev.buildcast.log.cluster;

import dev.buildcast.log.LogSegments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves sealed logs from the engine to the {@link LogArchive}: for each job its {@link
 * ArchiveQueue} says is due and whose record is final, it rebuilds the log from the job's stream
 * (the accepted lines, exactly: never a node's spool, which may hold lines that were never
 * accepted) into the archive's workspace, stores it, marks it archived, and once {@code grace} has
 * passed drops the stream. A failure (object storage down, the engine gone) keeps the stream and
 * tries again later, waiting twice as long after each failure of the same job, up to {@code
 * maxBackoff}.
 *
 * <p>Every node runs one, so any node may archive any job (the owner usually, or whoever sealed it
 * for a dead node): the queue hands a job to one node at a time, and two that do it anyway store
 * the same bytes. The stream outlives the archive by {@code grace} so that a node reading it when
 * the archive is stored still finds it.
 *
 * <p>Threading: {@link #runOnce} is called by one thread at a time (the wiring's repeater, or a
 * test); {@link #pendingCount} from any thread.
 */
public final class LogArchiver {

  private static final Logger LOG = LoggerFactory.getLogger(LogArchiver.class);

  /** Jobs taken (and streams dropped) per run; more wait for the next run. */
  static final int PER_RUN = 20;
  /** How long a job taken by a node is left to it: one that dies with it leaves it to others then. */
  static final Duration HOLD = Duration.ofMinutes(2);
  /** Entries read from the stream at once. */
  private static final int ENTRIES_PER_READ = 100;

  /** What the archiver must know of a job's record. */
  public enum JobStage {
    /** Its record is not final yet: the seal comes just before it. */
    UNFINISHED,
    FINISHED,
    /** No record: the job was deleted. */
    DELETED
  }

  /** Reads a job's stage from the job store. */
  @FunctionalInterface
  public interface Jobs {
    JobStage stageOf(String jobId);
  }

  private final AcceptedLines engine;
  private final ArchiveQueue queue;
  private final LogArchive archive;
  private final Jobs jobs;
  private final Clock clock;
  private final Duration grace;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  /** Failures in a row per job, on this node. */
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private volatile long pending;

  /**
   * @param grace how long a stream stays in the engine after its log was archived
   * @param firstBackoff the wait after a job's first failed archive (doubled after each next one)
   */
  public LogArchiver(AcceptedLines engine, ArchiveQueue queue, LogArchive archive, Jobs jobs, Clock clock, Duration grace,
      Duration firstBackoff, Duration maxBackoff) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.archive = Objects.requireNonNull(archive, "archive");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
  }

  /**
   * Archives the jobs that are due, then drops the streams whose grace has passed.
   *
   * @return how many logs this run archived
   * @throws dev.buildcast.EngineUnavailableException when the engine could not be reached (the
   *     jobs taken are tried again once their hold passes)
   */
  public int runOnce() {
    Instant now = clock.instant();
    int archived = 0;
    for (String jobId : queue.takeDue(now, now.plus(HOLD), PER_RUN)) {
      if (archiveOne(jobId, now)) archived++;
    }
    for (String jobId : queue.dropStreams(now, PER_RUN)) LOG.info("{} - the stream of the archived log was dropped from the engine", jobId);
    pending = queue.pendingCount();
    return archived;
  }

  /** Sealed logs waiting to be archived, as the last run counted them. */
  public long pendingCount() {
    return pending;
  }

  private boolean archiveOne(String jobId, Instant now) {
    switch (jobs.stageOf(jobId)) {
      case DELETED -> {
        queue.forget(jobId);
        failures.remove(jobId);
        return false;
      }
      case UNFINISHED -> {
        // why not a failure: the record is stored right after the seal; look again soon
        queue.retryAt(jobId, now.plus(firstBackoff));
        return false;
      }
      case FINISHED -> { }
    }
    LogSegments workspace = archive.workspace();
    try {
      build(jobId, workspace);
      archive.store(jobId);
    } catch (RuntimeException e) {
      int failed = failures.merge(jobId, 1, Integer::sum);
      Duration wait = backoff(failed);
      LOG.warn("{} - archiving the sealed log failed ({} time(s) in a row); its stream is kept, trying again in {} ms: {}", jobId, failed,
          wait.toMillis(), e.toString());
      queue.retryAt(jobId, now.plus(wait));
      return false;
    } finally {
      deleteQuietly(workspace, jobId);
    }
    failures.remove(jobId);
    if (queue.archived(jobId, now.plus(grace))) {
      LOG.info("{} - sealed log archived; its stream goes in {} s", jobId, grace.toSeconds());
      return true;
    }
    // why look: deleted meanwhile, the copy just stored would stay forever; archived by another node, it is the same copy
    if (jobs.stageOf(jobId) == JobStage.DELETED) archive.delete(jobId);
    return false;
  }

  /** Replicates the whole stream, up to its seal, into a fresh log in the workspace. */
  private void build(String jobId, LogSegments workspace) {
    workspace.delete(jobId);
    LogMirror copy = LogMirror.open(jobId, workspace);
    try {
      StreamPosition after = StreamPosition.START;
      while (!copy.isSealed()) {
        List<StreamEntry> entries = engine.read(jobId, after, ENTRIES_PER_READ);
        if (entries.isEmpty()) {
          throw new IllegalStateException("the stream of job " + jobId + " ends at line " + copy.lastSeq() + " without its seal");
        }
        for (StreamEntry entry : entries) {
          if (entry instanceof StreamEntry.Lines lines) copy.replicate(lines.lines());
          else if (entry instanceof StreamEntry.Mark mark && mark.mark().isSeal()) copy.seal();
          else if (entry instanceof StreamEntry.Damaged damaged) throw new IllegalStateException(damaged.problem());
          after = entry.position();
        }
      }
    } finally {
      copy.close();
    }
  }

  private Duration backoff(int failed) {
    Duration wait = firstBackoff;
    for (int i = 1; i < failed && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  private static void deleteQuietly(LogSegments workspace, String jobId) {
    try {
      workspace.delete(jobId);
    } catch (RuntimeException e) {
      LOG.warn("{} - could not delete the archive's workspace copy: {}", jobId, e.toString());
    }
  }
}
