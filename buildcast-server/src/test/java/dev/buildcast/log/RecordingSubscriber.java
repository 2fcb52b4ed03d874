package dev.buildcast.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake client for broadcaster tests: records what it is offered, checks every batch continues
 * from its cursor (exactly for {@link LogFilter#ALL}; for {@link LogFilter#BASIC} possibly after
 * detail lines it was never sent), and can be told to refuse batches (a full outbound queue) and accept
 * again (which fires the pending writable callback).
 *
 * <p>A client outlives its subscriptions: {@link #reconnect()} gives the endpoint for a new
 * subscription from {@link #cursor()}; an offer reaching an older endpoint is a violation, since
 * its subscription was cancelled first.
 *
 * <p>Told to {@link #encodingAs encode}, it asks each batch for an encoding under a key, as a
 * socket does, and records the lines from it (the encoding is the batch's lines), so it takes a
 * kept catch-up batch without its lines as a socket would.
 *
 * <p>Locking: {@code this} guards every field; callbacks run outside it.
 */
final class RecordingSubscriber implements LogSubscriber {

  private final List<LogLine> lines = new ArrayList<>();
  private final List<LogBatch> batches = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Runnable> writableCallbacks = new ArrayList<>();
  private long cursor;
  private boolean refusing;
  private int refusals;
  private int caughtUpCalls;
  private int generation;
  private Consumer<LogBatch> onAccepted = batch -> {};
  private Object encodingKey;
  private AtomicInteger encodingsMade;

  RecordingSubscriber() {
    this(0);
  }

  RecordingSubscriber(long since) {
    this.cursor = since;
  }

  /** Runs for every accepted batch, on the offering thread (for example to encode it). */
  synchronized RecordingSubscriber onAccepted(Consumer<LogBatch> action) {
    this.onAccepted = action;
    return this;
  }

  /**
   * Asks each batch for its encoding under {@code key} (its lines) and records the lines from it;
   * each encoding made counts in {@code made}.
   */
  synchronized RecordingSubscriber encodingAs(Object key, AtomicInteger made) {
    this.encodingKey = key;
    this.encodingsMade = made;
    return this;
  }

  /** The encoding of {@code batch} under {@code key}; fails if it was never made. */
  static List<LogLine> encodingOf(LogBatch batch, Object key) {
    return batch.encoded(key, b -> {
      throw new AssertionError(b + " was not encoded as " + key);
    });
  }

  @Override
  public synchronized Object encodingKey() {
    return encodingKey;
  }

  /** A fresh endpoint for a new subscription; earlier endpoints must receive nothing more. */
  synchronized LogSubscriber reconnect() {
    int current = ++generation;
    return new LogSubscriber() {
      @Override
      public boolean offer(LogBatch batch) {
        return offerAs(current, batch);
      }

      @Override
      public void whenWritable(Runnable callback) {
        RecordingSubscriber.this.whenWritable(callback);
      }

      @Override
      public void caughtUpToEnd() {
        caughtUpAs(current);
      }

      @Override
      public Object encodingKey() {
        return RecordingSubscriber.this.encodingKey();
      }
    };
  }

  @Override
  public boolean offer(LogBatch batch) {
    return offerAs(0, batch);
  }

  @Override
  public void caughtUpToEnd() {
    caughtUpAs(0);
  }

  private boolean offerAs(int endpoint, LogBatch batch) {
    Consumer<LogBatch> action;
    synchronized (this) {
      if (endpoint != generation) {
        violations.add("offer to cancelled endpoint " + endpoint + ": " + batch);
        return false;
      }
      if (refusing) {
        refusals++;
        return false;
      }
      // why BASIC differs: ticks of detail lines only advance its cursor without a batch
      List<LogLine> got = encodingKey == null ? batch.lines() : batch.encoded(encodingKey, b -> {
        encodingsMade.incrementAndGet();
        return b.lines();
      });
      boolean continues =
          batch.filter() == LogFilter.ALL ? batch.afterSeq() == cursor : batch.afterSeq() >= cursor;
      if (!continues || got.get(0).seq() <= cursor) {
        violations.add("batch " + batch + " does not continue from cursor " + cursor);
      }
      lines.addAll(got);
      batches.add(batch);
      cursor = batch.throughSeq();
      action = onAccepted;
    }
    action.accept(batch);
    return true;
  }

  private void caughtUpAs(int endpoint) {
    synchronized (this) {
      if (endpoint != generation) violations.add("caughtUpToEnd to cancelled endpoint " + endpoint);
      caughtUpCalls++;
    }
  }

  @Override
  public void whenWritable(Runnable callback) {
    boolean now;
    synchronized (this) {
      now = !refusing;
      if (!now) writableCallbacks.add(callback);
    }
    if (now) callback.run();
  }

  synchronized void refuse() {
    refusing = true;
  }

  void accept() {
    List<Runnable> callbacks;
    synchronized (this) {
      refusing = false;
      callbacks = List.copyOf(writableCallbacks);
      writableCallbacks.clear();
    }
    callbacks.forEach(Runnable::run);
  }

  synchronized long cursor() {
    return cursor;
  }

  synchronized List<LogLine> lines() {
    return List.copyOf(lines);
  }

  synchronized List<Long> seqs() {
    return lines.stream().map(LogLine::seq).toList();
  }

  synchronized List<LogBatch> batches() {
    return List.copyOf(batches);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized int refusals() {
    return refusals;
  }

  synchronized int caughtUpCalls() {
    return caughtUpCalls;
  }
}
