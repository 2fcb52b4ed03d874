package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the Engine.IO server.
 *
 * @param path the URL path the engine answers on, with leading and trailing slash ("/socket.io/")
 * @param pingInterval how often the server pings (sent in the handshake)
 * @param pingTimeout how long the server waits for a pong (sent in the handshake)
 * @param maxPayloadBytes the largest HTTP body or WebSocket message accepted (sent in the handshake
 *     as maxPayload); larger ones are refused without being read into memory
 * @param upgradeTimeout how long a polling→WebSocket upgrade may take before the probe is dropped
 * @param maxQueuedBytes the bound of each session's outbound queue, in bytes
 * @param maxQueuedMessages the bound of each session's outbound queue, in messages
 * @param maxQueuedBytesAllSessions the bound of all sessions' outbound queues together, in bytes of
 *     distinct messages (a message queued for many sessions counts once): past it, a session whose
 *     queue holds something refuses more as if its own queue were full
 * @param allowedOrigins origins allowed for CORS and WebSocket; empty means same-origin only; "*"
 *     allows any origin but never with credentials
 * @param perMessageDeflate whether WebSocket permessage-deflate may be negotiated
 * @param deflateThresholdBytes with permessage-deflate negotiated, messages smaller than this go
 *     out uncompressed (compressing a short log line costs more CPU than the bytes it saves)
 * @param maxSessionsPerAddress the most sessions open at once from one remote IP address; a
 *     handshake past it is refused with HTTP 429. 0 means no limit
 * @param sessionIdTag when present, every new session id is this tag, a '.', then the random part
 *     (1–32 letters, digits or '-'); a load balancer can route each request naming a session to
 *     the server whose tag the id carries. Requests naming an id of another tag, or of no tag, are
 *     unknown sessions like any other
 */
public record EngineConfig(
    String path,
    Duration pingInterval,
    Duration pingTimeout,
    int maxPayloadBytes,
    Duration upgradeTimeout,
    long maxQueuedBytes,
    int maxQueuedMessages,
    long maxQueuedBytesAllSessions,
    List<String> allowedOrigins,
    boolean perMessageDeflate,
    int deflateThresholdBytes,
    int maxSessionsPerAddress,
    Optional<String> sessionIdTag) {

  /** What a session id tag may be: '.' and the base64url alphabet's '_' are left out, so the tag ends at the first '.'. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9-]{1,32}");

  /** @throws IllegalArgumentException when a setting is out of range or the session id tag is not valid */
  public EngineConfig {
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and end with '/': " + path);
    }
    if (maxPayloadBytes <= 0 || maxQueuedBytes <= 0 || maxQueuedMessages <= 0 || maxQueuedBytesAllSessions <= 0 || maxSessionsPerAddress < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    java.util.Objects.requireNonNull(sessionIdTag, "sessionIdTag (Optional.empty() for none)").ifPresent(EngineConfig::checkTag);
  }

  private static void checkTag(String tag) {
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("session id tag must be 1 to 32 letters, digits or '-', got '" + tag + "'");
    }
  }

  /** The defaults: 25 s ping interval, 20 s timeout, 1 MB payloads, 8 MiB / 10,000 messages queued, 256 MiB in all. */
  public static EngineConfig defaults() {
    return new EngineConfig(
        "/socket.io/",
        Duration.ofSeconds(25),
        Duration.ofSeconds(20),
        1_000_000,
        Duration.ofSeconds(10),
        8L * 1024 * 1024,
        10_000,
        256L * 1024 * 1024,
        List.of(),
        false,
        1024,
        0,
        Optional.empty());
  }

  public EngineConfig withPath(String p) {
    return new EngineConfig(p, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  public EngineConfig withUpgradeTimeout(Duration d) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, d, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  public EngineConfig withPingInterval(Duration d) {
    return new EngineConfig(path, d, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  public EngineConfig withPingTimeout(Duration d) {
    return new EngineConfig(path, pingInterval, d, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  public EngineConfig withMaxPayloadBytes(int n) {
    return new EngineConfig(path, pingInterval, pingTimeout, n, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  /** Each session's queue holds at most {@code bytes} and {@code messages}; all of them together {@code allSessionsBytes}. */
  public EngineConfig withQueueLimits(long bytes, int messages, long allSessionsBytes) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, bytes, messages, allSessionsBytes, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  public EngineConfig withAllowedOrigins(List<String> origins) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, origins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  public EngineConfig withPerMessageDeflate(boolean enabled, int thresholdBytes) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, enabled, thresholdBytes, maxSessionsPerAddress, sessionIdTag);
  }

  /** At most {@code n} sessions open at once per remote IP address; 0 for no limit. */
  public EngineConfig withMaxSessionsPerAddress(int n) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, n, sessionIdTag);
  }

  /**
   * Session ids start with {@code tag} and a '.' (see {@link #sessionIdTag()}).
   *
   * @throws IllegalArgumentException when the tag is not 1–32 letters, digits or '-'
   */
  public EngineConfig withSessionIdTag(String tag) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, maxQueuedBytesAllSessions, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress, Optional.of(tag));
  }
}
