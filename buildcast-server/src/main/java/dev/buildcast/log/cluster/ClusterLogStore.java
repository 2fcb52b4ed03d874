package dev.buildcast.log.cluster;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.LinesThrough;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogMovedException;
import dev.buildcast.log.LogSegments;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.PendingLine;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@link LogStore}: a job this node runs is written to its spool (a local store with
 * the log's rules: seqs, limit, batching) and shipped ({@link LogShipper}); its handles show lines
 * (read, {@link JobLog#lastSeq}, text, listeners) only once the engine accepted them. A job this
 * node does not run opens as its {@link LogMirror}, filled by the node's {@link MirrorFeed}.
 *
 * <p>Readable when accepted: {@code append} returns the lines with their seqs at once, but a
 * reader sees them (and listeners hear them) when the engine accepted them; with an engine that
 * answers on the appending thread that is before {@code append} returns.
 *
 * <p>Locking: {@code this} guards the maps and handle counts. Per job, the shared state
 * ({@link Owned}) is told by its shipper, one call at a time.
 */
public final class ClusterLogStore implements LogStore, MirrorCache.Logs, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterLogStore.class);

  /** Whether this node runs a job, and where the engine's stream of it stands. */
  @FunctionalInterface
  public interface Ownership {
    Optional<Claim> claimOf(String jobId);
  }

  /**
   * This node runs the job as {@code owner}; the engine holds its lines up to {@code
   * acceptedThrough} (the spool must hold them too), {@code lastMark} marks, and is {@code sealed}.
   */
  public record Claim(LogOwner owner, long acceptedThrough, long lastMark, boolean sealed) {}

  /**
   * The ownership of a node of a cluster: it runs a job when {@code runsHere} says so (its queue
   * claimed it), and then takes the job's stream over ({@link AcceptedLines#takeOver}), which
   * fences whoever wrote before (the submitting node, say).
   */
  public static Ownership runner(AcceptedLines engine, String nodeId, java.util.function.Predicate<String> runsHere) {
    return jobId -> {
      if (!runsHere.test(jobId)) return Optional.empty();
      AcceptedLines.Takeover taken = engine.takeOver(jobId, nodeId);
      return Optional.of(new Claim(taken.owner(), taken.lastSeq(), taken.lastMark(), taken.sealed()));
    };
  }

  /**
   * How this node writes to a job it does not run (the "queued" line of a job submitted here, the
   * last line of a job it cancels before it starts or finds abandoned): it takes the job over and
   * appends each line (or the seal) on its own, fenced like any append; the line reaches this
   * node's watchers through its mirror. With a writer, mirrors and spools must be the same
   * segments (the job's log files): a node that starts running a job it mirrored, or that runs a
   * job whose first lines another node wrote, fills its spool from the stream through a mirror
   * first, so the spool continues the stream's seqs; and a mirror opened here catches up with the
   * whole stream (its seal included) before it is handed out.
   */
  public record Writer(String nodeId, java.time.Clock clock) {
    public Writer {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /** How often a write of a node that does not run the job is tried while other nodes write too. */
  static final int DIRECT_WRITE_ATTEMPTS = 10;

  private final LogStore spools;
  private final LogSegments mirrors;
  private final AcceptedLines engine;
  private final MirrorFeed feed;
  private final Ownership ownership;
  private final Executor shipping;
  private final RetryTimer retries;
  private final Consumer<String> onFenced;
  private final Map<String, Owned> owned = new HashMap<>();
  private final Map<String, Mirrored> mirrored = new HashMap<>();
  /** When each job's log was last opened here, for the mirror cache (only with a {@link Writer}, whose clock it reads). */
  private final Map<String, java.time.Instant> lastOpened = new java.util.concurrent.ConcurrentHashMap<>();
  /** Null: a mirror refuses writes (the store serves one node's tests). */
  private final Writer writer;
  /** Where sealed logs go once their stream may be dropped; null: nothing is archived (tests of the live path). */
  private final LogArchive archive;

  /**
   * @param spools where this node's running jobs are written first (seqs are assigned there)
   * @param mirrors where mirrors of other nodes' jobs are kept
   * @param onFenced told the id of a job this node lost (the caller stops its generator)
   */
  public ClusterLogStore(LogStore spools, LogSegments mirrors, AcceptedLines engine, MirrorFeed feed,
      Ownership ownership, Executor shipping, RetryTimer retries, Consumer<String> onFenced) {
    this(spools, mirrors, engine, feed, ownership, shipping, retries, onFenced, null);
  }

  /**
   * A store whose mirrors also take this node's writes to jobs it does not run ({@link Writer});
   * {@code mirrors} must then be the segments {@code spools} keeps its logs in.
   */
  public ClusterLogStore(LogStore spools, LogSegments mirrors, AcceptedLines engine, MirrorFeed feed,
      Ownership ownership, Executor shipping, RetryTimer retries, Consumer<String> onFenced, Writer writer) {
    this(spools, mirrors, engine, feed, ownership, shipping, retries, onFenced, writer, null);
  }

  /**
   * A store with a {@link Writer} whose sealed logs may be archived ({@link LogArchiver}): a job
   * it opens with no sealed copy here, whose stream does not hold the seal (dropped after the
   * archive), is copied from {@code archive} into {@code mirrors} first and opens as a sealed
   * mirror; {@code archive} must restore into the same folders {@code mirrors} reads.
   */
  public ClusterLogStore(LogStore spools, LogSegments mirrors, AcceptedLines engine, MirrorFeed feed,
      Ownership ownership, Executor shipping, RetryTimer retries, Consumer<String> onFenced, Writer writer, LogArchive archive) {
    this.writer = writer;
    this.archive = archive;
    this.spools = Objects.requireNonNull(spools, "spools");
    this.mirrors = Objects.requireNonNull(mirrors, "mirrors");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    this.shipping = Objects.requireNonNull(shipping, "shipping");
    this.retries = Objects.requireNonNull(retries, "retries");
    this.onFenced = Objects.requireNonNull(onFenced, "onFenced");
  }

  @Override
  public synchronized JobLog open(String jobId) {
    if (writer != null) lastOpened.put(jobId, writer.clock().instant());
    Owned job = owned.get(jobId);
    if (job != null) return job.moved != null && writer != null ? job.movedHandle() : job.handle();
    Mirrored copy = mirrored.get(jobId);
    if (copy != null) return copy.handle();
    Optional<Claim> claim = ownership.claimOf(jobId);
    if (claim.isPresent()) {
      if (writer != null) fillSpool(jobId, claim.get());
      job = new Owned(jobId, claim.get());
      owned.put(jobId, job);
      job.start();
      return job.handle();
    }
    LogMirror mirror = openMirror(jobId);
    if (writer != null) {
      try {
        catchUpToEnd(mirror);
        if (!mirror.isSealed() && isArchived(mirror)) mirror = fromArchive(mirror);
      } catch (RuntimeException e) {
        mirror.close();
        throw e;
      }
    }
    copy = new Mirrored(mirror);
    mirrored.put(jobId, copy);
    feed.watch(copy.mirror);
    return copy.handle();
  }

  /**
   * Lines this node's running jobs published and the engine has not accepted yet, summed over
   * their shippers (the shipping-lag metric). A fenced shipper's lines are never accepted, so they
   * are not lag: they are left out.
   */
  public long shippingLagLines() {
    List<LogShipper> shippers = new ArrayList<>();
    synchronized (this) {
      for (Owned job : owned.values()) if (job.shipper != null) shippers.add(job.shipper);
    }
    // why outside the lock: a shipper's lock is taken under no other, and this one must not join them
    long lag = 0;
    for (LogShipper shipper : shippers) if (!shipper.isFenced()) lag += shipper.lagLines();
    return lag;
  }

  @Override
  public Optional<java.time.Instant> lastOpened(String jobId) {
    return Optional.ofNullable(lastOpened.get(jobId));
  }

  /**
   * Deletes this node's copy of a job's log for the {@link MirrorCache}: only a sealed one that no
   * handle holds here (nobody watches or reads it, and this node does not run the job). The
   * caller has checked that the archive holds it; the next open restores it from there.
   */
  @Override
  public synchronized boolean evict(String jobId) {
    if (owned.containsKey(jobId) || mirrored.containsKey(jobId)) return false;
    if (mirrors.sealedExtent(jobId).isEmpty()) return false;
    mirrors.delete(jobId);
    lastOpened.remove(jobId);
    return true;
  }

  @Override
  public synchronized void delete(String jobId) {
    lastOpened.remove(jobId);
    Owned job = owned.remove(jobId);
    if (job != null) job.release();
    Mirrored copy = mirrored.remove(jobId);
    if (copy != null) copy.release();
    spools.delete(jobId);
    mirrors.delete(jobId);
    engine.delete(jobId);
  }

  /**
   * The jobs whose log this node holds open, run here or mirrored, while any handle is open (for
   * monitoring, and for tests that check a reader leaves nothing followed behind).
   */
  public synchronized Set<String> heldLogs() {
    Set<String> held = new TreeSet<>(owned.keySet());
    held.addAll(mirrored.keySet());
    return held;
  }

  @Override
  public synchronized void close() {
    for (Owned job : new ArrayList<>(owned.values())) job.release();
    for (Mirrored copy : new ArrayList<>(mirrored.values())) copy.release();
    owned.clear();
    mirrored.clear();
  }

  /**
   * Whether the job of an unsealed copy has an archived log. why a failure counts as no only for a
   * copy holding lines: the job may well be live (its stream gave them), and a live log must not
   * depend on object storage; an empty copy has nothing to serve, so the failure is the answer.
   */
  private boolean isArchived(LogMirror copy) {
    if (archive == null) return false;
    try {
      return archive.isArchived(copy.jobId());
    } catch (RuntimeException e) {
      if (copy.lastSeq() == 0) throw e;
      LOG.warn("{} - could not ask the archive for the log ({}); serving the {} line(s) the stream gave", copy.jobId(), e.toString(),
          copy.lastSeq());
      return false;
    }
  }

  /**
   * The job's archived log in place of {@code partial}, this node's unsealed copy (empty, or cut
   * short where the stream was dropped while it was read, or a fenced runner's spool): the archive
   * is the whole accepted log, so it replaces the copy rather than continuing it.
   */
  private LogMirror fromArchive(LogMirror partial) {
    String jobId = partial.jobId();
    partial.close();
    // why open either way: a restore that finds nothing (the job deleted meanwhile) leaves the copy as it was
    archive.restore(jobId);
    return LogMirror.open(jobId, mirrors);
  }

  /**
   * Brings the job's log files up to the stream's accepted lines before this node's spool opens
   * them (a mirror over the same files), so the spool's next seq continues the stream.
   */
  private void fillSpool(String jobId, Claim claim) {
    LogMirror fill = LogMirror.open(jobId, mirrors);
    try {
      catchUp(fill, claim.acceptedThrough());
    } finally {
      fill.close();
    }
  }

  /**
   * This node's copy of a job it does not run, made a prefix of the stream first. The copy in the
   * job's folder may be the spool of a run this node lost (it was killed, or fenced): lines spooled
   * but never accepted, or a seal never accepted, which no one may be shown. Such a copy is deleted
   * and the mirror starts empty, for the stream to fill.
   */
  private LogMirror openMirror(String jobId) {
    LogMirror mirror = LogMirror.open(jobId, mirrors);
    if (mirror.lastSeq() == 0 || isPrefixOfTheStream(mirror)) return mirror;
    LOG.warn("{} - this node's copy of the log goes on after line {} differently from the cluster's (a run this node lost);"
        + " copying the log from the cluster again", jobId, mirror.lastSeq());
    mirror.close();
    mirrors.delete(jobId);
    return LogMirror.open(jobId, mirrors);
  }

  /**
   * Whether the copy's last line is the stream's line of that seq, and a sealed copy's seal is the
   * stream's. Why the last line decides: the lines up to the last accepted one are the stream's own,
   * and a line spooled after it differs from the line the node that took the job over wrote at that
   * seq (another text, level or time). A job with no stream (gone with its job, or never written)
   * has nothing to check against, and its copy is kept.
   */
  private boolean isPrefixOfTheStream(LogMirror mirror) {
    String jobId = mirror.jobId();
    long last = mirror.lastSeq();
    List<StreamEntry> from = engine.read(jobId, StreamPosition.afterLine(last - 1), 1);
    if (from.isEmpty()) return engine.read(jobId, StreamPosition.afterLine(0), 1).isEmpty();
    LogLine held = mirror.read(last - 1, LogFilter.ALL, 1).getFirst();
    boolean same = from.getFirst() instanceof StreamEntry.Lines lines && lines.lines().contains(held);
    if (!same || !mirror.isSealed()) return same;
    // other marks may come first at the same seq; a line after the copy's end means the copy sealed too early
    for (StreamEntry entry : engine.read(jobId, StreamPosition.afterLine(last), 16)) {
      if (entry instanceof StreamEntry.Mark mark && mark.mark().isSeal()) return true;
      if (entry instanceof StreamEntry.Lines) return false;
    }
    return false;
  }

  /** Replicates the stream's lines into {@code mirror} up to {@code through}. */
  private void catchUp(LogMirror mirror, long through) {
    while (mirror.lastSeq() < through && !mirror.isSealed()) {
      List<StreamEntry> entries = engine.read(mirror.jobId(), StreamPosition.afterLine(mirror.lastSeq()), 100);
      if (entries.isEmpty()) {
        throw new IllegalStateException("the stream of job " + mirror.jobId() + " ends before seq " + through + ", which it accepted");
      }
      for (StreamEntry entry : entries) {
        if (entry instanceof StreamEntry.Lines lines) mirror.replicate(lines.lines());
      }
    }
  }

  /**
   * Replicates into {@code mirror} everything the stream holds now, its seal included. why: a
   * reader on a node that had no mirror of the job yet (a download of a finished job's log, a late
   * joiner) would otherwise get whatever the feed happened to have copied so far.
   */
  private void catchUpToEnd(LogMirror mirror) {
    while (!mirror.isSealed()) {
      boolean progressed = false;
      for (StreamEntry entry : engine.read(mirror.jobId(), StreamPosition.afterLine(mirror.lastSeq()), 100)) {
        if (entry instanceof StreamEntry.Lines lines) {
          if (!mirror.replicate(lines.lines()).isEmpty()) progressed = true;
        } else if (entry instanceof StreamEntry.Mark mark && mark.mark().isSeal()) {
          mirror.seal();
          return;
        }
      }
      if (!progressed) return;
    }
  }

  /**
   * A write through a mirror's handle: when this node now runs the job, the mirror becomes its
   * spool ({@link #promote}) and the write goes there; otherwise one fenced append of its own.
   */
  private List<LogLine> writeThroughMirror(Mirrored copy, LogLevel level, String text) {
    if (writer == null) return copy.mirror.append(level, text); // refused: only the owner gives seqs
    Owned job = runningHere(copy);
    if (job != null) return job.spool.append(level, text);
    return writeDirect(copy.mirror.jobId(), level, text);
  }

  private void sealThroughMirror(Mirrored copy) {
    if (writer == null) return; // why: the owner seals; a mirror is sealed by the seal in the stream
    Owned job = runningHere(copy);
    if (job != null) {
      job.spool.seal();
      return;
    }
    sealDirect(copy.mirror.jobId());
  }

  /** The job as this node's own when it runs it now (promoting its mirror); null when it does not. */
  private synchronized Owned runningHere(Mirrored copy) {
    if (copy.promoted != null) return copy.promoted;
    String jobId = copy.mirror.jobId();
    Optional<Claim> claim = ownership.claimOf(jobId);
    if (claim.isEmpty()) return null;
    promote(copy, claim.get());
    return copy.promoted;
  }

  /**
   * Turns this node's mirror of a job it now runs into its owned log: the mirror stops following
   * the stream, catches up to what the stream accepted, and closes; the spool opens the same files
   * and goes on from there; the mirror's handles and listeners move to the owned log.
   */
  private void promote(Mirrored copy, Claim claim) {
    String jobId = copy.mirror.jobId();
    feed.unwatch(jobId);
    catchUp(copy.mirror, claim.acceptedThrough());
    copy.mirror.close();
    mirrored.remove(jobId, copy);
    Owned job = new Owned(jobId, claim);
    job.handles = copy.handles;
    job.listeners.addAll(copy.listeners);
    owned.put(jobId, job);
    copy.promoted = job;
    job.start();
  }

  private List<LogLine> writeDirect(String jobId, LogLevel level, String text) {
    for (int attempt = 0; attempt < DIRECT_WRITE_ATTEMPTS; attempt++) {
      AcceptedLines.Takeover taken = engine.takeOver(jobId, writer.nodeId());
      if (taken.sealed()) throw new IllegalStateException("the log of job " + jobId + " is sealed");
      LogLine line = new LogLine(taken.lastSeq() + 1, writer.clock().millis(), level, text);
      if (engine.append(jobId, taken.owner(), taken.lastSeq(), List.of(line)).isStored()) return List.of(line);
    }
    throw new IllegalStateException("could not write to the log of job " + jobId + ": other nodes kept taking it over");
  }

  private void sealDirect(String jobId) {
    for (int attempt = 0; attempt < DIRECT_WRITE_ATTEMPTS; attempt++) {
      AcceptedLines.Takeover taken = engine.takeOver(jobId, writer.nodeId());
      if (taken.sealed()) return;
      if (engine.mark(jobId, taken.owner(), taken.lastSeq(), taken.lastMark() + 1, LogMark.seal()).isStored()) return;
    }
    throw new IllegalStateException("could not seal the log of job " + jobId + ": other nodes kept taking it over");
  }

  private synchronized void handleClosed(String jobId, Object job) {
    if (owned.get(jobId) == job && --((Owned) job).handles == 0) owned.remove(jobId).release();
    if (mirrored.get(jobId) == job && --((Mirrored) job).handles == 0) mirrored.remove(jobId).release();
  }

  /** A job this node runs: its spool, its shipper, and what was accepted. */
  private final class Owned implements ShippingListener {
    final String jobId;
    final JobLog spool;
    final LogShipper shipper;
    final List<JobLogListener> listeners = new CopyOnWriteArrayList<>();
    volatile long visibleThrough;
    volatile long visibleBytes;
    volatile boolean sealed;
    /** Set when another node took the job over: listeners, present and later, hear it as {@code failed}. */
    volatile LogMovedException moved;
    int handles;

    Owned(String jobId, Claim claim) {
      this.jobId = jobId;
      this.spool = spools.open(jobId);
      this.visibleThrough = Math.min(claim.acceptedThrough(), spool.lastSeq());
      this.visibleBytes = bytesThrough(visibleThrough);
      this.sealed = claim.sealed();
      this.shipper = claim.sealed() ? null : new LogShipper(jobId, claim.owner(), engine, spool,
          claim.acceptedThrough(), claim.lastMark(), shipping, retries, this);
    }

    void start() {
      if (shipper != null) shipper.start();
    }

    /**
     * The text bytes of the spool's lines up to {@code seq}, read a bounded number of bytes at a
     * time. why: read 1,000 lines at a time, a spool of long lines held up to 64 MB per read.
     */
    private long bytesThrough(long seq) {
      long bytes = 0;
      long after = 0;
      while (after < seq) {
        List<LogLine> read = spool.readThrough(after, seq, LogFilter.ALL, JobLog.READ_CHUNK_BYTES).lines();
        if (read.isEmpty()) break;
        for (LogLine line : read) {
          bytes += PendingLine.byteCount(line.text());
          after = line.seq();
        }
      }
      return bytes;
    }

    JobLog handle() {
      handles++;
      return new OwnedHandle(this, false);
    }

    /**
     * A handle opened after another node took the job over (this node's late "failed" line, say):
     * its writes go to the stream as one fenced append each, never to the spool the shipper no
     * longer ships; it reads as the owned log.
     */
    JobLog movedHandle() {
      handles++;
      return new OwnedHandle(this, true);
    }

    @Override
    public void accepted(List<LogLine> lines) {
      long bytes = 0;
      for (LogLine line : lines) bytes += PendingLine.byteCount(line.text());
      // why before telling: a listener registering meanwhile counts it through lastSeq, and the
      // broadcaster ignores a line it has counted
      visibleBytes += bytes;
      visibleThrough = lines.get(lines.size() - 1).seq();
      for (JobLogListener listener : listeners) {
        try {
          listener.appended(lines);
        } catch (RuntimeException e) {
          LOG.error("{} - a listener of the log failed", jobId, e);
        }
      }
    }

    @Override
    public void marked(LogMark mark) {
      if (!mark.isSeal()) return;
      sealed = true;
      for (JobLogListener listener : listeners) {
        try {
          listener.sealed(visibleThrough);
        } catch (RuntimeException e) {
          LOG.error("{} - a listener of the log failed", jobId, e);
        }
      }
      listeners.clear();
    }

    /**
     * Another node took the job over: what this node spooled after {@code visibleThrough} is never
     * shown, and its watchers are told to follow the job elsewhere (the line and the seal the other
     * node writes go to the stream, which this node's owned log does not follow).
     */
    @Override
    public void fenced(long engineLastSeq) {
      LogMovedException now = new LogMovedException(jobId, visibleThrough);
      moved = now;
      for (JobLogListener listener : listeners) {
        // why remove first: one added meanwhile may be told by addListener; whoever removes it tells it
        if (!listeners.remove(listener)) continue;
        try {
          listener.failed(now);
        } catch (RuntimeException e) {
          LOG.error("{} - a listener of the log failed", jobId, e);
        }
      }
      onFenced.accept(jobId);
    }

    void release() {
      if (shipper != null) shipper.close();
      spool.close();
    }
  }

  /** A handle on a job this node runs: writes to the spool, shows what was accepted. */
  private final class OwnedHandle implements JobLog {
    private final Owned job;
    /** Writes go to the stream directly (see {@link Owned#movedHandle}). */
    private final boolean direct;
    private volatile boolean closed;

    OwnedHandle(Owned job, boolean direct) {
      this.job = job;
      this.direct = direct;
    }

    @Override
    public String jobId() {
      return job.jobId;
    }

    @Override
    public List<LogLine> append(LogLevel level, String text) {
      if (closed) throw new IllegalStateException("this handle on the log of job " + job.jobId + " is closed");
      return direct ? writeDirect(job.jobId, level, text) : job.spool.append(level, text);
    }

    @Override
    public void batch(Runnable appends) {
      if (direct) appends.run();
      else job.spool.batch(appends);
    }

    @Override
    public long lastSeq() {
      return job.visibleThrough;
    }

    @Override
    public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
      long visible = job.visibleThrough;
      return job.spool.read(afterSeq, filter, maxLines).stream().filter(line -> line.seq() <= visible).toList();
    }

    @Override
    public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
      return job.spool.readThrough(afterSeq, Math.min(throughSeq, job.visibleThrough), filter, maxBytes);
    }

    @Override
    public InputStream openText() {
      return new FirstBytes(job.spool.openText(), job.visibleBytes);
    }

    @Override
    public long textBytes() {
      return job.visibleBytes;
    }

    @Override
    public ListenerRegistration addListener(JobLogListener listener) {
      if (job.sealed) return () -> {};
      job.listeners.add(listener);
      // why after the add: a fence under way either tells this listener or is seen here; told once either way
      LogMovedException moved = job.moved;
      if (moved != null && job.listeners.remove(listener)) listener.failed(moved);
      return () -> job.listeners.remove(listener);
    }

    @Override
    public void seal() {
      if (closed) throw new IllegalStateException("this handle on the log of job " + job.jobId + " is closed");
      if (direct) sealDirect(job.jobId);
      else job.spool.seal();
    }

    @Override
    public boolean isSealed() {
      return job.sealed;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      handleClosed(job.jobId, job);
    }
  }

  /** A job another node runs: this node's mirror of it (until this node runs it: {@link #promote}). */
  private final class Mirrored {
    final LogMirror mirror;
    /** Listeners added through this mirror's handles, moved to the owned log on promotion. */
    final List<JobLogListener> listeners = new CopyOnWriteArrayList<>();
    int handles;
    /** The owned log this mirror became; set once, under the store's lock. */
    volatile Owned promoted;

    Mirrored(LogMirror mirror) {
      this.mirror = mirror;
    }

    JobLog handle() {
      handles++;
      Mirrored self = this;
      return new JobLog() {
        private volatile boolean closed;
        /** This handle as a handle on the owned log, once promoted. */
        private volatile OwnedHandle owner;

        private OwnedHandle owner() {
          Owned job = promoted;
          if (job == null) return null;
          if (owner == null) owner = new OwnedHandle(job, false);
          return owner;
        }

        @Override
        public String jobId() {
          return mirror.jobId();
        }

        @Override
        public List<LogLine> append(LogLevel level, String text) {
          OwnedHandle to = owner();
          if (to != null) return to.append(level, text);
          if (closed) throw new IllegalStateException("this handle on the log of job " + mirror.jobId() + " is closed");
          return writeThroughMirror(self, level, text);
        }

        @Override
        public void batch(Runnable appends) {
          OwnedHandle to = owner();
          if (to != null) to.batch(appends);
          else appends.run();
        }

        @Override
        public long lastSeq() {
          OwnedHandle to = owner();
          return to != null ? to.lastSeq() : mirror.lastSeq();
        }

        @Override
        public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
          OwnedHandle to = owner();
          return to != null ? to.read(afterSeq, filter, maxLines) : mirror.read(afterSeq, filter, maxLines);
        }

        @Override
        public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
          OwnedHandle to = owner();
          return to != null ? to.readThrough(afterSeq, throughSeq, filter, maxBytes) : mirror.readThrough(afterSeq, throughSeq, filter, maxBytes);
        }

        @Override
        public InputStream openText() {
          OwnedHandle to = owner();
          return to != null ? to.openText() : mirror.openText();
        }

        @Override
        public long textBytes() {
          OwnedHandle to = owner();
          return to != null ? to.textBytes() : mirror.textBytes();
        }

        @Override
        public ListenerRegistration addListener(JobLogListener listener) {
          OwnedHandle to = owner();
          if (to != null) return to.addListener(listener);
          synchronized (ClusterLogStore.this) {
            if (promoted != null) return addListener(listener);
            ListenerRegistration registration = mirror.addListener(listener);
            listeners.add(listener);
            return () -> {
              registration.remove();
              listeners.remove(listener);
              Owned job = promoted;
              if (job != null) job.listeners.remove(listener);
            };
          }
        }

        /** The owner seals; a mirror is sealed by the seal in the stream, or by this node's own seal of a job it ends. */
        @Override
        public void seal() {
          OwnedHandle to = owner();
          if (to != null) to.seal();
          else sealThroughMirror(self);
        }

        @Override
        public boolean isSealed() {
          OwnedHandle to = owner();
          return to != null ? to.isSealed() : mirror.isSealed();
        }

        @Override
        public void close() {
          if (closed) return;
          closed = true;
          OwnedHandle to = owner();
          if (to != null) to.close();
          else handleClosed(mirror.jobId(), self);
        }
      };
    }

    void release() {
      feed.unwatch(mirror.jobId());
      mirror.close();
    }
  }

  /** The first {@code limit} bytes of a stream: the accepted part of a spool's text. */
  private static final class FirstBytes extends FilterInputStream {
    private long left;

    FirstBytes(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = super.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) return -1;
      int n = super.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) left -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, left));
      left -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), left);
    }
  }
}
