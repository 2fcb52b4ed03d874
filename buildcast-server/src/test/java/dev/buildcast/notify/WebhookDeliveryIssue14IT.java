package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.buildcast.config.NotifyConfig.WebhookConfig;
import dev.buildcast.net.OutboundAddresses;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.protocol.JobStatusPayload;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryNotificationStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 11: a webhook host is looked up once, every address is checked, and the connection
 * goes to the checked address; deliveries are signed over timestamp, delivery id and body, so a
 * captured one cannot be replayed. A local receiver stands in for the world; a fake lookup plays DNS.
 */
class WebhookDeliveryIssue14IT {

  private static final String SECRET = "webhook-secret-for-tests";
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  record Received(String timestamp, String delivery, String signature, byte[] body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger lookups = new AtomicInteger();
  private final ManualClock clock = new ManualClock(START);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private HttpServer receiver;
  private WebhookSender sender;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(new Received(exchange.getRequestHeaders().getFirst("X-Buildcast-Timestamp"),
          exchange.getRequestHeaders().getFirst("X-Buildcast-Delivery"), exchange.getRequestHeaders().getFirst("X-Buildcast-Signature"),
          exchange.getRequestBody().readAllBytes()));
      boolean fail = failuresLeft.getAndDecrement() > 0;
      // why here: the retry comes a minute "later", deterministically, before the answer releases it
      if (fail) clock.advance(Duration.ofMinutes(1));
      exchange.sendResponseHeaders(fail ? 500 : 204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (sender != null) sender.close();
    receiver.stop(0);
    scheduler.shutdownNow();
  }

  private WebhookSender sender(boolean allowPrivate, InetAddress... dnsAnswer) {
    WebhookConfig config = new WebhookConfig(Pattern.compile(".*"), "S", 3, Duration.ofMillis(10), Duration.ofSeconds(10), allowPrivate);
    sender = new WebhookSender(config, SECRET, clock, WebhookSender.addresses(allowPrivate, host -> {
      lookups.incrementAndGet();
      if (!host.equals("hooks.test")) throw new java.net.UnknownHostException(host);
      return dnsAnswer;
    }));
    return sender;
  }

  private PendingDelivery delivery() {
    return new PendingDelivery(UUID.randomUUID().toString(), SecureTokens.newId(), DeliveryKind.WEBHOOK, hook().toString(), true, 0, START, "");
  }

  /** Every job's message is {@link #job()}. */
  private static final class OneMessage implements JobMessages {
    @Override
    public Optional<JobEnded> compose(String jobId) {
      return Optional.of(job());
    }

    @Override
    public void forget(String jobId) {}
  }

  private URI hook() {
    return URI.create("http://hooks.test:" + receiver.getAddress().getPort() + "/hook");
  }

  @Test
  void send_nameResolvesToLoopbackWithoutTheOptIn_refusedNothingSentNoRetry() throws Exception {
    InetAddress looksPublic = InetAddress.getByName("203.0.113.7");
    AttemptResult result = sender(false, looksPublic, InetAddress.getByName("127.0.0.1")).attempt(delivery(), job()).get(30, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.REFUSED);
    assertThat(received).isEmpty();
    assertThat(lookups.get()).isEqualTo(1);
  }

  @Test
  void send_optedIn_connectsToTheLookedUpAddressWithOneLookupPerAttempt() throws Exception {
    // why "hooks.test": the system resolver knows no such name, so only the checked answer can reach the receiver
    AttemptResult result = sender(true, InetAddress.getByName("127.0.0.1")).attempt(delivery(), job()).get(30, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.DELIVERED);
    assertThat(received).hasSize(1);
    assertThat(lookups.get()).isEqualTo(1);
  }

  @Test
  void send_signature_coversTimestampDeliveryAndBody_retryResignsWithItsOwnTime() throws Exception {
    failuresLeft.set(1);
    // why through the outbox: it owns the retry; the sender makes one attempt per call
    MemoryNotificationStore store = new MemoryNotificationStore();
    NotificationOutbox outbox = new NotificationOutbox(store, Map.of(DeliveryKind.WEBHOOK, sender(true, InetAddress.getByName("127.0.0.1"))),
        new OneMessage(), clock, RetryTimer.on(scheduler), Runnable::run);
    String jobId = SecureTokens.newId();
    outbox.record(jobId, new NotifyTargets(Optional.empty(), Optional.of(hook())));
    outbox.jobEnded(jobId);
    await().atMost(Duration.ofSeconds(60)).until(() -> store.all().isEmpty());

    assertThat(received).hasSize(2);
    Received first = received.get(0);
    Received retry = received.get(1);
    assertThat(first.timestamp()).isEqualTo(Long.toString(START.getEpochSecond()));
    assertThat(retry.timestamp()).isEqualTo(Long.toString(START.plusSeconds(60).getEpochSecond()));
    assertThat(retry.delivery()).isEqualTo(first.delivery()).matches("[0-9a-f-]{36}");
    for (Received r : received) assertThat(r.signature()).isEqualTo(expectedSignature(r.timestamp(), r.delivery(), r.body()));
    // a replay of the first delivery with the retry's fresh timestamp does not verify
    assertThat(first.signature()).isNotEqualTo(expectedSignature(retry.timestamp(), first.delivery(), first.body()));
  }

  @Test
  void refusalOf_nonPublicAddresses_refusedPublicOnesAllowed() throws Exception {
    for (String refused : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1")) {
      assertThat(OutboundAddresses.refusalOf(InetAddress.getByName(refused))).as(refused).isPresent();
    }
    for (String allowed : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "203.0.113.7")) {
      assertThat(OutboundAddresses.refusalOf(InetAddress.getByName(allowed))).as(allowed).isEmpty();
    }
  }

  /** The receiver's side, as docs/protocol.md tells it: HMAC-SHA256 over "timestamp.delivery.body". */
  private static String expectedSignature(String timestamp, String delivery, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + "." + delivery + ".").getBytes(StandardCharsets.UTF_8));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static JobEnded job() {
    JobStatusPayload status = new JobStatusPayload("job1", "docs", "succeeded", 100, 0, "ok", START, START, START, List.of(), java.util.Map.of(), null, "n1");
    return new JobEnded(status, new JobLinks("p", "s", "l", List.of()), Duration.ofSeconds(3), List.of());
  }
}
