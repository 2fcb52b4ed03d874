package dev.buildcast.testing;

import dev.buildcast.log.HeldBackLines;
import dev.buildcast.log.JobLogSegments;
import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSegmentReader;
import dev.buildcast.log.LogSegments;
import dev.buildcast.log.PendingLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Keeps every job's log in memory: the adapter of {@link LogSegments} for tests, run through the
 * same contract as the file adapter. What it holds outlives the segments opened on it (a new
 * store over the same instance is a restart); nothing survives the JVM.
 *
 * <p>Locking: each job's {@link Stored} guards itself; readers copy under it.
 */
public final class MemoryLogSegments implements LogSegments {

  private final Map<String, Stored> logs = new ConcurrentHashMap<>();

  /** One job's log. */
  private static final class Stored {
    final List<LogLine> lines = new ArrayList<>();
    final List<byte[]> bytes = new ArrayList<>();
    /** Extent after each stored line, so a reader up to any extent knows where to stop. */
    LogExtent extent = LogExtent.EMPTY;
    LogExtent sealedAt;
    MemoryHeldBack heldBack;
  }

  private Stored stored(String jobId) {
    return logs.computeIfAbsent(jobId, id -> new Stored());
  }

  @Override
  public Optional<LogExtent> sealedExtent(String jobId) {
    Stored log = logs.get(jobId);
    if (log == null) return Optional.empty();
    synchronized (log) {
      return Optional.ofNullable(log.sealedAt);
    }
  }

  @Override
  public LogSegmentReader reader(String jobId) {
    return new Reader(stored(jobId));
  }

  @Override
  public JobLogSegments openForAppend(String jobId) {
    return new Appending(stored(jobId));
  }

  @Override
  public void delete(String jobId) {
    logs.remove(jobId);
  }

  private record Reader(Stored log) implements LogSegmentReader {

    @Override
    public List<LogLine> read(LogExtent upTo, long afterSeq, LogFilter filter, int maxLines) {
      List<LogLine> found = new ArrayList<>();
      synchronized (log) {
        long last = Math.min(upTo.lines(), log.lines.size());
        for (long seq = Math.max(0, afterSeq) + 1; seq <= last && found.size() < maxLines; seq++) {
          LogLine line = log.lines.get((int) (seq - 1));
          if (filter.accepts(line)) found.add(line);
        }
      }
      return found;
    }

