package dev.buildcast.http;

import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a route runs — a path it refuses (ambiguous separators, NUL,
 * {@code ..} escaping the root), headers too large, a malformed request line or body framing —
 * get the same {@code {"error": {code, message}}} body as the API's own refusals, instead of
 * Jetty's HTML page, so a client of the API can always read why.
 */
final class JsonErrorHandler extends ErrorHandler {

  /** why: Jetty writes error bodies for GET, POST and HEAD only; a refused PUT deserves the reason too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback)
      throws IOException {
    byte[] body = body(status, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    if (!request.getConnectionMetaData().isPersistent()) {
      // why: Jetty closes after a request it could not parse, yet says so only for some (431, not 414); a
      // client that is not told reuses the connection and its next request gets no answer
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] body(int status, String message) {
    String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
    try {
      return Json.MAPPER.writeValueAsBytes(ErrorPayload.of(ErrorResponses.codeFor(status), "The request was refused: " + text + "."));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
