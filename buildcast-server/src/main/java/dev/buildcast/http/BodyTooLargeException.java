package dev.buildcast.http;

import dev.buildcast.BuildcastException;

/** A request body over the route's limit; it was not read whole. */
final class BodyTooLargeException extends BuildcastException {
  BodyTooLargeException(int maxBytes) {
    super("too_large", "The request body is larger than " + maxBytes + " bytes.");
  }
}
