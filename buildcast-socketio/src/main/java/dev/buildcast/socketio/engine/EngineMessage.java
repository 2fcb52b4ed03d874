package dev.buildcast.socketio.engine;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 *
 * <p>A text message is held as a String ({@link #text(String)}) or, when written straight as UTF-8
 * ({@link #writtenText}), as the payload of its WebSocket frame, which its String is decoded from
 * only when asked for.
 */
public final class EngineMessage {
  /** The text; for a written text decoded on first use (racing decodes give equal strings). */
  private volatile String text;
  private final byte[] binary;
  /** For a written text: {@code '4'} and the text's UTF-8, its WebSocket frame and polling segment as is. */
  private final byte[] framedText;
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

  private EngineMessage(String text, byte[] binary, byte[] framedText) {
    this.text = text;
    this.binary = binary;
    this.framedText = framedText;
  }

  public static EngineMessage text(String text) {
    if (text == null) throw new IllegalArgumentException("text must not be null");
    return new EngineMessage(text, null, null);
  }

  /**
   * A text message that {@code writer} writes as UTF-8, which must be valid UTF-8, into a buffer of
   * {@code expectedBytes} (it grows if the writer writes more). why: a large payload built as a
   * String was copied five times on its way to the socket (the writer's buffer, its String, the
   * packet's, "4" + it, its UTF-8); written here it is copied once. why the size: grown from a
   * small buffer, a large message is written into a chain of pieces that are then joined, one more
   * copy of it and garbage the size of it.
   */
  public static EngineMessage writtenText(int expectedBytes, Utf8Writer writer) {
    ByteArrayBuilder out = new ByteArrayBuilder(Math.max(16, expectedBytes + 1));
    out.write('4');
    try {
      writer.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a message into memory failed", e);
    }
    return new EngineMessage(null, null, out.toByteArray());
  }

  /** Writes a message's text as UTF-8. */
  @FunctionalInterface
  public interface Utf8Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A binary message; the array is taken as is and must not be changed afterwards. */
  public static EngineMessage binary(byte[] data) {
    if (data == null) throw new IllegalArgumentException("data must not be null");
    return new EngineMessage(null, data, null);
  }

  public boolean isBinary() {
    return binary != null;
  }

  /** The text; only for text messages. */
  public String text() {
    if (binary != null) throw new IllegalStateException("binary message has no text");
    String decoded = text;
    if (decoded == null) {
      decoded = new String(framedText, 1, framedText.length - 1, StandardCharsets.UTF_8);
      text = decoded;
    }
    return decoded;
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

  /** Approximate size in bytes (UTF-16 length of a String text, UTF-8 length of a written one), for queue accounting. */
  public int size() {
    if (binary != null) return binary.length;
    return framedText != null ? framedText.length - 1 : text.length();
  }

  /**
   * This message as one segment of a long-polling payload: {@code "4" + text}, or {@code "b" +
   * base64} for binary. Cached.
   */
  public String pollingSegment() {
    String segment = pollingSegment;
    if (segment == null) {
      segment = binary != null ? "b" + Base64.getEncoder().encodeToString(binary) : "4" + text();
      pollingSegment = segment;
    }
    return segment;
  }

  /** {@link #pollingSegment()} as UTF-8 bytes. Cached; callers must not change the array. */
  byte[] pollingBytes() {
    if (framedText != null) return framedText;
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
      byte[] bytes = binary != null ? binary : framedText != null ? framedText : utf8("4" + text);
      payload = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
      webSocketPayload = payload;
    }
    return payload;
  }

  @Override
  public String toString() {
    return binary != null
        ? "EngineMessage[binary " + binary.length + " bytes]"
        : "EngineMessage[" + (text().length() > 80 ? text().substring(0, 80) + "…" : text()) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EngineMessage m
        && (binary == null ? m.binary == null && text().equals(m.text()) : Arrays.equals(binary, m.binary));
  }

  @Override
  public int hashCode() {
    return binary == null ? text().hashCode() : Arrays.hashCode(binary);
  }

  /** UTF-8 bytes of a string; kept here so transports share one conversion. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
