package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.NodeScript;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's central promise under churn: 20 official JS clients, over WebSocket and
 * long-polling, are disconnected at random moments (at least 1,000 times in all) while a job
 * prints 200,000 lines at full speed; each resumes with {@code since}. Every client must end with
 * exactly the detailed log: no gap, no duplicate, order kept.
 */
class ResumeStressIT {

  static final String CONFIG =
      """
      limits: {connectionsPerIp: 10000}   # a thousand drops from one address leave sessions to time out
      generators:
        - name: loud
          command: [bash, -c, "seq 1 200000 | sed 's/^/stress line /'"]
      """;

  @TempDir Path data;

  @Test
  void randomDisconnects_twentyClientsOnBothTransports_endWithExactlyTheDetailedLog() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      JsonNode report = RunningServer.json(NodeScript.run("resume-stress.mjs", 660, server.url(), "loud", "20", "50", "600"));
      System.out.println("resume stress: " + report.get("lines") + " lines, " + report.get("seconds") + " s");
      assertThat(report.get("lines").asLong()).isEqualTo(200_003);
      long disconnects = 0;
      for (JsonNode client : report.get("clients")) {
        assertThat(client.get("gaps").asInt()).as("gaps %s", client).isZero();
        assertThat(client.get("duplicates").asInt()).as("duplicates %s", client).isZero();
        assertThat(client.get("identical").asBoolean()).as("identical %s", client).isTrue();
        disconnects += client.get("disconnects").asLong();
      }
      assertThat(disconnects).isGreaterThanOrEqualTo(1000);
    }
  }
}
