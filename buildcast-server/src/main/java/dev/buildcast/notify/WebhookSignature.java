package dev.buildcast.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Buildcast-Signature} header: {@code sha256=} and the hex HMAC-SHA256, under the
 * configured secret, of the signed string {@code <timestamp>.<delivery id>.<body>} — the value of
 * {@code X-Buildcast-Timestamp} (Unix seconds), a dot, the value of {@code X-Buildcast-Delivery}, a
 * dot, and the exact body bytes. why the timestamp and id are signed too: a captured delivery
 * replayed later has an old timestamp, and one replayed at once repeats a delivery id the receiver
 * has seen; neither can be changed without the secret.
 */
public final class WebhookSignature {

  public static final String HEADER = "X-Buildcast-Signature";
  public static final String TIMESTAMP_HEADER = "X-Buildcast-Timestamp";
  public static final String DELIVERY_HEADER = "X-Buildcast-Delivery";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public WebhookSignature(String secret) {
    if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("empty webhook secret");
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** The header's value for a delivery sent at {@code epochSeconds}. */
  public String sign(long epochSeconds, String deliveryId, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update((epochSeconds + "." + deliveryId + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
