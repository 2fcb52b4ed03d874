package dev.buildcast.socketio;

import dev.buildcast.socketio.engine.EngineConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SocketIoServer}. Immutable; derive variants with the {@code with…} methods.
 *
 * @param engine the Engine.IO settings (path, heartbeats, payload and queue limits)
 * @param connectTimeout a connection that has joined no namespace this long after its handshake is
 *     closed (the spec requires a CONNECT first; this bounds idle half-open sessions)
 * @param slowClientPolicy what emits and broadcasts do when a client's queue is full
 * @param maxAttachments the most binary attachments one received packet may announce; more is a
 *     protocol error
 * @param defaultAckTimeout the timeout of {@link SocketIoSocket#emitWithAck(String, Object...)}
 * @param maxNestingDepth the deepest JSON nesting accepted from clients
 */
public record SocketIoConfig(
    EngineConfig engine,
    Duration connectTimeout,
    SlowClientPolicy slowClientPolicy,
    int maxAttachments,
    Duration defaultAckTimeout,
    int maxNestingDepth) {

  /** Validates the settings; throws IllegalArgumentException or NullPointerException. */
  public SocketIoConfig {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(slowClientPolicy, "slowClientPolicy");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (defaultAckTimeout.isNegative() || defaultAckTimeout.isZero()) {
      throw new IllegalArgumentException("defaultAckTimeout must be positive");
    }
    if (maxAttachments < 0) throw new IllegalArgumentException("maxAttachments must not be negative");
    if (maxNestingDepth < 2) throw new IllegalArgumentException("maxNestingDepth must be at least 2");
  }

  /** Engine defaults, 45 s connect timeout, DISCONNECT slow clients, 10 attachments, 10 s acks, depth 64. */
  public static SocketIoConfig defaults() {
    return new SocketIoConfig(
        EngineConfig.defaults(), Duration.ofSeconds(45), SlowClientPolicy.DISCONNECT, 10, Duration.ofSeconds(10), 64);
  }

  /** These settings with other Engine.IO settings. */
  public SocketIoConfig withEngine(EngineConfig e) {
    return new SocketIoConfig(e, connectTimeout, slowClientPolicy, maxAttachments, defaultAckTimeout, maxNestingDepth);
  }

  /** These settings with another connect timeout. */
  public SocketIoConfig withConnectTimeout(Duration d) {
    return new SocketIoConfig(engine, d, slowClientPolicy, maxAttachments, defaultAckTimeout, maxNestingDepth);
  }

  /** These settings with another slow-client policy. */
  public SocketIoConfig withSlowClientPolicy(SlowClientPolicy p) {
    return new SocketIoConfig(engine, connectTimeout, p, maxAttachments, defaultAckTimeout, maxNestingDepth);
  }

  /** These settings with another attachment limit. */
  public SocketIoConfig withMaxAttachments(int n) {
    return new SocketIoConfig(engine, connectTimeout, slowClientPolicy, n, defaultAckTimeout, maxNestingDepth);
  }

  /** These settings with another default acknowledgement timeout. */
  public SocketIoConfig withDefaultAckTimeout(Duration d) {
    return new SocketIoConfig(engine, connectTimeout, slowClientPolicy, maxAttachments, d, maxNestingDepth);
  }

  /** These settings with another JSON nesting limit. */
  public SocketIoConfig withMaxNestingDepth(int depth) {
    return new SocketIoConfig(engine, connectTimeout, slowClientPolicy, maxAttachments, defaultAckTimeout, depth);
  }
}
