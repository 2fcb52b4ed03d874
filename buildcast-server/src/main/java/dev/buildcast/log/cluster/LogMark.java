package dev.buildcast.log.cluster;

import java.util.Objects;

/**
 * Something a job's stream carries between its lines, in the same order: a status event, or the
 * seal after the last line. After the seal, an engine refuses every append ({@link
 * AppendResult.Outcome#FENCED}).
 *
 * @param kind status or seal
 * @param payload the status event as its owner encoded it; empty for the seal
 */
public record LogMark(Kind kind, String payload) {

  /** What a mark says. */
  public enum Kind {
    STATUS,
    SEAL
  }

  public LogMark {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
    if (kind == Kind.SEAL && !payload.isEmpty()) throw new IllegalArgumentException("the seal carries no payload");
  }

  public static LogMark status(String payload) {
    return new LogMark(Kind.STATUS, payload);
  }

  public static LogMark seal() {
    return new LogMark(Kind.SEAL, "");
  }

  public boolean isSeal() {
    return kind == Kind.SEAL;
  }
}
