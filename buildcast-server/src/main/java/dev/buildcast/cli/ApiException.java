package dev.buildcast.cli;

/** The server refused a request, or could not be reached; the message is for the user. */
final class ApiException extends RuntimeException {

  private final String code;

  ApiException(String code, String message) {
    super(message);
    this.code = code;
  }

  ApiException(String message, Throwable cause) {
    super(message, cause);
    this.code = "connection";
  }

  /** The server's error code ({@code forbidden}, {@code unknown_generator}...), or {@code connection}. */
  String code() {
    return code;
  }
}
