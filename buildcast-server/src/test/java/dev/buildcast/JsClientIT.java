package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.NodeScript;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The job protocol with the official JavaScript socket.io-client 4.x under Node, on every transport. */
class JsClientIT {

  @TempDir Path data;

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "polling", "both"})
  void jobProtocol_officialJsClient_worksAsDocumented(String transport) throws Exception {
    try (RunningServer server = RunningServer.start(data, BuildcastServerIT.CONFIG)) {
      JsonNode r = RunningServer.json(NodeScript.run("job-protocol.mjs", 60, server.url(), transport));

      assertThat(r.at("/unknownGenerator/error/code").asText()).isEqualTo("unknown_generator");
      assertThat(r.at("/notAnObject/error/code").asText()).isEqualTo("bad_request");
      assertThat(texts(r.get("ticketKeys"))).containsExactly("jobId", "token");
      assertThat(texts(r.get("firstStatusKeys"))).contains("jobId", "generator", "state", "percentage", "exitCode", "queuedAt", "startedAt", "finishedAt", "artifacts");
      assertThat(r.at("/finalStatus/state").asText()).isEqualTo("succeeded");
      assertThat(texts(r.get("messages"))).containsExactly(
          "Job queued for generator docs.", "Job started: generator docs.", "Build", "building docs", "careful", "Job finished with exit code 0.");

      List<Long> seqs = new ArrayList<>();
      r.get("jsonLines").forEach(l -> seqs.add(l.get("seq").asLong()));
      assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
      assertThat(r.at("/jsonLines/2/level").asText()).isEqualTo("detail");
      assertThat(r.at("/jsonLines/2/text").asText()).isEqualTo("detail one");
      assertThat(r.at("/jsonLines/2/ts").isIntegralNumber()).isTrue();
      List<Long> resumed = new ArrayList<>();
      r.get("resumedSeqs").forEach(s -> resumed.add(s.asLong()));
      assertThat(resumed).containsExactlyElementsOf(LongStream.rangeClosed(4, 9).boxed().toList());

      assertThat(r.at("/fileContentEnd/lines").asLong()).isEqualTo(9);
      assertThat(r.get("detailedText").asText()).contains("detail one\n", "building docs\n", "Job finished with exit code 0.\n");
      assertThat(r.at("/refused/message").asText()).contains("does not grant access");
      assertThat(r.at("/refused/data/code").asText()).isEqualTo("forbidden");
      assertThat(r.at("/errorEvent/error/code").asText()).isEqualTo("bad_request");
      assertThat(r.get("transport").asText()).isEqualTo(transport.equals("polling") ? "polling" : "websocket");
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
