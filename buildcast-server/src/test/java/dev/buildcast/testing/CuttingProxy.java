package dev.buildcast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that breaks connections the way a bad network does, decided by
 * bytes and never by time: the first {@code cuts} connections on which the client sends more than
 * {@code cutAfterBytes} are closed (both ways) after exactly that many bytes reached the server.
 * After its last cut it either passes everything on, or — {@code goAwayAfterCuts} — stops
 * listening, so the server looks unreachable.
 *
 * <p>Concurrency: each connection is copied by two virtual threads (one per direction); the cut
 * count is atomic.
 */
public final class CuttingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long cutAfterBytes;
  private final AtomicInteger cutsLeft;
  private final boolean goAwayAfterCuts;
  private final AtomicInteger cutsMade = new AtomicInteger();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private CuttingProxy(String targetUrl, long cutAfterBytes, int cuts, boolean goAwayAfterCuts) throws IOException {
    URI uri = URI.create(targetUrl);
    this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
    this.cutAfterBytes = cutAfterBytes;
    this.cutsLeft = new AtomicInteger(cuts);
    this.goAwayAfterCuts = goAwayAfterCuts;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("cutting-proxy-accept").start(this::accept);
  }

  /** Cuts the first {@code cuts} connections that carry more than {@code cutAfterBytes} from the client, then passes everything. */
  public static CuttingProxy cutting(String targetUrl, long cutAfterBytes, int cuts) throws IOException {
    return new CuttingProxy(targetUrl, cutAfterBytes, cuts, false);
  }

  /** Cuts the first connection that carries more than {@code cutAfterBytes}, then refuses every new connection. */
  public static CuttingProxy cutOnceThenGone(String targetUrl, long cutAfterBytes) throws IOException {
    return new CuttingProxy(targetUrl, cutAfterBytes, 1, true);
  }

  /** The proxy's address, to give clients instead of the server's. */
  public String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** How many connections were cut so far. */
  public int cutsMade() {
    return cutsMade.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(target);
        open.add(client);
        open.add(server);
        Thread.ofVirtual().start(() -> copy(client, server, true));
        Thread.ofVirtual().start(() -> copy(server, client, false));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void copy(Socket from, Socket to, boolean fromClient) {
    byte[] buffer = new byte[64 * 1024];
    long passed = 0;
    boolean mayCut = fromClient;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (mayCut && passed + n > cutAfterBytes) {
          if (cutsLeft.getAndDecrement() > 0) {
            out.write(buffer, 0, (int) (cutAfterBytes - passed));
            out.flush();
            cut(from, to);
            return;
          }
          mayCut = false;
        }
        out.write(buffer, 0, n);
        passed += n;
      }
    } catch (IOException e) {
      // the other side closed: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void cut(Socket client, Socket server) {
    cutsMade.incrementAndGet();
    closeQuietly(server);
    closeQuietly(client);
    if (goAwayAfterCuts && cutsLeft.get() <= 0) {
      // why every connection: a client's kept-alive connection would otherwise still reach the server
      closeQuietly(listener);
      open.forEach(CuttingProxy::closeQuietly);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // nothing left to do
    }
  }

  @Override
  public void close() {
    closeQuietly(listener);
    open.forEach(CuttingProxy::closeQuietly);
  }
}
