package dev.buildcast.log.cluster;

import dev.buildcast.EngineUnavailableException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a node's mirrors from the engine: one blocking read ({@link AcceptedLines#awaitEntries})
 * over every job this node watches and does not run, each entry applied to its job's {@link
 * LogMirror} in stream order (lines replicated, the seal sealing it and ending the watch). A
 * mirror's position is its last seq, so after a restart, or after the engine lost a tail its owner
 * shipped again, the first entry read may repeat lines: the mirror skips them. An entry that
 * cannot be read ({@link StreamEntry.Damaged}) or mirrored fails that job's mirror alone ({@link
 * LogMirror#fail}: its watchers get a {@link MirrorFailedException}) and ends its watch; the other
 * jobs' entries keep flowing.
 *
 * <p>Threading: {@link #watch} and {@link #unwatch} may be called from any thread and wake the
 * read in progress; {@link #pollOnce} is called by one thread at a time (the node's feed loop, or
 * a test stepping it). {@code this} guards {@link #watched}; the engine is read outside it.
 */
public final class MirrorFeed {

  private static final Logger LOG = LoggerFactory.getLogger(MirrorFeed.class);

  private final AcceptedLines engine;
  private final Map<String, Watched> watched = new LinkedHashMap<>();

  private record Watched(LogMirror mirror, StreamPosition after) {}

  public MirrorFeed(AcceptedLines engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** Starts filling {@code mirror} from the entries after its last line. */
  public void watch(LogMirror mirror) {
    if (mirror.isSealed()) return;
    synchronized (this) {
      watched.put(mirror.jobId(), new Watched(mirror, StreamPosition.afterLine(mirror.lastSeq())));
    }
    engine.wake();
  }

  /** Stops filling the job's mirror (the mirror stays as it is). */
  public void unwatch(String jobId) {
    synchronized (this) {
      watched.remove(jobId);
    }
    engine.wake();
  }

  public synchronized int watchedCount() {
    return watched.size();
  }

  /**
   * Waits up to {@code timeout} for entries of the watched jobs and applies them.
   *
   * @return how many entries were applied (0 after a wake-up or the timeout)
   * @throws InterruptedException when the waiting thread is interrupted
   * @throws EngineUnavailableException when the engine did not answer (call again later)
   */
  public int pollOnce(Duration timeout) throws InterruptedException {
    Map<String, StreamPosition> positions = new LinkedHashMap<>();
    synchronized (this) {
      watched.forEach((jobId, job) -> positions.put(jobId, job.after()));
    }
    Map<String, List<StreamEntry>> found = engine.awaitEntries(positions, timeout);
    int applied = 0;
    for (Map.Entry<String, List<StreamEntry>> job : found.entrySet()) {
      applied += apply(job.getKey(), job.getValue());
    }
    return applied;
  }

  private int apply(String jobId, List<StreamEntry> entries) {
    Watched job;
    synchronized (this) {
      job = watched.get(jobId);
    }
    if (job == null) return 0; // unwatched while the read was under way
    int applied = 0;
    StreamPosition after = job.after();
    for (StreamEntry entry : entries) {
      if (entry instanceof StreamEntry.Damaged damaged) {
        // why fail only this mirror: reading past the entry would hand watchers a log with a hole
        job.mirror().fail(damaged.problem());
        break;
      }
      try {
        if (entry instanceof StreamEntry.Lines lines) {
          if (lines.firstSeq() > job.mirror().lastSeq() + 1) {
            // why from the mirror's end: the engine holds the lines between; the next read starts where the mirror is whole
            LOG.error("{} - the entry at {} starts at seq {} but the mirror ends at {}; reading again from there", jobId,
                entry.position(), lines.firstSeq(), job.mirror().lastSeq());
            after = StreamPosition.afterLine(job.mirror().lastSeq());
            break;
          }
          job.mirror().replicate(lines.lines());
        } else if (entry instanceof StreamEntry.Mark mark && mark.mark().isSeal()) {
          job.mirror().seal();
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        // why fail: the entry reads well but the mirror cannot take it (a line break in a text); reading it again changes nothing
        job.mirror().fail("the entry at " + entry.position() + " cannot be mirrored: " + e.getMessage());
        break;
      } catch (UncheckedIOException e) {
        // why from the mirror's end: this node's storage failed, not the entry; a later round may work
        LOG.error("{} - could not store the entry at {} in the mirror: {}", jobId, entry.position(), e.getMessage());
        after = StreamPosition.afterLine(job.mirror().lastSeq());
        break;
      }
      after = entry.position();
      applied++;
    }
    synchronized (this) {
      if (watched.get(jobId) != job) return applied;
      if (job.mirror().isSealed() || job.mirror().failure().isPresent()) watched.remove(jobId);
      else watched.put(jobId, new Watched(job.mirror(), after));
    }
    return applied;
  }
}
