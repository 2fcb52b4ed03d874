package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.ServerTrouble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regressions found by {@code HostileInputIT} (issue #7): requests refused before or outside a
 * route got Jetty's HTML page, an empty body, or a 500 with an ERROR logged; every one now gets a
 * 4xx with the JSON error body, and the server logs no error.
 */
class HttpRefusalRegressionsIT {

  @TempDir Path data;
  private ServerTrouble trouble;
  private RunningServer server;

  @BeforeEach
  void start() throws Exception {
    trouble = ServerTrouble.watch();
    server = RunningServer.start(data, "generators:\n  - name: quick\n    command: [bash, -c, \"echo done\"]\n");
  }

  @AfterEach
  void stop() {
    server.close();
    trouble.close();
  }

  @Test
  void uploadWithBrokenChunkedFraming_is400BadRequest_notAnInternalError() throws Exception {
    String answer = raw("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: a.txt\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n");
    assertThat(status(answer)).isEqualTo(400);
    assertThat(errorCode(answer)).isEqualTo("bad_request");
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().uploads().unfinishedCount() == 0);
    assertThat(trouble.problems()).isEmpty();
  }

  @Test
  void uploadBodyCutShort_logsNoError() throws Exception {
    raw("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: a.txt\r\nContent-Length: 1000\r\n\r\nonly a few bytes");
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().uploads().unfinishedCount() == 0);
    assertThat(trouble.problems()).isEmpty();
  }

  @Test
  void pathsJettyRefuses_getTheJsonErrorBody() throws Exception {
    for (String path : new String[] {"/api/jobs/..%2F..%2Fjob.json", "/api/jobs/%00/log", "/api/jobs/x/site/..%5C..%5Cjob.json"}) {
      HttpResponse<String> response = server.get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.headers().firstValue("content-type").orElse("")).as(path).startsWith("application/json");
      assertThat(RunningServer.json(response.body()).path("error").path("code").asText()).as(path).isEqualTo("bad_request");
    }
  }

  @Test
  void headersTooLargeAndBadContentLength_getTheJsonErrorBody() throws Exception {
    String tooLarge = raw("GET /api/generators HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    assertThat(status(tooLarge)).isEqualTo(431);
    assertThat(errorCode(tooLarge)).isEqualTo("bad_request");
    String badLength = raw("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: a\r\nContent-Length: 99999999999999999999\r\n\r\nabc");
    assertThat(status(badLength)).isEqualTo(400);
    assertThat(errorCode(badLength)).isEqualTo("bad_request");
  }

  @Test
  void unknownApiPath_is404NotFoundAsJson_notThePagesHtml() throws Exception {
    HttpResponse<String> response = server.get("/api/jobs/x/site/a/../../detailed.log", null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(RunningServer.json(response.body()).path("error").path("code").asText()).isEqualTo("not_found");
    assertThat(server.get("/api/nothing-here", null).body()).contains("\"not_found\"");
  }

  @Test
  void logRangeOutsideTheLog_is416RangeNotSatisfiableWithContentRange() throws Exception {
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"quick\"}")).build());
    JsonNode ticket = RunningServer.json(created.body());
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));
    long size = server.get("/api/jobs/" + id + "/log", token).body().getBytes(StandardCharsets.UTF_8).length;

    HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log"))
        .header("Authorization", "Bearer " + token).header("Range", "bytes=" + (size + 10) + "-").build());
    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes */" + size);
    assertThat(RunningServer.json(response.body()).path("error").path("code").asText()).isEqualTo("range_not_satisfiable");
  }

  /** Sends bytes a proper client would not, and returns the whole answer (the server closes after an error). */
  private String raw(String request) throws IOException {
    URI uri = URI.create(server.url());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static int status(String answer) {
    return answer.isEmpty() ? 0 : Integer.parseInt(answer.split(" ")[1]);
  }

  private static String errorCode(String answer) throws IOException {
    assertThat(answer.toLowerCase()).contains("content-type: application/json");
    return RunningServer.json(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error").path("code").asText();
  }
}
