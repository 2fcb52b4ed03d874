package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

/**
 * The Jetty handler of the engine's path: validates each request (transport, protocol version,
 * origin, sid, method) in the order the reference server does, refuses with the spec's error
 * codes, and passes valid ones to the handshake, the polling transport or the WebSocket upgrade.
 * Other paths go to the next handler.
 */
final class EngineHandler extends Handler.Wrapper {
  private final JettyEngineServer engine;
  private final EngineConfig config;
  private final String pathWithoutSlash;
  private final WebSocketMappings mappings;

  EngineHandler(JettyEngineServer engine, Handler next) {
    super(next);
    this.engine = engine;
    this.config = engine.config();
    this.pathWithoutSlash = config.path().substring(0, config.path().length() - 1);
    WebSocketComponents components = new EngineComponents(config.deflateThresholdBytes(), config.maxPayloadBytes());
    addBean(components, true);
    this.mappings = new WebSocketMappings(components);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals(config.path()) && !path.equals(pathWithoutSlash)) {
      return super.handle(request, response, callback);
    }
    serve(request, response, callback);
    return true;
  }

  private void serve(Request request, Response response, Callback callback) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    boolean originAllowed = engine.origins().allows(
        origin, request.getHeaders().get(HttpHeader.HOST), request.isSecure());
    if (originAllowed) engine.origins().addCorsHeaders(origin, response.getHeaders());
    String method = request.getMethod();

    if (HttpMethod.OPTIONS.is(method)) {
      preflight(request, response, callback, originAllowed);
      return;
    }
    Fields query = Request.extractQueryParameters(request);
    String transport = query.getValue("transport");
    if (!"polling".equals(transport) && !"websocket".equals(transport)) {
      HttpReplies.reject(response, callback, Rejection.UNKNOWN_TRANSPORT);
      return;
    }
    if (!"4".equals(query.getValue("EIO"))) {
      HttpReplies.reject(response, callback, Rejection.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    if (!originAllowed) {
      HttpReplies.reject(response, callback, Rejection.FORBIDDEN);
      return;
    }
    String sid = query.getValue("sid");
    if (sid == null) {
      handshake(request, response, callback, transport, method);
      return;
    }
    EngineSession session = engine.session(sid);
    if (session == null || !session.checkAlive()) {
      if (transport.equals("polling") && HttpMethod.GET.is(method) && engine.latePolls().take(sid)) {
        // the poll this client sent before its close, handled after it (see LatePolls)
        HttpReplies.payload(response, callback, List.of(OutboundPacket.NOOP));
      } else {
        HttpReplies.reject(response, callback, Rejection.UNKNOWN_SID);
      }
      return;
    }
    if (transport.equals("websocket")) {
      upgrade(request, response, callback, session);
    } else if (session.polling() == null) {
      HttpReplies.reject(response, callback, Rejection.BAD_REQUEST);
    } else if (HttpMethod.GET.is(method)) {
      session.polling().handleGet(request, response, callback);
    } else if (HttpMethod.POST.is(method)) {
      session.polling().handlePost(request, response, callback);
    } else {
      HttpReplies.reject(response, callback, Rejection.BAD_REQUEST);
    }
  }

  private void handshake(Request request, Response response, Callback callback, String transport, String method) {
    if (!HttpMethod.GET.is(method)) {
      HttpReplies.reject(response, callback, Rejection.BAD_HANDSHAKE_METHOD);
      return;
    }
    // why before the upgrade: a refused WebSocket handshake can then still answer with a status
    if (!engine.admits(request)) {
      HttpReplies.reject(response, callback, Rejection.TOO_MANY_SESSIONS);
      return;
    }
    if (transport.equals("websocket")) {
      upgrade(request, response, callback, null);
      return;
    }
    EngineSession session = engine.openPollingSession(request);
    if (session == null) {
      // why: a handshake racing another from the same address may lose the last place
      HttpReplies.reject(response, callback, engine.admits(request) ? Rejection.BAD_REQUEST : Rejection.TOO_MANY_SESSIONS);
      return;
    }
    HttpReplies.text(response, callback, EnginePacketCodec.handshake(session.id(), true, config));
  }

  /** @param session the polling session the WebSocket upgrades; null for a WebSocket-only handshake */
  private void upgrade(Request request, Response response, Callback callback, EngineSession session) {
    HandshakeInfo info = HandshakeInfo.of(request);
    WebSocketNegotiator negotiator = new Negotiator(session, info);
    boolean upgraded;
    try {
      upgraded = mappings.upgrade(negotiator, request, response, callback, null);
    } catch (RuntimeException e) {
      upgraded = false;
    }
    // why: a GET with transport=websocket that is not an upgrade request is a bad request
    if (!upgraded) HttpReplies.reject(response, callback, Rejection.BAD_REQUEST);
  }

  private void preflight(Request request, Response response, Callback callback, boolean originAllowed) {
    if (!originAllowed) {
      HttpReplies.reject(response, callback, Rejection.FORBIDDEN);
      return;
    }
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
    String requested = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requested != null) headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, requested);
    headers.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, 86400);
    response.setStatus(204);
    callback.succeeded();
  }

  private static final int WRITE_BUFFER_BYTES = 32 * 1024;
  /**
   * Why 64 KiB, not Jetty's 4 KiB: a message is read in pieces of this size, each a read call and
   * a fragment handed to the transport, so a 100 KiB upload chunk (socketio-file-upload's) took 25
   * of each. Jetty holds the buffer only while it reads (it returns it to its pool when the socket
   * has nothing more), so an idle socket holds none. Node's sockets read 64 KiB at a time too.
   */
  static final int READ_BUFFER_BYTES = 64 * 1024;

  /** Accepts the WebSocket with our limits and only the extensions the config allows. */
  private final class Negotiator implements WebSocketNegotiator {
    private final EngineSession session;
    private final HandshakeInfo info;

    Negotiator(EngineSession session, HandshakeInfo info) {
      this.session = session;
      this.info = info;
    }

    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
      List<ExtensionConfig> offered = request.getExtensions();
      response.setExtensions(config.perMessageDeflate()
          ? offered.stream().filter(e -> e.getName().equals("permessage-deflate")).limit(1).toList()
          : List.of());
      // why here: the 101 leaves before Jetty opens the socket and it becomes the probe; a GET the
      // client sends once it has the 101 must already count as sent during the upgrade
      if (session != null) session.onUpgradeRequested();
      return new WebSocketTransport(engine, session == null ? null : session.id(), info);
    }

    @Override
    public void customize(Configuration c) {
      long max = config.maxPayloadBytes();
      c.setMaxTextMessageSize(max);
      c.setMaxBinaryMessageSize(max);
      c.setMaxFrameSize(max);
      // why: Jetty joins small batched frames into a buffer of this size; the default 4 KiB would
      // split a coalesced burst of log lines into many writes
      c.setOutputBufferSize(WRITE_BUFFER_BYTES);
      c.setInputBufferSize(READ_BUFFER_BYTES);
      // why: the heartbeat decides when a quiet socket is dead; Jetty's idle timeout must not
      // fire first
      c.setIdleTimeout(config.pingInterval().plus(config.pingTimeout()).plus(Duration.ofSeconds(5)));
    }
  }
}
