import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.Namespace;
import dev.buildcast.socketio.SocketIoConfig;
import dev.buildcast.socketio.SocketIoServer;
import dev.buildcast.socketio.SocketIoSocket;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The bench scenario on buildcast-socketio (the twin of ../node-server.mjs): clients with auth
 * {role:"client"} join room "logs" on connect; a control socket (auth {role:"control"}) emits
 * {@code run {mode, lines, batchMs, batchMax, stallMs}} and gets its ack when every line is queued.
 *
 * <p>Producer rule, the same on both servers: lines go out as fast as the server accepts them.
 * Here a line is encoded once ({@link Namespace#encode}) and {@link SocketIoSocket#send} is called
 * per member; a member whose bounded queue refuses is waited for (its drain) and sent the line
 * again; a member that stays refused for stallMs is cut ({@code disconnect(true)}) and skipped.
 *
 * <p>Usage: {@code java -cp <module classes + deps> BenchServer.java PORT}. Prints "LISTENING port".
 */
public class BenchServer {
  static final String PAD =
      "x".repeat(200); // log line text is padded from this to ~100 bytes

  /** Per-socket drain signal for the producer. */
  static final Map<SocketIoSocket, Semaphore> drains = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    // the product's thread pool (BuildcastServer): Jetty runs blocking work on virtual threads
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("bench-http");
    threads.setVirtualThreadsExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    jetty.addConnector(connector);
    // the product's settings: Buildcast's server uses SocketIoConfig.defaults() (+ allowed origins)
    SocketIoConfig config = SocketIoConfig.defaults();
    SocketIoServer io = SocketIoServer.create(jetty, config);
    Namespace root = io.namespace("/");
    AtomicBoolean running = new AtomicBoolean();
    root.onConnect(socket -> {
      String role = socket.handshake().auth().path("role").asText("client");
      if (role.equals("control")) {
        socket.on("run", (a, ack) -> {
          JsonNode p = a.get(0);
          if (!running.compareAndSet(false, true)) {
            ack.send(Map.of("error", "busy"));
            return;
          }
          // why a thread: the handler runs on the control client's session thread
          Thread.ofPlatform().name("bench-producer").start(() -> {
            try {
              ack.send(run(root, p));
            } catch (Throwable t) {
              t.printStackTrace();
              ack.send(Map.of("error", String.valueOf(t)));
            } finally {
              running.set(false);
            }
          });
        });
        socket.on("mem", (a, ack) -> ack.send(memory(a.size() > 0 && a.get(0).asBoolean())));
        socket.on("echo", (a, ack) -> ack.send(a.get(0)));
      } else {
        Semaphore s = new Semaphore(0);
        drains.put(socket, s);
        socket.onDrain(s::release);
        socket.onDisconnect(r -> drains.remove(socket));
        socket.join("logs");
      }
    });
    jetty.setHandler(io.handler(null));
    jetty.start();
    System.out.println("LISTENING " + connector.getLocalPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        io.close();
        jetty.stop();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    jetty.join();
  }

  static Map<String, Object> memory(boolean gc) {
    if (gc) {
      System.gc();
      System.gc();
    }
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("heapUsed", m.getHeapMemoryUsage().getUsed());
    r.put("heapCommitted", m.getHeapMemoryUsage().getCommitted());
    return r;
  }

  static long nowMicros() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  static String line(int seq) {
    String head = seq + " " + nowMicros() + " ";
    return head + PAD.substring(0, Math.max(0, 100 - head.length()));
  }

  static Map<String, Object> run(Namespace ns, JsonNode p) throws InterruptedException {
    String mode = p.path("mode").asText("line");
    int lines = p.path("lines").asInt(1000);
    int batchMs = p.path("batchMs").asInt(15);
    int batchMax = p.path("batchMax").asInt(500);
    long stallMs = p.path("stallMs").asLong(2000);
    List<SocketIoSocket> members = new ArrayList<>(ns.to("logs").recipients());
    Map<SocketIoSocket, Long> cutAt = new HashMap<>();
    int[] stats = new int[2]; // refusals, cut
    long t0 = System.nanoTime();
    int events = 0;
    if (mode.equals("batch")) {
      long next = System.nanoTime();
      for (int sent = 0; sent < lines; ) {
        long wait = next - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        next = System.nanoTime() + batchMs * 1_000_000L;
        int n = Math.min(batchMax, lines - sent);
        List<String> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) batch.add(line(sent + i));
        deliver(ns.encode("logs", batch), members, stallMs, stats);
        sent += n;
        events++;
      }
    } else if (mode.equals("paced")) {
      // one line every 1/rate s, sent when due (checked every millisecond or so)
      int rate = p.path("rate").asInt(250);
      long start = System.nanoTime();
      for (int i = 0; i < lines; ) {
        long due = Math.min(lines, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
        for (; i < due; i++) {
          deliver(ns.encode("log", line(i)), members, stallMs, stats);
          events++;
        }
        if (i < lines) TimeUnit.MILLISECONDS.sleep(1);
      }
    } else {
      for (int i = 0; i < lines; i++) {
        deliver(ns.encode("log", line(i)), members, stallMs, stats);
        events++;
      }
    }
    long elapsed = System.nanoTime() - t0;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("events", events);
    r.put("recipients", members.size());
    r.put("refusals", stats[0]);
    r.put("cut", stats[1]);
    r.put("produceMs", elapsed / 1e6);
    r.putAll(memory(false));
    return r;
  }

  /** Sends to every member; waits for those whose queue refused, cuts those stalled stallMs. */
  static void deliver(EncodedPacket packet, List<SocketIoSocket> members, long stallMs, int[] stats)
      throws InterruptedException {
    List<SocketIoSocket> refused = null;
    for (SocketIoSocket s : members) {
      if (!s.send(packet) && s.isConnected()) {
        if (refused == null) refused = new ArrayList<>();
        refused.add(s);
      }
    }
    if (refused == null) return;
    for (SocketIoSocket s : refused) {
      stats[0]++;
      long deadline = System.nanoTime() + stallMs * 1_000_000L;
      Semaphore drain = drains.get(s);
      boolean sent = false;
      while (drain != null && s.isConnected()) {
        long left = deadline - System.nanoTime();
        drain.drainPermits();
        if (s.send(packet)) {
          sent = true;
          break;
        }
        if (left <= 0 || !drain.tryAcquire(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS)) {
          if (System.nanoTime() >= deadline) break;
        }
      }
      if (!sent && s.isConnected()) {
        stats[1]++;
        s.disconnect(true); // the caller's choice for a stalled client: cut it, it may resume later
      }
      if (!sent) members.remove(s);
    }
  }
}
