package dev.buildcast.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Buildcast-Signature} header: {@code sha256=} and the hex HMAC-SHA256 of the exact
 * body bytes under the configured secret. A receiver recomputes it over the raw body and compares
 * in constant time; a match proves the body came from this server unchanged.
 */
public final class WebhookSignature {

  public static final String HEADER = "X-Buildcast-Signature";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public WebhookSignature(String secret) {
    if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("empty webhook secret");
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** The header's value for {@code body}. */
  public String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
