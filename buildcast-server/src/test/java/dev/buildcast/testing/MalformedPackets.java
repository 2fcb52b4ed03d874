package dev.buildcast.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Malformed Engine.IO and Socket.IO packets, as a client could send them to Buildcast: over a raw
 * WebSocket (bad type digits, bad JSON, binary placeholders without attachments, attachments
 * without an event, ACKs nobody asked for, events before CONNECT, invalid UTF-8, frames past the
 * size limit, broken framing) and over long-polling POSTs.
 *
 * <p>What may happen: the packet is ignored and the connection keeps answering, or the server
 * closes the connection (as the protocols say it does on a parse error). What must not: a 5xx, a
 * connection that stays open but stops answering, or a session left behind (checked by the caller).
 */
public final class MalformedPackets {

  /** What a case sent, and null or what went wrong. */
  public record Outcome(String what, String problem) {}

  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
  /** Packets after which the connection must stay up: the protocols say to ignore them. */
  private static final List<String> IGNORED = List.of("43999[]", "431[\"late\"]", "41/nowhere,", "6", "3");
  private static final List<String> MALFORMED = List.of(
      "9", "7xyz", "4", "4x", "49", "48", "44{\"message\":\"x\"}", "42", "42[", "42{\"a\":1}", "42[1]", "42[]", "42[\"generate\"]xyz",
      "42[\"generate\",{]", "42abc[\"generate\"]", "4212345678901234567890[\"generate\"]", "451-[\"upload.chunk\",{\"_placeholder\":true,\"num\":0}]",
      "452-[\"upload.chunk\",{\"_placeholder\":true,\"num\":7}]", "45x-[\"e\"]", "4599999999-[\"e\"]", "46", "40{\"token\":", "40[1,2]", "40\"auth\"",
      "42[\"connect\"]", "42[\"disconnect\",1]", "43[]", "43", "41{\"x\":1}", "40/" + "n".repeat(300) + ",", "5", "1", "0", "b", "",
      "42[\"generate\"," + "[".repeat(500) + "]".repeat(500) + "]", "42[\"generate\",{\"" + "k".repeat(60_000) + "\":1}]");

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public MalformedPackets(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Outcome send(HostileValues v) {
    try {
      return v.chance(0.25) ? overPolling(v) : overWebSocket(v);
    } catch (IOException e) {
      return new Outcome("?", "the client failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome("?", "interrupted");
    }
  }

  private Outcome overWebSocket(HostileValues v) throws IOException, InterruptedException {
    try (RawSocketIo io = RawSocketIo.open(baseUrl, "")) {
      boolean connectFirst = v.chance(0.75);
      if (connectFirst) {
        io.connect("/", null);
        if (io.await(p -> p.startsWith("40{\"sid\""), 60_000).isEmpty()) return new Outcome("connect", "no CONNECT answer");
      }
      RawWebSocket ws = io.webSocket();
      String what = "?";
      boolean mustStay = false;
      try {
        switch (v.random().nextInt(11)) {
          case 0, 1, 2 -> {
            String packet = v.pick(MALFORMED);
            what = "text " + shorten(packet);
            ws.sendText(packet);
          }
          case 3 -> {
            String packet = v.pick(IGNORED);
            what = "ignorable " + packet;
            mustStay = connectFirst;
            ws.sendText(packet);
          }
          case 4 -> {
            what = "invalid UTF-8 in a text frame";
            byte[] prefix = "42[\"generate\",{\"generator\":\"".getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[prefix.length + INVALID_UTF8.length + 3];
            System.arraycopy(prefix, 0, frame, 0, prefix.length);
            System.arraycopy(INVALID_UTF8, 0, frame, prefix.length, INVALID_UTF8.length);
            System.arraycopy("\"}]".getBytes(StandardCharsets.UTF_8), 0, frame, prefix.length + INVALID_UTF8.length, 3);
            ws.send(RawWebSocket.TEXT, frame, true);
          }
          case 5 -> {
            what = "binary attachment without an event";
            ws.sendBinary(v.bytes());
          }
          case 6 -> {
            what = "binary event, then text instead of its attachment";
            ws.sendText("451-[\"upload.chunk\",{\"uploadId\":\"x\",\"offset\":0,\"data\":{\"_placeholder\":true,\"num\":0}}]");
            ws.sendText("42[\"upload.abort\",{}]");
          }
          case 7 -> {
            what = "text frame past the 1 MB limit";
            ws.sendText("42[\"generate\",\"" + "x".repeat(1_100_000) + "\"]");
          }
          case 8 -> {
            what = "fragmented event";
            byte[] packet = "421[\"upload.abort\",{}]".getBytes(StandardCharsets.UTF_8);
            ws.send(RawWebSocket.TEXT, java.util.Arrays.copyOfRange(packet, 0, 5), false);
            ws.send(RawWebSocket.CONTINUATION, java.util.Arrays.copyOfRange(packet, 5, packet.length), true);
            mustStay = connectFirst;
          }
          case 9 -> {
            int first = v.pick(List.of(0x83, 0x80, 0xC1, 0xF1, 0x0F, 0x89));
            what = "frame with first byte 0x" + Integer.toHexString(first) + (v.chance(0.5) ? "" : " unmasked");
            ws.sendFrame(first, "42[\"x\"]".getBytes(StandardCharsets.UTF_8), !what.endsWith("unmasked"));
          }
          default -> {
            what = "random bytes as text";
            ws.send(RawWebSocket.TEXT, v.bytes(), true);
          }
        }
      } catch (IOException e) {
        // why not a failure: the protocols let the server close on a bad frame, and it may do so
        // while the client is still writing the rest of it (a broken pipe, a reset); only a packet
        // the server must ignore may not cost the connection
        String at = (connectFirst ? "after CONNECT, " : "before CONNECT, ") + what;
        return new Outcome("websocket " + at, mustStay ? "the server closed the connection while it was sent: " + e : null);
      }
      what = (connectFirst ? "after CONNECT, " : "before CONNECT, ") + what;
      return new Outcome("websocket " + what, probe(io, connectFirst, mustStay));
    }
  }

  /** After the case: the connection answers an event (connecting first if need be), or is closed. */
  private static String probe(RawSocketIo io, boolean connected, boolean mustStay) throws IOException, InterruptedException {
    try {
      if (!connected) {
        io.connect("/", null);
        if (io.await(p -> p.startsWith("40{\"sid\""), 60_000).isEmpty()) {
          return io.isClosed() ? null : "neither closed nor answering CONNECT";
        }
      }
      io.webSocket().sendText("42888[\"upload.abort\",{}]");
    } catch (IOException e) {
      return mustStay ? "the server closed the connection" : null;
    }
    Optional<String> ack = io.await(p -> p.startsWith("43888["), 60_000);
    if (ack.isPresent()) return ack.get().contains("bad_request") ? null : "probe answered oddly: " + ack.get();
    if (io.isClosed()) return mustStay ? "the server closed the connection" : null;
    return "the connection neither answers nor closed";
  }

  private Outcome overPolling(HostileValues v) throws IOException, InterruptedException {
    HttpResponse<String> open = http.send(get("/socket.io/?EIO=4&transport=polling"), HttpResponse.BodyHandlers.ofString());
    if (open.statusCode() != 200) return new Outcome("polling handshake", "answered " + open.statusCode());
    String sid = open.body().replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    byte[] body;
    String what;
    String sidParam = "&sid=" + sid;
    switch (v.random().nextInt(7)) {
      case 0 -> {
        String packets = "40\u001e" + v.pick(MALFORMED);
        body = packets.getBytes(StandardCharsets.UTF_8);
        what = "POST " + shorten(packets);
      }
      case 1 -> {
        body = v.bytes();
        what = "POST random bytes";
      }
      case 2 -> {
        body = ("40\u001e4" + new String(INVALID_UTF8, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        what = "POST invalid UTF-8";
      }
      case 3 -> {
        body = ("4" + "x".repeat(1_100_000)).getBytes(StandardCharsets.UTF_8);
        what = "POST past the payload limit";
      }
      case 4 -> {
        body = "40\u001ebAAECAw==\u001ebnot base64!".getBytes(StandardCharsets.UTF_8);
        what = "POST base64 attachments without an event";
      }
      case 5 -> {
        body = "40".getBytes(StandardCharsets.UTF_8);
        sidParam = v.pick(List.of("&sid=" + new HostileValues(v.random()).id(), "", "&sid=%FF", "&sid=" + sid + "&EIO=3"));
        what = "POST with sid " + sidParam;
      }
      default -> {
        body = "40\u001e42[\"upload.abort\",{}]\u001e451-[\"x\",{\"_placeholder\":true,\"num\":0}]\u001e42[\"x\"]".getBytes(StandardCharsets.UTF_8);
        what = "POST event with a placeholder, then text";
      }
    }
    HttpRequest post = HttpRequest.newBuilder(URI.create(baseUrl + "/socket.io/?EIO=4&transport=polling" + sidParam))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> answer;
    try {
      answer = http.send(post, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // why allowed: past the payload limit the server may answer and close before reading the rest
      closeQuietly(sid);
      return new Outcome("polling " + what, body.length > 1_000_000 ? null : "no answer: " + e);
    }
    if (answer.statusCode() >= 500) return new Outcome("polling " + what, "answered " + answer.statusCode() + ": " + answer.body());
    closeQuietly(sid);
    return new Outcome("polling " + what, null);
  }

  /** Ends the session (if it is still open) so the caller's leak check sees only what the server kept. */
  private void closeQuietly(String sid) throws InterruptedException {
    try {
      http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/socket.io/?EIO=4&transport=polling&sid=" + sid)).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString("1")).build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // why quiet: the session may be gone already, which is what we want
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET().build();
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + ")" : s;
  }
}
