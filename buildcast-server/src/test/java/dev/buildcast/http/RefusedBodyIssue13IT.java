package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.ServerTrouble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 (HostileInputIT lost answers): a request refused before its body was read, while the
 * client was still sending a body of megabytes, got no answer at all — Jetty closed the connection
 * with the body unread, the client's next bytes drew a reset, and the reset took the answer with
 * it. Now the server reads and discards such a body (up to {@link UnreadBodyDrain#ALLOWANCE_BYTES})
 * after answering, so the answer arrives and the connection serves the next request; a body
 * declared larger is answered with {@code Connection: close}.
 *
 * <p>why deterministic: the body is larger than what the kernel buffers of both ends usually hold,
 * so the client can only finish writing it if the server reads it (before the fix the first write
 * here failed with a broken pipe, every run); and whatever the buffers, the next request on the
 * same connection is answered only if the server kept the connection, which it did not. The JDK
 * client's lost answer, the symptom HostileInputIT saw, depends on timing and is checked too, but
 * passed before the fix more often than not.
 */
class RefusedBodyIssue13IT {

  private static final int SEVERAL_MB = 12 * 1024 * 1024;

  @TempDir Path data;
  private ServerTrouble trouble;
  private RunningServer server;

  @BeforeEach
  void start() throws Exception {
    trouble = ServerTrouble.watch();
    server = RunningServer.start(data, "uploads: {maxBytes: 1MiB}\ngenerators:\n  - name: quick\n    command: [bash, -c, \"echo done\"]\n");
  }

  @AfterEach
  void stop() {
    server.close();
    trouble.close();
  }

  @Test
  void refusedRequests_whileTheClientKeepsWritingABodyOfSeveralMegabytes_getTheirAnswerAndTheConnectionServesTheNextRequest() throws Exception {
    Map<String, String> refusals = new LinkedHashMap<>();
    refusals.put("PUT /jobs/abc HTTP/1.1\r\n", "405 method_not_allowed");
    refusals.put("PUT /api/nothing-here HTTP/1.1\r\n", "404 not_found");
    refusals.put("PUT /no-such-page.txt HTTP/1.1\r\n", "404 not_found");
    refusals.put("PUT /api/uploads HTTP/1.1\r\nX-File-Name: big.bin\r\n", "413 too_large");
    refusals.put("PUT /api/uploads HTTP/1.1\r\n", "400 bad_request");
    refusals.put("POST /api/jobs HTTP/1.1\r\nContent-Type: text/plain\r\n", "415 unsupported_media_type");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      try (Socket socket = connect()) {
        String head = refusal.getKey() + "Host: 127.0.0.1\r\nContent-Length: " + SEVERAL_MB + "\r\n\r\n";
        assertThatCode(() -> writeHeadAndBody(socket.getOutputStream(), head, SEVERAL_MB)).as(refusal.getKey()).doesNotThrowAnyException();

        Answer answer = Answer.read(socket.getInputStream());
        assertThat(answer.status() + " " + answer.errorCode()).as(refusal.getKey()).isEqualTo(refusal.getValue());
        assertThat(answer.header("content-type")).startsWith("application/json");

        writeHeadAndBody(socket.getOutputStream(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 0);
        assertThat(Answer.read(socket.getInputStream()).status()).as("the next request on the same connection").isEqualTo(200);
      }
    }
    assertThat(server.server().uploads().unfinishedCount()).isZero();
    assertThat(trouble.problems()).isEmpty();
  }

  @Test
  void uploadOfUnknownLength_refusedPastTheLimitWhileTheClientKeepsSending_getsItsAnswerAndTheConnectionServesTheNextRequest() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: big.bin\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      assertThatCode(() -> {
        for (int written = 0; written < SEVERAL_MB; written += chunk.length) {
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }).doesNotThrowAnyException();

      Answer answer = Answer.read(socket.getInputStream());
      assertThat(answer.status() + " " + answer.errorCode()).isEqualTo("413 too_large");
      writeHeadAndBody(out, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 0);
      assertThat(Answer.read(socket.getInputStream()).status()).as("the next request on the same connection").isEqualTo(200);
    }
    assertThat(server.server().uploads().unfinishedCount()).isZero();
    assertThat(trouble.problems()).isEmpty();
  }

  @Test
  void jdkHttpClient_refusedBodiesOfSeveralMegabytesInARow_eachGetsItsJsonError() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    byte[] body = new byte[SEVERAL_MB];
    for (int i = 0; i < 8; i++) {
      String path = i % 2 == 0 ? "/jobs/abc" + i : "/api/uploads";
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(i % 2 == 0 ? 405 : 400);
      assertThat(RunningServer.json(response.body()).path("error").path("code").asText()).as(path)
          .isEqualTo(i % 2 == 0 ? "method_not_allowed" : "bad_request");
    }
  }

  @Test
  void refusedRequest_bodyDeclaredLargerThanTheServerReadsToDiscard_isAnsweredWithConnectionCloseAndTheConnectionEnds() throws Exception {
    try (Socket socket = connect()) {
      String head = "PUT /jobs/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (UnreadBodyDrain.ALLOWANCE_BYTES + 1) + "\r\n\r\n";
      writeHeadAndBody(socket.getOutputStream(), head, 1000);

      Answer answer = Answer.read(socket.getInputStream());
      assertThat(answer.status() + " " + answer.errorCode()).isEqualTo("405 method_not_allowed");
      assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
      assertThat(endOfConnection(socket.getInputStream())).as("what follows the answer").isEqualTo(-1);
    }
    assertThat(trouble.problems()).isEmpty();
  }

  @Test
  void requestLineTooLong_refusedBeforeAnyRoute_saysConnectionCloseBeforeTheServerCloses() throws Exception {
    try (Socket socket = connect()) {
      writeHeadAndBody(socket.getOutputStream(), "POST /api/jobs/" + "x".repeat(9000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 0);

      Answer answer = Answer.read(socket.getInputStream());
      assertThat(answer.status() + " " + answer.errorCode()).isEqualTo("414 bad_request");
      assertThat(answer.header("connection")).as("what tells a pooling client not to reuse the connection").isEqualToIgnoringCase("close");
      assertThat(endOfConnection(socket.getInputStream())).isEqualTo(-1);
    }
  }

  private Socket connect() throws IOException {
    URI uri = URI.create(server.url());
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    socket.setSoTimeout(60_000);
    return socket;
  }

  /** Writes the head, then {@code bodyBytes} zero bytes in pieces, as an uploading client does. */
  private static void writeHeadAndBody(OutputStream out, String head, long bodyBytes) throws IOException {
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    byte[] piece = new byte[64 * 1024];
    for (long left = bodyBytes; left > 0; left -= piece.length) out.write(piece, 0, (int) Math.min(piece.length, left));
    out.flush();
  }

  /** -1 once the server has closed (a reset counts: the server may close here, and the answer was read). */
  private static int endOfConnection(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException reset) {
      return -1;
    }
  }

  /** One HTTP/1.1 answer with a Content-Length body, read without waiting for the connection to end. */
  private record Answer(int status, Map<String, String> headers, String body) {

    static Answer read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) throw new IOException("the connection ended after " + head.size() + " bytes of the answer's head");
        head.write(b);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      if (body.length < length) throw new IOException("the connection ended inside the answer's body");
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    String header(String name) {
      return headers.getOrDefault(name, "");
    }

    String errorCode() throws IOException {
      return RunningServer.json(body).path("error").path("code").asText();
    }
  }
}
