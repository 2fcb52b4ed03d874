package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;

/**
 * One HTTP request being answered by a route: the request, its path captures, and blocking
 * helpers to answer (routes run on virtual threads, so blocking writes cost no platform thread).
 */
final class HttpCall {

  private final Request request;
  private final Response response;
  private final Matcher path;
  private Fields query;

  HttpCall(Request request, Response response, Matcher path) {
    this.request = request;
    this.response = response;
    this.path = path;
  }

  Request request() {
    return request;
  }

  Response response() {
    return response;
  }

  /** A named capture of the route's path pattern. */
  String pathParam(String name) {
    return path.group(name);
  }

  /** A named capture, percent-decoded: captures are the path as sent, files are named by the decoded path. */
  String decodedPathParam(String name) {
    String raw = pathParam(name);
    try {
      return URIUtil.decodePath(raw);
    } catch (IllegalArgumentException badEscape) {
      throw new BuildcastException("bad_request", "The path part " + BuildcastException.excerpt(raw) + " is not valid percent-encoded UTF-8.");
    }
  }

  Optional<String> query(String name) {
    if (query == null) query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    return Optional.ofNullable(query.getValue(name));
  }

  Optional<String> header(HttpHeader header) {
    return Optional.ofNullable(request.getHeaders().get(header));
  }

  /** The job token: {@code Authorization: Bearer T}, else {@code ?token=T}. */
  String token() {
    return header(HttpHeader.AUTHORIZATION)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        .or(() -> query("token"))
        .orElse(null);
  }

  void json(int status, Object body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(bytes);
    }
  }

  /**
   * Streams {@code in} as the body, never holding more than a small buffer: exactly {@code length}
   * bytes when it is known (0 or more), else to the end of the stream.
   */
  void stream(int status, String contentType, long length, InputStream in) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    if (length >= 0) response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    try (in; OutputStream out = Content.Sink.asOutputStream(response)) {
      if (length < 0) {
        in.transferTo(out);
        return;
      }
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) throw new IOException("the stream ended " + left + " bytes early");
        out.write(buffer, 0, n);
        left -= n;
      }
    }
  }

  /** Reads a small body, refusing one over {@code maxBytes}. */
  byte[] body(int maxBytes) throws IOException {
    long declared = request.getLength();
    if (declared > maxBytes) throw new BodyTooLargeException(maxBytes);
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) throw new BodyTooLargeException(maxBytes);
      return bytes;
    }
  }
}
