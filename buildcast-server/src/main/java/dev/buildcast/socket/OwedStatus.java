package dev.buildcast.socket;

import dev.buildcast.job.JobRecord;

/**
 * The status one watcher is owed and has not been sent yet.
 *
 * <p>The newest by store version wins, whatever order the offers come in: the status read when the
 * watcher connects and the changes published meanwhile arrive on different threads, so the read
 * one can come last though it is older. Keeping it would leave the watcher on "running" after the
 * job ended (the end was published before the read one replaced it).
 *
 * <p>A final status is held until the watcher has the job's last line, so a client that sees
 * "succeeded" has the whole log. Once closed (the log could not be followed) nothing is owed.
 *
 * <p>Thread-safe: every method holds {@code this}.
 */
final class OwedStatus {

  private JobRecord owed;
  /** The highest version offered so far; records of a job's store only grow in version. */
  private long newestVersion = Long.MIN_VALUE;
  private boolean logComplete;
  private boolean closed;

  /** A status read from the store or published; ignored when a newer one was offered before. */
  synchronized void offer(JobRecord record) {
    if (closed || record.version() < newestVersion) return;
    newestVersion = record.version();
    owed = record;
  }

  /** The watcher has the job's last line: a final status may go. */
  synchronized void logComplete() {
    logComplete = true;
  }

  /** The status to send now, no longer owed once taken; null when none is, or a final one waits for the log. */
  synchronized JobRecord take() {
    if (owed == null || (owed.state().isFinished() && !logComplete)) return null;
    JobRecord taken = owed;
    owed = null;
    return taken;
  }

  /** A taken status the socket refused: owed again, unless a newer one was offered since. */
  synchronized void refused(JobRecord record) {
    if (!closed && owed == null && record.version() >= newestVersion) owed = record;
  }

  /** Nothing is owed from now on; true the first time. */
  synchronized boolean close() {
    if (closed) return false;
    closed = true;
    owed = null;
    return true;
  }
}
