package dev.buildcast.testing;

import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.AcceptedLines;
import dev.buildcast.log.cluster.AppendResult;
import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.cluster.LogMark;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.log.cluster.StreamEntry;
import dev.buildcast.log.cluster.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine of accepted lines in memory: the adapter of {@link AcceptedLines} for tests, run
 * through the same contract as the Redis one. Besides the port it plays the parts a test needs of
 * the engine's other users and failures: {@link #assignOwner} (a claim or takeover), {@link
 * #loseLastEntries} (a crash that lost a tail), {@link #goDown}/{@link #comeBack} (unreachable) and
 * {@link #loseAnswers} (writes land, answers are lost).
 *
 * <p>Locking: {@code this} guards everything; {@link #awaitEntries} waits on it.
 */
public final class MemoryAcceptedLines implements AcceptedLines {

  private static final class Stream {
    String ownerToken;
    long lastSeq;
    long lastMark;
    boolean sealed;
    final List<StreamEntry> entries = new ArrayList<>();
  }

  private final Map<String, Stream> streams = new HashMap<>();
  private boolean down;
  private boolean answersLost;
  /** A wake-up no wait has consumed yet. */
  private boolean pendingWake;
  private int appendCalls;

  private Stream stream(String jobId) {
    return streams.computeIfAbsent(jobId, id -> new Stream());
  }

  /** Makes {@code owner} the job's owner, as a claim or a takeover (with a higher epoch) does. */
  public synchronized void assignOwner(String jobId, LogOwner owner) {
    stream(jobId).ownerToken = owner.token();
  }

  /** Forgets the job's last {@code count} entries, as a restarted engine that lost a tail does. */
  public synchronized void loseLastEntries(String jobId, int count) {
    Stream stream = stream(jobId);
    for (int i = 0; i < count && !stream.entries.isEmpty(); i++) stream.entries.remove(stream.entries.size() - 1);
    stream.lastSeq = 0;
    stream.lastMark = 0;
    stream.sealed = false;
    for (StreamEntry entry : stream.entries) {
      stream.lastSeq = entry.position().seq();
      if (entry instanceof StreamEntry.Mark mark) {
        stream.lastMark = mark.position().index();
        stream.sealed = mark.mark().isSeal();
      }
    }
  }

  public synchronized boolean hasOwner(String jobId) {
    Stream stream = streams.get(jobId);
    return stream != null && stream.ownerToken != null;
  }

  /** The seq of the job's last accepted line, 0 when none. */
  public synchronized long lastSeq(String jobId) {
    Stream stream = streams.get(jobId);
    return stream == null ? 0 : stream.lastSeq;
  }

  /** The number of the job's last accepted mark, 0 when none. */
  public synchronized long lastMark(String jobId) {
    Stream stream = streams.get(jobId);
    return stream == null ? 0 : stream.lastMark;
  }

  public synchronized boolean isSealed(String jobId) {
    Stream stream = streams.get(jobId);
    return stream != null && stream.sealed;
  }

  /** Every call throws {@link EngineUnavailableException} until {@link #comeBack()}. */
  public synchronized void goDown() {
    down = true;
  }

  public synchronized void comeBack() {
    down = false;
    notifyAll();
  }

  /** Writes land, but their callers get {@link EngineUnavailableException} (lost answers). */
  public synchronized void loseAnswers(boolean lost) {
    answersLost = lost;
  }

  /** How many times {@link #append} was called, answered or not. */
  public synchronized int appendCalls() {
    return appendCalls;
  }

  /** Every entry the job's stream holds now, in order. */
  public synchronized List<StreamEntry> entries(String jobId) {
    return List.copyOf(stream(jobId).entries);
  }

  /** The lines the job's stream holds now, in order. */
  public synchronized List<LogLine> lines(String jobId) {
    List<LogLine> lines = new ArrayList<>();
    for (StreamEntry entry : stream(jobId).entries) {
      if (entry instanceof StreamEntry.Lines batch) lines.addAll(batch.lines());
    }
    return lines;
  }

  private void checkReachable() {
    if (down) throw new EngineUnavailableException("the in-memory engine is down (test)");
  }

  private AppendResult answer(AppendResult result) {
    if (answersLost && result.outcome() == AppendResult.Outcome.ACCEPTED) {
      throw new EngineUnavailableException("the answer was lost (test)");
    }
    return result;
  }

  @Override
  public synchronized Takeover takeOver(String jobId, String nodeId) {
    checkReachable();
    Stream stream = stream(jobId);
    if (!stream.sealed) {
      if (stream.ownerToken == null) {
        stream.ownerToken = new LogOwner(nodeId, 0).token();
      } else {
        int colon = stream.ownerToken.lastIndexOf(':');
        if (!stream.ownerToken.substring(0, colon).equals(nodeId)) {
          stream.ownerToken = new LogOwner(nodeId, Long.parseLong(stream.ownerToken.substring(colon + 1)) + 1).token();
        }
      }
    }
    int colon = stream.ownerToken.lastIndexOf(':');
    LogOwner owner = new LogOwner(stream.ownerToken.substring(0, colon), Long.parseLong(stream.ownerToken.substring(colon + 1)));
    return new Takeover(owner, stream.lastSeq, stream.lastMark, stream.sealed);
  }

  @Override
  public synchronized AppendResult append(String jobId, LogOwner owner, long previousLastSeq, List<LogLine> lines) {
    appendCalls++;
    AcceptedLines.requireContiguous(lines);
    if (lines.get(0).seq() != previousLastSeq + 1) {
      throw new IllegalArgumentException("lines start at " + lines.get(0).seq() + ", not after " + previousLastSeq);
    }
    checkReachable();
    Stream stream = stream(jobId);
    if (!owner.token().equals(stream.ownerToken) || stream.sealed) return AppendResult.fenced(stream.lastSeq);
    long last = lines.get(lines.size() - 1).seq();
    if (stream.lastSeq >= last) return AppendResult.duplicate(stream.lastSeq);
    if (stream.lastSeq != previousLastSeq) return AppendResult.gap(stream.lastSeq);
    stream.entries.add(new StreamEntry.Lines(lines));
    stream.lastSeq = last;
    notifyAll();
    return answer(AppendResult.accepted(last));
  }

  @Override
  public synchronized AppendResult mark(String jobId, LogOwner owner, long afterSeq, long number, LogMark mark) {
    if (number < 1) throw new IllegalArgumentException("mark numbers start at 1, got " + number);
    checkReachable();
    Stream stream = stream(jobId);
    if (!owner.token().equals(stream.ownerToken) || stream.sealed) {
      // why a landed seal retried is a duplicate, not fenced: the caller's own seal closed the log
      boolean ownSeal = stream.sealed && owner.token().equals(stream.ownerToken) && stream.lastMark >= number;
      return ownSeal ? AppendResult.duplicate(stream.lastSeq) : AppendResult.fenced(stream.lastSeq);
    }
    if (stream.lastMark >= number) return AppendResult.duplicate(stream.lastSeq);
    if (stream.lastSeq != afterSeq || stream.lastMark != number - 1) return AppendResult.gap(stream.lastSeq);
    stream.entries.add(new StreamEntry.Mark(new StreamPosition(afterSeq, number), mark));
    stream.lastMark = number;
    stream.sealed = mark.isSeal();
    notifyAll();
    return answer(AppendResult.accepted(stream.lastSeq));
  }

  @Override
  public synchronized List<StreamEntry> read(String jobId, StreamPosition after, int maxEntries) {
    checkReachable();
    List<StreamEntry> found = new ArrayList<>();
    Stream stream = streams.get(jobId);
    if (stream == null) return found;
    for (StreamEntry entry : stream.entries) {
      if (found.size() >= maxEntries) break;
      if (entry.position().isAfter(after)) found.add(entry);
    }
    return found;
  }

  @Override
  public synchronized Map<String, List<StreamEntry>> awaitEntries(Map<String, StreamPosition> watched, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      checkReachable();
      Map<String, List<StreamEntry>> found = new LinkedHashMap<>();
      for (Map.Entry<String, StreamPosition> job : watched.entrySet()) {
        List<StreamEntry> entries = read(job.getKey(), job.getValue(), Integer.MAX_VALUE);
        if (!entries.isEmpty()) found.put(job.getKey(), entries);
      }
      if (!found.isEmpty()) return found;
      // why a pending wake-up counts too: a wake() before this call must not be lost
      if (pendingWake) {
        pendingWake = false;
        return found;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return found;
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public synchronized void delete(String jobId) {
    checkReachable();
    streams.remove(jobId);
  }

  @Override
  public synchronized void wake() {
    pendingWake = true;
    notifyAll();
  }
}
