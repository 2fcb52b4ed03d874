package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Inflater;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate as the engine sends it, read off the wire: below the threshold a message
 * goes out plain (RSV1 clear), above it compressed (RSV1 set) and inflating back to the same text;
 * without the extension in the config it is never negotiated.
 */
class DeflateTest {
  private static final int THRESHOLD = 1024;
  private EngineFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private record WireFrame(boolean rsv1, int opcode, byte[] payload) {}

  /** A WebSocket client on a raw socket, so the frames' RSV1 bits can be seen. */
  private static final class RawClient implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final String extensionsHeader;

    RawClient(int port, String query) throws IOException {
      this(port, query, "permessage-deflate");
    }

    RawClient(int port, String query, String offer) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      String key = Base64.getEncoder().encodeToString("buildcast-deflate".getBytes(StandardCharsets.US_ASCII));
      out.write(("GET " + EngineFixture.PATH + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key
          + "\r\nSec-WebSocket-Extensions: " + offer + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      in = new DataInputStream(socket.getInputStream());
      String header = readHeader();
      if (!header.startsWith("HTTP/1.1 101")) throw new IOException("no upgrade: " + header);
      String ext = null;
      for (String line : header.split("\r\n")) {
        if (line.toLowerCase().startsWith("sec-websocket-extensions:")) ext = line.substring(line.indexOf(':') + 1).trim();
      }
      extensionsHeader = ext;
    }

    private String readHeader() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) b.write(in.readUnsignedByte());
      return b.toString(StandardCharsets.US_ASCII);
    }

    WireFrame next() throws IOException {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) length = in.readUnsignedShort();
      else if (length == 127) length = in.readLong();
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new WireFrame((b0 & 0x40) != 0, b0 & 0x0F, payload);
    }

    /** Sends one masked text frame whose payload is already deflated (RSV1 set). */
    void sendCompressedText(byte[] deflated) throws IOException {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(0x80 | 0x40 | 0x1);
      if (deflated.length < 126) {
        frame.write(0x80 | deflated.length);
      } else {
        frame.write(0x80 | 126);
        frame.write(deflated.length >> 8);
        frame.write(deflated.length & 0xFF);
      }
      byte[] mask = {1, 2, 3, 4};
      frame.write(mask);
      for (int i = 0; i < deflated.length; i++) frame.write(deflated[i] ^ mask[i % 4]);
      socket.getOutputStream().write(frame.toByteArray());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static byte[] deflateMessage(byte[] plain) {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
    deflater.setInput(plain);
    byte[] out = new byte[plain.length + 64];
    int n = deflater.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
    deflater.end();
    return java.util.Arrays.copyOf(out, n - 4); // without the 00 00 FF FF tail, as the RFC sends it
  }

  @Test
  void deflateOn_noContextTakeoverAsked_echoedAndEachMessageInflatesAlone() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPerMessageDeflate(true, THRESHOLD));
    String offer = "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits";
    try (RawClient client = new RawClient(fx.port, "EIO=4&transport=websocket", offer)) {
      assertThat(client.extensionsHeader).contains("server_no_context_takeover").contains("client_no_context_takeover")
          .doesNotContain("client_max_window_bits");
      client.next();
      EngineSocket socket = fx.nextSocket();
      String large = "[INFO] Compiling 42 source files to /work/target/classes\n".repeat(100);
      socket.send(EngineMessage.text(large));
      socket.send(EngineMessage.text(large));

      for (int i = 0; i < 2; i++) {
        WireFrame frame = client.next();
        assertThat(frame.rsv1()).isTrue();
        Inflater fresh = new Inflater(true);
        assertThat(inflateStream(fresh, frame.payload())).isEqualTo("4" + large);
        fresh.end();
      }
    }
  }

  @Test
  void deflateOn_clientAsksForASmallServerWindow_messagesGoOutPlain() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPerMessageDeflate(true, THRESHOLD));
    try (RawClient client = new RawClient(fx.port, "EIO=4&transport=websocket", "permessage-deflate; server_max_window_bits=10")) {
      assertThat(client.extensionsHeader).contains("server_max_window_bits=10");
      client.next();
      EngineSocket socket = fx.nextSocket();
      String large = "y".repeat(8192);
      socket.send(EngineMessage.text(large));
      WireFrame frame = client.next();
      assertThat(frame.rsv1()).isFalse();
      assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("4" + large);
    }
  }

  @Test
  void deflateOn_compressedMessageInflatingPastTheLimit_closesWithMessageTooBig() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPerMessageDeflate(true, THRESHOLD));
    try (RawClient client = new RawClient(fx.port, "EIO=4&transport=websocket")) {
      client.next();
      fx.nextSocket();
      // 5 MB of one letter deflates to a few kilobytes: a bomb against the 1 MB message limit
      byte[] bomb = deflateMessage(("4" + "z".repeat(5_000_000)).getBytes(StandardCharsets.UTF_8));
      assertThat(bomb.length).isLessThan(65_536);
      client.sendCompressedText(bomb);

      WireFrame frame = client.next();
      while (frame.opcode() != 0x8) frame = client.next(); // a ping may come first
      int status = ((frame.payload()[0] & 0xFF) << 8) | (frame.payload()[1] & 0xFF);
      assertThat(status).isEqualTo(1009);
    }
    org.awaitility.Awaitility.await().until(() -> fx.engine.sessionCount() == 0);
  }

  @Test
  void deflateOn_smallMessagePlain_largeMessageCompressedAndIntact() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPerMessageDeflate(true, THRESHOLD));
    try (RawClient client = new RawClient(fx.port, "EIO=4&transport=websocket")) {
      assertThat(client.extensionsHeader).startsWith("permessage-deflate");
      WireFrame open = client.next();
      assertThat(open.rsv1()).as("the open packet is under the threshold").isFalse();
      EngineSocket socket = fx.nextSocket();

      String small = "a short log line";
      String large = "[INFO] Compiling 42 source files to /work/target/classes\n".repeat(100);
      socket.send(EngineMessage.text(small));
      socket.send(EngineMessage.text(large));
      socket.send(EngineMessage.text(large)); // with context takeover the second one is tiny

      WireFrame first = client.next();
      assertThat(first.rsv1()).isFalse();
      assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("4" + small);
      WireFrame second = client.next();
      assertThat(second.rsv1()).isTrue();
      assertThat(second.payload().length).isLessThan(large.length() / 10);
      WireFrame third = client.next();
      assertThat(third.rsv1()).isTrue();
      assertThat(third.payload().length).isLessThan(second.payload().length);
      Inflater both = new Inflater(true);
      assertThat(inflateStream(both, second.payload())).isEqualTo("4" + large);
      assertThat(inflateStream(both, third.payload())).isEqualTo("4" + large);
      both.end();
    }
  }

  /** Inflates one message of a stream compressed with context takeover (one inflater for all). */
  private static String inflateStream(Inflater inflater, byte[] compressed) throws Exception {
    byte[] withTail = java.util.Arrays.copyOf(compressed, compressed.length + 4);
    withTail[compressed.length + 2] = (byte) 0xFF;
    withTail[compressed.length + 3] = (byte) 0xFF;
    inflater.setInput(withTail);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = inflater.inflate(buf)) > 0) out.write(buf, 0, n);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void deflateOff_offeredExtension_notNegotiated() throws Exception {
    fx = new EngineFixture(EngineFixture.config());
    try (RawClient client = new RawClient(fx.port, "EIO=4&transport=websocket")) {
      assertThat(client.extensionsHeader).isNull();
      EngineSocket socket = fx.nextSocket();
      client.next();
      String large = "x".repeat(4096);
      socket.send(EngineMessage.text(large));
      WireFrame frame = client.next();
      assertThat(frame.rsv1()).isFalse();
      assertThat(frame.payload()).hasSize(large.length() + 1);
    }
  }

  @Test
  void deflateOn_compressingClient_largeMessagesBothWaysWithJettyClient() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPerMessageDeflate(true, THRESHOLD));
    fx.engine.onConnection(s -> {
      s.onMessage(s::send); // echo
      fx.sockets.add(s);
    });
    WsPeer peer = new WsPeer();
    ClientUpgradeRequest request = new ClientUpgradeRequest(fx.wsUri("EIO=4&transport=websocket"));
    request.addExtensions("permessage-deflate");
    fx.wsClient.connect(peer, request).get(5, java.util.concurrent.TimeUnit.SECONDS);
    peer.nextText();
    String large = "4" + "ünïcode log line with some repetition\n".repeat(1200);

    for (int i = 0; i < 3; i++) {
      peer.send(large);
      peer.send("4small " + i);
    }

    for (int i = 0; i < 3; i++) {
      assertThat(peer.nextText()).isEqualTo(large);
      assertThat(peer.nextText()).isEqualTo("4small " + i);
    }
  }
}
