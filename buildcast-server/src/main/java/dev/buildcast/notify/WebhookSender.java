package dev.buildcast.notify;

import dev.buildcast.config.NotifyConfig.WebhookConfig;
import dev.buildcast.net.OutboundAddresses;
import dev.buildcast.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * every attempt. One call is one attempt; {@link NotificationOutbox} records it and retries with
 * doubling waits ({@link #retries}) after a network error or a non-2xx answer.
 *
 * <p>The host is looked up by {@link OutboundAddresses} once per connection, every address it has is
 * checked, and the connection goes to those addresses (no second lookup in between). Sending is
 * asynchronous on the client's own threads, so no thread is held while a receiver is slow or down.
 * Redirects are not followed: they could lead elsewhere.
 */
final class WebhookSender implements DeliveryChannel {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  static final String EVENT = "job.finished";

  private final WebhookConfig config;
  private final WebhookSignature signature;
  private final Clock clock;
  private final HttpClient http;

  WebhookSender(WebhookConfig config, String secret, Clock clock, OutboundAddresses addresses) {
    this.config = config;
    this.signature = new WebhookSignature(secret);
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

  /** The address policy for webhooks; a refusal names {@code notify.webhook.allowPrivateAddresses}. */
  static OutboundAddresses addresses(boolean allowPrivate, OutboundAddresses.Lookup lookup) {
    return OutboundAddresses.of("webhook", allowPrivate, "notify.webhook.allowPrivateAddresses", lookup);
  }

  @Override
  public RetryPolicy retries() {
    return new RetryPolicy(config.attempts(), config.retryDelay());
  }

  /**
   * One POST of {@code job} to the delivery's URL with its delivery id. why the URL is checked
   * against {@code allowedUrls} again: a delivery recorded before a restart may meet a configuration
   * that no longer allows it.
   */
  @Override
  public CompletableFuture<AttemptResult> attempt(PendingDelivery delivery, JobEnded job) {
    URI url;
    try {
      url = new URI(delivery.target());
    } catch (URISyntaxException e) {
      return CompletableFuture.completedFuture(AttemptResult.refused("the stored webhook URL is not a URL"));
    }
    if (!config.allowedUrls().matcher(url.toString()).matches()) {
      return CompletableFuture.completedFuture(AttemptResult.refused("notify.webhook.allowedUrls no longer allows it"));
    }
    CompletableFuture<AttemptResult> outcome = new CompletableFuture<>();
    request(url, delivery.id(), body(job)).send(result -> {
      int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
      if (result.isSucceeded() && status / 100 == 2) {
        outcome.complete(AttemptResult.delivered("HTTP " + status));
        return;
      }
      String why = result.getFailure() != null ? result.getFailure().toString() : "HTTP " + status;
      // why no retry after a refused address: it is the receiver's DNS answer, not a passing failure
      outcome.complete(isRefusedAddress(result.getFailure()) ? AttemptResult.refused(why) : AttemptResult.failed(why));
    });
    return outcome;
  }

  private Request request(URI url, String deliveryId, byte[] body) {
    long now = clock.instant().getEpochSecond();
    return http.newRequest(url)
        .method(HttpMethod.POST)
        .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .headers(h -> h
            .put("X-Buildcast-Event", EVENT)
            .put(WebhookSignature.DELIVERY_HEADER, deliveryId)
            .put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
            .put(WebhookSignature.HEADER, signature.sign(now, deliveryId, body)))
        .body(new BytesRequestContent("application/json; charset=utf-8", body));
  }

  private static boolean isRefusedAddress(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutboundAddresses.RefusedAddressException) return true;
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
