package dev.buildcast.socketio.engine;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Unguessable session ids: 144 random bits from {@link SecureRandom}, URL-safe base64 (24 chars),
 * after the configured tag and a '.' when there is one ({@link EngineConfig#sessionIdTag()}).
 */
final class SessionIds {
  private static final int BYTES = 18;
  private final SecureRandom random = new SecureRandom();
  private final String prefix;

  SessionIds(Optional<String> tag) {
    this.prefix = tag.map(t -> t + ".").orElse("");
  }

  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
