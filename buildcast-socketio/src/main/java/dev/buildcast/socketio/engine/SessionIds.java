package dev.buildcast.socketio.engine;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable session ids: 144 random bits from {@link SecureRandom}, URL-safe base64 (24 chars). */
final class SessionIds {
  private static final int BYTES = 18;
  private final SecureRandom random = new SecureRandom();

  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
