package dev.buildcast;

import java.util.Map;

/**
 * A failure that users are told about: it carries a stable machine-readable {@code code} (part of
 * the protocol, see docs/protocol.md) and a message that says what failed and what to do next.
 */
public class BuildcastException extends RuntimeException {

  private final String code;

  public BuildcastException(String code, String message) {
    super(message);
    this.code = code;
  }

  public BuildcastException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /**
   * A value a client sent, cut to 40 characters, for quoting in an error message: enough to
   * recognise it, and a hostile megabyte-long value does not come back whole.
   */
  public static String excerpt(String value) {
    if (value == null) return "null";
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  /** The error code on the wire, e.g. {@code "unknown_generator"}. */
  public String code() {
    return code;
  }

  /**
   * Extra fields a program needs to recover, sent next to {@code code} and {@code message} (e.g.
   * {@code expectedOffset} of a refused upload chunk); empty for most errors.
   */
  public Map<String, Object> details() {
    return Map.of();
  }
}
