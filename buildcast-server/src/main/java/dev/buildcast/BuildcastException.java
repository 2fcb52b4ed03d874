package dev.buildcast;

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

  /** The error code on the wire, e.g. {@code "unknown_generator"}. */
  public String code() {
    return code;
  }
}
