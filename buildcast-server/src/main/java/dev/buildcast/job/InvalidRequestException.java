package dev.buildcast.job;

import dev.buildcast.BuildcastException;

/** A request that cannot be carried out as given; the message says which field and why. */
public final class InvalidRequestException extends BuildcastException {
  public InvalidRequestException(String code, String message) {
    super(code, message);
  }

  public static InvalidRequestException badRequest(String message) {
    return new InvalidRequestException("bad_request", message);
  }
}
