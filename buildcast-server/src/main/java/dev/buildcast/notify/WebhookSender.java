package dev.buildcast.notify;

import dev.buildcast.config.NotifyConfig.WebhookConfig;
import dev.buildcast.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a job's end to a webhook: JSON {@code {event, job, links}}, signed, retried with doubling
 * waits on a network error or a non-2xx answer, then given up and logged.
 *
 * <p>Sending is asynchronous on the HTTP client's own threads and retries wait on {@code
 * scheduler}, so no thread is held while a receiver is slow or down. Redirects are not followed:
 * they could lead outside the allowed URLs.
 */
final class WebhookSender {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  static final String EVENT = "job.finished";

  private final WebhookConfig config;
  private final WebhookSignature signature;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;

  WebhookSender(WebhookConfig config, String secret, ScheduledExecutorService scheduler) {
    this.config = config;
    this.signature = new WebhookSignature(secret);
    this.scheduler = scheduler;
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  void send(URI url, JobEnded job) {
    byte[] body = body(job);
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(config.timeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "Buildcast")
        .header("X-Buildcast-Event", EVENT)
        .header("X-Buildcast-Delivery", UUID.randomUUID().toString())
        .header(WebhookSignature.HEADER, signature.sign(body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    attempt(request, job.status().jobId(), 1);
  }

  private void attempt(HttpRequest request, String jobId, int attempt) {
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
      if (failure == null && response.statusCode() / 100 == 2) {
        log.info("{} - webhook delivered to {} ({})", jobId, request.uri().getHost(), response.statusCode());
        return;
      }
      String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
      if (attempt >= config.attempts()) {
        log.warn("{} - webhook to {} given up after {} attempt(s): {}", jobId, request.uri(), attempt, why);
        return;
      }
      Duration wait = config.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 16));
      log.info("{} - webhook to {} failed ({}); retrying in {} ms", jobId, request.uri().getHost(), why, wait.toMillis());
      try {
        scheduler.schedule(() -> attempt(request, jobId, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        log.warn("{} - webhook to {} not retried: the server is stopping", jobId, request.uri());
      }
    });
  }

  static byte[] body(JobEnded job) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", EVENT);
    body.put("job", job.status());
    body.put("durationMillis", job.duration().toMillis());
    body.put("links", job.links());
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void close() {
    http.shutdownNow();
  }
}
