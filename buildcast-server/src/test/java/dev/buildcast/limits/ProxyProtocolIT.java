package dev.buildcast.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxyProtocol: true}: behind a load balancer that sends the PROXY protocol, the per-address
 * limits count the client's address the header names, not the balancer's; a connection without
 * the header counts its own address; with the option off a header is not believed.
 */
class ProxyProtocolIT {

  private static final String CONFIG = """
      proxyProtocol: true
      limits: {connectionsPerIp: 1, jobsPerIpPerMinute: 1}
      generators:
        - name: quick
          command: [bash, -c, "echo hi"]
      """;

  @TempDir Path data;

  @Test
  void connectionsPerIp_countsTheAddressInTheV2Header() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      assertThat(status(send(server, v2Header("203.0.113.7"), get("/socket.io/?EIO=4&transport=polling", server)))).isEqualTo(200);
      String second = send(server, v2Header("203.0.113.7"), get("/socket.io/?EIO=4&transport=polling", server));
      assertThat(status(second)).isEqualTo(429);
      assertThat(second).contains("Too many connections from this address");
      assertThat(status(send(server, v2Header("203.0.113.8"), get("/socket.io/?EIO=4&transport=polling", server)))).isEqualTo(200);
    }
  }

  @Test
  void jobsPerIpPerMinute_countsTheAddressInTheV1Header() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      assertThat(status(send(server, v1Header("198.51.100.9"), postJob(server)))).isEqualTo(201);
      assertThat(status(send(server, v1Header("198.51.100.9"), postJob(server)))).isEqualTo(429);
      assertThat(status(send(server, v1Header("198.51.100.10"), postJob(server)))).isEqualTo(201);
    }
  }

  @Test
  void connectionWithoutTheHeader_countsItsOwnAddress() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      assertThat(status(send(server, v2Header("203.0.113.7"), get("/socket.io/?EIO=4&transport=polling", server)))).isEqualTo(200);
      assertThat(status(send(server, new byte[0], get("/socket.io/?EIO=4&transport=polling", server)))).isEqualTo(200);
      assertThat(status(send(server, new byte[0], get("/socket.io/?EIO=4&transport=polling", server)))).isEqualTo(429);
    }
  }

  @Test
  void optionOff_aHeaderIsNotBelieved() throws Exception {
    try (RunningServer server = RunningServer.start(data, "limits: {connectionsPerIp: 1}\n")) {
      assertThat(status(send(server, v1Header("198.51.100.9"), get("/healthz", server)))).isEqualTo(400);
    }
  }

  private static String get(String path, RunningServer server) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + hostPort(server) + "\r\nConnection: close\r\n\r\n";
  }

  private static String postJob(RunningServer server) {
    String body = "{\"generator\":\"quick\"}";
    return "POST /api/jobs HTTP/1.1\r\nHost: " + hostPort(server) + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\nConnection: close\r\n\r\n" + body;
  }

  private static String hostPort(RunningServer server) {
    URI uri = URI.create(server.url());
    return uri.getHost() + ":" + uri.getPort();
  }

  /** A PROXY protocol v1 line: TCP over IPv4 from {@code source} to the server. */
  private static byte[] v1Header(String source) {
    return ("PROXY TCP4 " + source + " 127.0.0.1 40000 8080\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A binary PROXY protocol v2 header: command PROXY, TCP over IPv4 from {@code source}. */
  private static byte[] v2Header(String source) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(16 + 12);
    header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.put((byte) 0x21); // version 2, PROXY
    header.put((byte) 0x11); // IPv4, stream
    header.putShort((short) 12);
    header.put(InetAddress.getByName(source).getAddress());
    header.put(InetAddress.getLoopbackAddress().getAddress());
    header.putShort((short) 40000);
    header.putShort((short) 8080);
    return header.array();
  }

  /** Sends {@code header} then {@code request} on a new connection; everything the server answered before closing. */
  private static String send(RunningServer server, byte[] header, String request) throws IOException {
    URI uri = URI.create(server.url());
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(header);
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      try {
        in.transferTo(answer);
      } catch (SocketException reset) {
        // why: a refused connection may be reset rather than closed; what arrived before counts
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static int status(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 ");
    return Integer.parseInt(answer.substring(9, 12));
  }
}
