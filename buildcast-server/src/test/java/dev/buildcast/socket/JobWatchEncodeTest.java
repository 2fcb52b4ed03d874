package dev.buildcast.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.protocol.LogLinePayload;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.Namespace;
import dev.buildcast.socketio.SocketIoConfig;
import dev.buildcast.socketio.SocketIoServer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The wire form of a log batch, as docs/protocol.md gives it, for both watcher formats. */
class JobWatchEncodeTest {
  private final Namespace namespace = SocketIoServer.create(new Server(), SocketIoConfig.defaults()).namespace("/job-1");
  private final LogBatch batch = new LogBatch(0, 3, LogFilter.ALL, List.of(
      new LogLine(1, 1000, LogLevel.DETAIL, "compiling \"a\""),
      new LogLine(2, 2000, LogLevel.NOTICE, "built ✓"),
      new LogLine(3, 3000, LogLevel.ENDGROUP, "")));

  private static List<String> texts(EncodedPacket p) {
    return p.messages().stream().map(m -> m.text()).toList();
  }

  @Test
  void json_oneLogEventWithEveryLine_fieldsInDocumentedOrder() {
    EncodedPacket p = JobWatch.encode(namespace, batch, true);

    assertThat(texts(p)).containsExactly("2/job-1,[\"log\",{\"lines\":["
        + "{\"seq\":1,\"ts\":1000,\"level\":\"detail\",\"text\":\"compiling \\\"a\\\"\"},"
        + "{\"seq\":2,\"ts\":2000,\"level\":\"notice\",\"text\":\"built ✓\"},"
        + "{\"seq\":3,\"ts\":3000,\"level\":\"endgroup\",\"text\":\"\"}]}]");
  }

  @Test
  void json_anyText_isWhatTheGenericEncoderMakesOfTheLinesWirePayloads() {
    // why these texts: JSON's escapes, what a log keeps of controls (tab, ESC), line and paragraph
    // separators, a surrogate pair, a BMP char above the Latin range, an HTML-ish line, long text
    List<String> texts = List.of("quote \" backslash \\ slash /", "tab\tESC\u001B[31mred\u001B[0m", "\u2028\u2029",
        "emoji 😀 and 日本", "</script><b>&amp;</b>", "x".repeat(20_000), "");
    long before = Long.MAX_VALUE - texts.size(); // the largest seqs: numbers as long as they get
    List<LogLine> lines = new java.util.ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      lines.add(new LogLine(before + 1 + i, 1_700_000_000_000L + i, LogLevel.values()[i % LogLevel.values().length], texts.get(i)));
    }
    Object payload = Map.of("lines", lines.stream().map(LogLinePayload::of).toList());

    EncodedPacket p = JobWatch.encode(namespace, new LogBatch(before, Long.MAX_VALUE, LogFilter.ALL, lines), true);

    assertThat(texts(p)).containsExactlyElementsOf(texts(namespace.encode("log", payload)));
  }

  @Test
  void message_oneUnnamedMessagePerBasicLine_detailAndEndgroupLeftOut() {
    EncodedPacket p = JobWatch.encode(namespace, batch, false);

    assertThat(texts(p)).containsExactly("2/job-1,[\"message\",\"built ✓\"]");
  }

  @Test
  void message_detailOnlyBatch_nothingToSend() {
    LogBatch detailOnly = new LogBatch(0, 1, LogFilter.ALL, List.of(new LogLine(1, 1, LogLevel.DETAIL, "x")));

    assertThat(JobWatch.encode(namespace, detailOnly, false)).isNull();
  }
}
