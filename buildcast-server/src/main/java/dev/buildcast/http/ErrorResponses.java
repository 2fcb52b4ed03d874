package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.limits.LimitExceededException;
import dev.buildcast.protocol.ErrorPayload;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place exceptions become HTTP statuses with a JSON error body. */
final class ErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private static final Map<String, Integer> STATUS_BY_CODE =
      Map.of(
          "not_found", 404,
          "forbidden", 403,
          "too_large", 413,
          "limit_exceeded", 429,
          "method_not_allowed", 405);

  private ErrorResponses() {}

  static int status(BuildcastException e) {
    return STATUS_BY_CODE.getOrDefault(e.code(), 400);
  }

  static void write(HttpCall call, Throwable failure) throws IOException {
    if (failure instanceof LimitExceededException e) {
      call.response().getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfter().toSeconds());
    }
    if (failure instanceof BuildcastException e) {
      call.json(status(e), ErrorPayload.of(e));
      return;
    }
    log.error("{} {} failed", call.request().getMethod(), call.request().getHttpURI().getPath(), failure);
    call.json(500, ErrorPayload.of("internal", "The server failed to answer this request; it was logged."));
  }
}
