package dev.buildcast.log;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live fan-out of one job's log: gathers appended lines until the next delivery and offers
 * each delivery's batch to the live subscribers; decides when a catching-up subscriber may rejoin
 * live. At most one delivery per job is queued or running: the first line appended with none
 * under way schedules one at once, later ones join it (or the next one, once it has taken its
 * lines).
 *
 * <p>Locking: {@link #lock} guards every mutable field. Invariant: every line with a seq above
 * {@link #liveHead} is either in {@link #pending} or not yet handed over by the log's listener, so
 * a subscriber whose cursor has reached {@code liveHead} gets the rest from deliveries, and one below
 * it must still read from the log. The lock is taken by the log's listener inside the log's writer
 * lock, so under it this class never appends to the log nor waits for its writer; it calls
 * subscribers (which must not block) and takes a subscription's offering lock (never the reverse
 * except reentrantly).
 */
final class JobFanOut implements JobLogListener {

  private static final Logger LOG = LoggerFactory.getLogger(JobFanOut.class);

  enum JoinOutcome {
    JOINED,
    FINISHED,
    BEHIND,
    ENDED
  }

  private final String jobId;
  private final LogBroadcaster broadcaster;
  private final ReentrantLock lock = new ReentrantLock();

  private List<LogLine> pending = new ArrayList<>();
  /** Chars of text in {@link #pending}, which is kept within the bound a catch-up read has. */
  private long pendingChars;
  /** Highest seq the listener handed over; lines at or below it are ignored if repeated. */
  private long appendedThrough;
  /** Highest seq accounted for by deliveries (or dropped for lack of live subscribers). */
  private long liveHead;
  private boolean sealed;
  private long sealedSeq;
  /** Set when the log can no longer be followed: every subscription, present and later, fails with it. */
  private RuntimeException failure;
  /** A delivery is queued and has not yet taken {@link #pending}. */
  private boolean deliveryScheduled;
  /** Pending lines were dropped while live subscribers waited for them: see {@link #sendLaggingToCatchUp}. */
  private boolean liveLinesDropped;
  private boolean retired;
  private final Set<SubscriberCursor> members = new LinkedHashSet<>();
  private final Map<LogFilter, Set<SubscriberCursor>> live = new EnumMap<>(LogFilter.class);
  private final ListenerRegistration registration;

  JobFanOut(JobLog log, LogBroadcaster broadcaster) {
    this.jobId = log.jobId();
    this.broadcaster = broadcaster;
    for (LogFilter filter : LogFilter.values()) live.put(filter, new LinkedHashSet<>());
    lock.lock();
    try {
      // why this order: a line appended meanwhile may be both counted here and handed to the
      // listener; appendedThrough makes the listener ignore it, and none is missed
      this.registration = log.addListener(this);
      appendedThrough = log.lastSeq();
      liveHead = appendedThrough;
      if (log.isSealed()) markSealed(log.lastSeq());
    } finally {
      lock.unlock();
    }
  }

  String jobId() {
    return jobId;
  }

  int bufferedLineCount() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Adds a subscriber; null when this state is retired and a fresh one must be made. */
  SubscriberCursor add(JobLog log, long afterSeq, LogFilter filter, LogSubscriber subscriber) {
    SubscriberCursor subscription;
    RuntimeException failed;
    lock.lock();
    try {
      if (retired) return null;
      long cursor = Math.min(Math.max(0, afterSeq), log.lastSeq());
      failed = failure;
      boolean joinsLive = failed == null && !sealed && cursor >= liveHead;
      subscription =
          new SubscriberCursor(this, log, filter, subscriber, cursor, joinsLive);
      if (failed == null) members.add(subscription);
      if (joinsLive) live.get(filter).add(subscription);
    } finally {
      lock.unlock();
    }
    if (failed != null) {
      subscription.fail(failed);
    } else if (!subscription.isLive()) {
      startCatchUp(subscription);
    }
    return subscription;
  }

  void startCatchUp(SubscriberCursor subscription) {
    try {
      broadcaster.readers().execute(subscription::catchUp);
    } catch (RejectedExecutionException e) {
      subscription.fail(e);
    }
  }

  int catchUpChunkLines() {
    return broadcaster.catchUpChunkLines();
  }

  SharedCatchUpBatches sharedCatchUpBatches() {
    return broadcaster.sharedCatchUpBatches();
  }

  @Override
  public void appended(List<LogLine> lines) {
    lock.lock();
    try {
      if (retired || lines.isEmpty()) return;
      int first = 0;
      while (first < lines.size() && lines.get(first).seq() <= appendedThrough) first++;
      if (first == lines.size()) return;
      appendedThrough = lines.get(lines.size() - 1).seq();
      if (hasNoLiveSubscriber()) {
        // why: nobody takes live batches; catching-up subscribers read these from the log
        dropPending();
        liveHead = appendedThrough;
        return;
      }
      for (LogLine line : lines.subList(first, lines.size())) {
        pending.add(line);
        pendingChars += line.text().length();
      }
      if (pending.size() > broadcaster.catchUpChunkLines() || pendingChars > JobLog.READ_CHUNK_BYTES) {
        // why: the deliveries fell this far behind (a flood, a starved thread), so the batch would
        // grow without bound, in this server's heap and as one packet a client must take whole (up
        // to 158,021 lines; the watchers' processes grew to 2 GB, bench/README.md). The lines are in
        // the log: the next delivery sends the live subscribers to read them from there in chunks.
        dropPending();
        liveHead = appendedThrough;
        liveLinesDropped = true;
      }
      scheduleDelivery();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void sealed(long lastSeq) {
    lock.lock();
    try {
      if (retired) return;
      markSealed(lastSeq);
      scheduleDelivery();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void failed(RuntimeException cause) {
    lock.lock();
    try {
      if (retired || failure != null) return;
      failure = cause;
      dropPending();
      // why on the delivery thread: the log calls this under its writer lock, and failing tells subscribers
      scheduleDelivery();
    } finally {
      lock.unlock();
    }
  }

  private void markSealed(long lastSeq) {
    sealed = true;
    sealedSeq = lastSeq;
  }

  private boolean hasNoLiveSubscriber() {
    for (Set<SubscriberCursor> subscribers : live.values()) {
      if (!subscribers.isEmpty()) return false;
    }
    return true;
  }

  /**
   * Hands a delivery to the executor now, unless one is queued already: that one takes what was
   * just appended. why not later: a delay here is a floor under every line's latency; batches
   * grow by themselves under load, while a delivery waits for its thread.
   */
  private void scheduleDelivery() {
    if (deliveryScheduled) return;
    deliveryScheduled = true;
    try {
      broadcaster.deliveries().execute(this::deliver);
    } catch (RejectedExecutionException e) {
      deliveryScheduled = false;
      LOG.warn("{} - cannot schedule a log delivery: the broadcaster is shut down", jobId);
    }
  }

  void deliver() {
    lock.lock();
    try {
      deliveryScheduled = false;
      if (retired) return;
      if (failure != null) {
        failMembers();
        return;
      }
      if (liveLinesDropped) {
        liveLinesDropped = false;
        sendLaggingToCatchUp();
      }
      if (!pending.isEmpty()) deliverPending();
      if (sealed) finishLiveSubscribers();
    } catch (RuntimeException e) {
      LOG.error("{} - a log delivery failed", jobId, e);
    } finally {
      lock.unlock();
    }
  }

  private void dropPending() {
    pending = new ArrayList<>();
    pendingChars = 0;
  }

  /**
   * Live subscribers whose cursor is below the live head missed lines that were dropped from
   * {@link #pending} (see {@link #appended}): they read them from the log, from their cursor. Every
   * other live subscriber is at the live head or past it, so only a delivery after such a drop
   * looks (the walk copies every live set: not for each delivery of a flood).
   */
  private void sendLaggingToCatchUp() {
    for (Set<SubscriberCursor> subscribers : live.values()) {
      for (SubscriberCursor subscriber : List.copyOf(subscribers)) {
        if (subscriber.isLive() && subscriber.lastSeq() < liveHead) {
          subscribers.remove(subscriber);
          subscriber.catchUpFromLog();
        }
      }
    }
  }

  private void deliverPending() {
    List<LogLine> lines = pending;
    dropPending();
    long from = liveHead;
    long through = lines.get(lines.size() - 1).seq();
    liveHead = through;
    for (LogFilter filter : LogFilter.values()) {
      Set<SubscriberCursor> subscribers = live.get(filter);
      if (subscribers.isEmpty()) continue;
      List<LogLine> passing = filter == LogFilter.ALL ? lines : basicLines(lines);
      LogBatch shared = passing.isEmpty() ? null : new LogBatch(from, through, filter, passing);
      Map<Long, LogBatch> joinedMidway = new HashMap<>();
      for (SubscriberCursor subscriber : List.copyOf(subscribers)) {
        if (!subscriber.isLive()) continue;
        long cursor = subscriber.lastSeq();
        LogBatch batch =
            cursor <= from || shared == null
                ? shared
                : joinedMidway.computeIfAbsent(cursor, shared::after);
        if (batch == null) {
          subscriber.advanceTo(through);
        } else if (subscriber.offerLive(batch)) {
          subscriber.advanceTo(through);
        } else {
          demote(subscriber);
        }
      }
    }
  }

  private static List<LogLine> basicLines(List<LogLine> lines) {
    List<LogLine> basic = new ArrayList<>();
    for (LogLine line : lines) if (line.level().isBasic()) basic.add(line);
    return basic;
  }

  /** Ends every subscription with {@link #failure}; each one's {@code fail} removes it, the last retires this. */
  private void failMembers() {
    for (Set<SubscriberCursor> subscribers : live.values()) subscribers.clear();
    for (SubscriberCursor subscriber : List.copyOf(members)) subscriber.fail(failure);
  }

  /** A live subscriber refused a batch: it leaves the live set and catches up once writable. */
  private void demote(SubscriberCursor subscriber) {
    live.get(subscriber.filter()).remove(subscriber);
    subscriber.waitUntilWritable();
  }

  private void finishLiveSubscribers() {
    for (Set<SubscriberCursor> subscribers : live.values()) {
      for (SubscriberCursor subscriber : List.copyOf(subscribers)) {
        if (subscriber.lastSeq() >= sealedSeq) {
          subscribers.remove(subscriber);
          members.remove(subscriber);
          subscriber.finish();
        }
      }
    }
    retireIfUnused();
  }

  /**
   * Called by a catching-up subscriber that has read up to the log's head: makes it live when
   * nothing lies between its cursor and the live head, finishes it when the sealed log is done.
   */
  JoinOutcome joinLive(SubscriberCursor subscriber) {
    lock.lock();
    try {
      if (!subscriber.isCatchingUp()) return JoinOutcome.ENDED;
      long cursor = subscriber.lastSeq();
      if (sealed && cursor >= sealedSeq) {
        members.remove(subscriber);
        subscriber.finish();
        retireIfUnused();
        return JoinOutcome.FINISHED;
      }
      if (cursor < liveHead) return JoinOutcome.BEHIND;
      if (!subscriber.becomeLive()) return JoinOutcome.ENDED;
      live.get(subscriber.filter()).add(subscriber);
      return JoinOutcome.JOINED;
    } finally {
      lock.unlock();
    }
  }

  /** A subscription ended (cancelled or failed): forget it. */
  void remove(SubscriberCursor subscriber) {
    lock.lock();
    try {
      live.get(subscriber.filter()).remove(subscriber);
      members.remove(subscriber);
      retireIfUnused();
    } finally {
      lock.unlock();
    }
  }

  private void retireIfUnused() {
    if (retired || !members.isEmpty()) return;
    retired = true;
    dropPending();
    registration.remove();
    broadcaster.retired(this);
  }
}
