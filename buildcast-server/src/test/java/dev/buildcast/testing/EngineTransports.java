package dev.buildcast.testing;

import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.Transport;
import io.socket.engineio.parser.Packet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the Java client's Engine.IO layer does underneath a Socket.IO socket: every transport it
 * opens (a polling one, the upgrade's WebSocket, new ones after a reconnection), with the session
 * id each carries and what each received, seen through the client's public events only.
 */
public final class EngineTransports {

  /** One transport the client opened. */
  public static final class Seen {
    public final Transport transport;
    /** Engine.IO message packets (Socket.IO packets) it received. */
    public final AtomicInteger messages = new AtomicInteger();
    /** Whether the server answered the upgrade's probe on it (only the node holding the session can). */
    public final AtomicBoolean probeAnswered = new AtomicBoolean();

    Seen(Transport transport) {
      this.transport = transport;
      transport.on(Transport.EVENT_PACKET, a -> {
        Packet<?> packet = (Packet<?>) a[0];
        if (Packet.MESSAGE.equals(packet.type)) messages.incrementAndGet();
        if (Packet.PONG.equals(packet.type) && "probe".equals(packet.data)) probeAnswered.set(true);
      });
    }

    public String name() {
      return transport.name;
    }

    /** The Engine.IO session id it uses; null on a first transport before the handshake answered. */
    public String sessionId() {
      return transport.query.get("sid");
    }
  }

  public final List<Seen> opened = new CopyOnWriteArrayList<>();

  private EngineTransports() {}

  /** Starts watching {@code socket}'s transports; call before {@code connect()}. */
  public static EngineTransports observe(Socket socket) {
    EngineTransports transports = new EngineTransports();
    // why the manager's event: it hands over each transport as it is made, before it opens
    socket.io().on(Manager.EVENT_TRANSPORT, a -> transports.opened.add(new Seen((Transport) a[0])));
    return transports;
  }

  /** The newest transport's session id, or null before the first handshake. */
  public String sessionId() {
    return opened.isEmpty() ? null : opened.getLast().sessionId();
  }
}
