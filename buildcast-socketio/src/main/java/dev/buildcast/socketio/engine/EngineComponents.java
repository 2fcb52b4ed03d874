package dev.buildcast.socketio.engine;

import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketExtensionRegistry;

/**
 * Jetty's WebSocket components with the engine's permessage-deflate ({@link
 * ThresholdDeflateExtension}) in place of Jetty's, and the setting it reads when a connection
 * negotiates it.
 */
final class EngineComponents extends WebSocketComponents {
  private final int deflateThresholdBytes;

  EngineComponents(int deflateThresholdBytes) {
    super(registry(), null, null, null, null);
    this.deflateThresholdBytes = deflateThresholdBytes;
  }

  private static WebSocketExtensionRegistry registry() {
    WebSocketExtensionRegistry r = new WebSocketExtensionRegistry();
    r.register("permessage-deflate", ThresholdDeflateExtension.class);
    return r;
  }

  int deflateThresholdBytes() {
    return deflateThresholdBytes;
  }
}
