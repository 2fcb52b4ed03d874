package dev.buildcast.notify;

import dev.buildcast.config.ConfigException;
import dev.buildcast.config.NotifyConfig;
import dev.buildcast.job.InvalidRequestException;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobTicket;
import dev.buildcast.log.LogLine;
import dev.buildcast.protocol.JobStatusPayload;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completion notifications: checks what a submitter asks for, remembers it (with the job's token,
 * which the links need) until the job ends, then sends the webhook and the email on its own
 * threads.
 *
 * <p>Pending notifications live in memory only: a job interrupted by a restart is failed by the
 * next start without notifications (the token, stored nowhere in clear, is gone with the process).
 *
 * <p>Thread-safe. The status listener runs under the job's lock, so it only claims the pending entry
 * and hands the work over.
 */
public final class Notifications implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Notifications.class);
  static final int FAILURE_LINES = 20;

  private final NotifyConfig config;
  private final JobService jobs;
  private final Supplier<String> listeningUrl;
  private final Optional<WebhookSender> webhooks;
  private final Optional<EmailSender> emails;
  private final Optional<EmailRecipients> recipients;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("buildcast-notify-retry").daemon().factory());
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  private record Pending(String token, NotifyTargets targets) {}

  /**
   * @param listeningUrl the server's own address, for links when no {@code publicUrl} is configured
   * @throws ConfigException when webhooks are configured but their secret is not in the environment
   */
  public Notifications(NotifyConfig config, Map<String, String> environment, JobService jobs, Supplier<String> listeningUrl) {
    this.config = config;
    this.jobs = jobs;
    this.listeningUrl = listeningUrl;
    this.webhooks = config.webhook().map(w -> {
      String secret = environment.get(w.secretEnv());
      if (secret == null || secret.isEmpty()) {
        throw new ConfigException("notify.webhook.secretEnv names " + w.secretEnv() + ", which is not set in the environment: webhooks need a secret to be signed with.");
      }
      return new WebhookSender(w, secret, retries, Clock.systemUTC(), addresses(w));
    });
    this.emails = config.email().map(e -> new EmailSender(e, environment));
    this.recipients = config.email().map(EmailRecipients::new);
    config.email().filter(e -> e.allowedRecipients().isEmpty()).ifPresent(e -> log.warn(
        "notify.email.allowedRecipients is not set: emails go only to addresses at the domain of notify.email.from ({}); list the domains"
            + " or addresses to send to", e.from()));
    jobs.onStatus(this::statusChanged);
  }

  /**
   * Checks a request's {@code notify} part: the email's syntax, the webhook URL against the
   * configured pattern, and that the server sends that kind at all.
   *
   * @throws InvalidRequestException {@code invalid_notify}, saying what is wrong
   */
  public void check(NotifyTargets targets) {
    targets.email().ifPresent(address -> {
      if (emails.isEmpty()) throw refused("This server sends no emails (notify.email is not configured).");
      EmailAddresses.check(address);
      recipients.orElseThrow().check(address);
    });
    targets.webhook().ifPresent(url -> {
      NotifyConfig.WebhookConfig w = config.webhook().orElseThrow(() -> refused("This server sends no webhooks (notify.webhook is not configured)."));
      checkWebhookUrl(url, w);
    });
  }

  private static WebhookAddresses addresses(NotifyConfig.WebhookConfig w) {
    return new WebhookAddresses(w.allowPrivateAddresses(), InetAddress::getAllByName);
  }

  private static void checkWebhookUrl(URI url, NotifyConfig.WebhookConfig w) {
    String shown = abbreviate(url.toString());
    if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw refused("The webhook '" + shown + "' must be an absolute http or https URL.");
    }
    if (url.getRawUserInfo() != null) throw refused("The webhook '" + shown + "' must not carry a user name or password.");
    if (!w.allowedUrls().matcher(url.toString()).matches()) {
      throw refused("The webhook '" + shown + "' is not allowed by this server (allowed: " + w.allowedUrls().pattern() + ").");
    }
    // why here too, though delivery checks again: a submitter learns at once that the host is refused
    try {
      addresses(w).resolveChecked(url.getHost());
    } catch (UnknownHostException e) {
      throw refused("The webhook host " + abbreviate(url.getHost()) + " could not be resolved.");
    } catch (WebhookAddresses.RefusedAddressException e) {
      throw refused("The webhook '" + shown + "' is refused: " + e.getMessage() + ".");
    }
  }

  /** Parses the text of a webhook URL, refusing what is not a URL. */
  public static URI webhookUrl(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw refused("The webhook '" + abbreviate(text) + "' is not a URL: " + e.getReason() + ".");
    }
  }

  /** Remembers what to send when the job of {@code ticket} ends; checked before with {@link #check}. */
  public void watch(JobTicket ticket, NotifyTargets targets) {
    if (targets.isEmpty()) return;
    pending.put(ticket.jobId(), new Pending(ticket.token(), targets));
    // why: the job may have ended before it was registered; whoever removes the entry sends it
    JobRecord now = jobs.status(ticket.jobId());
    if (now.state().isFinished()) claim(now);
  }

  /** How many jobs still wait to notify (for tests and monitoring). */
  public int pendingCount() {
    return pending.size();
  }

  private void statusChanged(JobRecord record) {
    if (record.state().isFinished()) claim(record);
  }

  private void claim(JobRecord record) {
    Pending p = pending.remove(record.id());
    if (p == null) return;
    try {
      workers.execute(() -> send(record, p));
    } catch (RejectedExecutionException stopping) {
      log.warn("{} - notifications not sent: the server is stopping", record.id());
    }
  }

  private void send(JobRecord record, Pending p) {
    JobEnded ended;
    try {
      ended = ended(record, p.token());
    } catch (RuntimeException e) {
      log.warn("{} - notifications not sent: composing them failed", record.id(), e);
      return;
    }
    p.targets().webhook().ifPresent(url -> webhooks.ifPresent(w -> w.send(url, ended)));
    p.targets().email().ifPresent(address -> emails.ifPresent(e -> {
      try {
        e.send(address, ended);
        log.info("{} - email sent", record.id());
      } catch (Exception failure) {
        log.warn("{} - email to the job's address failed: {}", record.id(), failure.toString());
      }
    }));
  }

  private JobEnded ended(JobRecord record, String token) {
    JobStatusPayload status = JobStatusPayload.of(record);
    URI base = config.publicUrl().orElseGet(() -> URI.create(listeningUrl.get()));
    Instant from = record.startedAt() != null ? record.startedAt() : record.queuedAt();
    Duration took = record.finishedAt() == null ? Duration.ZERO : Duration.between(from, record.finishedAt());
    // why only when asked for: log lines are text an uploader controls, and must not reach a mailbox by default
    boolean withOutput = config.email().map(NotifyConfig.EmailConfig::includeJobOutput).orElse(false);
    List<LogLine> last = status.state().equals("succeeded") || !withOutput ? List.of() : LastLines.basic(jobs.log(record.id()), FAILURE_LINES);
    return new JobEnded(status, JobLinks.of(base, status, token), took, last);
  }

  private static InvalidRequestException refused(String message) {
    return new InvalidRequestException("invalid_notify", message);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  @Override
  public void close() {
    retries.shutdownNow();
    workers.shutdown();
    try {
      // why wait a little: jobs failed by the stop itself are notified from here
      if (!workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) log.warn("notifications still sending were abandoned");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    webhooks.ifPresent(WebhookSender::close);
  }
}
