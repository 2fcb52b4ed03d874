package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpServer;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.TestSmtpServers;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks and emails when a job ends, against a real server, a local receiver and GreenMail. */
class NotificationsIT {

  static final String SECRET = "s3cret-for-tests";

  @TempDir Path data;
  private RunningServer server;
  private HttpServer receiver;
  private GreenMail mail;
  private final List<Received> hooks = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  record Received(byte[] body, String signature, String event, String timestamp, String delivery) {}

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      hooks.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Buildcast-Signature"), exchange.getRequestHeaders().getFirst("X-Buildcast-Event"),
          exchange.getRequestHeaders().getFirst("X-Buildcast-Timestamp"), exchange.getRequestHeaders().getFirst("X-Buildcast-Delivery")));
      int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    mail = TestSmtpServers.onAnyPort();
    mail.start();
    String config = """
        notify:
          publicUrl: https://buildcast.example.com
          webhook:
            allowedUrls: 'http://127\\.0\\.0\\.1:%d/hook.*'
            secretEnv: HOOK_SECRET
            attempts: 3
            retryDelay: 50ms
            timeout: 5s
            allowPrivateAddresses: true   # the receiver runs on loopback
          email:
            host: 127.0.0.1
            port: %d
            tls: none
            from: buildcast@example.com
            allowedRecipients: [example.com]
            includeJobOutput: true        # this test reads the last lines in the mail
        generators:
          - name: docs
            command: [bash, -c, "echo '::notice::building'; echo result > $BUILDCAST_OUTPUT/site.zip"]
          - name: broken
            command: [bash, -c, "echo '::group::Compile'; echo '::error::missing <title> & more'; echo detail; exit 3"]
        """.formatted(receiver.getAddress().getPort(), mail.getSmtp().getPort());
    server = RunningServer.start(data, config, Map.of("HOOK_SECRET", SECRET));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (receiver != null) receiver.stop(0);
    if (mail != null) mail.stop();
  }

  private HttpResponse<String> submit(String body) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
  }

  private String hookUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @Test
  void jobEnds_webhookFailsTwice_deliveredSignedOnTheThirdAttempt() throws Exception {
    failuresLeft.set(2);
    HttpResponse<String> r = submit("{\"generator\":\"docs\",\"notify\":{\"webhook\":\"" + hookUrl() + "\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(r.body());
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();

    await().atMost(Duration.ofSeconds(60)).until(() -> hooks.size() == 3);
    for (Received hook : hooks) {
      assertThat(hook.signature()).isEqualTo(new WebhookSignature(SECRET).sign(Long.parseLong(hook.timestamp()), hook.delivery(), hook.body()));
      assertThat(hook.event()).isEqualTo("job.finished");
    }
    JsonNode body = RunningServer.json(new String(hooks.getLast().body(), StandardCharsets.UTF_8));
    assertThat(body.at("/job/jobId").asText()).isEqualTo(jobId);
    assertThat(body.at("/job/state").asText()).isEqualTo("succeeded");
    assertThat(body.at("/links/page").asText()).isEqualTo("https://buildcast.example.com/jobs/" + jobId + "?token=" + token);
    assertThat(body.at("/links/artifacts/0/url").asText()).isEqualTo("https://buildcast.example.com/api/jobs/" + jobId + "/artifacts/site.zip?token=" + token);
    // why awaited: the delivery is settled (removed from the store) once the 2xx answer is read
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().notifications().pendingCount() == 0);
  }

  @Test
  void jobEnds_receiverAlwaysFails_givenUpAfterTheConfiguredAttempts() throws Exception {
    failuresLeft.set(100);
    assertThat(submit("{\"generator\":\"docs\",\"notify\":{\"webhook\":\"" + hookUrl() + "\"}}").statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(60)).until(() -> hooks.size() == 3);
    // the give-up is only logged; what matters here is that no fourth attempt comes: once nothing
    // is pending, nothing is left that could send one
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().notifications().pendingCount() == 0);
    assertThat(hooks).hasSize(3);
  }

  @Test
  void jobFails_emailHasOutcomeLastLinesAndTokenLinksInTextAndHtml() throws Exception {
    HttpResponse<String> r = submit("{\"generator\":\"broken\",\"notify\":{\"email\":\"dev@example.com\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(r.body());
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();

    assertThat(mail.waitForIncomingEmail(20_000, 1)).isTrue();
    MimeMessage message = mail.getReceivedMessages()[0];
    assertThat(message.getAllRecipients()[0].toString()).isEqualTo("dev@example.com");
    assertThat(message.getSubject()).contains("broken", "failed", jobId);
    MimeMultipart alternative = (MimeMultipart) message.getContent();
    String text = GreenMailUtil.getBody(alternative.getBodyPart(0));
    String html = GreenMailUtil.getBody(alternative.getBodyPart(1));
    assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
    String decodedText = decode(alternative.getBodyPart(0));
    String decodedHtml = decode(alternative.getBodyPart(1));
    assertThat(decodedText).contains("failed", "exit code 3", "missing <title> & more", "Compile",
        "https://buildcast.example.com/jobs/" + jobId + "?token=" + token,
        "https://buildcast.example.com/api/jobs/" + jobId + "/log?token=" + token);
    assertThat(decodedText).doesNotContain("detail\n");
    assertThat(decodedHtml).contains("missing &lt;title&gt; &amp; more").doesNotContain("<title>");
    assertThat(text).isNotEmpty();
    assertThat(html).isNotEmpty();
  }

  private static String decode(jakarta.mail.BodyPart part) throws Exception {
    return (String) part.getContent();
  }

  @Test
  void submit_webhookOutsideThePattern_refusedBeforeTheJobExists() throws Exception {
    HttpResponse<String> r = submit("{\"generator\":\"docs\",\"notify\":{\"webhook\":\"https://evil.example/hook\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(RunningServer.json(r.body()).at("/error/code").asText()).isEqualTo("invalid_notify");
    assertThat(RunningServer.json(r.body()).at("/error/message").asText()).contains("not allowed");
    assertThat(data.resolve("jobs").toFile().list()).isNullOrEmpty();
  }

  @Test
  void submit_webhookUrlLongerThanARecordTakes_refusedNamingTheLimit() throws Exception {
    HttpResponse<String> r = submit("{\"generator\":\"docs\",\"notify\":{\"webhook\":\"" + hookUrl() + "?q=" + "a".repeat(5_000) + "\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(RunningServer.json(r.body()).at("/error/code").asText()).isEqualTo("invalid_notify");
    assertThat(RunningServer.json(r.body()).at("/error/message").asText()).contains("longer than 4096 characters");
    assertThat(data.resolve("jobs").toFile().list()).isNullOrEmpty();
  }

  @Test
  void submit_badEmailOrUnknownField_refused() throws Exception {
    HttpResponse<String> bad = submit("{\"generator\":\"docs\",\"notify\":{\"email\":\"not an address\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(RunningServer.json(bad.body()).at("/error/code").asText()).isEqualTo("invalid_notify");
    HttpResponse<String> unknown = submit("{\"generator\":\"docs\",\"notify\":{\"sms\":\"123\"}}");
    assertThat(RunningServer.json(unknown.body()).at("/error/code").asText()).isEqualTo("bad_request");
  }

  @Test
  void submit_webhookOnServerWithoutWebhooks_refusedWithClearError(@TempDir Path other) throws Exception {
    try (RunningServer plain = RunningServer.start(other, "generators: [{name: docs, command: [true]}]")) {
      HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(plain.url() + "/api/jobs"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"docs\",\"notify\":{\"webhook\":\"" + hookUrl() + "\"}}")).build());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(RunningServer.json(r.body()).at("/error/message").asText()).contains("sends no webhooks");
    }
  }

  @Test
  void submit_webhookToLoopbackWithoutTheOptIn_refusedNamingTheKey(@TempDir Path other) throws Exception {
    String yaml = "notify: {webhook: {allowedUrls: '.*', secretEnv: HOOK_SECRET}}\ngenerators: [{name: docs, command: [true]}]\n";
    try (RunningServer guarded = RunningServer.start(other, yaml, Map.of("HOOK_SECRET", SECRET))) {
      for (String url : List.of(hookUrl(), "http://[::1]:9/hook", "http://169.254.169.254/latest/meta-data", "http://10.0.0.8/hook")) {
        HttpResponse<String> r = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url() + "/api/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"docs\",\"notify\":{\"webhook\":\"" + url + "\"}}")).build());
        assertThat(r.statusCode()).as(url).isEqualTo(400);
        JsonNode error = RunningServer.json(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_notify");
        assertThat(error.path("message").asText()).contains("notify.webhook.allowPrivateAddresses");
      }
      assertThat(other.resolve("jobs").toFile().list()).isNullOrEmpty();
    }
  }
}
