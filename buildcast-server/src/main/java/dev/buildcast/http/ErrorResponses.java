package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.limits.LimitExceededException;
import dev.buildcast.protocol.ErrorPayload;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
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
          "method_not_allowed", 405,
          "range_not_satisfiable", 416,
          "wrong_offset", 409,
          // why 503: the cluster's engine (Redis) is down for now; the request may succeed when retried
          dev.buildcast.EngineUnavailableException.CODE, 503);

  /** Codes only the API's own checks use; why apart: {@link #codeFor} must map a status Jetty chose to one code. */
  private static final Map<String, Integer> STATUS_OF_CHECKS = Map.of("origin_not_allowed", 403, "unsupported_media_type", 415);

  private ErrorResponses() {}

  static int status(BuildcastException e) {
    if (e instanceof UploadNotFoundException) return 404;
    return STATUS_OF_CHECKS.getOrDefault(e.code(), STATUS_BY_CODE.getOrDefault(e.code(), 400));
  }

  /** The error code that goes with a status Jetty chose itself (see {@link JsonErrorHandler}). */
  static String codeFor(int status) {
    if (status >= 500) return "internal";
    return STATUS_BY_CODE.entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey).findFirst().orElse("bad_request");
  }

  static void write(HttpCall call, Throwable failure) throws IOException {
    if (failure instanceof LimitExceededException e) {
      call.response().getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfter().toSeconds());
    }
    if (failure instanceof BuildcastException e) {
      call.json(status(e), ErrorPayload.of(e));
      return;
    }
    HttpException unreadable = requestFault(failure);
    if (unreadable != null) {
      // why not an ERROR: the client sent a malformed body (bad chunk framing) or ended it early; the server is fine
      log.debug("{} {} - the request could not be read: {}", call.request().getMethod(), call.request().getHttpURI().getPath(), failure.toString());
      int status = unreadable.getCode() >= 400 && unreadable.getCode() < 500 ? unreadable.getCode() : 400;
      call.json(status, ErrorPayload.of(codeFor(status), "The request could not be read: " + unreadable.getReason() + "."));
      return;
    }
    log.error("{} {} failed", call.request().getMethod(), call.request().getHttpURI().getPath(), failure);
    call.json(500, ErrorPayload.of("internal", "The server failed to answer this request; it was logged."));
  }

  /** Jetty's word that the request itself was at fault (malformed or cut short), anywhere in the causes. */
  private static HttpException requestFault(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpException e && e.getCode() < 500) return e;
    }
    return null;
  }
}
