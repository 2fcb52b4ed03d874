package dev.buildcast.app;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.blob.BlobProbe;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.cluster.RedisAcceptedLines;
import dev.buildcast.cluster.RedisPreviewSecret;
import dev.buildcast.cluster.RedisArchiveQueue;
import dev.buildcast.cluster.RedisEngine;
import dev.buildcast.cluster.RedisJobQueue;
import dev.buildcast.cluster.RedisJobStore;
import dev.buildcast.cluster.RedisNodeLease;
import dev.buildcast.cluster.RedisNotificationStore;
import dev.buildcast.cluster.RedisQueueReaper;
import dev.buildcast.cluster.RedisQueueWakeups;
import dev.buildcast.cluster.RedisStatusBus;
import dev.buildcast.cluster.RedisUploadStore;
import dev.buildcast.cluster.ReplicaAcks;
import dev.buildcast.config.ClusterConfig;
import dev.buildcast.config.ConfigException;
import dev.buildcast.http.ClusterHealth;
import dev.buildcast.job.LeaseTrust;
import dev.buildcast.log.LogStore;
import dev.buildcast.job.JobRecord;
import dev.buildcast.log.cluster.ClusterLogStore;
import dev.buildcast.log.cluster.LogArchiver;
import dev.buildcast.log.cluster.MirrorCache;
import dev.buildcast.log.cluster.MirrorFeed;
import dev.buildcast.log.cluster.MirrorFeedLoop;
import dev.buildcast.log.cluster.RetryTimer;
import dev.buildcast.notify.NotificationStore;
import dev.buildcast.storage.file.BlobLogArchive;
import dev.buildcast.metrics.Metrics;
import dev.buildcast.storage.file.FileLogSegments;
import dev.buildcast.storage.file.LocalJobLogs;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.storage.s3.S3BlobStore;
import dev.buildcast.storage.s3.S3BlobStoreOptions;
import dev.buildcast.time.Repeater;
import dev.buildcast.upload.UploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapters a node of a cluster shares with the others, built from the {@code cluster:}
 * section: the Redis connection (its settings checked before anything else), this node's liveness
 * and the reaper of dead nodes' queue state, the job store, queue and status bus on Redis, the
 * blob store for artifacts and sites, and the live log path ({@link #logs}). It owns all of them
 * and closes them in reverse order of building.
 */
final class ClusterWiring implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterWiring.class);
  /** How long {@code /healthz} reuses the blob store's last answer. */
  static final Duration BLOB_PROBE_EVERY = Duration.ofSeconds(5);

  private final String nodeId;
  private final Duration lease;
  private final RedisEngine engine;
  private final RedisNodeLease liveness;
  private final RedisQueueReaper reaper;
  private final RedisJobStore store;
  private final RedisJobQueue queue;
  private final RedisStatusBus bus;
  private final RedisQueueWakeups wakeups;
  private final BlobStore blobs;
  /** why cached: a load balancer checks every node every few seconds; the object storage should not see each check. */
  private final BlobProbe blobProbe;
  private final RedisAcceptedLines acceptedLines;
  /** Runs the shippers' appends; why one thread: a shipper keeps one append in flight, and appends are short. */
  private final ExecutorService shipping =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("buildcast-log-ship").daemon().factory());
  /**
   * Runs the archiver. why its own thread: copying a long log to object storage must not delay the
   * lease renewals and retries on the shared timers.
   */
  private final ScheduledExecutorService archiving =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("buildcast-log-archive").daemon().factory());
  private final Duration archiveGrace;
  private final long mirrorCacheBytes;
  private ClusterLogStore logs;
  private MirrorFeedLoop feedLoop;
  private LogArchiver archiver;
  /** Told the id of a job whose log another node took over; set once the job service exists ({@link #whenRunLost}). */
  private volatile java.util.function.Consumer<String> onFenced = jobId -> {};

  private ClusterWiring(String nodeId, Duration lease, Duration archiveGrace, long mirrorCacheBytes, RedisEngine engine,
      RedisStatusBus bus, BlobStore blobs, int maxConcurrentJobs, Repeater repeater, Clock clock) {
    this.nodeId = nodeId;
    this.lease = lease;
    this.archiveGrace = archiveGrace;
    this.mirrorCacheBytes = mirrorCacheBytes;
    this.engine = engine;
    // why first: a node whose slots are registered while it has no liveness key is dead to other nodes' reapers
    this.liveness = new RedisNodeLease(engine, nodeId, lease, repeater);
    liveness.start();
    this.store = new RedisJobStore(engine);
    this.queue = new RedisJobQueue(engine, nodeId, maxConcurrentJobs, lease);
    // why before any worker claims: this node runs nothing yet, so what its set says it holds is from its previous process
    int back = queue.releaseClaimsOfEarlierRun();
    if (back > 0) log.info("{} job(s) this node had claimed before it stopped, and not started, are queued again", back);
    this.reaper = new RedisQueueReaper(engine, lease, repeater, leaseTrust());
    reaper.start();
    this.bus = bus;
    this.wakeups = new RedisQueueWakeups(engine);
    this.blobs = blobs;
    this.blobProbe = new BlobProbe(blobs, clock, BLOB_PROBE_EVERY);
    this.acceptedLines = new RedisAcceptedLines(engine);
  }

  /**
   * The cluster's log store over this node's log files: jobs it runs are spooled there and shipped
   * to Redis; jobs it does not run are mirrored there from Redis by a feed thread started here.
   *
   * Sealed logs are archived in the blob store by a {@link LogArchiver} on a thread of its own
   * (every {@code lease / 5}, at least 200 ms), and read back from there once their stream is gone.
   *
   * @param spools this node's file log store (the spools)
   * The logs kept in the job folders are bounded by {@code cluster.mirrorCache} ({@link
   * MirrorCache}, checked every lease on the same thread).
   *
   * @param jobDir the folder of a job, where its log files are (spool and mirror alike)
   * @param jobsRoot the folder holding every job's folder
   * @param archiveWork a folder of this node's where logs are built before they are archived
   * @param timers runs the shippers' retries; owned by the caller
   */
  synchronized LogStore logs(LogStore spools, Function<String, java.nio.file.Path> jobDir, Path jobsRoot, Path archiveWork,
      ScheduledExecutorService timers, Clock clock) {
    if (logs != null) throw new IllegalStateException("the cluster's log store is built once");
    MirrorFeed feed = new MirrorFeed(acceptedLines);
    BlobLogArchive archive = new BlobLogArchive(blobs, archiveWork, jobDir);
    archiver = new LogArchiver(acceptedLines, new RedisArchiveQueue(engine), archive, this::stageOf, clock, archiveGrace,
        ARCHIVE_FIRST_BACKOFF, ARCHIVE_MAX_BACKOFF);
    Duration every = lease.dividedBy(5).compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : lease.dividedBy(5);
    Repeater.on(archiving).repeat(every, () -> quietly("archiving sealed logs", archiver::runOnce));
    logs = new ClusterLogStore(spools, new FileLogSegments(jobDir), acceptedLines, feed,
        ClusterLogStore.runner(acceptedLines, nodeId, queue::isClaimedHere), shipping, RetryTimer.on(timers),
        jobId -> {
          log.warn("{} - another node took this job's log over; this node's lines are no longer accepted", jobId);
          onFenced.accept(jobId);
        },
        new ClusterLogStore.Writer(nodeId, clock), archive);
    MirrorCache cache = new MirrorCache(new LocalJobLogs(jobsRoot), logs, archive, mirrorCacheBytes);
    Repeater.on(archiving).repeat(lease, () -> quietly("bounding the mirror cache", cache::evictOnce));
    feedLoop = MirrorFeedLoop.start(feed, MirrorFeedLoop.Pause.sleeping());
    return logs;
  }

  /**
   * Registers what stops this node's runs when it lost them: {@code fenced} is told the id of a job
   * whose log another node took over (on the shipping thread), {@code cutOff} when this node could
   * not renew its liveness for most of a lease (on the renewing thread). Both must not block.
   */
  void whenRunLost(java.util.function.Consumer<String> fenced, Runnable cutOff) {
    this.onFenced = fenced;
    liveness.whenCutOff(cutOff);
  }

  /** why one line and not the repeater's stack trace: during a Redis outage this fails every run. */
  private static void quietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.warn("{} failed; trying again at the next run: {}", what, e.toString());
    }
  }

  /** The first wait after a failed archive of a log (doubled after each next failure of it). */
  static final Duration ARCHIVE_FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration ARCHIVE_MAX_BACKOFF = Duration.ofMinutes(5);

  private LogArchiver.JobStage stageOf(String jobId) {
    Optional<JobRecord> record = store.find(jobId);
    if (record.isEmpty()) return LogArchiver.JobStage.DELETED;
    return record.get().state().isFinished() ? LogArchiver.JobStage.FINISHED : LogArchiver.JobStage.UNFINISHED;
  }

  /** Sealed logs waiting to be archived, as this node's archiver last counted them (0 before its first run). */
  long archivePending() {
    LogArchiver running = archiver;
    return running == null ? 0 : running.pendingCount();
  }

  /**
   * Records the cluster's meters in {@code metrics}: failed Redis commands, the round trip of each
   * log append, the never-started jobs this node's reaper put back in the queue, and the shipping
   * lag gauge ({@link #shippingLagLines}).
   */
  void countWith(Metrics metrics) {
    engine.countErrorsWith(metrics::clusterEngineError);
    acceptedLines.timeAppendsWith(metrics::clusterAppendTook);
    reaper.countRequeuedWith(metrics::clusterJobsRequeued);
    metrics.gauge("buildcast.cluster.shipping.lag.lines", "Log lines this node's running jobs published that Redis has not accepted yet",
        this::shippingLagLines);
  }

  /** Lines this node's running jobs published and Redis has not accepted yet (0 before the log store is built). */
  synchronized long shippingLagLines() {
    return logs == null ? 0 : logs.shippingLagLines();
  }

  /**
   * Has {@code lookForJobs} run whenever a job became claimable in the cluster's queue (queued on
   * any node, or put back by a reaper), on a thread of its own. Call it once this node recovered
   * its jobs: a claim before that would be taken for a run of its previous process.
   */
  void whenJobsWait(Runnable lookForJobs) {
    wakeups.whenJobsWait(lookForJobs);
  }

  /** Stops following other nodes' logs, archiving, and shipping this node's (before the spools close). */
  synchronized void closeLogs() {
    archiving.shutdownNow();
    if (feedLoop != null) feedLoop.close();
    if (logs != null) logs.close();
    shipping.shutdownNow();
  }

  /**
   * Connects to Redis, refuses one whose settings could lose data, and builds the shared adapters.
   *
   * @throws ConfigException when a secret's environment variable is unset or a blob option is wrong
   * @throws IllegalStateException when Redis may evict keys ({@link RedisEngine#checkSettings()})
   * @throws dev.buildcast.EngineUnavailableException when Redis cannot be reached
   */
  static ClusterWiring connect(ClusterConfig config, String nodeId, int maxConcurrentJobs, Map<String, String> environment, Clock clock,
      Repeater repeater) {
    Optional<char[]> password = config.redis().passwordEnv().map(name -> secret(environment, name, "cluster.redis.passwordEnv").toCharArray());
    BlobStore blobs = blobs(config.blobs(), environment, clock);
    RedisEngine engine = null;
    try {
      engine = engine(config.redis(), password);
      engine.checkSettings().forEach(warning -> log.warn("{}", warning));
      return new ClusterWiring(nodeId, config.lease(), config.archiveGrace(), config.mirrorCacheBytes(), engine, new RedisStatusBus(engine), blobs,
          maxConcurrentJobs, repeater, clock);
    } catch (RuntimeException e) {
      // why the blob store too: a start that waits for Redis calls this again, and each call opens one
      if (engine != null) engine.close();
      if (blobs instanceof AutoCloseable) closeQuietly((AutoCloseable) blobs);
      throw e;
    }
  }

  private static RedisEngine engine(ClusterConfig.RedisSettings redis, Optional<char[]> password) {
    ReplicaAcks acks = new ReplicaAcks(redis.minReplicasAck(), redis.ackTimeout());
    return switch (redis.address()) {
      case ClusterConfig.RedisUrl direct -> RedisEngine.connect(direct.url().toString(), password, redis.commandTimeout(), acks);
      case ClusterConfig.RedisSentinels sentinels ->
          RedisEngine.connectThroughSentinels(sentinels.sentinels(), sentinels.masterName(), password, redis.commandTimeout(), acks);
    };
  }

  private static BlobStore blobs(ClusterConfig.Blobs config, Map<String, String> environment, Clock clock) {
    return switch (config) {
      // why page cache, as a single node's artifacts: a blob is written once, after the job's files are final
      case ClusterConfig.DirectoryBlobs folder -> new FolderBlobStore(folder.path(), FolderBlobStore.Durability.PAGE_CACHE);
      case ClusterConfig.S3Blobs s3 -> {
        S3BlobStoreOptions options;
        try {
          options = S3BlobStoreOptions.of(s3.endpoint(), s3.bucket(), s3.region(), s3.pathStyle(),
              secret(environment, s3.accessKeyEnv(), "cluster.blobs.accessKeyEnv"),
              secret(environment, s3.secretKeyEnv(), "cluster.blobs.secretKeyEnv"), s3.keyPrefix());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("cluster.blobs: " + e.getMessage() + ".", e);
        }
        S3BlobStore store = new S3BlobStore(options, clock);
        try {
          store.checkBucket();
        } catch (RuntimeException e) {
          store.close();
          throw e;
        }
        yield store;
      }
    };
  }

  /** The value of the environment variable a key names; never quoted in a message. */
  private static String secret(Map<String, String> environment, String name, String key) {
    String value = environment.get(name);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(key + " names the environment variable " + name + ", which is not set (or empty) for this server.");
    }
    return value;
  }

  /** See {@link ClusterLogStore#heldLogs}; empty before the logs are wired. */
  synchronized Set<String> heldLogs() {
    return logs == null ? Set.of() : logs.heldLogs();
  }

  /**
   * This node's id, whether Redis answers now (one command, bounded by the command timeout), whether
   * the blob store did at its last probe (at most every {@link #BLOB_PROBE_EVERY}), and the shipping
   * lag; for {@code /healthz}.
   */
  ClusterHealth health() {
    return new ClusterHealth(nodeId, engine.isReachable(), blobProbe.isUp(), shippingLagLines());
  }

  String nodeId() {
    return nodeId;
  }

  /** The secret every node makes site-preview keys under (drawn by the first node; {@link RedisPreviewSecret}). */
  byte[] previewSecret() {
    return RedisPreviewSecret.shared(engine, new java.security.SecureRandom());
  }

  /**
   * Passed leases (of jobs, of nodes' liveness keys) mean dead owners only once Redis has answered
   * this node for a whole lease since it last could not reach it: until then nobody could renew.
   */
  LeaseTrust leaseTrust() {
    return () -> engine.hasAnsweredFor(lease);
  }

  Duration lease() {
    return lease;
  }

  RedisJobStore store() {
    return store;
  }

  RedisJobQueue queue() {
    return queue;
  }

  RedisStatusBus bus() {
    return bus;
  }

  BlobStore blobs() {
    return blobs;
  }

  /**
   * The cluster's notification store: every node's pending deliveries in Redis, each sent by one
   * live node (the one that marked it due, or the one that took it over when that one died).
   */
  NotificationStore notifications() {
    return new RedisNotificationStore(engine, liveness);
  }

  /**
   * The cluster's upload store: records in Redis, bytes in the shared blob store, so an upload
   * continues on any node and any node's job takes a completed one; {@code dir} holds this node's
   * bytes since an upload's last save.
   */
  UploadStore uploads(Path dir) {
    return new RedisUploadStore(engine, blobs, dir, nodeId);
  }

  /**
   * Closes the log path, stops reaping and deletes this node's liveness key (after the jobs closed,
   * so its runs have released their slots: other nodes then reap what is left at once), then the
   * bus's subscription, the blob store's client and the connection everything shared.
   */
  @Override
  public void close() {
    closeLogs();
    wakeups.close();
    reaper.close();
    liveness.close();
    acceptedLines.close();
    bus.close();
    if (blobs instanceof AutoCloseable closeable) closeQuietly(closeable);
    engine.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} failed", closeable, e);
    }
  }
}
