package dev.buildcast.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Nodes of a cluster as issue 16 asks for them: the packaged jar, each in its own process
 * ({@code -Xmx256m}, {@code --node-id}, its own data folder), all with one configuration file, on
 * one {@code redis-server} of the test's own and a shared blob folder; and, when a test asks,
 * {@code haproxy} in front of them with the README's configuration ({@link HaproxyProcess}).
 * Each node's stderr (its log) goes to {@code <id>.log}; {@link #close} copies the logs to
 * {@code target/<logsFolder>}, since the temporary folder goes with the test.
 *
 * <p>Threading: one test class uses it from its test thread; nodes start in parallel inside {@link #start}.
 */
public final class PackagedCluster implements AutoCloseable {

  private static final Duration START_BOUND = Duration.ofSeconds(180);

  private final Path dir;
  private final List<String> nodeIds;
  private final String logsFolder;
  private final RedisServerProcess redis;
  private final Path config;
  private final Map<String, ServerProcess> nodes = new ConcurrentHashMap<>();
  private HaproxyProcess haproxy;

  private PackagedCluster(Path dir, List<String> nodeIds, String logsFolder, RedisServerProcess redis, Path config) {
    this.dir = dir;
    this.nodeIds = List.copyOf(nodeIds);
    this.logsFolder = logsFolder;
    this.redis = redis;
    this.config = config;
  }

  /**
   * Starts Redis and the nodes {@code nodeIds} with a {@code lease} and nothing else set in {@code cluster:}.
   *
   * @param settings the configuration without its {@code cluster:} section, which this adds (the
   *     Redis address, {@code lease}, a {@code directory} blob store under {@code dir})
   */
  public static PackagedCluster start(Path dir, List<String> nodeIds, String settings, Duration lease, String logsFolder) throws Exception {
    return start(dir, nodeIds, settings, "", "lease: " + lease.toSeconds() + "s\n", logsFolder);
  }

  /**
   * Starts Redis and the nodes {@code nodeIds}.
   *
   * @param settings the configuration without its {@code cluster:} section
   * @param redisSettings more entries of {@code cluster.redis} after its URL, each after a comma
   *     (", commandTimeout: 10s"), or ""
   * @param clusterSettings more lines of the {@code cluster:} section ("lease: 2s\narchiveGrace: 2s\n");
   *     this adds the Redis address and a {@code directory} blob store under {@code dir}
   */
  public static PackagedCluster start(Path dir, List<String> nodeIds, String settings, String redisSettings, String clusterSettings,
      String logsFolder) throws Exception {
    RedisServerProcess redis = RedisServerProcess.start();
    Path blobs = Files.createDirectories(dir.resolve("shared-blobs"));
    String more = clusterSettings.lines().map(line -> "  " + line + "\n").collect(java.util.stream.Collectors.joining());
    Path config = Files.writeString(dir.resolve("buildcast.yaml"), settings + """
        cluster:
          redis: {url: '%s'%s}
          blobs: {type: directory, path: '%s'}
        """.formatted(redis.url(), redisSettings, blobs) + more);
    PackagedCluster cluster = new PackagedCluster(dir, nodeIds, logsFolder, redis, config);
    try {
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      // why in parallel: each JVM start is seconds on a busy machine, and they do not depend on each other
      for (String id : nodeIds) starts.add(CompletableFuture.runAsync(() -> cluster.startNode(id)));
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(START_BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startNode(String id) {
    try {
      nodes.put(id, ServerProcess.startLoggingTo(dir.resolve(id + ".log"), List.of("-Xmx256m"), Map.of(), "--port", "0", "--node-id", id,
          "--data-dir", dataDir(id).toString(), "--config", config.toString()));
    } catch (Exception e) {
      throw new IllegalStateException("node " + id + " did not start", e);
    }
  }

  /**
   * Starts node {@code id} again on its data folder, as an operator restarts a node that died; its
   * log continues in the same {@code <id>.log}.
   */
  public ServerProcess restart(String id) {
    if (!nodeIds.contains(id)) throw new IllegalArgumentException("no node " + id + " in " + nodeIds);
    node(id).close();
    startNode(id);
    return node(id);
  }

  /**
   * Starts {@code haproxy} with the README's configuration in front of the nodes (once) and answers
   * its URL; skips the test (fails it under {@code CI=true}) when it is not installed.
   */
  public String behindHaproxy() throws IOException {
    if (haproxy == null) {
      Map<String, String> servers = new LinkedHashMap<>();
      for (String id : nodeIds) servers.put(id, URI.create(node(id).url()).getAuthority());
      haproxy = HaproxyProcess.start(HaproxyProcess.README_CONFIG, servers, dir);
    }
    return haproxy.url();
  }

  public ServerProcess node(String id) {
    ServerProcess node = nodes.get(id);
    if (node == null) throw new IllegalArgumentException("no node " + id + " in " + nodeIds);
    return node;
  }

  /** The node's data folder (its {@code --data-dir}). */
  public Path dataDir(String id) {
    return dir.resolve("data-" + id);
  }

  /** The folder of the {@code directory} blob store every node shares. */
  public Path blobs() {
    return dir.resolve("shared-blobs");
  }

  public RedisServerProcess redis() {
    return redis;
  }

  @Override
  public void close() {
    if (haproxy != null) haproxy.close();
    nodes.values().forEach(ServerProcess::close);
    redis.close();
    try {
      Path kept = Files.createDirectories(Path.of("target", logsFolder));
      try (var logs = Files.list(dir)) {
        for (Path log : (Iterable<Path>) logs.filter(p -> p.getFileName().toString().endsWith(".log"))::iterator) {
          Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      // why not thrown: the logs only explain a failure; losing them must not hide the test's own outcome
      System.err.println("could not keep the cluster's logs: " + e);
    }
  }
}
