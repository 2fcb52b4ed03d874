package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.socketio.engine.EngineConfig;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty server on a free port with the namespaces and handlers the integration tests drive
 * from the official clients:
 *
 * <ul>
 *   <li>"/": {@code echo} (re-emitted as {@code echo-back}), {@code echo-ack} (acknowledged with its
 *       arguments), {@code bin-len} (acknowledged with the byte count of its first argument), {@code
 *       join room}, {@code shout room msg} (to the room, sender excluded; acks the refusals), {@code
 *       ask q} (server asks the client {@code question} with an ack, then emits {@code answer} with
 *       the client's answer), {@code transport}, {@code burst n} ({@code tick 0..n-1}), {@code
 *       drop-me} (closes the connection as a lost transport would), {@code goodbye} ({@code
 *       disconnect(true)}), {@code make-bin n} (acks n bytes 0,1,2…), {@code block}
 *       (waits for {@link #release}), {@code thread} (acks the handler's thread name), {@code 7}
 *       (an event sent with the number 7 as its name; acks "seven" and its argument count);
 *   <li>"/admin": middleware accepting only auth {@code {"token":"secret"}}, refusing others with
 *       "Invalid token" and data {@code {"code":401}}; emits {@code welcome} with the auth's user;
 *   <li>dynamic {@code /job-xxxxxxxx}: emits {@code hello} with the namespace's name; {@code
 *       drop-me}.
 * </ul>
 */
final class ItServer implements AutoCloseable {
  static final Pattern JOBS = Pattern.compile("^/job-[a-z0-9]{8}$");

  final Server jetty;
  final SocketIoServer io;
  final NamespaceGroup jobs;
  final int port;
  /** Released by a test to let a {@code block} handler finish. */
  final CountDownLatch release = new CountDownLatch(1);
  /** Counted down when a {@code block} handler has started. */
  final CountDownLatch blocked = new CountDownLatch(1);

  ItServer() throws Exception {
    this(UnaryOperator.identity());
  }

  /** @param engineSettings changes the test engine settings (a session id tag, say) */
  ItServer(UnaryOperator<EngineConfig> engineSettings) throws Exception {
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(0);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    EngineConfig engine =
        EngineConfig.defaults()
            .withMaxPayloadBytes(2_000_000) // why: 900 KiB binary is 1.2 MB once base64'd for polling
            .withPingInterval(Duration.ofSeconds(5))
            .withPingTimeout(Duration.ofSeconds(5));
    io = SocketIoServer.create(jetty, SocketIoConfig.defaults().withEngine(engineSettings.apply(engine)));
    io.namespace("/").onConnect(this::root);
    Namespace admin = io.namespace("/admin");
    admin.use(socket -> {
      JsonNode auth = socket.handshake().auth();
      if (!"secret".equals(auth.path("token").asText())) {
        throw new ConnectRefusedException("Invalid token", Map.of("code", 401));
      }
      socket.attributes().put("user", auth.path("user").asText("anonymous"));
    });
    admin.onConnect(socket -> socket.emit("welcome", socket.attributes().get("user")));
    jobs = io.namespace(JOBS);
    jobs.onConnect(socket -> {
      socket.emit("hello", socket.namespace().name());
      socket.on("drop-me", (args, ack) -> socket.client().close("test drop"));
    });
    jetty.setHandler(io.handler(null));
    jetty.start();
    port = connector.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private void root(SocketIoSocket socket) {
    socket.on("block", (args, ack) -> {
      blocked.countDown();
      boolean released = release.await(30, TimeUnit.SECONDS);
      ack.send(released ? "released" : "timed out");
    });
    socket.on("thread", (args, ack) -> ack.send(Thread.currentThread().getName()));
    socket.on("echo", (args, ack) -> socket.emit("echo-back", args.toArray()));
    socket.on("echo-ack", (args, ack) -> ack.send(args.toArray()));
    // a numeric event name (the official client sends emit(7, ...) as 2[7,...]) arrives as "7"
    socket.on("7", (args, ack) -> ack.send("seven", args.size()));
    socket.on("bin-len", (args, ack) -> ack.send(args.get(0).binaryValue().length));
    socket.on("make-bin", (args, ack) -> {
      byte[] data = new byte[args.get(0).asInt()];
      for (int i = 0; i < data.length; i++) data[i] = (byte) i;
      ack.send((Object) data);
    });
    socket.on("join", (args, ack) -> {
      socket.join(args.get(0).asText());
      ack.send("joined");
    });
    socket.on("shout", (args, ack) -> ack.send(socket.to(args.get(0).asText()).emit("shout", args.get(1))));
    socket.on("ask", (args, ack) ->
        socket.emitWithAck(Duration.ofSeconds(10), "question", args.get(0))
            .thenAccept(answer -> socket.emit("answer", answer.toArray()))
            .exceptionally(e -> {
              socket.emit("answer", "failed: " + e);
              return null;
            }));
    socket.on("transport", (args, ack) -> ack.send(socket.transport()));
    socket.on("burst", (args, ack) -> {
      int n = args.get(0).asInt();
      for (int i = 0; i < n; i++) {
        if (!socket.emit("tick", i)) break;
      }
    });
    socket.on("drop-me", (args, ack) -> socket.client().close("test drop")); // a transport close
    socket.on("goodbye", (args, ack) -> socket.disconnect(true));
  }

  @Override
  public void close() {
    io.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the test server did not stop", e);
    }
  }
}
