package dev.buildcast.http;

import dev.buildcast.log.LogLine;
import dev.buildcast.protocol.Json;
import dev.buildcast.protocol.LogLinePayload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Log lines as newline-delimited JSON: one {@code {seq,ts,level,text}} object per line. */
final class NdjsonLines {

  static final String CONTENT_TYPE = "application/x-ndjson; charset=utf-8";

  private NdjsonLines() {}

  static byte[] encode(List<LogLine> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 96);
    try {
      for (LogLine line : lines) {
        out.write(Json.MAPPER.writeValueAsBytes(LogLinePayload.of(line)));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a log line failed", e);
    }
    return out.toByteArray();
  }
}
