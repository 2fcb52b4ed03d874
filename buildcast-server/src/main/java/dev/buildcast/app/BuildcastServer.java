package dev.buildcast.app;

import dev.buildcast.blob.BlobStore;
import dev.buildcast.config.BuildcastConfig;
import dev.buildcast.config.ServerOptions;
import dev.buildcast.generator.CommandGenerator;
import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorEnvironment;
import dev.buildcast.generator.docs.DocsSiteSettings;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.http.AllowedHosts;
import dev.buildcast.http.HostCheck;
import dev.buildcast.http.HttpApi;
import dev.buildcast.http.UnreadBodyDrain;
import dev.buildcast.job.JobFiles;
import dev.buildcast.job.JobRetention;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobServiceOptions;
import dev.buildcast.job.JobState;
import dev.buildcast.job.JobSettings;
import dev.buildcast.job.LocalJobQueue;
import dev.buildcast.limits.RateLimiter;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.log.LogForcing;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.time.Repeater;
import dev.buildcast.metrics.DataDirUsage;
import dev.buildcast.metrics.Metrics;
import dev.buildcast.notify.Notifications;
import dev.buildcast.socket.SiofuEvents;
import dev.buildcast.socket.SocketGateway;
import dev.buildcast.socket.UploadEvents;
import dev.buildcast.socketio.SocketIoConfig;
import dev.buildcast.socketio.SocketIoServer;
import dev.buildcast.socketio.engine.EngineConfig;
import dev.buildcast.socketio.engine.WritesAfterTask;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.storage.file.FileNotificationStore;
import dev.buildcast.storage.file.FileUploadStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.storage.file.NodeIdFile;
import dev.buildcast.upload.UploadService;
import dev.buildcast.upload.ZipInspector;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buildcast wired by hand: stores, queue, job service, broadcaster, Socket.IO and HTTP on one
 * Jetty server, one port. It owns every thread pool it creates and closes them in reverse order.
 */
