package dev.buildcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed and hostile values for fuzzing, drawn from one seeded {@link Random} so a failing case
 * comes back with the same seed: wrong types, extreme numbers, huge and strange strings, binary
 * where text is expected, deep nesting, and valid payloads with some fields swapped for those.
 */
public final class HostileValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Depth of the deepest nesting drawn: under the server's limit of 64 once wrapped in an event. */
  public static final int MAX_DEPTH = 50;

  private final Random random;

  public HostileValues(Random random) {
    this.random = random;
  }

  public Random random() {
    return random;
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  public <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** Any JSON value, binary included, of every kind. */
  public JsonNode value() {
    return value(0);
  }

  private JsonNode value(int depth) {
    int kind = random.nextInt(depth > 2 ? 6 : 9);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> number();
      case 3, 4 -> NODES.textNode(string());
      case 5 -> NODES.binaryNode(bytes());
      case 6 -> array(depth);
      case 7 -> object(depth);
      default -> nested();
    };
  }

  public JsonNode number() {
    return switch (random.nextInt(10)) {
      case 0 -> NODES.numberNode(-1);
      case 1 -> NODES.numberNode(Long.MAX_VALUE);
      case 2 -> NODES.numberNode(Long.MIN_VALUE);
      case 3 -> NODES.numberNode(new BigInteger("9".repeat(40)));
      case 4 -> NODES.numberNode(new BigDecimal("1e400"));
      case 5 -> NODES.numberNode(-0.0);
      case 6 -> NODES.numberNode(0.5);
      case 7 -> NODES.numberNode(Integer.MAX_VALUE + 1L);
      case 8 -> NODES.numberNode(0);
      default -> NODES.numberNode(random.nextInt(1 << 20) - (1 << 10));
    };
  }

  /** Strings that break naive code: empty, huge, control characters, lone surrogates, paths, numbers as text. */
  public String string() {
    return switch (random.nextInt(16)) {
      case 0 -> "";
      case 1 -> " \t\n";
      case 2 -> "../../../etc/passwd";
      case 3 -> "..\\..\\boot.ini";
      case 4 -> id();
      case 5 -> "\u0000nul\u0001\u001b[31m";
      case 6 -> "\ud800 lone surrogate \udfff";
      case 7 -> "\u202e\u2028\u2029\ufeff\uffff";
      case 8 -> "😀".repeat(1 + random.nextInt(100));
      case 9 -> "x".repeat(4096 + random.nextInt(4));
      case 10 -> huge();
      case 11 -> pick(List.of("-1", "1e400", "NaN", "0x10", "9223372036854775808", "true", "null"));
      case 12 -> "%00%2e%2e%2f" + id();
      case 13 -> "'; DROP TABLE jobs; --";
      case 14 -> "a".repeat(random.nextInt(300));
      default -> randomChars(1 + random.nextInt(64));
    };
  }

  /** 22 characters of the id alphabet: shaped like a job or upload id, but nobody's. */
  public String id() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder s = new StringBuilder(22);
    for (int i = 0; i < 22; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString();
  }

  /** Between 64 KiB and about 600 KB: under the 1 MB packet limit, over every field's limit. */
  public String huge() {
    return "h".repeat(65_536 + random.nextInt(540_000));
  }

  private String randomChars(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) s.append((char) random.nextInt(0x3000));
    return s.toString();
  }

  public byte[] bytes() {
    int n = switch (random.nextInt(5)) {
      case 0 -> 0;
      case 1 -> 300_000 + random.nextInt(200_000);
      default -> random.nextInt(2048);
    };
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private JsonNode array(int depth) {
    ArrayNode a = NODES.arrayNode();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) a.add(value(depth + 1));
    return a;
  }

  private JsonNode object(int depth) {
    ObjectNode o = NODES.objectNode();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) o.set(random.nextBoolean() ? string() : "k" + i, value(depth + 1));
    return o;
  }

  /** Arrays and objects nested up to {@link #MAX_DEPTH} deep. */
  public JsonNode nested() {
    int depth = 10 + random.nextInt(MAX_DEPTH - 10);
    JsonNode inner = NODES.textNode("bottom");
    for (int i = 0; i < depth; i++) {
      inner = random.nextBoolean() ? NODES.arrayNode().add(inner) : NODES.objectNode().set("n", inner);
    }
    return inner;
  }

  /**
   * A valid payload made hostile: usually the same object with some fields replaced by hostile
   * values, removed, or joined by unknown ones; sometimes a different value altogether.
   */
  public JsonNode mutate(ObjectNode valid) {
    if (chance(0.2)) return value();
    ObjectNode o = valid.deepCopy();
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    boolean changed = false;
    for (String name : names) {
      if (chance(0.35)) {
        o.set(name, value());
        changed = true;
      } else if (chance(0.15)) {
        o.remove(name);
        changed = true;
      }
    }
    if (chance(0.2) || !changed) o.set(string(), value());
    return o;
  }

  public static BinaryNode binary(byte[] data) {
    return NODES.binaryNode(data);
  }
}
