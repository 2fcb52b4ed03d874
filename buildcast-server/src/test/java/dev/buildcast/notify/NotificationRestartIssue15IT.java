package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.sun.net.httpserver.HttpServer;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.ServerProcess;
import dev.buildcast.testing.TestSmtpServers;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: notifications not yet done survive a SIGKILL of the packaged server. A delivery being
 * retried is sent after the restart with the same delivery id and succeeds exactly once; a mail
 * under way (the SMTP server never answered) is sent after the restart; a job that was running
 * when the server died still mails and posts when the restart fails it. A local
 * receiver (loopback, hence {@code allowPrivateAddresses}) and GreenMail stand in for the world.
 */
class NotificationRestartIssue15IT {

  private static final String SECRET = "restart-secret-for-tests";

  record Receipt(String delivery, String timestamp, String signature, byte[] body, int answer) {}

  @TempDir Path dir;
  private HttpServer receiver;
  private GreenMail mail;
  private final List<Receipt> receipts = new CopyOnWriteArrayList<>();
  /** false: the receiver answers 500 (it is "down"); true: 204. */
  private volatile boolean accepting;
  private final HttpClient http = HttpClient.newHttpClient();
  private ServerProcess server;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      int answer = accepting ? 204 : 500;
      receipts.add(new Receipt(exchange.getRequestHeaders().getFirst(WebhookSignature.DELIVERY_HEADER),
          exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER), exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
          exchange.getRequestBody().readAllBytes(), answer));
      exchange.sendResponseHeaders(answer, -1);
      exchange.close();
    });
    receiver.start();
    mail = TestSmtpServers.onAnyPort();
    mail.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) server.close();
    receiver.stop(0);
    mail.stop();
  }

  private String[] startArgs() throws Exception {
    return startArgs(mail.getSmtp().getPort());
  }

  private String[] startArgs(int smtpPort) throws Exception {
    Path config = dir.resolve("buildcast.yaml");
    // why written at every start: a restart may name another SMTP port (the deliveries do not keep one)
    Files.writeString(config, """
          notify:
            publicUrl: https://buildcast.example.com
            webhook:
              allowedUrls: 'http://127\\.0\\.0\\.1:%d/hook.*'
              secretEnv: HOOK_SECRET
              attempts: 20
              retryDelay: 2s
              timeout: 10s
              allowPrivateAddresses: true   # the receiver runs on loopback
            email: {host: 127.0.0.1, port: %d, tls: none, timeout: 5m, from: buildcast@example.com, allowedRecipients: [example.com]}
          generators:
            - name: quick
              command: [bash, -c, "echo '::notice::done'"]
            - name: slow
              command: [bash, -c, "echo '::notice::working'; sleep 600"]
          """.formatted(receiver.getAddress().getPort(), smtpPort));
    return new String[] {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString()};
  }

  private ServerProcess startServer() throws Exception {
    return ServerProcess.start(Map.of("HOOK_SECRET", SECRET), startArgs());
  }

  private JsonNode submit(String generator, String notify) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"" + generator + "\",\"notify\":" + notify + "}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return RunningServer.json(r.body());
  }

  private String hook() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  /** The stored delivery records (data/notify/*.json) as JSON. */
  private List<JsonNode> storedDeliveries() throws Exception {
    Path folder = dir.resolve("data").resolve("notify");
    if (!Files.isDirectory(folder)) return List.of();
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> json = files.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
      List<JsonNode> records = new java.util.ArrayList<>();
      for (Path p : json) {
        try {
          records.add(RunningServer.json(Files.readString(p)));
        } catch (java.nio.file.NoSuchFileException settled) {
          // removed between listing and reading
        }
      }
      return records;
    }
  }

  @Test
  void sigkillWhileAWebhookIsRetried_restartDeliversTheSameDeliveryIdExactlyOnce() throws Exception {
    server = startServer();
    JsonNode ticket = submit("quick", "{\"webhook\":\"" + hook() + "\"}");
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> !receipts.isEmpty()
        && storedDeliveries().stream().anyMatch(d -> d.path("failedAttempts").asInt() >= 1));
    server.kill();
    accepting = true;

    List<JsonNode> left = storedDeliveries();
    assertThat(left).singleElement().satisfies(d -> {
      assertThat(d.path("id").asText()).isEqualTo(receipts.getFirst().delivery());
      assertThat(d.path("jobEnded").asBoolean()).isTrue();
    });
    assertThat(Files.readString(dir.resolve("data").resolve("notify").resolve(jobId + "." + left.getFirst().path("id").asText() + ".json")))
        .doesNotContain(token);
    int failedBefore = receipts.size();

    server = startServer();
    // why awaiting an empty store: once the delivery is settled nothing is left that could send it again
    await().atMost(Duration.ofSeconds(180)).until(() -> receipts.stream().anyMatch(r -> r.answer() == 204) && storedDeliveries().isEmpty());

    String id = receipts.getFirst().delivery();
    assertThat(receipts).extracting(Receipt::delivery).containsOnly(id);
    Map<String, Long> successes = receipts.stream().filter(r -> r.answer() == 204).collect(Collectors.groupingBy(Receipt::delivery, Collectors.counting()));
    assertThat(successes).containsExactly(Map.entry(id, 1L));
    assertThat(receipts).hasSize(failedBefore + 1);
    for (Receipt r : receipts) {
      assertThat(r.signature()).isEqualTo(new WebhookSignature(SECRET).sign(Long.parseLong(r.timestamp()), r.delivery(), r.body()));
    }
    JsonNode body = RunningServer.json(new String(receipts.getLast().body(), StandardCharsets.UTF_8));
    assertThat(body.at("/job/jobId").asText()).isEqualTo(jobId);
    assertThat(body.at("/job/state").asText()).isEqualTo("succeeded");
    // composed after the restart: the same links, without the token the new process never had
    assertThat(body.at("/links/page").asText()).isEqualTo("https://buildcast.example.com/jobs/" + jobId);
    assertThat(new String(receipts.getLast().body(), StandardCharsets.UTF_8)).doesNotContain(token);
  }

  @Test
  void sigkillWhileTheJobRuns_restartFailsItAndMailsAndPostsOnce() throws Exception {
    accepting = true;
    server = startServer();
    JsonNode ticket = submit("slow", "{\"webhook\":\"" + hook() + "\",\"email\":\"dev@example.com\"}");
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(state(jobId, token)));
    assertThat(storedDeliveries()).hasSize(2).allSatisfy(d -> assertThat(d.path("jobEnded").asBoolean()).isFalse());
    server.kill();
    assertThat(receipts).isEmpty();
    assertThat(mail.getReceivedMessages()).isEmpty();

    server = startServer();
    assertThat(mail.waitForIncomingEmail(60_000, 1)).isTrue();
    await().atMost(Duration.ofSeconds(60)).until(() -> !receipts.isEmpty() && storedDeliveries().isEmpty());

    assertThat(state(jobId, token)).isEqualTo("failed");
    assertThat(receipts).singleElement().satisfies(r -> {
      assertThat(r.answer()).isEqualTo(204);
      assertThat(RunningServer.json(new String(r.body(), StandardCharsets.UTF_8)).at("/job/state").asText()).isEqualTo("failed");
    });
    assertThat(mail.getReceivedMessages()).hasSize(1);
    MimeMessage message = mail.getReceivedMessages()[0];
    assertThat(message.getSubject()).contains("slow", "failed", jobId);
    String text = (String) ((MimeMultipart) message.getContent()).getBodyPart(0).getContent();
    assertThat(text).contains("https://buildcast.example.com/jobs/" + jobId).doesNotContain(token);
  }

  @Test
  void sigkillWhileAMailIsBeingSent_restartSendsItOnce() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    int smtpPort;
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // an SMTP server that takes the connection and never greets: the mail stays in flight
      smtpPort = silent.getLocalPort();
      Thread.ofVirtual().start(() -> {
        try {
          while (true) held.add(silent.accept());
        } catch (java.io.IOException closed) {
          // the test closed the socket
        }
      });
      server = ServerProcess.start(Map.of("HOOK_SECRET", SECRET), startArgs(smtpPort));
      String jobId = submit("quick", "{\"email\":\"dev@example.com\"}").get("jobId").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> !held.isEmpty()
          && storedDeliveries().stream().anyMatch(d -> d.path("jobEnded").asBoolean() && d.path("jobId").asText().equals(jobId)));
      server.kill();
      for (Socket s : held) s.close();
    }
    // why another port: the one just released is an ephemeral port, which any outgoing connection on
    // the machine may take before a server binds it again
    GreenMail later = TestSmtpServers.onAnyPort();
    later.start();
    try {
      server = ServerProcess.start(Map.of("HOOK_SECRET", SECRET), startArgs(later.getSmtp().getPort()));
      assertThat(later.waitForIncomingEmail(60_000, 1)).isTrue();
      await().atMost(Duration.ofSeconds(60)).until(() -> storedDeliveries().isEmpty());
      assertThat(later.getReceivedMessages()).hasSize(1);
      assertThat(later.getReceivedMessages()[0].getSubject()).contains("quick", "succeeded");
    } finally {
      server.close();
      later.stop();
    }
  }

  private String state(String jobId, String token) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + jobId))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    return RunningServer.json(r.body()).path("state").asText();
  }
}
