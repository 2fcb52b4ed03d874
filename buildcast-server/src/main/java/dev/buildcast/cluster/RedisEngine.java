package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One node's connection to Redis, shared by this package's adapters, and the one place where a
 * failure to reach Redis becomes an {@link EngineUnavailableException} naming the operation.
 *
 * <p>Failing fast: every command has the configured timeout (default {@value
 * #DEFAULT_COMMAND_TIMEOUT_SECONDS} s), and while the connection is down commands are refused at
 * once instead of being held for a reconnect; the client reconnects by itself in the background
 * (after 50 ms, doubling up to 2 s between attempts), so calls work again as soon as Redis is back.
 *
 * <p>Replicas: with {@code minReplicasAck} above 0, the writes that must reach replicas go on a
 * second connection followed by a {@code WAIT} ({@link #callToReplicate}, {@link #requireReplicas},
 * {@link #awaitReplicas}). Availability: the outcome of every command is kept ({@link
 * #hasAnsweredFor}), so the reaper and the lease sweep can wait a lease after an outage.
 *
 * <p>Threading: safe for concurrent use; commands of all threads share one connection (the client
 * pipelines them), or two as above. Lettuce owns its I/O threads; {@link #close()} stops them.
 */
public final class RedisEngine implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedisEngine.class);

  static final int DEFAULT_COMMAND_TIMEOUT_SECONDS = 2;

  /** How long a command may take before it fails as unavailable, unless configured otherwise. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(DEFAULT_COMMAND_TIMEOUT_SECONDS);

  /** Error answers of a Redis that cannot serve now but will again (see {@link #failure}). */
  private static final List<String> TRANSIENT_ERRORS =
      List.of("OOM", "LOADING", "READONLY", "MASTERDOWN", "BUSY", "NOREPLICAS", "TRYAGAIN", "CLUSTERDOWN");

  private final RedisClient client;
  private final ClientResources resources;
  private final StatefulRedisConnection<String, String> connection;
  /**
   * Where the writes that are waited for ({@link #callToReplicate}) and their {@code WAIT}s go: a
   * connection of its own when replicas are waited for, else the shared one. why its own: Redis
   * answers nothing else on a connection while a {@code WAIT} on it waits (up to {@code
   * ackTimeout} when a replica lags), so reads, {@code PING}s and renewals stay on the other.
   */
  private final StatefulRedisConnection<String, String> replicatedWrites;
  private final String name;
  private final Duration commandTimeout;
  /** Told of every failed command (for the engine-errors metric); set once by the wiring. */
  private volatile Runnable onError = () -> {};
  private final EngineAvailability availability = new EngineAvailability(System::nanoTime);
  private final ReplicaAcks acks;
  /** Whether the last {@code WAIT} of a job-control write fell short (so a shortfall is logged once, not per write). */
  private final java.util.concurrent.atomic.AtomicBoolean shortOfReplicas = new java.util.concurrent.atomic.AtomicBoolean();

  private RedisEngine(RedisClient client, ClientResources resources, StatefulRedisConnection<String, String> connection, String name,
      Duration commandTimeout, ReplicaAcks acks) {
    this.acks = acks;
    this.replicatedWrites = acks.replicas() > 0 ? client.connect() : connection;
    this.client = client;
    this.resources = resources;
    this.connection = connection;
    this.name = name;
    this.commandTimeout = commandTimeout;
  }

  /**
   * Connects to the Redis at {@code url} ({@code redis://host:port}, optionally with a password or
   * database, or {@code rediss://} for TLS).
   *
   * @throws IllegalArgumentException when the URL is not a Redis URL or the timeout is not positive
   * @throws EngineUnavailableException when Redis cannot be reached now
   */
  public static RedisEngine connect(String url, Duration commandTimeout) {
    return connect(url, Optional.empty(), commandTimeout, ReplicaAcks.NONE);
  }

  /** Connects as {@link #connect(String, Optional, Duration, ReplicaAcks)}, waiting for no replica. */
  public static RedisEngine connect(String url, Optional<char[]> password, Duration commandTimeout) {
    return connect(url, password, commandTimeout, ReplicaAcks.NONE);
  }

  /**
   * Connects as {@link #connect(String, Duration)}, authenticating with {@code password} when given
   * (read by the caller from the environment; it appears in no message), and waiting for {@code
   * acks} after the writes that need them ({@link #requireReplicas}, {@link #awaitReplicas}).
   */
  public static RedisEngine connect(String url, Optional<char[]> password, Duration commandTimeout, ReplicaAcks acks) {
    requirePositive(commandTimeout);
    RedisURI uri = RedisURI.create(url);
    return open(uri, "Redis at " + uri.getHost() + ":" + uri.getPort(), password, commandTimeout, acks);
  }

  /**
   * Connects to the primary that the Sentinels at {@code sentinels} ({@code host:port} each) name
   * for {@code masterName}, and after a failover to the one they name then: every reconnection
   * asks them again.
   *
   * @throws IllegalArgumentException when no Sentinel is given, one is not {@code host:port}, or the timeout is not positive
   * @throws EngineUnavailableException when no Sentinel answers or the primary cannot be reached now
   */
  public static RedisEngine connectThroughSentinels(List<String> sentinels, String masterName, Optional<char[]> password,
      Duration commandTimeout, ReplicaAcks acks) {
    requirePositive(commandTimeout);
    if (sentinels.isEmpty()) throw new IllegalArgumentException("at least one Sentinel (host:port) is needed");
    RedisURI.Builder builder = null;
    for (String sentinel : sentinels) {
      int colon = sentinel.lastIndexOf(':');
      if (colon < 1) throw new IllegalArgumentException("a Sentinel is host:port, got '" + sentinel + "'");
      String host = sentinel.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(sentinel.substring(colon + 1));
      builder = builder == null ? RedisURI.Builder.sentinel(host, port, masterName) : builder.withSentinel(host, port);
    }
    return open(builder.build(), "Redis primary '" + masterName + "' of the Sentinels at " + String.join(",", sentinels), password,
        commandTimeout, acks);
  }

  private static void requirePositive(Duration commandTimeout) {
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("the Redis command timeout must be positive, got " + commandTimeout);
    }
  }

  private static RedisEngine open(RedisURI uri, String name, Optional<char[]> password, Duration commandTimeout, ReplicaAcks acks) {
    if (acks.replicas() > 0 && acks.timeout().compareTo(commandTimeout) >= 0) {
      throw new IllegalArgumentException("cluster.redis.ackTimeout (" + acks.timeout() + ") must be shorter than the command timeout ("
          + commandTimeout + "): a WAIT that outlasts it would count as Redis being unreachable");
    }
    uri.setTimeout(commandTimeout);
    password.ifPresent(p -> uri.setCredentialsProvider(new StaticCredentialsProvider(null, p)));
    ClientResources resources = ClientResources.builder()
        .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // why reject: a command held for a reconnect would make its caller wait the whole timeout
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
        .build());
    try {
      return new RedisEngine(client, resources, client.connect(), name, commandTimeout, acks);
    } catch (RedisException e) {
      client.shutdown();
      resources.shutdown();
      throw EngineUnavailableException.reaching("connecting", name, e);
    }
  }

  /** Runs one or more commands as {@code operation}; a failure to reach Redis becomes {@link EngineUnavailableException}. */
  <T> T call(String operation, Function<RedisCommands<String, String>, T> commands) {
    T answer;
    try {
      answer = commands.apply(connection.sync());
    } catch (RedisException e) {
      throw noted(failure(operation, e));
    }
    availability.answered();
    return answer;
  }

  /**
   * Runs a write that {@link #requireReplicas} or {@link #awaitReplicas} will wait for, as {@code
   * operation}, on the connection those {@code WAIT}s use (a {@code WAIT} covers only what its own
   * connection sent). Failures as {@link #call}.
   */
  <T> T callToReplicate(String operation, Function<RedisCommands<String, String>, T> commands) {
    T answer;
    try {
      answer = commands.apply(replicatedWrites.sync());
    } catch (RedisException e) {
      throw noted(failure(operation, e));
    }
    availability.answered();
    return answer;
  }

  /** Counts an unavailability for {@link #hasAnsweredFor}; a bug's error answer is not one. */
  private RuntimeException noted(RuntimeException failure) {
    if (failure instanceof EngineUnavailableException) availability.failed();
    return failure;
  }

  /**
   * Whether every command of this node reached Redis for at least {@code span} (true when none ever
   * failed; false while Redis is down and until {@code span} after it answered again). why the
   * reaper and the lease sweep ask: while Redis was down nobody could renew a node's liveness or a
   * job's lease, so what passed meanwhile says nothing about who is dead; after one lease every live
   * node has renewed.
   */
  public boolean hasAnsweredFor(Duration span) {
    return availability.hasAnsweredFor(span);
  }

  /**
   * What a failed command means. Redis answering with an error is unavailability only for the
   * errors of a Redis that cannot take writes now (full under {@code noeviction}, loading its data
   * after a restart, a replica during a failover, a script running too long); any other error
   * answer (a wrong type, a script error) is a bug here, not an outage, and must not be retried
   * as one.
   */
  RuntimeException failure(String operation, RedisException e) {
    errored();
    if (e instanceof RedisCommandExecutionException refused && !isTransient(refused.getMessage())) {
      return new IllegalStateException(name + " refused " + operation + ": " + refused.getMessage(), e);
    }
    return EngineUnavailableException.reaching(operation, name, e);
  }

  private static boolean isTransient(String error) {
    if (error == null) return false;
    for (String prefix : TRANSIENT_ERRORS) if (error.startsWith(prefix)) return true;
    return false;
  }

  /** Runs {@code action}, which talks to Redis over another connection of this engine, as {@code operation}. */
  void run(String operation, Runnable action) {
    try {
      action.run();
    } catch (RedisException e) {
      throw noted(failure(operation, e));
    }
    availability.answered();
  }

  /**
   * After a write ({@link #callToReplicate}) whose loss in a failover would change what someone was
   * shown (an accepted log line or mark): {@code WAIT} until {@code cluster.redis.minReplicasAck}
   * replicas have every write this node sent so far, at most {@code ackTimeout}. No command with 0.
   *
   * @throws EngineUnavailableException when fewer replicas acknowledged in time (the write is on
   *     the primary but does not count yet: the caller retries it, and the retry, which the
   *     primary answers as a duplicate, waits again) or Redis could not be reached
   */
  void requireReplicas(String operation) {
    long got = replicasHaving(operation);
    if (got < acks.replicas()) {
      throw noted(new EngineUnavailableException("the job engine (" + name + ") has " + operation + " on the primary, but only " + got
          + " of the " + acks.replicas() + " replicas cluster.redis.minReplicasAck asks for acknowledged it within " + acks.timeout().toMillis()
          + " ms (cluster.redis.ackTimeout); it is not shown yet and is retried; check the replicas' links"));
    }
  }

  /**
   * After a job-control write (a record saved or changed, a claim, a log's takeover): {@code WAIT} as {@link
   * #requireReplicas} does, but a shortfall does not fail the write (it stands on the primary, and
   * failing a claim or a submit that landed would strand the job); it is logged once until the
   * replicas keep up again. why wait at all: it holds the node back until the replicas caught up,
   * so a failover right after loses the least.
   */
  void awaitReplicas(String operation) {
    if (acks.replicas() == 0) return;
    long got;
    try {
      got = replicasHaving(operation);
    } catch (EngineUnavailableException e) {
      log.warn("{}: could not wait for replicas after {}: {}", name, operation, e.getMessage());
      return;
    }
    if (got >= acks.replicas()) {
      if (shortOfReplicas.getAndSet(false)) log.info("{}: the replicas acknowledge writes again", name);
    } else if (!shortOfReplicas.getAndSet(true)) {
      log.warn("{}: only {} of the {} replicas cluster.redis.minReplicasAck asks for acknowledged {} within {} ms; job-control writes go on"
          + " unacknowledged until they catch up (log lines wait for them)", name, got, acks.replicas(), operation, acks.timeout().toMillis());
    }
  }

  private long replicasHaving(String operation) {
    if (acks.replicas() == 0) return 0;
    // why that connection: WAIT covers the writes it sent before, the caller's among them
    return callToReplicate("waiting for replicas after " + operation,
        r -> r.waitForReplication(acks.replicas(), acks.timeout().toMillis()));
  }

  /** Has {@code counter} told of every command of this engine that fails from now on (must not block). */
  public void countErrorsWith(Runnable counter) {
    this.onError = Objects.requireNonNull(counter, "counter");
  }

  /** Counts one failed command; for the adapters that talk to Redis over a connection of their own. */
  void errored() {
    onError.run();
  }

  /** Whether Redis answers a {@code PING} now (within the command timeout). */
  public boolean isReachable() {
    try {
      return "PONG".equals(call("checking that Redis answers", RedisCommands::ping));
    } catch (EngineUnavailableException e) {
      return false;
    }
  }

  /** A connection of its own for subscriptions (a subscribed connection can send nothing else). */
  StatefulRedisPubSubConnection<String, String> connectPubSub(String operation) {
    try {
      return client.connectPubSub();
    } catch (RedisException e) {
      errored();
      throw noted(EngineUnavailableException.reaching(operation, name, e));
    }
  }

  /**
   * Checks the settings of this Redis that cluster mode depends on, from {@code INFO} (which
   * managed services that hide {@code CONFIG} still answer).
   *
   * @return warnings worth logging at start-up: persistence off (a restart of Redis then loses
   *     every line no node has archived yet)
   * @throws IllegalStateException when Redis may evict keys: under memory pressure it would drop
   *     live logs and job records silently, so the node must not start on it
   * @throws EngineUnavailableException when Redis cannot be reached
   */
  public List<String> checkSettings() {
    String memory = call("reading the memory settings", r -> r.info("memory"));
    String policy = infoField(memory, "maxmemory_policy");
    if (policy != null && !policy.equals("noeviction")) {
      throw new IllegalStateException(name + " has maxmemory-policy " + policy + ": it could evict live logs and job"
          + " records under memory pressure; set maxmemory-policy noeviction (and size maxmemory as the README says)");
    }
    String persistence = call("reading the persistence settings", r -> r.info("persistence"));
    if ("0".equals(infoField(persistence, "aof_enabled"))) {
      return List.of(name + " has appendonly off: a restart of Redis loses what no node archived yet;"
          + " set appendonly yes and appendfsync everysec");
    }
    return List.of();
  }

  /** The value of {@code field} in an {@code INFO} answer ({@code field:value} lines), or null. */
  private static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) return line.substring(field.length() + 1).strip();
    }
    return null;
  }

  /**
   * A connection of its own for blocking commands ({@code XREAD BLOCK}), which would hold up every
   * other command on the shared one. The caller closes it.
   */
  StatefulRedisConnection<String, String> connectOwn(String operation) {
    try {
      return client.connect();
    } catch (RedisException e) {
      errored();
      throw noted(EngineUnavailableException.reaching(operation, name, e));
    }
  }

  /** How long any command may take: a blocking command must block for less. */
  Duration commandTimeout() {
    return commandTimeout;
  }

  /** What the messages say this engine is: "Redis at host:port" (never the password). */
  String name() {
    return name;
  }

  @Override
  public void close() {
    if (replicatedWrites != connection) replicatedWrites.close();
    connection.close();
    client.shutdown();
    resources.shutdown();
  }
}
