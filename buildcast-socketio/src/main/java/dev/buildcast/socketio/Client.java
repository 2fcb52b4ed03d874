package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.buildcast.socketio.engine.EngineMessage;
import dev.buildcast.socketio.engine.EngineSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session seen by Socket.IO: decodes its messages, routes packets to its sockets (one
 * per namespace joined over this connection), answers CONNECTs, and closes the connection on a
 * protocol error or when it joins no namespace in time.
 *
 * <p>Threading: {@link #onMessage} and {@link #onEngineClose} are called by the engine on the
 * session's serial executor, so the reassembler and the connect flow need no locks; the socket map
 * is concurrent because application threads send and disconnect too.
 */
final class Client {
  private static final Logger log = LoggerFactory.getLogger(Client.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * How long a WebSocket writes nothing after a namespace's CONNECT answer. why: a client that
   * waits for the answer and only then starts listening for the next frame (the official protocol
   * suite's, with the `ws` it pins) loses that frame when both arrive in one read, and the connect
   * listener's first emit follows the answer within microseconds; the reference server leaves
   * 50–180 µs between them, and both lost that frame in about half of the suite's connects on this
   * 2-core machine, none with this pause (bench/socketio/README.md). Once per namespace
   * connection, so no line or ack waits for it.
   */
  static final Duration CONNECT_ANSWER_PAUSE = Duration.ofMillis(5);

  private final SocketIoServer server;
  private final EngineSocket engine;
  private final BinaryReassembler reassembler = new BinaryReassembler();
  private final ConcurrentHashMap<String, SocketIoSocket> sockets = new ConcurrentHashMap<>();
  private volatile String closeReason;
  private volatile boolean closed;
  private boolean sawConnect;
  private ScheduledFuture<?> connectTimer;

  Client(SocketIoServer server, EngineSocket engine) {
    this.server = server;
    this.engine = engine;
  }

  void start() {
    engine.onMessage(this::onMessage);
    engine.onClose(this::onEngineClose);
    engine.onDrain(this::onDrain);
    connectTimer =
        server.timers().schedule(server.config().connectTimeout(), () -> {
          // why: the spec requires a CONNECT first; a session that never joins a namespace is dropped
          if (sockets.isEmpty() && !closed) close("connect timeout");
        });
  }

  EngineSocket engine() {
    return engine;
  }

  PacketEncoder encoder() {
    return server.encoder();
  }

  SocketIoConfig config() {
    return server.config();
  }

  Collection<SocketIoSocket> sockets() {
    return sockets.values();
  }

  /** Queues messages, all or none. */
  boolean send(List<EngineMessage> messages) {
    return engine.send(messages);
  }

  /** Queues messages that end something, even past a full queue's bound. */
  boolean sendEvenIfFull(List<EngineMessage> messages) {
    return engine.sendEvenIfFull(messages);
  }

  /**
   * A send refused for lack of room: applies the slow-client policy. The connection is aborted,
   * not closed gracefully: a graceful close would keep the full queue until the client read it.
   */
  void refused() {
    if (server.config().slowClientPolicy() == SlowClientPolicy.DISCONNECT) abortAsSlow();
  }

  private void abortAsSlow() {
    if (closeReason == null) closeReason = SlowClientPolicy.SLOW_CLIENT_REASON;
    engine.abort(SlowClientPolicy.SLOW_CLIENT_REASON);
  }

  /** Closes the connection; its sockets disconnect with this reason once the engine reports the close. */
  void close(String reason) {
    if (closeReason == null) closeReason = reason;
    engine.close(reason);
  }

  /** Sends DISCONNECT for every namespace, then closes the connection (flushing them first). */
  void disconnectAll() {
    for (SocketIoSocket s : List.copyOf(sockets.values())) s.disconnect();
    close("forced server close");
  }

  /** A socket of this client left its namespace. */
  void forget(SocketIoSocket socket) {
    sockets.remove(socket.namespace().name(), socket);
  }

  void onMessage(EngineMessage message) {
    if (closed) return;
    if (log.isTraceEnabled()) log.trace("connection {} <- {}", engine.id(), message);
    try {
      Packet packet =
          message.isBinary()
              ? reassembler.onBinary(message.binary())
              : reassembler.onText(server.decoder().decode(message.text()));
      if (packet != null) route(packet);
    } catch (ProtocolException e) {
      log.debug("closing connection {}: {}", engine.id(), e.getMessage());
      close("parse error");
    }
  }

  void onEngineClose(String reason) {
    if (closed) return;
    closed = true;
    if (connectTimer != null) connectTimer.cancel(false);
    reassembler.reset();
    String why = closeReason != null ? closeReason : reason;
    for (SocketIoSocket s : List.copyOf(sockets.values())) s.teardown(why);
    server.clientClosed(this);
  }

  private void onDrain() {
    for (SocketIoSocket s : sockets.values()) s.drained();
  }

  private void route(Packet packet) {
    if (packet.type() == PacketType.CONNECT) {
      sawConnect = true;
      connect(packet);
      return;
    }
    if (!sawConnect) throw new ProtocolException("first packet is not CONNECT");
    SocketIoSocket socket = sockets.get(packet.namespace());
    if (socket == null) {
      // why ignore: packets may cross a DISCONNECT on the wire. The reference (socket.io 4.8.4,
      // checked) closes the whole connection here, which would cut the client's other namespaces
      // for a race it cannot avoid.
      log.debug("connection {}: {} for namespace {} it is not in", engine.id(), packet.type(), packet.namespace());
      return;
    }
    switch (packet.type()) {
      case DISCONNECT -> socket.teardown("client namespace disconnect");
      case EVENT, BINARY_EVENT -> {
        // why ignore, not refuse: the reference accepts an EVENT without payload and emits it
        // under no event name, so no handler sees it
        if (packet.payload() == null) log.debug("connection {}: EVENT without payload ignored", engine.id());
        else socket.dispatch(packet);
      }
      case ACK, BINARY_ACK -> socket.onAck(packet);
      default -> throw new ProtocolException("unexpected " + packet.type());
    }
  }

  private void connect(Packet packet) {
    String name = packet.namespace();
    if (sockets.containsKey(name)) {
      log.debug("connection {}: second CONNECT to {} ignored", engine.id(), name);
      return;
    }
    Namespace namespace = server.acquire(name);
    if (namespace == null) {
      ConnectRefusedException refusal = server.invalidNamespace(name);
      sendConnectError(name, refusal.getMessage(), refusal.data());
      return;
    }
    JsonNode auth = packet.payload() != null ? packet.payload() : JsonNodeFactory.instance.objectNode();
    Handshake handshake =
        new Handshake(auth, engine.query(), engine.headers(), engine.remoteAddress(), Instant.now());
    SocketIoSocket socket = new SocketIoSocket(newSocketId(), namespace, this, handshake, server.timers());
    try {
      namespace.runMiddleware(socket);
    } catch (ConnectRefusedException e) {
      refuse(namespace, socket);
      sendConnectError(name, e.getMessage(), e.data());
      return;
    } catch (Exception e) {
      log.warn("connection {}: middleware of {} failed", engine.id(), name, e);
      refuse(namespace, socket);
      sendConnectError(name, "Internal server error", null);
      return;
    }
    if (closed || !socket.markConnected()) {
      refuse(namespace, socket);
      return;
    }
    sockets.put(name, socket);
    ObjectNode answer = JsonNodeFactory.instance.objectNode().put("sid", socket.id());
    // why answer before admitting: once admitted, broadcasts from other threads reach the socket,
    // and the client must see its CONNECT before any event of that namespace
    // why the pause: see CONNECT_ANSWER_PAUSE
    boolean answered = engine.sendThenPause(List.of(server.encoder().control(PacketType.CONNECT, name, answer)), CONNECT_ANSWER_PAUSE);
    namespace.admit(socket);
    if (!answered) {
      socket.teardown(SlowClientPolicy.SLOW_CLIENT_REASON);
      abortAsSlow();
      return;
    }
    namespace.fireConnect(socket);
  }

  private static void refuse(Namespace namespace, SocketIoSocket socket) {
    socket.markDiscarded();
    namespace.release();
  }

  private void sendConnectError(String namespace, String message, Object data) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("message", message);
    if (data != null) {
      try {
        payload.set("data", server.mapper().valueToTree(data));
      } catch (IllegalArgumentException e) {
        log.warn("connection {}: refusal data of {} is not serialisable; sent without it", engine.id(), namespace, e);
      }
    }
    send(List.of(server.encoder().control(PacketType.CONNECT_ERROR, namespace, payload)));
  }

  /** 20 URL-safe characters from 15 random bytes, like the reference's ids; unguessable. */
  private static String newSocketId() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
