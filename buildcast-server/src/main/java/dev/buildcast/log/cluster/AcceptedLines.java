package dev.buildcast.log.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.LogLine;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The port of the cluster's shared log: per job, one stream of accepted lines and marks in seq
 * order, written only by the job's current {@link LogOwner} and read by every node. A line is
 * <em>accepted</em> once an append returned {@link AppendResult#isStored()}; only accepted lines are
 * ever shown to anyone. The Redis adapter ({@code cluster.RedisAcceptedLines}) is the design's
 * append script ({@code bc:{job}:log} stream, the owner token {@code nodeId:epoch} and {@code
 * lastSeq} in {@code bc:{job}:job}) and one blocking {@code XREAD} per node; the in-memory one serves
 * tests. {@code AcceptedLinesContract} is the contract both pass.
 *
 * <p>Who owns a job is not decided here: claims and takeovers (which raise the epoch) belong to the
 * job store; this port only compares the caller's owner with the one stored for the job.
 *
 * <p>Every write is idempotent under retry with the same arguments, so a caller that got no answer
 * retries exactly what it sent. Thread-safe.
 *
 * <p>Failure: when the engine cannot be reached or does not answer in time, methods throw {@link
 * EngineUnavailableException}; nothing is known then about whether a write landed (retry it).
 */
public interface AcceptedLines {

  /**
   * Appends {@code lines} after the line {@code previousLastSeq}, checked in this order:
   *
   * <ol>
   *   <li>{@link AppendResult.Outcome#FENCED} when {@code owner} is not the job's stored owner (another
   *       node, an older epoch) or the job's stream is sealed; nothing is stored.
   *   <li>{@link AppendResult.Outcome#DUPLICATE} when the engine already holds the last of {@code
   *       lines}: a retry that landed. Nothing is stored again.
   *   <li>{@link AppendResult.Outcome#GAP} when the engine's last seq is not {@code previousLastSeq}
   *       (it lost a tail): the answer names its last seq, the caller re-ships from there.
   *   <li>otherwise {@link AppendResult.Outcome#ACCEPTED}: stored as one entry, text, time and level
   *       exactly as given.
   * </ol>
   *
   * @param lines at least one, contiguous seqs starting at {@code previousLastSeq + 1}
   * @throws IllegalArgumentException when {@code lines} is empty or does not continue {@code
   *     previousLastSeq}
   * @throws EngineUnavailableException when the engine did not answer
   */
  AppendResult append(String jobId, LogOwner owner, long previousLastSeq, List<LogLine> lines);

  /**
   * Appends a mark (status event or seal) after the line {@code afterSeq}, as the {@code number}-th
   * mark of the job (numbers grow by one per mark over the whole job). Checked like {@link #append}:
   * fenced first; {@link AppendResult.Outcome#DUPLICATE} when the engine already holds mark {@code
   * number}; {@link AppendResult.Outcome#GAP} when its last seq is not {@code afterSeq} or its last
   * mark is not {@code number - 1}; else accepted. After an accepted seal every write is fenced.
   *
   * @throws EngineUnavailableException when the engine did not answer
   */
  AppendResult mark(String jobId, LogOwner owner, long afterSeq, long number, LogMark mark);

  /**
   * Entries after {@code after}, in order, at most {@code maxEntries}. A reader wanting the lines
   * after seq {@code n} passes {@link StreamPosition#afterLine(long) afterLine(n)}: the first entry
   * returned may start before {@code n + 1} (a batch holding {@code n} and later lines), and the
   * reader skips what it has ({@link StreamEntry.Lines#after}).
   *
   * @throws EngineUnavailableException when the engine did not answer
   */
  List<StreamEntry> read(String jobId, StreamPosition after, int maxEntries);

  /**
   * Waits until at least one of the {@code watched} jobs has entries after its position, {@link
   * #wake()} is called, or {@code timeout} passes, whichever comes first, and returns the entries
   * found (per job, in order; jobs without new entries absent; empty after a wake-up or the
   * timeout). The Redis adapter is one {@code XREAD BLOCK} over the jobs' streams and this node's
   * wake stream.
   *
   * <p>An entry that cannot be read does not fail the call: it comes as a {@link
   * StreamEntry.Damaged}, the last entry of its job in the answer, so one job's damaged stream
   * never holds up the others'.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   * @throws EngineUnavailableException when the engine did not answer
   */
  Map<String, List<StreamEntry>> awaitEntries(Map<String, StreamPosition> watched, Duration timeout)
      throws InterruptedException;

  /**
   * Makes a thread blocked in {@link #awaitEntries} (or the next one, if none is blocked) return,
   * so it can wait again on a changed set of jobs.
   */
  void wake();

  /**
   * Makes {@code nodeId} the job's writer, in one step: when nobody owns the job yet it becomes
   * {@code nodeId:0}; when another node (or no node) does, {@code nodeId} with the stored epoch
   * plus one, which fences every later write of the previous owner; when {@code nodeId} already
   * owns it, the owner stays as it is. A sealed job's owner is not changed.
   *
   * @return the owner after the step and where the stream stands
   * @throws EngineUnavailableException when the engine did not answer (retry: the step is
   *     idempotent for the same node)
   */
  Takeover takeOver(String jobId, String nodeId);

  /**
   * Where a job's stream stood after {@link #takeOver}.
   *
   * @param owner the owner now stored (the caller's unless {@code sealed})
   * @param lastSeq the last accepted line's seq (0 for none)
   * @param lastMark the last accepted mark's number (0 for none)
   * @param sealed whether the stream is sealed (no write is accepted any more)
   */
  record Takeover(LogOwner owner, long lastSeq, long lastMark, boolean sealed) {}

  /**
   * Deletes the job's stream, owner and counts (retention, once the job's log is archived or
   * deleted); later appends are fenced until a new owner is assigned. No-op for an unknown job.
   *
   * @throws EngineUnavailableException when the engine did not answer
   */
  void delete(String jobId);

  /** Checks that {@code lines} is non-empty and its seqs contiguous. */
  static void requireContiguous(List<LogLine> lines) {
    if (lines.isEmpty()) throw new IllegalArgumentException("no lines");
    long expected = lines.get(0).seq();
    for (LogLine line : lines) {
      if (line.seq() != expected) {
        throw new IllegalArgumentException("lines are not contiguous: seq " + line.seq() + " where " + expected + " was due");
      }
      expected++;
    }
  }
}
