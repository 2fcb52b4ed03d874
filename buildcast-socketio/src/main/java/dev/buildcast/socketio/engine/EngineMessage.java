package dev.buildcast.socketio.engine;

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
  private volatile String pollingSegment;

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

  /** Approximate size in bytes, for queue accounting. */
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
