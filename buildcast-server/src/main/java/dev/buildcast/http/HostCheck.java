package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.protocol.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses every request whose {@code Host} is not an {@linkplain AllowedHosts allowed host} before
 * anything else sees it: the page, the API, Socket.IO polling and the WebSocket upgrade alike. why
 * outermost: DNS rebinding makes a hostile page same-origin with this server under the attacker's
 * name; the name in {@code Host} is the one thing that gives it away.
 */
public final class HostCheck extends Handler.Wrapper {

  private final AllowedHosts hosts;

  public HostCheck(AllowedHosts hosts, Handler next) {
    super(next);
    this.hosts = hosts;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) host = request.getHttpURI().getAuthority(); // why: HTTP/2 carries it as :authority
    if (hosts.allows(host)) return super.handle(request, response, callback);
    String shown = host == null ? "(none)" : "'" + BuildcastException.excerpt(host) + "'";
    byte[] body = Json.MAPPER.writeValueAsBytes(ErrorPayload.of("host_not_allowed",
        "This server does not answer to the host " + shown + ". If it is reached under that name, add the name to allowedHosts in its"
            + " configuration (or set notify.publicUrl to the address users reach it at)."));
    response.setStatus(400);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
