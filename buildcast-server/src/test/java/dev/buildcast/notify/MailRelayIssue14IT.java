package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.TestSmtpServers;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 6: job-ended mail goes only to allowed recipients, and carries no text the job's
 * input controls (log lines, reason, artifact names) unless the operator asks for it. A
 * configuration written before the allowlist existed keeps starting and mails only within the
 * sender's domain, without job output.
 */
class MailRelayIssue14IT {

  /** A job whose uploader-controlled output tries to phish the recipient. */
  private static final String PHISHING_GENERATOR = """
      generators:
        - name: phish
          command: [bash, -c, "echo '::error::Your account is locked: log in at https://evil.example/login'; touch \\"$BUILDCAST_OUTPUT/Verify at evil.example\\"; exit 3"]
      """;

  @TempDir Path data;
  private GreenMail mail;
  private RunningServer server;

  @BeforeEach
  void startMail() {
    mail = TestSmtpServers.onAnyPort();
    mail.start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    mail.stop();
  }

  private String email(String extra) {
    return "notify:\n  email: {host: 127.0.0.1, port: " + mail.getSmtp().getPort() + ", tls: none, from: buildcast@example.com" + extra + "}\n";
  }

  @Test
  void legacyConfig_noAllowlist_startsMailsTheSendersDomainOnlyAndWithoutJobOutput() throws Exception {
    server = RunningServer.start(data, PHISHING_GENERATOR + email(""));

    HttpResponse<String> outsider = submit("victim@elsewhere.example");
    assertThat(outsider.statusCode()).isEqualTo(400);
    JsonNode error = RunningServer.json(outsider.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_notify");
    assertThat(error.path("message").asText()).contains("victim@elsewhere.example", "notify.email.allowedRecipients", "example.com");

    HttpResponse<String> colleague = submit("dev@example.com");
    assertThat(colleague.statusCode()).as(colleague.body()).isEqualTo(201);
    String jobId = RunningServer.json(colleague.body()).get("jobId").asText();
    String body = receivedBody();
    assertThat(body).contains(jobId, "failed", "/jobs/" + jobId + "?token=", "1 artifact");
    assertThat(body).doesNotContain("evil.example", "account is locked", "exit code");
  }

  @Test
  void allowlist_onlyListedDomainsAndAddressesAccepted() throws Exception {
    server = RunningServer.start(data, PHISHING_GENERATOR + email(", allowedRecipients: [example.org, .corp.example, boss@example.net]"));
    for (String ok : List.of("a@example.org", "A@EXAMPLE.ORG", "b@corp.example", "c@dev.corp.example", "boss@example.net")) {
      assertThat(submit(ok).statusCode()).as(ok).isEqualTo(201);
    }
    for (String refused : List.of("x@sub.example.org", "other@example.net", "dev@example.com", "a@example.org.evil.example", "a@evilcorp.example")) {
      HttpResponse<String> r = submit(refused);
      assertThat(r.statusCode()).as(refused).isEqualTo(400);
      assertThat(RunningServer.json(r.body()).at("/error/message").asText()).contains("notify.email.allowedRecipients");
    }
  }

  @Test
  void includeJobOutput_explicitlyOn_mailCarriesTheLastLinesEscaped() throws Exception {
    server = RunningServer.start(data, PHISHING_GENERATOR + email(", allowedRecipients: [example.com], includeJobOutput: true"));
    assertThat(submit("dev@example.com").statusCode()).isEqualTo(201);
    assertThat(receivedBody()).contains("account is locked", "exit code 3", "Verify at evil.example");
  }

  private HttpResponse<String> submit(String address) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"phish\",\"notify\":{\"email\":\"" + address + "\"}}")).build());
  }

  /** Subject, plain text and HTML of the one mail received. */
  private String receivedBody() throws Exception {
    assertThat(mail.waitForIncomingEmail(30_000, 1)).isTrue();
    MimeMessage message = mail.getReceivedMessages()[0];
    MimeMultipart alternative = (MimeMultipart) message.getContent();
    return message.getSubject() + "\n" + alternative.getBodyPart(0).getContent() + "\n" + alternative.getBodyPart(1).getContent();
  }
}
