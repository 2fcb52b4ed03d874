package dev.buildcast.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one job's log, for a log that tells them itself (the owner's writer, a mirror).
 * A listener that throws is logged and the others are still told: one broken watcher must not
 * stop the rest from hearing the job.
 *
 * <p>Copy-on-write, so registering never waits for an append that is telling the listeners. The
 * log calls {@link #appended}, {@link #sealed} and {@link #failed} under its own writer lock, in
 * seq order.
 */
public final class JobLogListeners {

  private static final Logger LOG = LoggerFactory.getLogger(JobLogListeners.class);

  private final String jobId;
  private final List<JobLogListener> listeners = new CopyOnWriteArrayList<>();

  public JobLogListeners(String jobId) {
    this.jobId = jobId;
  }

  public ListenerRegistration add(JobLogListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Tells every listener of lines just stored. */
  public void appended(List<LogLine> lines) {
    for (JobLogListener listener : listeners) {
      try {
        listener.appended(lines);
      } catch (RuntimeException e) {
        LOG.error("{} - a listener of the log failed", jobId, e);
      }
    }
  }

  /**
   * Tells every listener that the log can no longer be followed, then forgets them: nothing
   * follows. Each listener is told once: whoever takes it out of the list tells it, so calling this
   * again (for a listener added while a failure was told) tells only the ones still here.
   */
  public void failed(RuntimeException cause) {
    for (JobLogListener listener : listeners) {
      if (!listeners.remove(listener)) continue;
      try {
        listener.failed(cause);
      } catch (RuntimeException e) {
        LOG.error("{} - a listener of the log failed at its failure", jobId, e);
      }
    }
  }

  /** Tells every listener of the seal, then forgets them all: nothing follows a seal. */
  public void sealed(long lastSeq) {
    for (JobLogListener listener : listeners) {
      try {
        listener.sealed(lastSeq);
      } catch (RuntimeException e) {
        LOG.error("{} - a listener of the log failed at its seal", jobId, e);
      }
    }
    listeners.clear();
  }
}
