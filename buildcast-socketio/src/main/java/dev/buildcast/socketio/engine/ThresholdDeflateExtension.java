package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.internal.PerMessageDeflateExtension;

/**
 * permessage-deflate (RFC 7692) with a size threshold: a message smaller than {@link
 * EngineConfig#deflateThresholdBytes} goes out uncompressed (RSV1 clear, which the RFC allows on a
 * negotiated extension), so short log lines do not pay for compression that saves a few bytes;
 * larger ones are compressed here, whole, on the writer's thread. Incoming messages are inflated
 * by Jetty's extension, which this one extends.
 *
 * <p>Public only because Jetty instantiates extensions by class; not for use outside the engine.
 * Expects whole messages, as the engine sends them: a fragment goes through Jetty's own path.
 */
public final class ThresholdDeflateExtension extends PerMessageDeflateExtension {
  private static final int TAIL_LENGTH = 4; // 00 00 FF FF, dropped from each message (RFC 7692 7.2.1)

  private int threshold;
  private boolean contextTakeover = true;
  private Deflater deflater;

  @Override
  public void init(ExtensionConfig config, WebSocketComponents components) {
    super.init(config, components);
    threshold = components instanceof EngineComponents c ? c.deflateThresholdBytes() : 0;
    contextTakeover = !getConfig().getParameterKeys().contains("server_no_context_takeover");
  }

  @Override
  public void sendFrame(OutgoingEntry entry) {
    Frame frame = entry.getFrame();
    if (frame.isControlFrame() || frame.getPayloadLength() < threshold) {
      nextOutgoingFrame(entry);
      return;
    }
    boolean wholeMessage = frame.isFin() && (frame.getOpCode() == OpCode.TEXT || frame.getOpCode() == OpCode.BINARY);
    if (!wholeMessage) {
      super.sendFrame(entry);
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
    int written;
    do {
      if (length == out.length) out = Arrays.copyOf(out, out.length * 2);
      int room = out.length - length;
      written = deflater.deflate(out, length, room, Deflater.SYNC_FLUSH);
      length += written;
      if (written < room) break; // the flush is complete once the deflater leaves room unused
    } while (true);
    if (!contextTakeover) deflater.reset();
    if (endsWithTail(out, length)) length -= TAIL_LENGTH;
    return ByteBuffer.wrap(out, 0, length);
  }

  private static boolean endsWithTail(byte[] b, int length) {
    return length >= TAIL_LENGTH && b[length - 4] == 0 && b[length - 3] == 0 && b[length - 2] == (byte) 0xFF
        && b[length - 1] == (byte) 0xFF;
  }

  @Override
  public synchronized void close() {
    super.close();
    if (deflater != null) deflater.end();
    deflater = null;
  }
}