public final class BuildcastServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BuildcastServer.class);

  /**
   * Bytes one connection may have queued for sending. why far below the engine's 8 MiB default: a
   * watcher in catch-up fills its queue with its own copy of the log, so 200 stuck watchers that
   * joined late held 200 × 8 MiB and ran a 512 MiB heap out of memory (bench/stuck); a watcher past
   * this bound just moves to catch-up from disk, which costs it no line.
   */
  static final long OUTBOUND_QUEUE_BYTES = 1024 * 1024;
  /** Messages one connection may have queued: the engine's default, above the most lines of one batch. */
  static final int OUTBOUND_QUEUE_MESSAGES = 10_000;
  /**
   * Bytes all connections together may have queued (messages shared by a broadcast count once): a
   * quarter of the heap, at least 16 MiB. why: the bound per connection alone lets a thousand
   * watchers in catch-up queue a gigabyte; past this one they too wait for their own queue to
   * drain and then read on from disk.
   */
  static final long OUTBOUND_QUEUES_BYTES = Math.max(16L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
  /** Threads reading logs for watchers that catch up; see {@link #catchUpReaders}. */
  static final int CATCH_UP_READERS = 2;
  /** How often finished jobs past their retention age are looked for. */
  static final Duration RETENTION_SWEEP_EVERY = Duration.ofMinutes(10);
  /** How long a measurement of the data folder (and the count of stored jobs) is reused. */
  static final Duration USAGE_MAX_AGE = Duration.ofSeconds(30);

  private final ServerOptions options;
  private final JobFiles files;
  private final ScheduledExecutorService logForcer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("buildcast-log-force").daemon().factory());
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("buildcast-timer-", 0).daemon().factory());
  /**
   * Runs the broadcaster's deliveries. why its own thread: a delivery runs the moment a line is
   * appended, and must not wait behind a timer's task (or a sweep); one is plenty, as a delivery
   * queues batches on sockets and then starts their non-blocking writes. why started at once: the
   * server's threads are then fixed from the start (HostileInputIT compares them before and
   * after), not born with the first delivery.
   */
  private final ExecutorService broadcastDeliveries = broadcastDeliveries();
  /** why its own thread: a sweep walks every job's record and must not delay the broadcast ticks. */
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("buildcast-retention").daemon().factory());
  /**
   * Catch-up reads (late joiners, resumes, watchers that fell behind). why two platform threads and
   * not a virtual thread each: a hundred watchers joining late each read and encode their backlog;
   * as virtual threads they queued ahead of the job's own output pump on the same two carriers and
   * stalled the job for seconds (bench/stuck). Here they wait for each other, and the OS shares the
   * CPU fairly with the job. The threads start with the server, so their count never changes.
   */
  private final java.util.concurrent.ThreadPoolExecutor catchUpReaders = catchUpReaders();
  private final Server jetty;
  private final ServerConnector connector;
  private final FileLogStore logs;
  private final SocketIoServer io;
  private final JobService jobs;
  private final Notifications notifications;
  private final LogBroadcaster broadcaster;
  private final UploadService uploads;
  private final JobRetention retention;
  private final Metrics metrics = new Metrics();
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The shared adapters when this node is one of a cluster (a {@code cluster:} section); empty for a single node. */
  private final Optional<ClusterWiring> cluster;

  public BuildcastServer(ServerOptions options, BuildcastConfig config, Map<String, String> environment) {
    this.options = options;
    Clock clock = Clock.systemUTC();
    this.cluster = config.cluster().map(c -> EngineStartupWait.standard().connect(() -> ClusterWiring.connect(c,
        c.resolveNodeId(options.nodeId()), config.maxConcurrentJobs(), environment, clock, Repeater.on(timers))));
    BlobStore blobs = cluster.map(ClusterWiring::blobs)
        .orElseGet(() -> new FolderBlobStore(options.dataDir().resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE));
    this.files = new JobFiles(options.dataDir(), blobs);
    // why: fsync passes get their own thread so they never delay the broadcaster's deliveries
    this.logs = new FileLogStore(files::jobDir, new LogStoreOptions(clock, LogLimit.of(config.logs().maxBytesPerJob()),
        LogForcing.every(LogForcing.DEFAULT_INTERVAL, Repeater.on(logForcer))));
    logs.countAppendsWith(metrics::logAppended);
    DocsSiteSettings docsSite = config.docsSite().settings(environment);
    GeneratorRegistry generators = new GeneratorRegistry(generators(config, environment, docsSite));
    this.uploads = new UploadService(cluster.map(c -> c.uploads(options.dataDir().resolve("uploads")))
        .orElseGet(() -> new FileUploadStore(options.dataDir().resolve("uploads"),
            // why FORCED: the .part is deleted once its blob is put, so the blob must survive a power loss by then (one flush per upload)
            new FolderBlobStore(options.dataDir().resolve("blobs"), FolderBlobStore.Durability.FORCED))), config.uploads(), clock);
    JobServiceOptions.Builder jobOptions = JobServiceOptions.builder().generators(generators)
        .files(files).inputs(uploads).inputCheck(new ZipInspector(config.uploads()))
        .settings(new JobSettings(timeouts(config), Duration.ofMinutes(30), ServerSecrets.of(config, environment), timers))
        .clock(clock).repeater(Repeater.on(timers));
    if (cluster.isPresent()) {
      ClusterWiring c = cluster.get();
      // why a fifth of the lease: a dead node's jobs then end at most 1.2 leases after its last renewal, and
      // the store lists only passed leases, so looking that often costs a read of nothing most times
      jobOptions.store(c.store()).queue(c.queue()).bus(c.bus()).lease(c.lease()).leaseTrust(c.leaseTrust()).nodeId(c.nodeId())
          .leaseSweepEvery(c.lease().dividedBy(5)).storeFilesFor(config.cluster().orElseThrow().finishTimeout())
          .logs(c.logs(logs, files::jobDir, options.dataDir().toAbsolutePath().normalize().resolve("jobs"),
              options.dataDir().resolve("archive-work"), timers, clock));
    } else {
      jobOptions.logs(logs).store(new FileJobStore(files)).queue(new LocalJobQueue(config.maxConcurrentJobs())).nodeId(nodeId(options));
    }
    this.jobs = new JobService(jobOptions.build());
    cluster.ifPresent(c -> {
      c.countWith(metrics);
      jobs.countLeaseFailuresWith(metrics::clusterJobsFailedByLease);
    });
    cluster.ifPresent(c -> c.whenRunLost(jobId -> {
      metrics.clusterFenced();
      jobs.stopLost(jobId, "another node took this job over");
    }, () -> jobs.stopAllLost("this node could not reach the cluster's Redis for most of a lease")));
    this.retention = new JobRetention(jobs, config.retention().jobs(), clock);
    RateLimiter jobStarts = new RateLimiter("jobs started", config.limits().jobsPerIpPerMinute(), Duration.ofMinutes(1), clock,
        metrics::limitRefused);
    DataDirUsage usage = new DataDirUsage(options.dataDir(), clock, USAGE_MAX_AGE);

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("buildcast-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    this.jetty = new Server(threads);
    this.connector = config.proxyProtocol()
        ? new ServerConnector(jetty, new ProxyConnectionFactory(HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory())
        : new ServerConnector(jetty);
    connector.setHost(options.host());
    connector.setPort(options.port());
    jetty.addConnector(connector);

    EngineConfig engine = SocketIoConfig.defaults().engine().withAllowedOrigins(config.allowedOrigins())
        .withMaxSessionsPerAddress(config.limits().connectionsPerIp())
        .withQueueLimits(OUTBOUND_QUEUE_BYTES, OUTBOUND_QUEUE_MESSAGES, OUTBOUND_QUEUES_BYTES)
        .withPerMessageDeflate(config.socket().compression(), config.socket().compressionThresholdBytes());
    // why only an id the operator gave: a load balancer routes by it, and a server started as before keeps its session ids as before
    if (cluster.isPresent()) engine = engine.withSessionIdTag(cluster.get().nodeId());
    else if (options.nodeId().isPresent()) engine = engine.withSessionIdTag(options.nodeId().get());
    SocketIoConfig socketConfig = SocketIoConfig.defaults().withEngine(engine);
    this.io = SocketIoServer.create(jetty, socketConfig);
    this.notifications = new Notifications(config.notifications(), environment, jobs, this::url,
        cluster.map(ClusterWiring::notifications).orElseGet(() -> new FileNotificationStore(options.dataDir().resolve("notify"))), clock);
    // why the writes after each delivery, on its thread: see WritesAfterTask
    this.broadcaster = new LogBroadcaster(task -> broadcastDeliveries.execute(WritesAfterTask.around(task)), catchUpReaders, 2000);
    SocketGateway gateway = new SocketGateway(io, jobs, broadcaster, jobStarts, metrics::slowClientDropped);
    new UploadEvents(io, gateway, uploads);
    new SiofuEvents(io, gateway, uploads);
    jetty.setHandler(new UnreadBodyDrain(new HostCheck(allowedHosts(config, options), io.handler(HttpApi.create(jetty, jobs, uploads,
        broadcaster, notifications, ready::get, usage::current, metrics, jobStarts, config.allowedOrigins(),
        () -> cluster.map(ClusterWiring::health), cluster.map(ClusterWiring::previewSecret))))));
    registerGauges(usage, clock);
  }

  /** The id the operator gave, else the one kept in the data folder (made there on the first start). */
  private static String nodeId(ServerOptions options) {
    return options.nodeId().orElseGet(() -> NodeIdFile.loadOrCreate(options.dataDir()));
  }

  private void registerGauges(DataDirUsage usage, Clock clock) {
    JobStateCounts counts = new JobStateCounts(jobs, clock, USAGE_MAX_AGE);
    for (JobState state : JobState.values()) {
      if (state != state.visible()) continue; // why: a cancelling job counts as running, as clients see it
      metrics.gauge("buildcast.jobs", "Jobs by state (finished ones as stored, i.e. within retention)",
          "state", state.wireName(), () -> counts.count(state));
    }
    metrics.gauge("buildcast.socketio.clients", "Connected Socket.IO clients (Engine.IO sessions)", io::clientCount);
    metrics.gauge("buildcast.data.bytes", "Bytes of files in the data folder", () -> usage.current().dataBytes());
    metrics.gauge("buildcast.upload.store.bytes", "Bytes of files in the upload store, unfinished and completed",
        () -> uploads.storeUsage().bytes());
    metrics.gauge("buildcast.upload.store.files", "Files in the upload store, unfinished and completed",
        () -> uploads.storeUsage().files());
    metrics.gauge("buildcast.disk.free.bytes", "Bytes free on the data folder's disk", () -> usage.current().freeBytes());
    cluster.ifPresent(c -> metrics.gauge("buildcast.cluster.archive.pending",
        "Sealed job logs not yet archived in the cluster's blob store (their streams stay in Redis until they are)", c::archivePending));
  }

  /**
   * The configured hosts, the public URL's host, and the name or address the server listens on when
   * it is one (the operator chose it; an address literal in Host cannot come from a rebinding name).
   */
  private static AllowedHosts allowedHosts(BuildcastConfig config, ServerOptions options) {
    List<String> extra = new ArrayList<>();
    config.notifications().publicUrl().map(java.net.URI::getHost).ifPresent(extra::add);
    String listening = options.host();
    if (!List.of("0.0.0.0", "::", "[::]", "").contains(listening)) extra.add(listening);
    return AllowedHosts.of(config.allowedHosts(), extra);
  }

  private static ExecutorService broadcastDeliveries() {
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new java.util.concurrent.LinkedBlockingQueue<>(), Thread.ofPlatform().name("buildcast-broadcast").daemon().factory());
    pool.prestartAllCoreThreads();
    return pool;
  }

  private static java.util.concurrent.ThreadPoolExecutor catchUpReaders() {
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(CATCH_UP_READERS, CATCH_UP_READERS, 0,
        TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), Thread.ofPlatform().name("buildcast-catchup-", 0).daemon().factory());
    pool.prestartAllCoreThreads();
    return pool;
  }

  private void sweepUploads() {
    try {
      uploads.sweep();
    } catch (RuntimeException e) {
      // why catch: an exception would cancel the schedule, and expired uploads would pile up
      log.warn("sweeping expired uploads failed; will retry", e);
    }
  }

  /** How often expired unfinished uploads are looked for: a tenth of their lifetime, between 1 s and 10 min. */
  static long sweepEveryMillis(Duration expireAfter) {
    return Math.clamp(expireAfter.toMillis() / 10, 1_000L, 600_000L);
  }

  private static List<Generator> generators(BuildcastConfig config, Map<String, String> environment, DocsSiteSettings docsSite) {
    List<Generator> all = new ArrayList<>(BuiltInGenerators.all(docsSite, config.openEventSite().remoteImages()));
    for (BuildcastConfig.GeneratorConfig g : config.generators()) {
      all.removeIf(existing -> existing.name().equals(g.name()));
      all.add(new CommandGenerator(CommandGenerator.Options.of(g.name(), g.command())
          .withDescription(g.description())
          .withInput(g.input())
          .withParams(g.params().stream().map(p -> new ParamSpec(p.name(), Objects.requireNonNullElse(p.description(), ""), p.required())).toList())
          .withExtraEnvironment(g.env())
          .withSiteFolder(g.site())
          .withBaseEnvironment(GeneratorEnvironment.of(environment, g.passEnv()))));
    }
    return all;
  }

  private static Map<String, Duration> timeouts(BuildcastConfig config) {
    Map<String, Duration> timeouts = new HashMap<>();
    config.generators().forEach(g -> timeouts.put(g.name(), g.timeout()));
    return timeouts;
  }

  /**
   * Starts listening; first, jobs this node was running when its previous process stopped are
   * marked failed, and jobs that were waiting are queued again in their order.
   */
  public void start() throws Exception {
    // why: a data folder that cannot be created should stop the start, not the first job
    dev.buildcast.job.PrivateFiles.createFolders(files.jobsRoot());
    // why before the recovery: the jobs it fails are then still unfinished here, so their deliveries
    // become due once, when the recovery announces the end, instead of twice
    notifications.resume();
    JobService.Recovered recovered = jobs.recover();
    if (recovered.failed() > 0) log.warn("{} job(s) were running when the server stopped; marked failed", recovered.failed());
    if (recovered.requeued() > 0) log.info("{} job(s) were waiting when the server stopped; queued again", recovered.requeued());
    // why after the recovery: the jobs it failed have their files copied here, their process trees killed
    int copied = jobs.storeFilesOfEarlierJobs();
    if (copied > 0) log.info("Stored the artifacts and sites of {} earlier job(s) as blobs", copied);
    long sweepEvery = sweepEveryMillis(uploads.limits().expireAfter());
    timers.scheduleWithFixedDelay(this::sweepUploads, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(retention::sweepQuietly, 0, RETENTION_SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    cluster.ifPresent(c -> {
      // why: a job queued on a node with no free slot waits for a slot anywhere; the queue's wake-ups
      // tell this node at once, and this look finds what a lost wake-up (Redis reconnecting) missed
      c.whenJobsWait(this::claimWaitingQuietly);
      long every = Math.max(200, c.lease().toMillis() / 5);
      timers.scheduleWithFixedDelay(this::claimWaitingQuietly, every, every, TimeUnit.MILLISECONDS);
      // why every lease: a node that died is dead to the cluster after one; its deliveries are taken over then
      long lease = c.lease().toMillis();
      timers.scheduleWithFixedDelay(() -> sweepNotificationsQuietly(c.lease()), lease, lease, TimeUnit.MILLISECONDS);
    });
    jetty.start();
    ready.set(true);
  }

  private void claimWaitingQuietly() {
    try {
      jobs.claimWaiting();
    } catch (RuntimeException e) {
      // why catch: an exception would cancel the schedule, and this node would stop taking jobs queued elsewhere
      log.warn("looking for jobs waiting in the cluster's queue failed; will retry: {}", e.getMessage());
    }
  }

  private void sweepNotificationsQuietly(Duration lease) {
    try {
      notifications.sweep(lease);
    } catch (RuntimeException e) {
      // why catch: an exception would cancel the schedule, and no delivery of a dead node would be taken over again
      log.warn("looking for notifications left by stopped nodes failed; will retry: {}", e.getMessage());
    }
  }

  /** {@code http://host:port}, with the port actually bound. */
  public String url() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return "http://" + host + ":" + connector.getLocalPort();
  }

  public int port() {
    return connector.getLocalPort();
  }

  public JobService jobs() {
    return jobs;
  }

  /** The meters behind {@code /metrics}; other parts (uploads) record through it. */
  public Metrics metrics() {
    return metrics;
  }

  public Notifications notifications() {
    return notifications;
  }

  /**
   * In cluster mode, the jobs whose log this node holds open (see ClusterLogStore#heldLogs); empty
   * on a single node. For monitoring, and for tests that check readers leave nothing followed.
   */
  public Set<String> clusterLogsHeld() {
    return cluster.map(ClusterWiring::heldLogs).orElse(Set.of());
  }

  /** The live log fan-out (for monitoring, and for tests that check followers leave no state behind). */
  public LogBroadcaster broadcaster() {
    return broadcaster;
  }

  /** The Socket.IO server (tests use it to drop clients' connections from the server side). */
  public SocketIoServer socketIo() {
    return io;
  }

  public UploadService uploads() {
    return uploads;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    ready.set(false);
    try {
      io.close();
      jetty.stop();
    } catch (Exception e) {
      log.warn("stopping the HTTP server failed", e);
    }
    uploads.saveUnfinished(); // why here: the HTTP server has stopped, so no chunk can arrive after the save
    jobs.close();
    notifications.close();
    cluster.ifPresent(ClusterWiring::closeLogs); // why before the spools: a shipper reads its spool until it stops
    logs.close();
    // why after the jobs and logs: stopped runs write their last state through the shared store
    cluster.ifPresent(ClusterWiring::close);
    logForcer.shutdownNow();
    catchUpReaders.shutdownNow();
    broadcastDeliveries.shutdownNow();
    timers.shutdownNow();
    housekeeping.shutdownNow();
  }
}
