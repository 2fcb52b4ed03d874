package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.List;

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
 * @param allowedOrigins origins allowed for CORS and WebSocket; empty means same-origin only; "*"
 *     allows any origin but never with credentials
 * @param perMessageDeflate whether WebSocket permessage-deflate may be negotiated
 * @param deflateThresholdBytes with permessage-deflate negotiated, messages smaller than this go
 *     out uncompressed (compressing a short log line costs more CPU than the bytes it saves)
 * @param maxSessionsPerAddress the most sessions open at once from one remote IP address; a
 *     handshake past it is refused with HTTP 429. 0 means no limit
 */
public record EngineConfig(
    String path,
    Duration pingInterval,
    Duration pingTimeout,
    int maxPayloadBytes,
    Duration upgradeTimeout,
    long maxQueuedBytes,
    int maxQueuedMessages,
    List<String> allowedOrigins,
    boolean perMessageDeflate,
    int deflateThresholdBytes,
    int maxSessionsPerAddress) {

  public EngineConfig {
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and end with '/': " + path);
    }
    if (maxPayloadBytes <= 0 || maxQueuedBytes <= 0 || maxQueuedMessages <= 0 || maxSessionsPerAddress < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** The defaults: 25 s ping interval, 20 s timeout, 1 MB payloads, 8 MiB / 10,000 messages queued. */
  public static EngineConfig defaults() {
    return new EngineConfig(
        "/socket.io/",
        Duration.ofSeconds(25),
        Duration.ofSeconds(20),
        1_000_000,
        Duration.ofSeconds(10),
        8L * 1024 * 1024,
        10_000,
        List.of(),
        false,
        1024,
        0);
  }

  public EngineConfig withPath(String p) {
    return new EngineConfig(p, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withUpgradeTimeout(Duration d) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, d, maxQueuedBytes, maxQueuedMessages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withPingInterval(Duration d) {
    return new EngineConfig(path, d, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withPingTimeout(Duration d) {
    return new EngineConfig(path, pingInterval, d, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withMaxPayloadBytes(int n) {
    return new EngineConfig(path, pingInterval, pingTimeout, n, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withQueueLimits(long bytes, int messages) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, bytes, messages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withAllowedOrigins(List<String> origins) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, origins, perMessageDeflate, deflateThresholdBytes, maxSessionsPerAddress);
  }

  public EngineConfig withPerMessageDeflate(boolean enabled, int thresholdBytes) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, allowedOrigins, enabled, thresholdBytes, maxSessionsPerAddress);
  }

  /** At most {@code n} sessions open at once per remote IP address; 0 for no limit. */
  public EngineConfig withMaxSessionsPerAddress(int n) {
    return new EngineConfig(path, pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout, maxQueuedBytes, maxQueuedMessages, allowedOrigins, perMessageDeflate, deflateThresholdBytes, n);
  }
}
