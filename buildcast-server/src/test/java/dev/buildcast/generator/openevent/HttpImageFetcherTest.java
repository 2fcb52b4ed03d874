package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.buildcast.net.OutboundAddresses;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP adapter against a real server on loopback: addresses it must turn into a failure (never
 * an exception that would fail the job), and the DNS rebinding it must not fall for.
 */
class HttpImageFetcherTest {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** TEST-NET-3: public by the policy, and never connected to: the recording connector refuses it. */
  private static final String PUBLIC = "203.0.113.7";

  /** TEST-NET-3 too, standing in for a public image server: the recording connector takes it to the loopback server. */
  private static final String STAND_IN = "203.0.113.8";

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger lookups = new AtomicInteger();
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<SocketAddress> connectedTo = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/stalled", exchange -> {
      stalled.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.createContext("/to-rebind", exchange -> {
      requests.incrementAndGet();
      exchange.getResponseHeaders().add("Location", "http://rebind.test:" + server.getAddress().getPort() + "/a.png");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/a.png", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, PNG.length);
      exchange.getResponseBody().write(PNG);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  /**
   * Records every address the client connects to; connects to loopback, and to the loopback server
   * for {@link #STAND_IN}; any other address fails at once, so no test reaches the internet.
   */
  private ClientConnector recordingConnector() {
    return new ClientConnector() {
      @Override
      public void connect(SocketAddress address, Map<String, Object> context) {
        connectedTo.add(address);
        InetSocketAddress to = (InetSocketAddress) address;
        if (to.getAddress().isLoopbackAddress()) {
          super.connect(address, context);
          return;
        }
        if (to.getAddress().getHostAddress().equals(STAND_IN)) {
          super.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), to.getPort()), context);
          return;
        }
        @SuppressWarnings("unchecked")
        Promise<Object> promise = (Promise<Object>) context.get(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY);
        promise.failed(new ConnectException("test: no connections beyond loopback"));
      }
    };
  }

  private HttpImageFetcher fetcher(boolean allowPrivate, OutboundAddresses.Lookup lookup) {
    OutboundAddresses addresses = OutboundAddresses.of("image", allowPrivate, "openEventSite.remoteImages.allowPrivateAddresses", lookup);
    return HttpImageFetcher.start(addresses, Duration.ofSeconds(30), recordingConnector());
  }

  private URI at(String host, String path) {
    return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
  }

  @Test
  void fetch_allowedLoopback_returnsTheBody() throws Exception {
    try (HttpImageFetcher fetcher = fetcher(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()})) {
      ImageFetcher.Outcome outcome = fetcher.fetch(at("images.test", "/a.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isInstanceOfSatisfying(ImageFetcher.Fetched.class, f -> assertThat(f.body()).isEqualTo(PNG));
      assertThat(requests).hasValue(1);
    }
  }

  @Test
  void fetch_nameAnsweringPublicThenLoopback_neverConnectsToLoopback() throws Exception {
    // the rebinding answer: public for whoever asks first, the server's own machine afterwards
    OutboundAddresses.Lookup rebinding = host -> new InetAddress[] {
        InetAddress.getByName(lookups.incrementAndGet() == 1 ? PUBLIC : "127.0.0.1")};

    try (HttpImageFetcher fetcher = fetcher(false, rebinding)) {
      ImageFetcher.Outcome first = fetcher.fetch(at("rebind.test", "/a.png"), Duration.ofSeconds(30), 1000);
      ImageFetcher.Outcome second = fetcher.fetch(at("rebind.test", "/a.png"), Duration.ofSeconds(30), 1000);

      assertThat(first).isEqualTo(new ImageFetcher.Failed("could not connect"));
      assertThat(second).isInstanceOfSatisfying(ImageFetcher.Failed.class, f -> assertThat(f.reason())
          .startsWith("refused: the image host rebind.test resolves to 127.0.0.1, a loopback address")
          .contains("openEventSite.remoteImages.allowPrivateAddresses"));
    }
    assertThat(lookups).as("one lookup per connection attempt, none for a second opinion").hasValue(2);
    assertThat(connectedTo).containsExactly(new InetSocketAddress(InetAddress.getByName(PUBLIC), server.getAddress().getPort()));
    assertThat(requests).hasValue(0);
  }

  @Test
  void fetch_nameAnsweringLoopbackThenPublic_isRefusedWithoutAConnection() throws Exception {
    OutboundAddresses.Lookup rebinding = host -> new InetAddress[] {
        InetAddress.getByName(lookups.incrementAndGet() == 1 ? "127.0.0.1" : PUBLIC)};

    try (HttpImageFetcher fetcher = fetcher(false, rebinding)) {
      ImageFetcher.Outcome outcome = fetcher.fetch(at("rebind.test", "/a.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isInstanceOfSatisfying(ImageFetcher.Failed.class, f -> assertThat(f.reason()).startsWith("refused: "));
    }
    assertThat(lookups).hasValue(1);
    assertThat(connectedTo).isEmpty();
    assertThat(requests).hasValue(0);
  }

  @Test
  void fetch_nameWithAPublicAndALoopbackAddress_isRefusedWithoutAConnection() throws Exception {
    OutboundAddresses.Lookup both = host -> new InetAddress[] {InetAddress.getByName(PUBLIC), InetAddress.getByName("127.0.0.1")};

    try (HttpImageFetcher fetcher = fetcher(false, both)) {
      ImageFetcher.Outcome outcome = fetcher.fetch(at("both.test", "/a.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isInstanceOfSatisfying(ImageFetcher.Failed.class, f -> assertThat(f.reason()).contains("resolves to 127.0.0.1"));
    }
    assertThat(connectedTo).isEmpty();
  }

  @Test
  void fetch_redirectToANameAnsweringLoopback_isRefusedAtTheRedirect() throws Exception {
    OutboundAddresses.Lookup lookup = host -> {
      lookups.incrementAndGet();
      return new InetAddress[] {InetAddress.getByName(host.equals("images.test") ? STAND_IN : "127.0.0.1")};
    };

    try (HttpImageFetcher fetcher = fetcher(false, lookup)) {
      ImageFetcher.Outcome outcome = fetcher.fetch(at("images.test", "/to-rebind"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isInstanceOfSatisfying(ImageFetcher.Failed.class, f -> assertThat(f.reason())
          .startsWith("refused: the image host rebind.test resolves to 127.0.0.1"));
    }
    assertThat(connectedTo).containsExactly(new InetSocketAddress(InetAddress.getByName(STAND_IN), server.getAddress().getPort()));
    assertThat(requests).as("only the redirect itself").hasValue(1);
  }

  @Test
  void fetch_bodyLargerThanTheCap_isAFailureNamingTheCap() throws Exception {
    try (HttpImageFetcher fetcher = fetcher(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()})) {
      ImageFetcher.Outcome outcome = fetcher.fetch(at("images.test", "/a.png"), Duration.ofSeconds(30), PNG.length - 1);

      assertThat(outcome).isEqualTo(new ImageFetcher.Failed("larger than 7 bytes"));
    }
  }

  @Test
  void fetch_interruptedWhileWaitingForTheAnswer_throwsInterruptedException() throws Exception {
    try (HttpImageFetcher fetcher = fetcher(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()})) {
      CompletableFuture<Object> thrown = new CompletableFuture<>();
      Thread job = new Thread(() -> {
        try {
          thrown.complete(fetcher.fetch(at("images.test", "/stalled"), Duration.ofMinutes(5), 1000));
        } catch (Throwable t) {
          thrown.complete(t);
        }
      });
      job.start();
      assertThat(stalled.await(60, TimeUnit.SECONDS)).isTrue();

      job.interrupt();

      assertThat(thrown.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }
  }

  @Test
  void fetch_unknownHost_isAFailureNamingIt() throws Exception {
    try (HttpImageFetcher fetcher = fetcher(false, host -> {
      throw new java.net.UnknownHostException(host);
    })) {
      ImageFetcher.Outcome outcome = fetcher.fetch(URI.create("http://nowhere.invalid/a.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isEqualTo(new ImageFetcher.Failed("host nowhere.invalid is unknown"));
    }
  }

  @Test
  void fetch_portPastTheRange_isAFailureNotAnException() throws Exception {
    try (HttpImageFetcher fetcher = fetcher(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()})) {
      ImageFetcher.Outcome outcome = fetcher.fetch(new URI("http://127.0.0.1:99999/x.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isInstanceOf(ImageFetcher.Failed.class);
    }
  }

  @Test
  void fetch_otherSchemesAndUserNames_areFailuresWithoutALookup() throws Exception {
    try (HttpImageFetcher fetcher = fetcher(true, host -> {
      lookups.incrementAndGet();
      return new InetAddress[] {InetAddress.getLoopbackAddress()};
    })) {
      assertThat(fetcher.fetch(new URI("ftp://127.0.0.1/x.png"), Duration.ofSeconds(30), 1000))
          .isEqualTo(new ImageFetcher.Failed("refused: not an http(s) address"));
      assertThat(fetcher.fetch(new URI("file:///etc/passwd"), Duration.ofSeconds(30), 1000))
          .isEqualTo(new ImageFetcher.Failed("refused: not an http(s) address"));
      assertThat(fetcher.fetch(at("user@images.test", "/a.png"), Duration.ofSeconds(30), 1000))
          .isEqualTo(new ImageFetcher.Failed("refused: the address carries a user name"));
    }
    assertThat(lookups).hasValue(0);
    assertThat(requests).hasValue(0);
  }
}
