package dev.buildcast.socketio.engine;

import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketExtensionRegistry;

/**
 * Jetty's WebSocket components with the engine's permessage-deflate ({@link
 * ThresholdDeflateExtension}) in place of Jetty's, and the setting it reads when a connection
 * negotiates it: the compression threshold, and the largest message, which bounds inflating.
 */
final class EngineComponents extends WebSocketComponents {
  private final int deflateThresholdBytes;
  private final long maxMessageBytes;

  EngineComponents(int deflateThresholdBytes, long maxMessageBytes) {
    super(registry(), null, null, null, null);
    this.deflateThresholdBytes = deflateThresholdBytes;
    this.maxMessageBytes = maxMessageBytes;
  }

  private static WebSocketExtensionRegistry registry() {
    WebSocketExtensionRegistry r = new WebSocketExtensionRegistry();
    r.register("permessage-deflate", ThresholdDeflateExtension.class);
    return r;
  }

  int deflateThresholdBytes() {
    return deflateThresholdBytes;
  }

  long maxMessageBytes() {
    return maxMessageBytes;
  }
}
