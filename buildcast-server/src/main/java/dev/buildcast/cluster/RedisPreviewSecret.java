package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import io.lettuce.core.SetArgs;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the site-preview keys of a cluster are made under ({@code http.PreviewKeys}), one for
 * every node, kept in Redis under {@code bc:preview:secret}. why shared: a node answers a job's {@code …/site/}
 * with a redirect to a preview address holding the key, and a load balancer sends the browser's
 * next request to any node; with a secret of its own per node that node refused the key (403).
 *
 * <p>The first node that starts draws it ({@code SET … NX}, so two nodes starting at once agree on
 * one); every node reads it once at start-up. It outlives node restarts: preview links stay valid
 * while the cluster's Redis keeps the key (a single server draws a new secret at each start).
 */
public final class RedisPreviewSecret {

  static final String KEY = "bc:preview:secret";
  private static final int BYTES = 32;

  private RedisPreviewSecret() {}

  /**
   * The cluster's secret, drawn from {@code random} and stored when Redis holds none yet.
   *
   * @return the 32 bytes every node of the cluster makes preview keys under
   * @throws EngineUnavailableException when Redis could not be reached
   * @throws IllegalStateException when the stored value is not a secret this class wrote
   */
  public static byte[] shared(RedisEngine redis, SecureRandom random) {
    byte[] candidate = new byte[BYTES];
    random.nextBytes(candidate);
    String drawn = Base64.getEncoder().encodeToString(candidate);
    redis.callToReplicate("storing the site preview secret", r -> r.set(KEY, drawn, SetArgs.Builder.nx()));
    redis.awaitReplicas("storing the site preview secret");
    String stored = redis.call("reading the site preview secret", r -> r.get(KEY));
    byte[] secret;
    try {
      secret = stored == null ? null : Base64.getDecoder().decode(stored);
    } catch (IllegalArgumentException e) {
      secret = null;
    }
    if (secret == null || secret.length != BYTES) {
      throw new IllegalStateException("Redis key " + KEY + " does not hold a site preview secret (" + BYTES
          + " bytes, Base64); delete it so a node draws a new one");
    }
    return secret;
  }
}
