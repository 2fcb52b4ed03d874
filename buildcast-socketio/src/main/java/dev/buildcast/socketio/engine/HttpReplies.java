package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes the engine's HTTP answers: payloads, "ok", and JSON rejections. */
final class HttpReplies {
  static final String TEXT_PLAIN = "text/plain; charset=UTF-8";

  private HttpReplies() {}

  static void reject(Response response, Callback callback, Rejection rejection) {
    response.setStatus(rejection.status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (rejection == Rejection.PAYLOAD_TOO_LARGE) {
      // why: the unread body may be huge; closing the connection is cheaper than draining it.
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    Content.Sink.write(response, true, rejection.json(), callback);
  }

  static void text(Response response, Callback callback, String body) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT_PLAIN);
    Content.Sink.write(response, true, body, callback);
  }

  /** A long-polling payload: the packets' polling forms joined by the record separator. */
  static void payload(Response response, Callback callback, List<OutboundPacket> packets) {
    int size = packets.size() - 1;
    for (OutboundPacket p : packets) size += p.pollingBytes().length;
    ByteBuffer body = ByteBuffer.allocate(size);
    for (int i = 0; i < packets.size(); i++) {
      if (i > 0) body.put((byte) EnginePacketCodec.SEPARATOR);
      body.put(packets.get(i).pollingBytes());
    }
    body.flip();
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT_PLAIN);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
    response.write(true, body, callback);
  }
}
