package dev.buildcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Socket.IO v5 over Engine.IO v4 spoken by hand on a {@link RawWebSocket}: packets go out exactly
 * as the test writes them (binary values become placeholders plus attachments), and every packet
 * that comes back is kept, so a test can wait for the one answer it expects.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RawSocketIo implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RawWebSocket ws;
  private final List<String> packets = new ArrayList<>();

  private RawSocketIo(RawWebSocket ws) {
    this.ws = ws;
  }

  /** Opens an Engine.IO session over WebSocket ({@code extraQuery} starts with '&' or is empty) and waits for its open packet. */
  public static RawSocketIo open(String baseUrl, String extraQuery) throws IOException, InterruptedException {
    RawSocketIo io = new RawSocketIo(RawWebSocket.open(baseUrl, "/socket.io/?EIO=4&transport=websocket" + extraQuery));
    if (io.await(p -> p.startsWith("0{"), 5_000).isEmpty()) {
      io.close();
      throw new IOException("no Engine.IO open packet");
    }
    return io;
  }

  public RawWebSocket webSocket() {
    return ws;
  }

  /** Sends CONNECT to {@code namespace} with an auth payload (raw JSON text, or null for none). */
  public void connect(String namespace, String authJson) throws IOException {
    ws.sendText("40" + prefix(namespace) + (authJson == null ? "" : authJson));
  }

  public void disconnect(String namespace) throws IOException {
    ws.sendText("41" + prefix(namespace));
  }

  /** Emits {@code [event, args...]}; {@code ackId} below 0 asks for no acknowledgement. */
  public void emit(String namespace, String event, List<JsonNode> args, int ackId) throws IOException {
    ArrayNode payload = JsonNodeFactory.instance.arrayNode().add(event);
    List<byte[]> attachments = new ArrayList<>();
    for (JsonNode arg : args) payload.add(placeholders(arg.deepCopy(), attachments));
    String ack = ackId >= 0 ? String.valueOf(ackId) : "";
    String json = JSON.writeValueAsString(payload);
    if (attachments.isEmpty()) {
      ws.sendText("42" + prefix(namespace) + ack + json);
      return;
    }
    ws.sendText("45" + attachments.size() + "-" + prefix(namespace) + ack + json);
    for (byte[] a : attachments) ws.sendBinary(a);
  }

  private static JsonNode placeholders(JsonNode node, List<byte[]> attachments) {
    if (node instanceof BinaryNode binary) {
      ObjectNode placeholder = JsonNodeFactory.instance.objectNode().put("_placeholder", true).put("num", attachments.size());
      attachments.add(binary.binaryValue());
      return placeholder;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) array.set(i, placeholders(array.get(i), attachments));
    } else if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) object.set(name, placeholders(object.get(name), attachments));
    }
    return node;
  }

  private static String prefix(String namespace) {
    return namespace.equals("/") ? "" : namespace + ",";
  }

  /**
   * Waits for a text packet (Engine.IO type digit included) that matches and has not been returned
   * before. Empty when none came in time, or the connection closed.
   */
  public Optional<String> await(Predicate<String> wanted, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      for (int i = 0; i < packets.size(); i++) {
        if (wanted.test(packets.get(i))) {
          return Optional.of(packets.remove(i));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return Optional.empty();
      RawWebSocket.Message m = ws.next(left, TimeUnit.NANOSECONDS);
      if (m == null) return Optional.empty();
      if (m.opcode() == RawWebSocket.CLOSE) return Optional.empty();
      if (!m.isText()) continue;
      String text = m.text();
      if (text.equals("2")) {
        try {
          ws.sendText("3");
        } catch (IOException e) {
          return Optional.empty(); // why: the server went; the caller sees isClosed()
        }
        continue;
      }
      packets.add(withoutAttachmentCount(text));
    }
  }

  /**
   * A binary event or ack ({@code 451-[...]}, {@code 461-/ns,7[...]}) as its text form ({@code
   * 42[...]}, {@code 43/ns,7[...]}), so waiters match answers whether or not they carry bytes; the
   * attachments themselves are not kept.
   */
  private static String withoutAttachmentCount(String packet) {
    if (!packet.startsWith("45") && !packet.startsWith("46")) return packet;
    int dash = packet.indexOf('-');
    if (dash < 0) return packet;
    return (packet.charAt(1) == '5' ? "42" : "43") + packet.substring(dash + 1);
  }

  /** Forgets the packets received so far (keeps the inbox small between cases). */
  public void clear() {
    packets.clear();
  }

  public boolean isClosed() {
    return ws.isClosed();
  }

  /** The JSON of a Socket.IO packet after its type, namespace and ack id, e.g. {@code [{"error":...}]}. */
  public static JsonNode payload(String packet) throws IOException {
    int start = 0;
    while (start < packet.length() && packet.charAt(start) != '[' && packet.charAt(start) != '{' && packet.charAt(start) != '"') start++;
    return JSON.readTree(packet.substring(start));
  }

  @Override
  public void close() {
    ws.close();
  }
}
