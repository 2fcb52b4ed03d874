package dev.buildcast.log;

/** One subscriber's place in one job's log, as returned by {@link LogBroadcaster#subscribe}. */
public interface LogSubscription {

  /**
   * Stops delivery. Once this returns, the subscriber is offered nothing more and is not told
   * {@link LogSubscriber#caughtUpToEnd()}. Idempotent; may be called from inside a callback.
   */
  void cancel();

  /**
   * The cursor: the detailed-log seq up to which the subscriber has been given everything passing
   * its filter. A client resuming with this as {@code since} misses nothing and gets nothing twice.
   */
  long lastSeq();

  /** True while the subscriber keeps up and takes the shared live batches. */
  boolean isLive();

  /** True once the subscription ended: cancelled, caught up to the end of a sealed log, or failed. */
  boolean isEnded();
}
