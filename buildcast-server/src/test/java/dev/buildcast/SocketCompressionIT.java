package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code socket.compression} setting reaches the WebSocket handshake, and only when set. */
class SocketCompressionIT {

  /** The Sec-WebSocket-Extensions header a server answers to an upgrade offering permessage-deflate. */
  private static String negotiatedExtensions(String url) throws Exception {
    URI uri = URI.create(url);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      while (!header.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) header.write(in.read());
      String response = header.toString(StandardCharsets.US_ASCII);
      assertThat(response).startsWith("HTTP/1.1 101");
      for (String line : response.split("\r\n")) {
        if (line.toLowerCase().startsWith("sec-websocket-extensions:")) return line.substring(line.indexOf(':') + 1).trim();
      }
      return null;
    }
  }

  @Test
  void compressionOn_offeredDeflate_isNegotiated(@TempDir Path dir) throws Exception {
    try (RunningServer server = RunningServer.start(dir, "socket: {compression: true, compressionThreshold: 2KiB}\n")) {
      assertThat(negotiatedExtensions(server.url())).startsWith("permessage-deflate");
    }
  }

  @Test
  void defaults_offeredDeflate_isNotNegotiated(@TempDir Path dir) throws Exception {
    try (RunningServer server = RunningServer.start(dir, "")) {
      assertThat(negotiatedExtensions(server.url())).isNull();
    }
  }
}
