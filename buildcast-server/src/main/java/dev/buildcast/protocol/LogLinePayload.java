package dev.buildcast.protocol;

import dev.buildcast.log.LogLine;

/** One log line on the wire: {@code {seq, ts, level, text}}, as in docs/protocol.md. */
public record LogLinePayload(long seq, long ts, String level, String text) {

  public static LogLinePayload of(LogLine line) {
    return new LogLinePayload(line.seq(), line.timestampMillis(), line.level().wireName(), line.text());
  }
}
