package dev.buildcast.socketio.engine;

import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** What a session remembers of the request that opened it (query, headers, peer). */
record HandshakeInfo(Map<String, String> query, Map<String, String> headers, SocketAddress remoteAddress) {

  static HandshakeInfo of(Request request) {
    Map<String, String> query = new LinkedHashMap<>();
    Fields fields = Request.extractQueryParameters(request);
    for (Fields.Field f : fields) query.putIfAbsent(f.getName(), f.getValue());
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField h : request.getHeaders()) {
      if (h.getName() != null) headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
    }
    return new HandshakeInfo(
        Map.copyOf(query), Map.copyOf(headers), request.getConnectionMetaData().getRemoteSocketAddress());
  }
}
