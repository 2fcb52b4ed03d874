package dev.buildcast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port in front of one server (Redis, object storage), whose faults
 * a test switches on and off: {@link #cut()} (every connection reset, new ones refused),
 * {@link #blackhole()} (connections stay open, nothing crosses), {@link #stall()} (connections
 * stay open, everything waits and crosses once healed), {@link #delay(Duration)} (each
 * piece of data crosses that much later, in order) and {@link #pass()}. A partition of one node
 * from the server is one call, with no privileges and no network namespace.
 *
 * <p>Each connection has two pumps (one per direction) on virtual threads; a pump reads a piece,
 * then looks at the mode, so everything read after a switch obeys the new mode.
 */
public final class FaultProxy implements AutoCloseable {

  private enum Mode { PASS, CUT, BLACKHOLE, STALL }

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayNanos;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong stalledPieces = new AtomicLong();
  /** Guards the switch out of {@link Mode#STALL}: held pumps wait on it. */
  private final Object stalled = new Object();

  private FaultProxy(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** A proxy to {@code targetPort} on loopback, passing everything. */
  public static FaultProxy to(int targetPort) {
    try {
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      FaultProxy proxy = new FaultProxy(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
      proxy.pumps.execute(proxy::acceptLoop);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the fault proxy's port", e);
    }
  }

  /** The port clients connect to instead of the target's. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Everything crosses again (after any delay still set: see {@link #delay}); what a stall held crosses first, in order. */
  public void pass() {
    switchTo(Mode.PASS);
  }

  /**
   * Keeps connections open and holds every byte, in both directions, until {@link #pass}: a
   * partition that heals, after which TCP delivers what it could not, in order (unlike
   * {@link #blackhole}, which loses it).
   */
  public void stall() {
    synchronized (stalled) {
      mode = Mode.STALL;
    }
  }

  /** Pieces read and held by {@link #stall} so far, both ways: what a test waits on before healing. */
  public long stalledPieces() {
    return stalledPieces.get();
  }

  /** Resets every open connection and refuses new ones, as a crashed or unreachable server would. */
  public void cut() {
    switchTo(Mode.CUT);
    open.forEach(FaultProxy::reset);
  }

  /** Keeps connections open and drops every byte in both directions, as a hung network would. */
  public void blackhole() {
    switchTo(Mode.BLACKHOLE);
  }

  private void switchTo(Mode next) {
    synchronized (stalled) {
      mode = next;
      stalled.notifyAll(); // why: pumps held by a stall obey the new mode
    }
  }

  /** Each piece of data read from now on crosses {@code delay} later; zero for none. */
  public void delay(Duration delay) {
    delayNanos = delay.toNanos();
  }

  /** Bytes dropped by {@link #blackhole()} so far, both ways: what a test waits on before healing. */
  public long droppedBytes() {
    return dropped.get();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
    open.forEach(FaultProxy::reset);
    pumps.shutdownNow();
    try {
      pumps.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      if (mode == Mode.CUT) {
        reset(client);
        continue;
      }
      try {
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        pumps.execute(() -> pump(client, server));
        pumps.execute(() -> pump(server, client));
      } catch (IOException unreachable) {
        reset(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        long delay = delayNanos;
        if (delay > 0) TimeUnit.NANOSECONDS.sleep(delay); // why sleep: a delay is the fault being simulated, not a wait for a condition
        if (mode == Mode.STALL) holdWhileStalled();
        if (mode == Mode.BLACKHOLE) {
          dropped.addAndGet(n);
          continue;
        }
        if (mode == Mode.CUT) break;
        out.write(Arrays.copyOf(buffer, n));
        out.flush();
      }
    } catch (IOException | InterruptedException gone) {
      // why quiet: a reset or a closed peer is how a connection through a faulty network ends
    } finally {
      open.remove(from);
      open.remove(to);
      reset(from);
      reset(to);
    }
  }

  private void holdWhileStalled() throws InterruptedException {
    stalledPieces.incrementAndGet();
    synchronized (stalled) {
      while (mode == Mode.STALL) stalled.wait();
    }
  }

  /** Closes with a TCP reset (linger 0), as a dropped connection looks to its peer. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException alreadyClosed) {
      // the socket is closed: nothing to reset
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
  }
}
