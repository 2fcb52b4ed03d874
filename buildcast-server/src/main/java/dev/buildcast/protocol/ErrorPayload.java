package dev.buildcast.protocol;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.buildcast.BuildcastException;
import java.util.Map;

/** {@code {error: {code, message}}}: how every refusal looks, on acks, error events and HTTP bodies. */
public record ErrorPayload(Detail error) {

  /**
   * The code (stable, for programs) and the message (for people), plus the error's {@linkplain
   * BuildcastException#details() details} as further fields when it has any.
   */
  public record Detail(String code, String message, @JsonIgnore Map<String, Object> details) {

    public Detail {
      details = Map.copyOf(details);
    }

    public Detail(String code, String message) {
      this(code, message, Map.of());
    }

    @JsonAnyGetter
    Map<String, Object> extraFields() {
      return details;
    }
  }

  public static ErrorPayload of(String code, String message) {
    return new ErrorPayload(new Detail(code, message));
  }

  public static ErrorPayload of(BuildcastException e) {
    return new ErrorPayload(new Detail(e.code(), e.getMessage(), e.details()));
  }
}
