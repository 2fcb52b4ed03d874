package dev.buildcast.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 5: the packaged server started with secrets in its own environment (as an operator
 * would, for the webhook, SMTP and cloud credentials); a job running {@code env} must see none of
 * them, and the server's secrets are masked in every log even when a job prints them.
 */
class GeneratorEnvironmentIssue14IT {

  static final String AWS_SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
  static final String SMTP_SECRET = "smtp-pass-Qe7u2Lk";
  static final String HOOK_SECRET = "hook-signing-secret-9fA3";
  static final String PLAIN_SECRET = "named-in-secretEnv-77Xq";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private ServerProcess server;

  @BeforeEach
  void start() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), """
        secretEnv: [DEPLOY_THING]
        notify:
          webhook: {allowedUrls: 'https://hooks\\.example\\.com/.*', secretEnv: BUILDCAST_WEBHOOK_SECRET}
          email: {host: 127.0.0.1, port: 2525, tls: none, from: a@example.com, usernameEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD}
        generators:
          - name: printenv
            command: [env]
            passEnv: [PASSED_ON]
            env: {FROM_CONFIG: yes-please}
          - name: echo
            command: [bash, -c, 'echo "::notice::$BUILDCAST_PARAM_TEXT"']
        """);
    Map<String, String> env = Map.of(
        "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
        "SMTP_USER", "mailer",
        "SMTP_PASSWORD", SMTP_SECRET,
        "BUILDCAST_WEBHOOK_SECRET", HOOK_SECRET,
        "DEPLOY_THING", PLAIN_SECRET,
        "PASSED_ON", "passed-value",
        "UNLISTED_HARMLESS", "unlisted-value");
    server = ServerProcess.start(env, "--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) server.close();
  }

  @Test
  void env_serverHasSecretsInItsEnvironment_jobSeesOnlyTheAllowlist() throws Exception {
    String log = runToEnd("{\"generator\":\"printenv\"}");

    assertThat(log).doesNotContain("AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD", "BUILDCAST_WEBHOOK_SECRET", "DEPLOY_THING", "UNLISTED_HARMLESS",
        AWS_SECRET, SMTP_SECRET, HOOK_SECRET, PLAIN_SECRET, "unlisted-value");
    assertThat(log).contains("PATH=", "BUILDCAST_JOB_ID=", "BUILDCAST_OUTPUT=", "PASSED_ON=passed-value", "FROM_CONFIG=yes-please");
  }

  @Test
  void echo_jobPrintsTheServersSecrets_everyOneIsMasked() throws Exception {
    for (String secret : new String[] {AWS_SECRET, SMTP_SECRET, HOOK_SECRET, PLAIN_SECRET}) {
      String log = runToEnd("{\"generator\":\"echo\",\"params\":{\"text\":\"leak " + secret + " end\"}}");
      assertThat(log).contains("leak *** end").doesNotContain(secret);
    }
  }

  private String runToEnd(String body) throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = JSON.readTree(created.body());
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      JsonNode status = JSON.readTree(get("/api/jobs/" + jobId, token));
      return status.get("finishedAt") != null && !status.get("finishedAt").isNull();
    });
    return get("/api/jobs/" + jobId + "/log", token);
  }

  private String get(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
