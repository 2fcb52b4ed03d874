package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4: a page on another origin must not start jobs (no-cors {@code text/plain} POST)
 * or upload (cross-origin multipart), and a rebinding DNS name ({@code Host: evil.example}) must
 * not reach the API or Socket.IO (polling or WebSocket) — out of the box.
 */
class OriginAndHostIssue14IT {

  private static final String GENERATOR = "generators:\n  - name: quick\n    command: [bash, -c, \"echo done\"]\n";
  private static final String JOB = "{\"generator\":\"quick\"}";

  @TempDir Path data;
  private RunningServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private RunningServer start(String yaml) throws Exception {
    server = RunningServer.start(data, yaml);
    return server;
  }

  @Test
  void postJobs_noCorsTextPlainFromAnotherOrigin_refusedAndNoJobStarts() throws Exception {
    start(GENERATOR);
    HttpResponse<String> crossSite = post("/api/jobs", "text/plain;charset=UTF-8", "https://evil.example", JOB);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(code(crossSite)).isEqualTo("origin_not_allowed");
    assertThat(message(crossSite)).contains("https://evil.example", "allowedOrigins");

    HttpResponse<String> plain = post("/api/jobs", "text/plain;charset=UTF-8", null, JOB);
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(code(plain)).isEqualTo("unsupported_media_type");
    assertThat(message(plain)).contains("application/json");

    HttpResponse<String> form = post("/api/jobs", "application/x-www-form-urlencoded", null, "generator=quick");
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(server.server().jobs().allRecords()).isEmpty();
  }

  @Test
  void postJobs_jsonFromTheSameOriginOrAnAllowedOne_accepted() throws Exception {
    start(GENERATOR + "allowedOrigins: ['https://ci.example']\n");
    assertThat(post("/api/jobs", "application/json", null, JOB).statusCode()).isEqualTo(201);
    assertThat(post("/api/jobs", "application/json; charset=utf-8", server.url(), JOB).statusCode()).isEqualTo(201);
    assertThat(post("/api/jobs", "application/json", "https://ci.example", JOB).statusCode()).isEqualTo(201);
    assertThat(post("/api/jobs", "application/json", "https://evil.example", JOB).statusCode()).isEqualTo(403);
    assertThat(post("/api/jobs", "application/json", "null", JOB).statusCode()).isEqualTo(403);
  }

  @Test
  void cancel_withoutJsonOrFromAnotherOrigin_refused() throws Exception {
    start("generators:\n  - name: slow\n    command: [sleep, '600']\n");
    JsonNode ticket = RunningServer.json(post("/api/jobs", "application/json", null, "{\"generator\":\"slow\"}").body());
    String path = "/api/jobs/" + ticket.get("jobId").asText() + "/cancel?token=" + ticket.get("token").asText();

    assertThat(post(path, "text/plain", "https://evil.example", "").statusCode()).isEqualTo(403);
    assertThat(post(path, null, null, "").statusCode()).isEqualTo(415);
    assertThat(server.server().jobs().status(ticket.get("jobId").asText()).state().wireName()).isIn("queued", "running");
    HttpResponse<String> cancelled = post(path, "application/json", null, "{}");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
  }

  @Test
  void postUploads_crossOriginMultipart_refusedAndNothingStored() throws Exception {
    start(GENERATOR);
    String boundary = "----b0undary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n"
        + "Content-Type: application/zip\r\n\r\nPK-not-really\r\n--" + boundary + "--\r\n";
    HttpResponse<String> crossSite = post("/api/uploads", "multipart/form-data; boundary=" + boundary, "https://evil.example", body);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(code(crossSite)).isEqualTo("origin_not_allowed");
    assertThat(data.resolve("uploads")).satisfiesAnyOf(
        dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());

    assertThat(post("/api/uploads", "multipart/form-data; boundary=" + boundary, server.url(), body).statusCode()).isEqualTo(201);
    assertThat(post("/api/uploads", "text/plain", null, body).statusCode()).isEqualTo(415);
  }

  @Test
  void anyRoute_rebindingHostByDefault_refusedNamingTheKey() throws Exception {
    start(GENERATOR);
    String answer = raw("GET /api/generators HTTP/1.1\r\nHost: evil.example:" + server.server().port() + "\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"host_not_allowed\"", "evil.example", "allowedHosts").doesNotContain("quick");

    assertThat(raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
    assertThat(raw("POST /api/jobs HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: " + JOB.length()
        + "\r\nConnection: close\r\n\r\n" + JOB)).startsWith("HTTP/1.1 400");
    assertThat(server.server().jobs().allRecords()).isEmpty();
  }

  @Test
  void socketIo_rebindingHost_pollingAndWebSocketRefused() throws Exception {
    start(GENERATOR);
    String polling = raw("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assertThat(polling).startsWith("HTTP/1.1 400").contains("host_not_allowed").doesNotContain("\"sid\"");

    String webSocket = raw("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: evil.example\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Origin: http://evil.example\r\n\r\n");
    assertThat(webSocket).startsWith("HTTP/1.1 400").doesNotContain("101");

    String sameHost = "127.0.0.1:" + server.server().port();
    assertThat(raw("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: " + sameHost + "\r\nConnection: close\r\n\r\n")).contains("\"sid\"");
  }

  @Test
  void anyRoute_loopbackNamesWithAnyPort_servedByDefault() throws Exception {
    start(GENERATOR);
    for (String host : new String[] {"localhost", "LOCALHOST:8080", "127.0.0.1:1", "[::1]:" + server.server().port(), "[::1]"}) {
      assertThat(raw("GET /api/generators HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).as(host).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void anyRoute_allowedHostsAndPublicUrl_servedOthersRefused() throws Exception {
    start(GENERATOR + "allowedHosts: [buildcast.internal, .example.org]\nnotify: {publicUrl: 'https://public.example.com/buildcast'}\n");
    for (String host : new String[] {"buildcast.internal:8080", "public.example.com", "example.org", "a.example.org:443", "localhost"}) {
      assertThat(raw("GET /api/generators HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).as(host).startsWith("HTTP/1.1 200");
    }
    for (String host : new String[] {"evil.example", "buildcast.internal.evil.example", "evilexample.org", "public.example.com.evil"}) {
      assertThat(raw("GET /api/generators HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).as(host).startsWith("HTTP/1.1 400");
    }
  }

  private HttpResponse<String> post(String path, String contentType, String origin, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) request.header("Content-Type", contentType);
    // why no Origin restriction here: the JDK client lets a test set Origin, as a browser would
    if (origin != null) request.header("Origin", origin);
    return server.send(request.build());
  }

  private static String code(HttpResponse<String> response) throws IOException {
    return RunningServer.json(response.body()).path("error").path("code").asText();
  }

  private static String message(HttpResponse<String> response) throws IOException {
    return RunningServer.json(response.body()).path("error").path("message").asText();
  }

  /** Sends a request as written (the JDK client will not send a foreign Host) and returns the answer's head and body. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.server().port()), 10_000);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      // why read to the end: every request here asks for Connection: close, or is refused (closed)
      while ((n = in.read(buffer)) > 0) {
        answer.write(buffer, 0, n);
        if (request.contains("Upgrade: websocket") && answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) break;
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