    @Override
    public InputStream openText(LogExtent upTo) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      synchronized (log) {
        for (int i = 0; i < log.bytes.size() && text.size() < upTo.textBytes(); i++) text.writeBytes(log.bytes.get(i));
      }
      byte[] all = text.toByteArray();
      return new ByteArrayInputStream(all, 0, (int) Math.min(all.length, upTo.textBytes()));
    }
  }

  private static final class Appending implements JobLogSegments {
    private final Stored log;
    private final Reader reader;
    private volatile LogExtent extent;
    private volatile boolean closed;

    Appending(Stored log) {
      this.log = log;
      this.reader = new Reader(log);
      synchronized (log) {
        this.extent = log.extent;
      }
    }

    @Override
    public LogExtent extent() {
      return extent;
    }

    @Override
    public LogSegmentReader reader() {
      return reader;
    }

    private void open() {
      if (closed) throw new IllegalStateException("these segments are closed");
    }

    @Override
    public void append(List<LogLine> lines, List<byte[]> bytes) {
      open();
      if (lines.isEmpty()) return;
      LogExtent at = extent;
      if (lines.get(0).seq() != at.lines() + 1) {
        throw new IllegalArgumentException("line " + lines.get(0).seq() + " does not follow " + at.lines());
      }
      long basic = at.basicLines();
      long text = at.textBytes();
      synchronized (log) {
        for (int i = 0; i < lines.size(); i++) {
          LogLine line = lines.get(i);
          if (line.seq() != at.lines() + i + 1) throw new IllegalArgumentException("seqs not contiguous at " + line.seq());
          log.lines.add(line);
          log.bytes.add(bytes.get(i).clone());
          if (line.level().isBasic()) basic++;
          text += bytes.get(i).length;
        }
        log.extent = new LogExtent(at.lines() + lines.size(), basic, text);
        extent = log.extent;
      }
    }

    @Override
    public void truncate(LogExtent to) {
      open();
      synchronized (log) {
        if (to.lines() > log.lines.size()) throw new IllegalArgumentException("cannot truncate forward to " + to);
        log.lines.subList((int) to.lines(), log.lines.size()).clear();
        log.bytes.subList((int) to.lines(), log.bytes.size()).clear();
        log.extent = to;
        extent = to;
      }
    }

    @Override
    public boolean wasSealed() {
      return false;
    }

    @Override
    public Optional<HeldBackLines> heldBack() {
      synchronized (log) {
        return Optional.ofNullable(log.heldBack);
      }
    }

    @Override
    public HeldBackLines startHoldingBack(long tailBytes, LogExtent head) {
      open();
      MemoryHeldBack held = new MemoryHeldBack(log, tailBytes, head);
      synchronized (log) {
        log.heldBack = held;
      }
      return held;
    }

    @Override
    public void force() {}

    @Override
    public void seal(boolean durable) {
      open();
      synchronized (log) {
        log.sealedAt = log.extent;
      }
      closed = true;
    }

    @Override
    public void close(boolean durable) {
      closed = true;
    }
  }

  /**
   * Held-back lines in memory: drops the oldest while what stays is still at least {@code
   * tailBytes}, so it keeps the fewest lines the contract allows.
   */
  private static final class MemoryHeldBack implements HeldBackLines {
    private final Stored log;
    private final long tailBytes;
    private final LogExtent head;
    private final Deque<PendingLine> kept = new ArrayDeque<>();
    private final Deque<Long> keptSizes = new ArrayDeque<>();
    private long keptBytes;
    private long totalLines;
    private long totalBytes;

    MemoryHeldBack(Stored log, long tailBytes, LogExtent head) {
      this.log = log;
      this.tailBytes = tailBytes;
      this.head = head;
    }

    @Override
    public LogExtent head() {
      return head;
    }

    @Override
    public long tailBytes() {
      return tailBytes;
    }

    @Override
    public synchronized long totalLines() {
      return totalLines;
    }

    @Override
    public synchronized long totalBytes() {
      return totalBytes;
    }

    @Override
    public synchronized long keptLines() {
      return kept.size();
    }

    @Override
    public synchronized long keptBytes() {
      return keptBytes;
    }

    @Override
    public synchronized void add(List<PendingLine> lines) {
      for (PendingLine line : lines) {
        long size = line.bytes().length;
        kept.addLast(line);
        keptSizes.addLast(size);
        keptBytes += size;
        totalLines++;
        totalBytes += size;
        while (kept.size() > 1 && keptBytes - keptSizes.peekFirst() >= tailBytes) {
          kept.removeFirst();
          keptBytes -= keptSizes.removeFirst();
        }
      }
    }

    @Override
    public synchronized void forEachKeptSize(LongConsumer storedBytes) {
      keptSizes.forEach(storedBytes::accept);
    }

    @Override
    public synchronized void forEachKept(long skip, int batchLines, Consumer<List<PendingLine>> batches) {
      List<PendingLine> batch = new ArrayList<>();
      Iterator<PendingLine> lines = kept.iterator();
      for (long i = 0; lines.hasNext(); i++) {
        PendingLine line = lines.next();
        if (i < skip) continue;
        batch.add(line);
        if (batch.size() >= batchLines) {
          batches.accept(List.copyOf(batch));
          batch.clear();
        }
      }
      if (!batch.isEmpty()) batches.accept(List.copyOf(batch));
    }

    @Override
    public void force() {}

    @Override
    public void close() {}

    @Override
    public void delete() {
      synchronized (log) {
        if (log.heldBack == this) log.heldBack = null;
      }
    }
  }
}
