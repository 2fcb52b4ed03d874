package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

  private final ServerSocket echo = echoServer();
  private final ExecutorService echoes = Executors.newVirtualThreadPerTaskExecutor();
  private final FaultProxy proxy = FaultProxy.to(echo.getLocalPort());

  FaultProxyTest() {
    echoes.execute(this::serveEcho);
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
    echoes.shutdownNow();
  }

  @Test
  void pass_bytesCrossBothWays() throws IOException {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void cut_resetsOpenConnections_andRefusesNewOnes_untilPass() throws IOException {
    try (Socket before = connect()) {
      assertThat(roundTrip(before, "a")).isEqualTo("a");
      proxy.cut();
      assertThat(readOrEnd(before)).isEqualTo(-1);
    }
    try (Socket during = connect()) {
      assertThat(readOrEnd(during)).isEqualTo(-1);
    }
    proxy.pass();
    try (Socket after = connect()) {
      assertThat(roundTrip(after, "b")).isEqualTo("b");
    }
  }

  @Test
  void blackhole_dropsWhatIsSent_andTheConnectionCarriesOnAfterPass() throws IOException {
    try (Socket socket = connect()) {
      proxy.blackhole();
      socket.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      await().until(() -> proxy.droppedBytes() == 4);
      proxy.pass();
      assertThat(roundTrip(socket, "kept")).isEqualTo("kept");
    }
  }

  @Test
  void stall_holdsWhatIsSent_thenDeliversItInOrderOnPass() throws IOException {
    try (Socket socket = connect()) {
      proxy.stall();
      socket.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      await().until(() -> proxy.stalledPieces() >= 1);
      socket.setSoTimeout(200);
      assertThat(readOrEnd(socket)).as("nothing crosses while stalled").isEqualTo(-1);
      socket.setSoTimeout(0);
      proxy.pass();
      assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("held");
      assertThat(roundTrip(socket, "then")).isEqualTo("then");
    }
  }

  @Test
  void delay_dataArrivesNoSoonerThanTheDelay() throws IOException {
    proxy.delay(Duration.ofMillis(200));
    try (Socket socket = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }
  }

  @Test
  void close_refusesConnections() {
    proxy.close();
    assertThatThrownBy(this::connect).isInstanceOf(IOException.class);
  }

  private Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    byte[] sent = text.getBytes(StandardCharsets.UTF_8);
    socket.getOutputStream().write(sent);
    socket.getOutputStream().flush();
    return new String(socket.getInputStream().readNBytes(sent.length), StandardCharsets.UTF_8);
  }

  /** The next byte, or -1 when the connection ended (closed or reset). */
  private static int readOrEnd(Socket socket) {
    try {
      return socket.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }

  private static ServerSocket echoServer() {
    try {
      return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void serveEcho() {
    while (!echo.isClosed()) {
      try {
        Socket client = echo.accept();
        echoes.execute(() -> {
          try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException gone) {
            // the test closed or the proxy reset it
          }
        });
      } catch (IOException closed) {
        return;
      }
    }
  }
}
