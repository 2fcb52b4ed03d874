package dev.buildcast.log.cluster;

import dev.buildcast.log.LogLine;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a job's stream of accepted lines: a batch of lines, or a mark between them; or, from
 * {@link AcceptedLines#awaitEntries}, an entry that could not be read ({@link Damaged}).
 */
public sealed interface StreamEntry {

  /** Where the entry sits; entries are read in this order. */
  StreamPosition position();

  /**
   * Lines accepted together, contiguous, at {@code (last seq, 0)}.
   *
   * @param lines at least one, seqs contiguous
   */
  record Lines(List<LogLine> lines) implements StreamEntry {

    public Lines {
      lines = List.copyOf(lines);
      AcceptedLines.requireContiguous(lines);
    }

    public long firstSeq() {
      return lines.get(0).seq();
    }

    public long lastSeq() {
      return lines.get(lines.size() - 1).seq();
    }

    @Override
    public StreamPosition position() {
      return StreamPosition.afterLine(lastSeq());
    }

    /** The lines after {@code seq}: a reader resuming inside this entry skips what it has. */
    public List<LogLine> after(long seq) {
      if (seq < firstSeq()) return lines;
      if (seq >= lastSeq()) return List.of();
      return lines.subList((int) (seq - firstSeq() + 1), lines.size());
    }
  }

  /**
   * A status event or the seal, after the line {@code position.seq()}.
   *
   * @param position {@code (seq of the line before it, the mark's number)}; the number is at least 1
   */
  record Mark(StreamPosition position, LogMark mark) implements StreamEntry {

    public Mark {
      Objects.requireNonNull(mark, "mark");
      if (position.index() < 1) throw new IllegalArgumentException("a mark's number starts at 1: " + position);
    }
  }

  /**
   * An entry of the stream that cannot be read (its checksum is wrong, a field is missing or
   * unparsable): nothing of it can be trusted, and nothing after it can be taken without it.
   *
   * @param position where the last readable entry before it sits (what the reader asked to read after)
   * @param problem which entry and what is wrong with it, for the watchers and the log
   */
  record Damaged(StreamPosition position, String problem) implements StreamEntry {

    public Damaged {
      Objects.requireNonNull(position, "position");
      Objects.requireNonNull(problem, "problem");
    }
  }
}
