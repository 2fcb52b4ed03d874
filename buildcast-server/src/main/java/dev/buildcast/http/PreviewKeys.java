package dev.buildcast.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys that grant reading one job's site preview, and nothing else. A preview page runs in a
 * sandbox (an opaque origin), so the browser sends it no cookie of Buildcast's; the key therefore
 * travels in the preview's path, where the site's relative links keep it. It is an HMAC of the job
 * id under a secret drawn when the server starts: it cannot be derived from the job id, reveals
 * nothing about the job's token, and a restart invalidates every preview link (the token opens a
 * new one). A node of a cluster uses the cluster's secret instead ({@code
 * cluster.RedisPreviewSecret}), so a preview address one node gave is served by every node.
 *
 * <p>Thread-safe: a new {@link Mac} per call.
 */
final class PreviewKeys {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec secret;

  PreviewKeys(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    this.secret = new SecretKeySpec(bytes, ALGORITHM);
  }

  /** Keys under a given secret: a cluster's, which every node shares so any node accepts any node's key. */
  PreviewKeys(byte[] secret) {
    if (secret.length < 32) throw new IllegalArgumentException("a preview secret needs at least 32 bytes");
    this.secret = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** The preview key of a job: 43 URL-safe characters. */
  String keyFor(String jobId) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      byte[] digest = mac.doFinal(("preview\0" + jobId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /** Whether {@code key} is the job's preview key; constant time. */
  boolean matches(String jobId, String key) {
    return key != null && MessageDigest.isEqual(keyFor(jobId).getBytes(StandardCharsets.US_ASCII), key.getBytes(StandardCharsets.US_ASCII));
  }
}
