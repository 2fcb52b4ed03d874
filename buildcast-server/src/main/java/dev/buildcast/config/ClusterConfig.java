package dev.buildcast.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code cluster:} section: this node is one of several sharing jobs through Redis and finished
 * data through a blob store (docs/cluster.md). Without the section the server runs alone, exactly
 * as before. Secrets are never in the file: {@code passwordEnv}, {@code accessKeyEnv} and {@code
 * secretKeyEnv} name environment variables, read when the server is wired.
 *
 * @param nodeId this node's id from the file; {@code --node-id} and {@code BUILDCAST_NODE_ID} win
 *     over it (one file can then serve every node), and one of them is required in cluster mode
 * @param redis where the shared engine is
 * @param lease how long a running job's claim lasts without renewal: a node silent for longer
 *     loses its jobs
 * @param blobs where artifacts, sites and sealed logs go, shared by every node
 * @param archiveGrace how long a sealed log's stream stays in Redis after the log was archived in
 *     {@code blobs} (readers that started on the stream finish there)
 * @param mirrorCacheBytes how many bytes of sealed, archived logs this node keeps in its data
 *     folder at most (copies of other nodes' logs, and its own once archived); the least recently
 *     read go first, and come back from the archive when read again
 * @param finishTimeout how long a job whose generator ended waits, while {@code blobs} cannot be
 *     written, to store its artifacts and site; it fails ("files not stored") after that
 */
public record ClusterConfig(Optional<String> nodeId, RedisSettings redis, Duration lease, Blobs blobs, Duration archiveGrace,
    long mirrorCacheBytes, Duration finishTimeout) {

  static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
  static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DEFAULT_ARCHIVE_GRACE = Duration.ofMinutes(5);
  static final Duration DEFAULT_FINISH_TIMEOUT = Duration.ofMinutes(10);
  static final long DEFAULT_MIRROR_CACHE_BYTES = 2L << 30;
  static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofMillis(100);
  /** Below this a GC pause or a busy disk would cost a node its jobs; the job service refuses less than 300 ms. */
  static final Duration MIN_LEASE = Duration.ofSeconds(1);
  /** The same rule as {@code --node-id}: the id starts every Socket.IO session id, so it may not hold '.'. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");
  private static final Pattern DATABASE = Pattern.compile("/?|/\\d{1,5}");

  /**
   * This node's id in cluster mode: the one given on the command line or in the environment
   * ({@code --node-id}, {@code BUILDCAST_NODE_ID}), else {@code cluster.nodeId}. why required: the
   * id kept in a data folder would differ per folder and is unknown to the load balancer's routes.
   *
   * @throws ConfigException when neither gives one
   */
  public String resolveNodeId(Optional<String> fromOptions) {
    return fromOptions.or(this::nodeId).orElseThrow(() -> new ConfigException("cluster mode needs this node's id: set cluster.nodeId"
        + " in the configuration, or --node-id / BUILDCAST_NODE_ID (1 to 32 letters, digits or '-', different on every node)."));
  }

  /**
   * @param address where the primary is: a URL, or the Sentinels that know it
   * @param passwordEnv the environment variable holding Redis's password, if it has one
   * @param commandTimeout how long one command may take before Redis counts as unavailable
   * @param minReplicasAck how many replicas must have an accepted line before anyone is shown it
   *     (a {@code WAIT} after appends, claims and state changes); 0 for none
   * @param ackTimeout how long one {@code WAIT} for them may take (shorter than {@code commandTimeout})
   */
  public record RedisSettings(RedisAddress address, Optional<String> passwordEnv, Duration commandTimeout, int minReplicasAck,
      Duration ackTimeout) {}

  /** Where the Redis primary is. */
  public sealed interface RedisAddress permits RedisUrl, RedisSentinels {}

  /** @param url {@code redis://host[:port][/db]} or {@code rediss://…} (TLS); never with a password */
  public record RedisUrl(URI url) implements RedisAddress {}

  /**
   * @param sentinels {@code host:port} of each Sentinel, at least one
   * @param masterName the name the Sentinels monitor the primary under
   */
  public record RedisSentinels(List<String> sentinels, String masterName) implements RedisAddress {
    public RedisSentinels {
      sentinels = List.copyOf(sentinels);
    }
  }

  /** Where finished data goes. */
  public sealed interface Blobs permits DirectoryBlobs, S3Blobs {}

  /** A folder every node mounts at the same path (small installations, tests). */
  public record DirectoryBlobs(Path path) implements Blobs {}

  /**
   * An S3-compatible bucket; the keys are read from the environment variables named here.
   *
   * @param keyPrefix {@code ""} or a prefix ending in {@code /}, so installations can share a bucket
   */
  public record S3Blobs(URI endpoint, String bucket, String region, String accessKeyEnv, String secretKeyEnv, boolean pathStyle,
      String keyPrefix) implements Blobs {}

  record Raw(String nodeId, RawRedis redis, String lease, RawBlobs blobs, String archiveGrace, String mirrorCache, String finishTimeout) {
    ClusterConfig check(String where) {
      if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
        throw new ConfigException(where + ".nodeId must be 1 to 32 letters, digits or '-' (it starts every Socket.IO session id,"
            + " so a load balancer can route by it), got '" + nodeId + "'.");
      }
      if (redis == null) {
        throw new ConfigException(where + ".redis is required: at least url, e.g. redis: {url: redis://10.0.0.5:6379}.");
      }
      Duration leaseTime = lease == null ? DEFAULT_LEASE : Durations.parse(lease, where + ".lease");
      if (leaseTime.compareTo(MIN_LEASE) < 0) {
        throw new ConfigException(where + ".lease must be at least 1s (a shorter one fails jobs on a GC pause), got '" + lease + "'.");
      }
      if (blobs == null) {
        throw new ConfigException(where + ".blobs is required: {type: directory, path: /shared/buildcast} or {type: s3, endpoint: …,"
            + " bucket: …, region: …, accessKeyEnv: …, secretKeyEnv: …}.");
      }
      Duration grace = archiveGrace == null ? DEFAULT_ARCHIVE_GRACE : Durations.parse(archiveGrace, where + ".archiveGrace");
      long cache = mirrorCache == null ? DEFAULT_MIRROR_CACHE_BYTES : Sizes.parse(mirrorCache, where + ".mirrorCache");
      Duration finish = finishTimeout == null ? DEFAULT_FINISH_TIMEOUT : Durations.parse(finishTimeout, where + ".finishTimeout");
      return new ClusterConfig(Optional.ofNullable(nodeId), redis.check(where + ".redis"), leaseTime, blobs.check(where + ".blobs"), grace,
          cache, finish);
    }
  }

  record RawRedis(String url, List<String> sentinels, String masterName, String passwordEnv, String commandTimeout,
      Integer minReplicasAck, String ackTimeout) {
    RedisSettings check(String where) {
      Duration timeout = commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : Durations.parse(commandTimeout, where + ".commandTimeout");
      int replicas = minReplicasAck == null ? 0 : minReplicasAck;
      if (replicas < 0 || replicas > 16) {
        throw new ConfigException(where + ".minReplicasAck must be 0 (no replica waited for) to 16, got " + minReplicasAck
            + "; 1 with one or two replicas.");
      }
      Duration ack = ackTimeout == null ? DEFAULT_ACK_TIMEOUT : Durations.parse(ackTimeout, where + ".ackTimeout");
      if (ack.toMillis() < 1 || ack.compareTo(timeout) >= 0) {
        throw new ConfigException(where + ".ackTimeout must be at least 1ms and shorter than " + where + ".commandTimeout (" + timeout
            + "), got '" + ackTimeout + "'.");
      }
      return new RedisSettings(address(where), Optional.ofNullable(envName(passwordEnv, where + ".passwordEnv")), timeout, replicas, ack);
    }

    private RedisAddress address(String where) {
      boolean hasUrl = url != null && !url.isBlank();
      if (hasUrl && (sentinels != null || masterName != null)) {
        throw new ConfigException(where + ": give either url (one Redis) or sentinels and masterName (Redis with Sentinel), not both.");
      }
      if (hasUrl) return new RedisUrl(redisUrl(url.strip(), where + ".url"));
      if (sentinels == null && masterName == null) {
        throw new ConfigException(where + ".url is required: redis://host:port (or rediss:// for TLS), e.g. redis://10.0.0.5:6379;"
            + " or, with Sentinel, sentinels: [host:port, …] and masterName.");
      }
      if (sentinels == null || sentinels.isEmpty()) {
        throw new ConfigException(where + ".sentinels is required with masterName: the Sentinels' addresses, e.g. sentinels:"
            + " [10.0.0.5:26379, 10.0.0.6:26379, 10.0.0.7:26379].");
      }
      if (masterName == null || masterName.isBlank()) {
        throw new ConfigException(where + ".masterName is required with sentinels: the name the Sentinels monitor the primary under"
            + " (sentinel monitor <masterName> …), e.g. masterName: buildcast.");
      }
      List<String> checked = new ArrayList<>();
      for (String sentinel : sentinels) checked.add(hostAndPort(sentinel, where + ".sentinels"));
      return new RedisSentinels(checked, masterName.strip());
    }
  }

  private static final Pattern HOST_AND_PORT = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})");

  private static String hostAndPort(String text, String where) {
    String value = text == null ? "" : text.strip();
    java.util.regex.Matcher m = HOST_AND_PORT.matcher(value);
    if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
      throw new ConfigException(where + ": each Sentinel is host:port, e.g. 10.0.0.5:26379, got '" + text + "'.");
    }
    return value;
  }

  private static URI redisUrl(String text, String where) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(where + ": '" + text + "' is not a URL; write redis://host:port, e.g. redis://10.0.0.5:6379.");
    }
    // why refused, and not quoted: a URL with a password would be echoed in this very message and in logs
    if (uri.getRawUserInfo() != null) {
      throw new ConfigException(where + " must not hold a user or password; put the password in an environment variable and name it"
          + " in cluster.redis.passwordEnv.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean ok = (scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null && uri.getRawQuery() == null
        && uri.getRawFragment() == null && DATABASE.matcher(uri.getRawPath() == null ? "" : uri.getRawPath()).matches();
    if (!ok) {
      throw new ConfigException(where + ": '" + text + "' is not a Redis URL; write redis://host:port or redis://host:port/db"
          + " (rediss:// for TLS), e.g. redis://10.0.0.5:6379; for Sentinel, give sentinels and masterName instead of url."
          + " Redis Cluster is not supported.");
    }
    return uri;
  }

  record RawBlobs(String type, String path, String endpoint, String bucket, String region, String accessKeyEnv, String secretKeyEnv,
      Boolean pathStyle, String keyPrefix) {
    Blobs check(String where) {
      String kind = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
      return switch (kind) {
        case "directory" -> directory(where);
        case "s3" -> s3(where);
        default -> throw new ConfigException(where + ".type must be directory or s3, got '" + type + "'.");
      };
    }

    private Blobs directory(String where) {
      if (endpoint != null || bucket != null || region != null || accessKeyEnv != null || secretKeyEnv != null || pathStyle != null
          || keyPrefix != null) {
        throw new ConfigException(where + ": type directory takes only path; endpoint, bucket, region, accessKeyEnv, secretKeyEnv,"
            + " pathStyle and keyPrefix belong to type s3.");
      }
      if (path == null || path.isBlank()) {
        throw new ConfigException(where + ".path is required for type directory: a folder every node mounts at the same path.");
      }
      Path folder = Path.of(path.strip());
      if (!folder.isAbsolute()) {
        throw new ConfigException(where + ".path must be absolute (every node must name the same folder), got '" + path + "'.");
      }
      return new DirectoryBlobs(folder.normalize());
    }

    private Blobs s3(String where) {
      if (path != null) throw new ConfigException(where + ": path belongs to type directory; type s3 takes endpoint, bucket, region, …");
      URI address = required(endpoint, where + ".endpoint", "the S3 API's address, e.g. https://s3.example.org");
      String name = requiredText(bucket, where + ".bucket", "the bucket's name; it must exist");
      String regionName = region == null ? "us-east-1" : region.strip();
      String access = requiredEnv(accessKeyEnv, where + ".accessKeyEnv", "the environment variable holding the access key id");
      String secret = requiredEnv(secretKeyEnv, where + ".secretKeyEnv", "the environment variable holding the secret key");
      // why the bucket's name, region and prefix are checked at wiring: S3BlobStoreOptions holds those rules, and this package may not use it
      String prefix = keyPrefix == null ? "" : keyPrefix;
      return new S3Blobs(address, name, regionName, access, secret, Boolean.TRUE.equals(pathStyle), prefix);
    }
  }

  private static URI required(String text, String where, String what) {
    String value = requiredText(text, where, what);
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(where + ": '" + text + "' is not an address; give " + what + ".");
    }
  }

  private static String requiredText(String text, String where, String what) {
    if (text == null || text.isBlank()) throw new ConfigException(where + " is required: " + what + ".");
    return text.strip();
  }

  private static String requiredEnv(String name, String where, String what) {
    requiredText(name, where, what);
    return envName(name, where);
  }

  private static String envName(String name, String where) {
    if (name == null) return null;
    if (!BuildcastConfig.ENV_NAME.matcher(name).matches()) {
      throw new ConfigException(where + " names an environment variable (letters, digits, '_'), got '" + name + "'.");
    }
    return name;
  }
}
