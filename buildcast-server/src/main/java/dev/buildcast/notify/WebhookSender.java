package dev.buildcast.notify;

import dev.buildcast.config.NotifyConfig.WebhookConfig;
import dev.buildcast.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a job's end to a webhook: JSON {@code {event, job, links}}, signed with a fresh timestamp on
 * every attempt, retried with doubling waits on a network error or a non-2xx answer, then given up
 * and logged.
 *
 * <p>The host is looked up by {@link WebhookAddresses} once per connection, every address it has is
 * checked, and the connection goes to those addresses (no second lookup in between). Sending is
 * asynchronous on the client's own threads and retries wait on {@code scheduler}, so no thread is
 * held while a receiver is slow or down. Redirects are not followed: they could lead elsewhere.
 */
final class WebhookSender {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  static final String EVENT = "job.finished";

  private final WebhookConfig config;
  private final WebhookSignature signature;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final HttpClient http;

  WebhookSender(WebhookConfig config, String secret, ScheduledExecutorService scheduler, Clock clock, WebhookAddresses addresses) {
    this.config = config;
    this.signature = new WebhookSignature(secret);
    this.scheduler = scheduler;
    this.clock = clock;
    QueuedThreadPool threads = new QueuedThreadPool(8, 1);
    threads.setName("buildcast-webhook");
    threads.setDaemon(true);
    this.http = new HttpClient();
    http.setExecutor(threads);
    http.setSocketAddressResolver(addresses);
    http.setFollowRedirects(false);
    http.setConnectTimeout(config.timeout().toMillis());
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Buildcast"));
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("the webhook client did not start", e);
    }
  }

  /** Sends (and retries) in the background; the result says whether the receiver took it in the end. */
  CompletableFuture<Boolean> send(URI url, JobEnded job) {
    CompletableFuture<Boolean> outcome = new CompletableFuture<>();
    attempt(new Delivery(url, UUID.randomUUID().toString(), body(job), job.status().jobId()), 1, outcome);
    return outcome;
  }

  private record Delivery(URI url, String id, byte[] body, String jobId) {}

  private Request request(Delivery d) {
    long now = clock.instant().getEpochSecond();
    return http.newRequest(d.url())
        .method(HttpMethod.POST)
        .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .headers(h -> h
            .put("X-Buildcast-Event", EVENT)
            .put(WebhookSignature.DELIVERY_HEADER, d.id())
            .put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
            .put(WebhookSignature.HEADER, signature.sign(now, d.id(), d.body())))
        .body(new BytesRequestContent("application/json; charset=utf-8", d.body()));
  }

  private void attempt(Delivery d, int attempt, CompletableFuture<Boolean> outcome) {
    request(d).send(result -> {
      int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
      if (result.isSucceeded() && status / 100 == 2) {
        log.info("{} - webhook delivered to {} ({})", d.jobId(), d.url().getHost(), status);
        outcome.complete(true);
        return;
      }
      String why = result.getFailure() != null ? result.getFailure().toString() : "HTTP " + status;
      // why no retry after a refused address: it is the receiver's DNS answer, not a passing failure
      if (isRefusedAddress(result.getFailure()) || attempt >= config.attempts()) {
        log.warn("{} - webhook to {} given up after {} attempt(s): {}", d.jobId(), d.url(), attempt, why);
        outcome.complete(false);
        return;
      }
      Duration wait = config.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 16));
      log.info("{} - webhook to {} failed ({}); retrying in {} ms", d.jobId(), d.url().getHost(), why, wait.toMillis());
      try {
        scheduler.schedule(() -> attempt(d, attempt + 1, outcome), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        log.warn("{} - webhook to {} not retried: the server is stopping", d.jobId(), d.url());
        outcome.complete(false);
      }
    });
  }

  private static boolean isRefusedAddress(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WebhookAddresses.RefusedAddressException) return true;
    }
    return false;
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
    try {
      http.stop();
    } catch (Exception e) {
      log.warn("stopping the webhook client failed", e);
    }
  }
}
