package dev.buildcast.protocol;

import dev.buildcast.BuildcastException;

/** {@code {error: {code, message}}}: how every refusal looks, on acks, error events and HTTP bodies. */
public record ErrorPayload(Detail error) {

  /** The code (stable, for programs) and the message (for people). */
  public record Detail(String code, String message) {}

  public static ErrorPayload of(String code, String message) {
    return new ErrorPayload(new Detail(code, message));
  }

  public static ErrorPayload of(BuildcastException e) {
    return of(e.code(), e.getMessage());
  }
}
