package dev.buildcast.log;

/**
 * A watcher of one job's log, as the {@link LogBroadcaster} sees it: typically one client socket.
 *
 * <p>The broadcaster calls {@link #offer} from one thread at a time per subscription (a delivery or
 * its catch-up reader), never concurrently, and with strictly continuing batches. Calls may come
 * while the broadcaster holds the job's lock, so implementations must not block: queue and
 * return.
 */
public interface LogSubscriber {

  /**
   * Offers the next batch: lines strictly continuing from the subscriber's cursor ({@code
   * batch.afterSeq()}), passing its filter.
   *
   * @return true when the batch was queued for sending; false when it could not be (the client's
   *     outbound queue is full), in which case nothing of it was delivered and the broadcaster
   *     waits for {@link #whenWritable} before offering again from the same cursor
   */
  boolean offer(LogBatch batch);

  /**
   * The key this subscriber asks each offered batch for its encoding with ({@link
   * LogBatch#encoded}), or null if it reads the batch's lines instead. why: a catch-up batch kept
   * for other subscribers holds its encodings, not its lines, and may be offered as it is only to a
   * subscriber whose encoding it already has.
   */
  default Object encodingKey() {
    return null;
  }

  /**
   * Registers a one-shot callback to run when the subscriber can take more again (at once if it
   * already can). The callback is cheap and may run on any thread.
   */
  void whenWritable(Runnable callback);

  /** The log is sealed and everything up to its last line was delivered; called once, last. */
  void caughtUpToEnd();

  /**
   * The subscription ended because the log could not be read or the subscriber itself failed;
   * called at most once, and then no other method is called again.
   */
  default void failed(Exception cause) {}
}
