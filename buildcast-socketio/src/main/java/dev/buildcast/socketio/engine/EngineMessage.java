package dev.buildcast.socketio.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The payload of one Engine.IO {@code message} packet (type 4): text or binary. Immutable, so one
 * instance can be shared by every recipient of a broadcast; the transport framings of it (the
 * WebSocket frame text, the polling payload segment) are computed once, on first use, and cached.
 */
public final class EngineMessage {
  private final String text;
  private final byte[] binary;
  // why: a broadcast hands one instance to thousands of sessions; each framing is encoded once
  // (racing first uses may both encode, which is harmless since the results are equal).
  private volatile String pollingSegment;
  private volatile byte[] pollingBytes;
  private volatile ByteBuffer webSocketPayload;
  /** How many outbound queues hold this message now (see {@link QueuedMessageMemory}). */
  private volatile int queues;

  private static final VarHandle QUEUES;

  static {
    try {
      QUEUES = MethodHandles.lookup().findVarHandle(EngineMessage.class, "queues", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private EngineMessage(String text, byte[] binary) {
    this.text = text;
    this.binary = binary;
  }

  public static EngineMessage text(String text) {
    if (text == null) throw new IllegalArgumentException("text must not be null");
    return new EngineMessage(text, null);
  }

  /** A binary message; the array is taken as is and must not be changed afterwards. */
  public static EngineMessage binary(byte[] data) {
    if (data == null) throw new IllegalArgumentException("data must not be null");
    return new EngineMessage(null, data);
  }

  public boolean isBinary() {
    return binary != null;
  }

  /** The text; only for text messages. */
  public String text() {
    if (text == null) throw new IllegalStateException("binary message has no text");
    return text;
  }

  /** The bytes; only for binary messages. Do not change the array. */
  public byte[] binary() {
    if (binary == null) throw new IllegalStateException("text message has no bytes");
    return binary;
  }

  /** Whether some outbound queue holds this message now. */
  boolean isQueued() {
    return queues > 0;
  }

  /** One more queue holds this message; true when it is the first. */
  boolean queuedOnceMore() {
    return (int) QUEUES.getAndAdd(this, 1) == 0;
  }

  /** One queue let this message go; true when it was the last. */
  boolean queuedOnceLess() {
    return (int) QUEUES.getAndAdd(this, -1) == 1;
  }

  /** Approximate size in bytes (UTF-16 length for text), for queue accounting. */
  public int size() {
    return binary != null ? binary.length : text.length();
  }

  /**
   * This message as one segment of a long-polling payload: {@code "4" + text}, or {@code "b" +
   * base64} for binary. Cached.
   */
  public String pollingSegment() {
    String segment = pollingSegment;
    if (segment == null) {
      segment = binary != null ? "b" + Base64.getEncoder().encodeToString(binary) : "4" + text;
      pollingSegment = segment;
    }
    return segment;
  }

  /** {@link #pollingSegment()} as UTF-8 bytes. Cached; callers must not change the array. */
  byte[] pollingBytes() {
    byte[] bytes = pollingBytes;
    if (bytes == null) {
      bytes = utf8(pollingSegment());
      pollingBytes = bytes;
    }
    return bytes;
  }

  /**
   * The payload of this message's WebSocket frame: UTF-8 of {@code "4" + text} for a text frame,
   * the raw bytes for a binary frame. Cached and read-only; callers take a {@code slice()} so each
   * session has its own position.
   */
  ByteBuffer webSocketPayload() {
    ByteBuffer payload = webSocketPayload;
    if (payload == null) {
      payload = ByteBuffer.wrap(binary != null ? binary : utf8("4" + text)).asReadOnlyBuffer();
      webSocketPayload = payload;
    }
    return payload;
  }

  @Override
  public String toString() {
    return binary != null
        ? "EngineMessage[binary " + binary.length + " bytes]"
        : "EngineMessage[" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EngineMessage m
        && (text != null ? text.equals(m.text) : Arrays.equals(binary, m.binary));
  }

  @Override
  public int hashCode() {
    return text != null ? text.hashCode() : Arrays.hashCode(binary);
  }

  /** UTF-8 bytes of a string; kept here so transports share one conversion. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
