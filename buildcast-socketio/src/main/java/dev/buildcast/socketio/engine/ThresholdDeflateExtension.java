package dev.buildcast.socketio.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.AbstractExtension;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * permessage-deflate (RFC 7692) with a size threshold: a message smaller than {@link
 * EngineConfig#deflateThresholdBytes} goes out uncompressed (RSV1 clear, which the RFC allows on a
 * negotiated extension), so short log lines do not pay for compression that saves a few bytes;
 * larger ones are compressed here, whole, on the writer's thread. Incoming compressed messages are
 * inflated frame by frame, never past the largest message the engine accepts.
 *
 * <p>why our own and not a subclass of Jetty's: Jetty's extension lives in an internal package
 * that may change in any release; this one uses only Jetty's public extension API and the JDK's
 * zlib. Negotiation: {@code server_no_context_takeover} and {@code client_no_context_takeover} are
 * honoured (and echoed); {@code client_max_window_bits} needs no answer (the inflater takes any
 * window); the JDK's deflater always uses a 32 KiB window, so a client that asks for a smaller
 * {@code server_max_window_bits} gets every message uncompressed, which is always valid.
 *
 * <p>Public only because Jetty instantiates extensions by class; not for use outside the engine.
 * Threading: Jetty calls {@link #sendFrame} from the writer and {@link #onFrame} from the reader,
 * one frame at a time each; the deflater and the inflater are each used by one of them.
 */
public final class ThresholdDeflateExtension extends AbstractExtension {
  private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF}; // dropped from / added to each message (RFC 7692 7.2)
  private static final int FULL_WINDOW_BITS = 15;

  private int threshold;
  private boolean serverContextTakeover = true;
  private boolean clientContextTakeover = true;
  private long maxMessageBytes;
  private Deflater deflater;
  private Inflater inflater;
  private boolean inflatingMessage;
  private long inflatedInMessage;

  @Override
  public String getName() {
    return "permessage-deflate";
  }

  @Override
  public boolean isRsv1User() {
    return true;
  }

  @Override
  public void init(ExtensionConfig offer, WebSocketComponents components) {
    Map<String, String> answer = new LinkedHashMap<>();
    threshold = components instanceof EngineComponents c ? c.deflateThresholdBytes() : 0;
    maxMessageBytes = components instanceof EngineComponents c ? c.maxMessageBytes() : Long.MAX_VALUE;
    for (String key : offer.getParameterKeys()) {
      switch (key) {
        case "server_no_context_takeover" -> {
          serverContextTakeover = false;
          answer.put(key, null);
        }
        case "client_no_context_takeover" -> {
          clientContextTakeover = false;
          answer.put(key, null);
        }
        case "server_max_window_bits" -> {
          int bits = offer.getParameter(key, FULL_WINDOW_BITS);
          if (bits < FULL_WINDOW_BITS) {
            threshold = Integer.MAX_VALUE; // why: see the class comment; plain messages honour any window
            answer.put(key, Integer.toString(bits));
          }
        }
        default -> { } // client_max_window_bits: nothing to answer; unknown parameters are ignored
      }
    }
    super.init(new ExtensionConfig(getName(), answer), components);
  }

  @Override
  public void sendFrame(OutgoingEntry entry) {
    Frame frame = entry.getFrame();
    boolean wholeDataMessage = frame.isFin() && (frame.getOpCode() == OpCode.TEXT || frame.getOpCode() == OpCode.BINARY);
    if (!wholeDataMessage || frame.getPayloadLength() < threshold) {
      // why: control frames are never compressed, fragments go out plain (the engine sends whole
      // messages; a plain message is always allowed), and small messages are not worth it
      nextOutgoingFrame(entry);
      return;
    }
    Frame compressed = new Frame(frame.getOpCode());
    compressed.setRsv1(true);
    compressed.setFin(true);
    compressed.setPayload(deflate(frame.getPayload()));
    nextOutgoingFrame(new OutgoingEntry.Builder(entry).frame(compressed).build());
  }

  private synchronized ByteBuffer deflate(ByteBuffer payload) {
    if (deflater == null) deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(payload.slice());
    byte[] out = new byte[Math.max(64, payload.remaining() / 2)];
    int length = 0;
    while (true) {
      if (length == out.length) out = Arrays.copyOf(out, out.length * 2);
      int room = out.length - length;
      int written = deflater.deflate(out, length, room, Deflater.SYNC_FLUSH);
      length += written;
      if (written < room) break; // the flush is complete once the deflater leaves room unused
    }
    if (!serverContextTakeover) deflater.reset();
    if (endsWithTail(out, length)) length -= TAIL.length;
    return ByteBuffer.wrap(out, 0, length);
  }

  private static boolean endsWithTail(byte[] b, int length) {
    return length >= TAIL.length && Arrays.equals(b, length - TAIL.length, length, TAIL, 0, TAIL.length);
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    boolean startsCompressed = frame.isRsv1() && (frame.getOpCode() == OpCode.TEXT || frame.getOpCode() == OpCode.BINARY);
    boolean continuesCompressed = inflatingMessage && frame.getOpCode() == OpCode.CONTINUATION;
    if (frame.isControlFrame() || !(startsCompressed || continuesCompressed)) {
      nextIncomingFrame(frame, callback);
      return;
    }
    if (startsCompressed) {
      inflatingMessage = true;
      inflatedInMessage = 0;
    }
    ByteBuffer inflated;
    try {
      inflated = inflate(frame.getPayload(), frame.isFin());
    } catch (RuntimeException e) {
      inflatingMessage = false;
      callback.failed(e);
      return;
    }
    if (frame.isFin()) {
      inflatingMessage = false;
      if (!clientContextTakeover) inflater.reset();
    }
    Frame plain = new Frame(frame.getOpCode(), frame.isFin(), inflated);
    nextIncomingFrame(plain, callback);
  }

  private synchronized ByteBuffer inflate(ByteBuffer payload, boolean lastOfMessage) {
    if (inflater == null) inflater = new Inflater(true);
    byte[] input = new byte[payload.remaining() + (lastOfMessage ? TAIL.length : 0)];
    payload.slice().get(input, 0, payload.remaining());
    if (lastOfMessage) System.arraycopy(TAIL, 0, input, input.length - TAIL.length, TAIL.length);
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length * 2));
    byte[] buffer = new byte[8192];
    try {
      while (true) {
        int n = inflater.inflate(buffer);
        if (n > 0) {
          inflatedInMessage += n;
          // why: a few compressed bytes can stand for gigabytes; stop at the engine's message limit
          if (inflatedInMessage > maxMessageBytes) {
            throw new MessageTooLargeException("inflated message is larger than " + maxMessageBytes + " bytes");
          }
          out.write(buffer, 0, n);
        } else if (inflater.needsInput() || inflater.finished()) {
          break;
        } else if (inflater.needsDictionary()) {
          throw new BadPayloadException("compressed message needs a preset dictionary");
        }
      }
    } catch (DataFormatException e) {
      throw new BadPayloadException("compressed message is not valid deflate data: " + e.getMessage());
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  @Override
  public synchronized void close() {
    if (deflater != null) deflater.end();
    if (inflater != null) inflater.end();
    deflater = null;
    inflater = null;
  }
}
