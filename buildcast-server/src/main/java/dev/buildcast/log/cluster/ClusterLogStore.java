package dev.buildcast.log.cluster;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
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
public final class ClusterLogStore implements LogStore, AutoCloseable {

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

  /**
   * @param spools where this node's running jobs are written first (seqs are assigned there)
   * @param mirrors where mirrors of other nodes' jobs are kept
   * @param onFenced told the id of a job this node lost (the caller stops its generator)
   */
  public ClusterLogStore(LogStore spools, LogSegments mirrors, AcceptedLines engine, MirrorFeed feed,
      Ownership ownership, Executor shipping, RetryTimer retries, Consumer<String> onFenced) {
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
    Owned job = owned.get(jobId);
    if (job != null) return job.handle();
    Mirrored copy = mirrored.get(jobId);
    if (copy != null) return copy.handle();
    Optional<Claim> claim = ownership.claimOf(jobId);
    if (claim.isPresent()) {
      job = new Owned(jobId, claim.get());
      owned.put(jobId, job);
      job.start();
      return job.handle();
    }
    copy = new Mirrored(LogMirror.open(jobId, mirrors));
    mirrored.put(jobId, copy);
    feed.watch(copy.mirror);
    return copy.handle();
  }

  @Override
  public synchronized void delete(String jobId) {
    Owned job = owned.remove(jobId);
    if (job != null) job.release();
    Mirrored copy = mirrored.remove(jobId);
    if (copy != null) copy.release();
    spools.delete(jobId);
    mirrors.delete(jobId);
    engine.delete(jobId);
  }

  @Override
  public synchronized void close() {
    for (Owned job : new ArrayList<>(owned.values())) job.release();
    for (Mirrored copy : new ArrayList<>(mirrored.values())) copy.release();
    owned.clear();
    mirrored.clear();
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

    private long bytesThrough(long seq) {
      long bytes = 0;
      long after = 0;
      while (after < seq) {
        List<LogLine> read = spool.read(after, LogFilter.ALL, 1000);
        if (read.isEmpty()) break;
        for (LogLine line : read) {
          if (line.seq() > seq) return bytes;
          bytes += PendingLine.bytes(line.text()).length;
          after = line.seq();
        }
      }
      return bytes;
    }

    JobLog handle() {
      handles++;
      return new OwnedHandle(this);
    }

    @Override
    public void accepted(List<LogLine> lines) {
      long bytes = 0;
      for (LogLine line : lines) bytes += PendingLine.bytes(line.text()).length;
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

    @Override
    public void fenced(long engineLastSeq) {
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
    private volatile boolean closed;

    OwnedHandle(Owned job) {
      this.job = job;
    }

    @Override
    public String jobId() {
      return job.jobId;
    }

    @Override
    public List<LogLine> append(LogLevel level, String text) {
      if (closed) throw new IllegalStateException("this handle on the log of job " + job.jobId + " is closed");
      return job.spool.append(level, text);
    }

    @Override
    public void batch(Runnable appends) {
      job.spool.batch(appends);
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
      return () -> job.listeners.remove(listener);
    }

    @Override
    public void seal() {
      if (closed) throw new IllegalStateException("this handle on the log of job " + job.jobId + " is closed");
      job.spool.seal();
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

  /** A job another node runs: this node's mirror of it. */
  private final class Mirrored {
    final LogMirror mirror;
    int handles;

    Mirrored(LogMirror mirror) {
      this.mirror = mirror;
    }

    JobLog handle() {
      handles++;
      Mirrored self = this;
      return new JobLog() {
        private volatile boolean closed;

        @Override
        public String jobId() {
          return mirror.jobId();
        }

        @Override
        public List<LogLine> append(LogLevel level, String text) {
          return mirror.append(level, text);
        }

        @Override
        public long lastSeq() {
          return mirror.lastSeq();
        }

        @Override
        public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
          return mirror.read(afterSeq, filter, maxLines);
        }

        @Override
        public InputStream openText() {
          return mirror.openText();
        }

        @Override
        public long textBytes() {
          return mirror.textBytes();
        }

        @Override
        public ListenerRegistration addListener(JobLogListener listener) {
          return mirror.addListener(listener);
        }

        /** The owner seals; a mirror is sealed by the seal in the stream. */
        @Override
        public void seal() {}

        @Override
        public boolean isSealed() {
          return mirror.isSealed();
        }

        @Override
        public void close() {
          if (closed) return;
          closed = true;
          handleClosed(mirror.jobId(), self);
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
