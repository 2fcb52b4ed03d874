package dev.buildcast.notify;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.config.ConfigException;
import dev.buildcast.config.NotifyConfig;
import dev.buildcast.job.InvalidRequestException;
import dev.buildcast.job.JobNotFoundException;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobTicket;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLine;
import dev.buildcast.net.OutboundAddresses;
import dev.buildcast.protocol.JobStatusPayload;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
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
 * Completion notifications: checks what a submitter asks for, records one delivery per target in
 * the {@link NotificationStore} at submit, and when the job ends has {@link NotificationOutbox} send
 * (and retry) each on its own threads. What is recorded survives a restart: a job that ends after
 * one still notifies, and a delivery not yet done is sent with the same delivery id.
 *
 * <p>The job's token, which the links in a message carry, is kept in memory only (it is stored
 * nowhere in clear): a message composed by the process that accepted the job has token links; one
 * composed after a restart has the same links without the token (docs/security.md says why).
 *
 * <p>In a cluster (a store whose {@link NotificationStore#isShared} is true) every node hears every
 * job's end: only the node holding the job's token acts on it, and {@link #sweep}, run every lease,
 * covers a node that died (docs/cluster.md, "Notifications").
 *
 * <p>Thread-safe. The status listener runs under the job's lock, so it only hands the job's end
 * over to a worker.
 */
public final class Notifications implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Notifications.class);
  static final int FAILURE_LINES = 20;

  private final NotifyConfig config;
  private final JobService jobs;
  private final Supplier<String> listeningUrl;
  private final Optional<WebhookSender> webhooks;
  private final Optional<EmailRecipients> recipients;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("buildcast-notify-retry").daemon().factory());
  /** Tokens of the jobs this process accepted that still have deliveries to make. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final NotificationOutbox outbox;
  private final Clock clock;
  /** Whether the store is shared by a cluster's nodes ({@link NotificationStore#isShared}). */
  private final boolean shared;

  /**
   * @param listeningUrl the server's own address, for links when no {@code publicUrl} is configured
   * @param store where deliveries are recorded until they are done
   * @throws ConfigException when webhooks are configured but their secret is not in the environment
   */
  public Notifications(NotifyConfig config, Map<String, String> environment, JobService jobs, Supplier<String> listeningUrl,
      NotificationStore store, Clock clock) {
    this.config = config;
    this.jobs = jobs;
    this.listeningUrl = listeningUrl;
    this.clock = clock;
    this.shared = store.isShared();
    this.webhooks = config.webhook().map(w -> {
      String secret = environment.get(w.secretEnv());
      if (secret == null || secret.isEmpty()) {
        throw new ConfigException("notify.webhook.secretEnv names " + w.secretEnv() + ", which is not set in the environment: webhooks need a secret to be signed with.");
      }
      return new WebhookSender(w, secret, clock, addresses(w));
    });
    this.recipients = config.email().map(EmailRecipients::new);
    Map<DeliveryKind, DeliveryChannel> channels = new EnumMap<>(DeliveryKind.class);
    webhooks.ifPresent(w -> channels.put(DeliveryKind.WEBHOOK, w));
    config.email().ifPresent(e -> channels.put(DeliveryKind.EMAIL, new EmailChannel(new EmailSender(e, environment), recipients.orElseThrow(), workers)));
    this.outbox = new NotificationOutbox(store, channels, new Messages(), clock, RetryTimer.on(retries), workers);
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
      if (recipients.isEmpty()) throw refused("This server sends no emails (notify.email is not configured).");
      EmailAddresses.check(address);
      recipients.orElseThrow().check(address);
    });
    targets.webhook().ifPresent(url -> {
      NotifyConfig.WebhookConfig w = config.webhook().orElseThrow(() -> refused("This server sends no webhooks (notify.webhook is not configured)."));
      checkWebhookUrl(url, w);
    });
  }

  private static OutboundAddresses addresses(NotifyConfig.WebhookConfig w) {
    return WebhookSender.addresses(w.allowPrivateAddresses(), OutboundAddresses.SYSTEM);
  }

  private static void checkWebhookUrl(URI url, NotifyConfig.WebhookConfig w) {
    String shown = abbreviate(url.toString());
    // why a bound: each delivery is recorded with its URL, in a small file
    if (url.toString().length() > PendingDelivery.MAX_TARGET_CHARS) {
      throw refused("The webhook '" + shown + "' is longer than " + PendingDelivery.MAX_TARGET_CHARS + " characters.");
    }
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
    } catch (OutboundAddresses.RefusedAddressException e) {
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

  /**
   * Records what to send when the job of {@code ticket} ends; checked before with {@link #check}.
   * A store that cannot write is logged, not thrown: the job exists already and its submitter must
   * get its ticket.
   */
  public void watch(JobTicket ticket, NotifyTargets targets) {
    if (targets.isEmpty()) return;
    tokens.put(ticket.jobId(), ticket.token());
    try {
      outbox.record(ticket.jobId(), targets);
    } catch (RuntimeException e) {
      tokens.remove(ticket.jobId());
      log.error("{} - the job's notifications could not be recorded, so none will be sent: {}", ticket.jobId(), e.toString());
      return;
    }
    // why: the job may have ended before its deliveries were recorded; a second call does nothing
    if (jobs.status(ticket.jobId()).state().isFinished()) endJob(ticket.jobId());
  }

  /**
   * Picks up what the previous process left (call once at start-up, after interrupted jobs are
   * failed and before requests come in): due deliveries are sent at their next-attempt time, and
   * the deliveries of jobs that ended meanwhile become due.
   */
  public void resume() {
    outbox.resume(jobId -> phaseOf(jobId, Duration.ZERO));
  }

  /**
   * With a store the nodes of a cluster share (call every lease): takes over the due deliveries of
   * nodes that died, and makes due the waiting ones of jobs that ended more than {@code grace} ago
   * with no node marking them (their submitter died). why the grace: the node that accepted a job
   * marks its deliveries as soon as it hears the end, and only it has the token for the links.
   */
  public void sweep(Duration grace) {
    outbox.sweep(jobId -> phaseOf(jobId, grace));
  }

  private NotificationOutbox.JobPhase phaseOf(String jobId, Duration grace) {
    try {
      JobRecord record = jobs.status(jobId);
      if (!record.state().isFinished()) return NotificationOutbox.JobPhase.UNFINISHED;
      Instant ended = record.finishedAt();
      boolean recent = ended != null && ended.isAfter(clock.instant().minus(grace));
      return recent ? NotificationOutbox.JobPhase.UNFINISHED : NotificationOutbox.JobPhase.ENDED;
    } catch (JobNotFoundException gone) {
      return NotificationOutbox.JobPhase.GONE;
    } catch (RuntimeException unreadable) {
      if (unreadable instanceof EngineUnavailableException) throw unreadable; // why: not gone, only out of reach for now
      // why gone: a job whose record cannot be read cannot be told about either
      log.warn("{} - the job's record could not be read ({}); its notifications are dropped", jobId, unreadable.toString());
      return NotificationOutbox.JobPhase.GONE;
    }
  }

  /** How many deliveries are not done yet: waiting for their job to end, or being attempted (for tests and monitoring). */
  public int pendingCount() {
    return outbox.pendingCount();
  }

  private void statusChanged(JobRecord record) {
    if (!record.state().isFinished()) return;
    // why: in a cluster every node hears every end; the one that accepted the job (it has the token) marks its deliveries,
    // and sweep() covers a submitter that died
    if (shared && !tokens.containsKey(record.id())) return;
    try {
      workers.execute(() -> endJob(record.id()));
    } catch (RejectedExecutionException stopping) {
      log.info("{} - notifications stay recorded: the server is stopping; they are sent after the restart", record.id());
    }
  }

  private void endJob(String jobId) {
    try {
      outbox.jobEnded(jobId);
    } catch (RuntimeException e) {
      log.error("{} - the job's notifications could not be started; they stay recorded for the next start: {}", jobId, e.toString());
    }
  }

  /** Messages composed from the stored record when they are sent, with the token while this process has it. */
  private final class Messages implements JobMessages {
    @Override
    public Optional<JobEnded> compose(String jobId) {
      JobRecord record;
      try {
        record = jobs.status(jobId);
      } catch (JobNotFoundException gone) {
        return Optional.empty();
      }
      return Optional.of(ended(record, Optional.ofNullable(tokens.get(jobId))));
    }

    @Override
    public void forget(String jobId) {
      tokens.remove(jobId);
    }
  }

  private JobEnded ended(JobRecord record, Optional<String> token) {
    JobStatusPayload status = JobStatusPayload.of(record);
    URI base = config.publicUrl().orElseGet(() -> URI.create(listeningUrl.get()));
    Instant from = record.startedAt() != null ? record.startedAt() : record.queuedAt();
    Duration took = record.finishedAt() == null ? Duration.ZERO : Duration.between(from, record.finishedAt());
    // why only when asked for: log lines are text an uploader controls, and must not reach a mailbox by default
    boolean withOutput = config.email().map(NotifyConfig.EmailConfig::includeJobOutput).orElse(false);
    List<LogLine> last = status.state().equals("succeeded") || !withOutput ? List.of() : lastLines(record.id());
    return new JobEnded(status, JobLinks.of(base, status, token), took, last);
  }

  private List<LogLine> lastLines(String jobId) {
    try (JobLog log = jobs.log(jobId)) {
      return LastLines.basic(log, FAILURE_LINES);
    }
  }

  private static InvalidRequestException refused(String message) {
    return new InvalidRequestException("invalid_notify", message);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  @Override
  public void close() {
    outbox.stop();
    retries.shutdownNow();
    workers.shutdown();
    try {
      // why wait a little: jobs failed by the stop itself are notified from here
      if (!workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) log.warn("notifications still sending were left for the next start");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    webhooks.ifPresent(WebhookSender::close);
  }
}
