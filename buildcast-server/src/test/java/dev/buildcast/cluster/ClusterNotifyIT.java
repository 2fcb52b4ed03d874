package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.sun.net.httpserver.HttpServer;
import dev.buildcast.notify.WebhookSignature;
import dev.buildcast.testing.FaultProxy;
import dev.buildcast.testing.RedisPerClass;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.TestSmtpServers;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion webhooks and mails on a cluster of two in-process nodes on one {@code redis-server}:
 * every node hears every job's end, yet each delivery reaches its receiver (a local HTTP server,
 * GreenMail) exactly once,
 * signed, with the job's final state, whatever node ran the job, and also when the node that
 * accepted and ran it is cut off mid-job and the other node fails it by its lease. "Exactly once" is
 * counted after the cluster's store holds no delivery any more (nothing is left that could send).
 */
class ClusterNotifyIT {

  private static final String SECRET = "cluster-hook-secret-for-tests";
  private static final Duration PATIENT = Duration.ofSeconds(60);

  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  @TempDir Path dir;
  private HttpServer receiver;
  private GreenMail mail;
  private final List<Received> hooks = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();

  record Received(byte[] body, String signature, String timestamp, String delivery) {
    JsonNode json() throws Exception {
      return RunningServer.json(new String(body, StandardCharsets.UTF_8));
    }
  }

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      hooks.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Buildcast-Signature"),
          exchange.getRequestHeaders().getFirst("X-Buildcast-Timestamp"), exchange.getRequestHeaders().getFirst("X-Buildcast-Delivery")));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    mail = TestSmtpServers.onAnyPort();
    mail.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    receiver.stop(0);
    mail.stop();
  }

  /**
   * {@code stepped} prints a line and waits until the test creates {@code go}; {@code printer}
   * prints numbered lines until it is stopped.
   */
  private String config(String nodeId, String redisUrl) {
    String stepped = "echo \\\"line 1\\\"; while [ ! -e '" + dir.resolve("go") + "' ]; do sleep 0.05; done; echo \\\"ran on $BUILDCAST_NODE_ID\\\"";
    String printer = "i=0; while true; do i=$((i+1)); echo \\\"line $i\\\"; sleep 0.05; done";
    return """
        maxConcurrentJobs: 2
        generators:
          - name: stepped
            command: [bash, -c, "%s"]
          - name: printer
            command: [bash, -c, "%s"]
        notify:
          publicUrl: https://buildcast.example.com
          webhook:
            allowedUrls: 'http://127\\.0\\.0\\.1:%d/hook.*'
            secretEnv: HOOK_SECRET
            attempts: 3
            retryDelay: 50ms
            timeout: 10s
            allowPrivateAddresses: true   # the receiver runs on loopback
          email:
            host: 127.0.0.1
            port: %d
            tls: none
            from: buildcast@example.com
            allowedRecipients: [example.com]
        cluster:
          nodeId: %s
          redis: {url: '%s'}
          lease: 2s
          blobs: {type: directory, path: '%s'}
        """.formatted(stepped, printer, receiver.getAddress().getPort(), mail.getSmtp().getPort(), nodeId, redisUrl, dir.resolve("shared-blobs"));
  }

  private RunningServer node(String nodeId, String redisUrl) throws Exception {
    RunningServer node = RunningServer.start(dir.resolve("data-" + nodeId), config(nodeId, redisUrl), Map.of("HOOK_SECRET", SECRET));
    closing.add(node);
    return node;
  }

  /** Submits a job that asks for a webhook, and for a mail when {@code withMail}. */
  private JsonNode submit(RunningServer node, String generator, boolean withMail) throws Exception {
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    String notify = "{\"webhook\":\"" + hook + "\"" + (withMail ? ",\"email\":\"dev@example.com\"" : "") + "}";
    HttpResponse<String> created = node.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"" + generator + "\",\"notify\":" + notify + "}")).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return RunningServer.json(created.body());
  }

  private static JsonNode status(RunningServer node, JsonNode ticket) throws Exception {
    HttpResponse<String> answer = node.get("/api/jobs/" + ticket.get("jobId").asText(), ticket.get("token").asText());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body());
  }

  private static void assertSigned(Received hook) {
    assertThat(hook.signature()).isEqualTo(new WebhookSignature(SECRET).sign(Long.parseLong(hook.timestamp()), hook.delivery(), hook.body()));
    assertThat(hook.delivery()).matches("[0-9a-f-]{36}");
  }

  private static double fencedTotal(RunningServer node) throws Exception {
    for (String line : node.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("buildcast_cluster_fenced_total")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    throw new AssertionError("no buildcast_cluster_fenced_total in /metrics");
  }

  @Test
  void jobsSubmittedOnN1_runOnEitherNode_eachWebhookAndMailArrivesOnce_webhooksSignedWithTheFinalStateAndTokenLinks() throws Exception {
    RunningServer n1 = node("n1", REDIS.server().url());
    RunningServer n2 = node("n2", REDIS.server().url());
    // why four: two slots per node, so n1's two slots fill and two jobs run on n2, whose nodes both hear every end
    List<JsonNode> tickets = new ArrayList<>();
    for (int i = 0; i < 4; i++) tickets.add(submit(n1, "stepped", true));
    await().atMost(PATIENT).until(() -> {
      for (JsonNode t : tickets) if (!status(n2, t).get("state").asText().equals("running")) return false;
      return true;
    });
    assertThat(tickets.stream().map(t -> {
      try {
        return status(n1, t).get("node").asText();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).containsExactlyInAnyOrder("n1", "n1", "n2", "n2");

    Files.createFile(dir.resolve("go"));
    await().atMost(PATIENT).until(() -> hooks.size() >= tickets.size() && mail.getReceivedMessages().length >= tickets.size());
    // done: no delivery is left in the cluster's store, on either node's view of it
    await().atMost(PATIENT).until(() -> n1.server().notifications().pendingCount() == 0 && n2.server().notifications().pendingCount() == 0);

    assertThat(hooks).hasSize(tickets.size());
    assertThat(hooks.stream().map(Received::delivery).distinct()).hasSize(tickets.size());
    MimeMessage[] mails = mail.getReceivedMessages();
    assertThat(mails).hasSize(tickets.size());
    for (JsonNode t : tickets) {
      String jobId = t.get("jobId").asText();
      List<Received> forJob = new ArrayList<>();
      for (Received h : hooks) if (h.json().at("/job/jobId").asText().equals(jobId)) forJob.add(h);
      assertThat(forJob).as("webhooks of job " + jobId).hasSize(1);
      Received hook = forJob.getFirst();
      assertSigned(hook);
      JsonNode body = hook.json();
      JsonNode finalStatus = status(n2, t);
      assertThat(body.at("/job/state").asText()).isEqualTo("succeeded");
      assertThat(body.at("/job/node").asText()).isEqualTo(finalStatus.get("node").asText());
      // why the token: n1 accepted the job, has its token in memory, and is the node that marks its deliveries due
      assertThat(body.at("/links/page").asText()).isEqualTo("https://buildcast.example.com/jobs/" + jobId + "?token=" + t.get("token").asText());
      long mailsOfJob = 0;
      for (MimeMessage m : mails) if (m.getSubject().contains(jobId)) mailsOfJob++;
      assertThat(mailsOfJob).as("mails of job " + jobId).isEqualTo(1);
    }
  }

  @Test
  void ownerCutOffMidJob_otherNodeFailsItByItsLease_andNotifiesOnceWithoutTheToken() throws Exception {
    FaultProxy toRedis = FaultProxy.to(REDIS.server().port());
    closing.add(toRedis);
    RunningServer n1 = node("n1", "redis://127.0.0.1:" + toRedis.port());
    JsonNode ticket = submit(n1, "printer", false);
    String jobId = ticket.get("jobId").asText();
    await().atMost(PATIENT).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    assertThat(status(n1, ticket).get("node").asText()).isEqualTo("n1");
    RunningServer n2 = node("n2", REDIS.server().url());

    // as good as a crash of n1 for the cluster: it stops renewing its lease and hears nothing more
    toRedis.cut();

    await().atMost(PATIENT).until(() -> status(n2, ticket).get("state").asText().equals("failed"));
    await().atMost(PATIENT).until(() -> !hooks.isEmpty());
    await().atMost(PATIENT).until(() -> n2.server().notifications().pendingCount() == 0);
    assertThat(hooks).hasSize(1);
    Received hook = hooks.getFirst();
    assertSigned(hook);
    JsonNode body = hook.json();
    assertThat(body.at("/job/jobId").asText()).isEqualTo(jobId);
    assertThat(body.at("/job/state").asText()).isEqualTo("failed");
    assertThat(body.at("/job/node").asText()).isEqualTo("n1");
    // why no token: it lived only in n1's memory; n2 sends the links a restart sends (docs/security.md)
    assertThat(body.at("/links/page").asText()).isEqualTo("https://buildcast.example.com/jobs/" + jobId);

    // healed: n1 comes back, finds itself fenced, and sends nothing of its own for the job
    toRedis.pass();
    await().atMost(PATIENT).until(() -> fencedTotal(n1) >= 1);
    await().atMost(PATIENT).until(() -> n1.server().notifications().pendingCount() == 0);
    assertThat(hooks).hasSize(1);
  }
}
