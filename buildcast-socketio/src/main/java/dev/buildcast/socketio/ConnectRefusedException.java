package dev.buildcast.socketio;

/**
 * Thrown by a {@link Middleware} to refuse a connection to a namespace. The client receives a
 * CONNECT_ERROR packet {@code {"message": message, "data": data}} ({@code data} only when not
 * null), which the JavaScript client surfaces as {@code connect_error} with {@code err.message} and
 * {@code err.data}.
 */
public class ConnectRefusedException extends Exception {
  private final transient Object data;

  /** A refusal with a message only. */
  public ConnectRefusedException(String message) {
    this(message, null);
  }

  /**
   * A refusal with a message and data for the client.
   *
   * @param message sent to the client as {@code message}
   * @param data any Jackson-serialisable value sent to the client with the message, or {@code null}
   */
  public ConnectRefusedException(String message, Object data) {
    super(message, null, false, false); // why: an expected refusal, not a fault; no stack trace needed
    this.data = data;
  }

  /** The data sent with the message, or {@code null}. */
  public Object data() {
    return data;
  }
}
