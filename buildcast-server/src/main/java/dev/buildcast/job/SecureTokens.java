package dev.buildcast.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random ids and access tokens, and the hashing that lets us check a token without storing it. */
public final class SecureTokens {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

  private SecureTokens() {}

  /** 128 random bits as 22 URL-safe characters: a job or upload id. */
  public static String newId() {
    return random(16);
  }

  /** 256 random bits as 43 URL-safe characters: an access token. */
  public static String newToken() {
    return random(32);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return URL_SAFE.encodeToString(b);
  }

  /** SHA-256 of the token, hex. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code token} hashes to {@code expectedHash}, in time independent of where they differ. */
  public static boolean matches(String token, String expectedHash) {
    if (token == null || expectedHash == null) return false;
    return MessageDigest.isEqual(
        hash(token).getBytes(StandardCharsets.US_ASCII), expectedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
