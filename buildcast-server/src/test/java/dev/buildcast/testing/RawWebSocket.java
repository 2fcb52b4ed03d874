package dev.buildcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client written against the bare RFC 6455 framing, so tests can send what a proper
 * client library refuses to: text frames with invalid UTF-8, unmasked or fragmented frames,
 * reserved opcodes, frames past the size limit. It answers pings and records every message.
 *
 * <p>Concurrency: one reader thread fills {@link #messages}; sends are serialised on {@code this}.
 */
public final class RawWebSocket implements AutoCloseable {

  public static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

  /** One received message: text or binary, or the server's close frame (opcode 8). */
  public record Message(int opcode, byte[] data) {
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    public boolean isText() {
      return opcode == TEXT;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Opens {@code ws://host:port/path?query} of the given http(s) URL's host and port. */
  public static RawWebSocket open(String baseUrl, String pathAndQuery) throws IOException {
    return open(baseUrl, pathAndQuery, 0);
  }

  /** The same; a positive {@code receiveBufferBytes} makes the kernel buffer small (a client that stops reading fills it soon). */
  public static RawWebSocket open(String baseUrl, String pathAndQuery, int receiveBufferBytes) throws IOException {
    URI uri = URI.create(baseUrl);
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
    socket.setSoTimeout(0);
    RawWebSocket ws = new RawWebSocket(socket);
    ws.handshake(uri.getHost() + ":" + uri.getPort(), pathAndQuery);
    return ws;
  }

  private void handshake(String host, String pathAndQuery) throws IOException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new EOFException("the server closed during the WebSocket handshake");
      head.write(b);
    }
    String status = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    if (!status.contains(" 101 ")) {
      socket.close();
      throw new IOException("WebSocket handshake refused: " + status);
    }
    Thread.ofVirtual().name("raw-ws-reader").start(this::readLoop);
  }

  private void readLoop() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      ByteArrayOutputStream fragments = new ByteArrayOutputStream();
      int fragmentedOpcode = -1;
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) length = in.readUnsignedShort();
        else if (length == 127) length = in.readLong();
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & 0x80) != 0;
        if (opcode == PING) {
          send(PONG, payload, true);
        } else if (opcode == CLOSE) {
          break;
        } else if (opcode == PONG) {
          continue;
        } else {
          if (opcode != CONTINUATION) fragmentedOpcode = opcode;
          fragments.write(payload);
          if (fin) {
            messages.add(new Message(fragmentedOpcode, fragments.toByteArray()));
            fragments.reset();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // why quiet: the server may cut the connection at any time; that is what closed() reports
    } finally {
      closed = true; // why first: a reader woken by the close message must already see isClosed()
      messages.add(new Message(CLOSE, new byte[0]));
    }
  }

  /** The next message within the timeout, or null. A close shows as a message of opcode 8, then every later call returns it again. */
  public Message next(long timeout, TimeUnit unit) throws InterruptedException {
    Message m = messages.poll(timeout, unit);
    if (m != null && m.opcode() == CLOSE) messages.add(m);
    return m;
  }

  public boolean isClosed() {
    return closed;
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  public void sendBinary(byte[] data) throws IOException {
    send(BINARY, data, true);
  }

  /** One masked frame, as a client must send it. */
  public void send(int opcode, byte[] payload, boolean fin) throws IOException {
    sendFrame((fin ? 0x80 : 0) | opcode, payload, true);
  }

  /** One frame with the given first byte (FIN, RSV bits, opcode), masked or not. */
  public synchronized void sendFrame(int firstByte, byte[] payload, boolean masked) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(firstByte);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) frame.write((int) (((long) payload.length) >>> shift) & 0xFF);
    }
    byte[] body = payload;
    if (masked) {
      byte[] mask = new byte[4];
      RANDOM.nextBytes(mask);
      frame.write(mask, 0, 4);
      body = new byte[payload.length];
      for (int i = 0; i < payload.length; i++) body[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    frame.write(body, 0, body.length);
    try {
      out.write(frame.toByteArray());
      out.flush();
    } catch (IOException e) {
      closed = true;
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // why quiet: closing a socket the server already cut
    }
  }
}
