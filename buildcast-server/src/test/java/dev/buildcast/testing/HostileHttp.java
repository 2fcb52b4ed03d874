package dev.buildcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.buildcast.http.UnreadBodyDrain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Hostile requests to every HTTP route of Buildcast (the routes of the {@code http} package): wrong
 * methods, hostile path and query parameters, odd Authorization, Range, Content-Type, X-File-Name,
 * X-Sha256, Upload-Offset and cookie headers, and bodies that are malformed JSON, invalid UTF-8, too deep, too
 * large, random bytes or broken multipart. A few go over a bare socket, for bytes a proper HTTP
 * client will not send.
 */
public final class HostileHttp {

  /** The most bytes of request line and headers the server reads: Jetty's default, which Buildcast keeps. */
  public static final int HEAD_LIMIT_BYTES = new HttpConfiguration().getRequestHeaderSize();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ROUTES = List.of(
      "GET /healthz", "GET /metrics", "GET /api/generators", "POST /api/jobs", "GET /api/jobs/{id}", "GET /api/jobs/{id}/log",
      "GET /api/jobs/{id}/artifacts/{name}", "POST /api/jobs/{id}/cancel", "GET /api/jobs/{id}/site", "GET /api/jobs/{id}/site/{name}",
      "PUT /api/uploads", "POST /api/uploads", "POST /api/uploads/resumable", "HEAD /api/uploads/{upload}", "GET /api/uploads/{upload}",
      "PATCH /api/uploads/{upload}", "DELETE /api/uploads/{upload}", "GET /jobs/{id}");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO");

  private final String baseUrl;
  private final List<String> jobIds;
  private final String token;
  private final List<String> jobsTheTokenOpens;
  /** Resumable uploads the fuzzing created, to aim PATCH, HEAD and DELETE at real ones too. */
  private final List<String> uploadIds = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param jobIds existing jobs to aim at
   * @param token a valid token, sent only to {@code jobsTheTokenOpens} (finished jobs: a follow
   *     there ends at once, and nothing the fuzzing cancels matters)
   */
  public HostileHttp(String baseUrl, List<String> jobIds, String token, List<String> jobsTheTokenOpens) {
    this.baseUrl = baseUrl;
    this.jobIds = jobIds;
    this.token = token;
    this.jobsTheTokenOpens = jobsTheTokenOpens;
  }

  /**
   * One request and its answer: a status, the content type and body, or what went wrong on the wire.
   *
   * @param bodyBytes the length of the body the request declared, -1 when none or unknown
   * @param headBytes the length of the request line and headers, -1 when not counted
   */
  public record Exchange(String request, long bodyBytes, long headBytes, int status, String contentType, String body,
      String transportFailure) {

    Exchange(String request, int status, String contentType, String body, String transportFailure) {
      this(request, -1, -1, status, contentType, body, transportFailure);
    }

    /**
     * Null when the answer is fine: not 5xx, and a refusal from the API carries the JSON error with
     * a documented code. No answer at all is fine only where the server refuses to read the rest of
     * the request and closes (docs/protocol.md, HTTP): a body declared larger than it reads to
     * discard, or a request line and headers over its limit (414, 431). A client still sending
     * then may lose the answer to the reset.
     */
    public String problem(Set<String> documentedCodes) {
      if (transportFailure != null) {
        boolean unreadRest = bodyBytes > UnreadBodyDrain.ALLOWANCE_BYTES || headBytes > HEAD_LIMIT_BYTES;
        return unreadRest ? null : "no answer: " + transportFailure;
      }
      if (status >= 500) return "answered " + status + ": " + excerpt(body);
      if (status < 400 || request.startsWith("HEAD ")) return null;
      String path = request.substring(request.indexOf(' ') + 1);
      if (!path.startsWith("/api/") && !path.startsWith("/healthz") && !path.startsWith("/metrics")) return null;
      if (contentType == null || !contentType.startsWith("application/json")) return status + " with content type " + contentType + ": " + excerpt(body);
      try {
        JsonNode error = JSON.readTree(body).path("error");
        if (!error.path("message").isTextual()) return status + " without an error message: " + excerpt(body);
        return documentedCodes.contains(error.path("code").asText()) ? null : status + " with an undocumented code: " + excerpt(body);
      } catch (IOException e) {
        return status + " with a body that is not JSON: " + excerpt(body);
      }
    }

    public Optional<String> createdUpload() {
      if (status != 201 || !request.contains("/api/uploads")) return Optional.empty();
      try {
        return Optional.of(JSON.readTree(body).path("uploadId").asText());
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    @Override
    public String toString() {
      // why the sizes first: a long path would push them past the excerpt
      return "(body " + bodyBytes + " B, head " + headBytes + " B) " + excerpt(request);
    }
  }

  public Exchange send(HostileValues v) {
    if (v.chance(0.12)) return sendRaw(v);
    String route = v.pick(ROUTES);
    String method = v.chance(0.8) ? route.substring(0, route.indexOf(' ')) : v.pick(METHODS);
    String id = jobId(v);
    String path = route.substring(route.indexOf(' ') + 1).replace("{id}", id).replace("{name}", name(v)).replace("{upload}", uploadId(v));
    String url = baseUrl + path + query(v, id);
    String label = method + " " + path + " (" + url.length() + " chars)";
    long bodyBytes = -1;
    long headBytes = -1;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
      headers(v, request, id);
      byte[] body = body(v, route, request);
      request.method(method, body.length == 0 && v.chance(0.5) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      label = method + " " + path + " body=" + body.length + "B";
      bodyBytes = body.length;
      headBytes = headBytes(request.build());
      // why a connection of its own, and no retry: HTTP lets a server close a kept-alive connection
      // after any complete answer, and a POST sent on it at that moment is lost (the client may not
      // resend it) — a race between two cases, not a fault of this one. On a fresh connection every
      // request must get an answer; keeping connections after refusals is RefusedBodyIssue13IT's
      try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Exchange exchange = new Exchange(label, bodyBytes, headBytes, response.statusCode(), response.headers().firstValue("content-type").orElse(null),
            response.body(), null);
        if (route.equals("POST /api/uploads/resumable")) exchange.createdUpload().ifPresent(uploadIds::add);
        return exchange;
      }
    } catch (IllegalArgumentException e) {
      // why not a failure: the JDK client refused to send it (an illegal header value, say); nothing reached the server
      return new Exchange(label, 400, "application/json", "{\"error\":{\"code\":\"bad_request\",\"message\":\"not sent\"}}", null);
    } catch (IOException e) {
      return new Exchange(label, bodyBytes, headBytes, 0, null, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exchange(label, 0, null, null, "interrupted");
    }
  }

  /** The request line and the headers as sent (without those the client adds itself, a few dozen bytes). */
  private static long headBytes(HttpRequest request) {
    long line = request.method().length() + 1 + request.uri().getRawPath().length() + 1
        + Optional.ofNullable(request.uri().getRawQuery()).map(q -> q.length() + 1).orElse(0) + " HTTP/1.1\r\n".length();
    long headers = request.headers().map().entrySet().stream()
        .mapToLong(h -> h.getValue().stream().mapToLong(value -> h.getKey().length() + 2 + value.length() + 2).sum()).sum();
    return line + headers;
  }

  private String jobId(HostileValues v) {
    return switch (v.random().nextInt(6)) {
      case 0, 1 -> v.pick(jobsTheTokenOpens);
      case 2 -> v.pick(jobIds);
      case 3 -> v.id();
      default -> encode(v.string(), v.chance(0.5));
    };
  }

  private String uploadId(HostileValues v) {
    if (!uploadIds.isEmpty() && v.chance(0.6)) return v.pick(uploadIds);
    return v.chance(0.5) ? v.id() : encode(v.string(), v.chance(0.5));
  }

  private static String name(HostileValues v) {
    return switch (v.random().nextInt(8)) {
      case 0 -> "index.html";
      case 1 -> "../job.json";
      case 2 -> "%2e%2e/%2e%2e/job.json";
      case 3 -> "..%2F..%2Fjob.json";
      case 4 -> "a/../../detailed.log";
      case 5 -> "%00";
      case 6 -> "%5C..%5Cjob.json";
      default -> encode(v.string(), v.chance(0.5));
    };
  }

  /** Percent-encodes all but unreserved characters (and, when {@code keepSlashesAndDots}, '/' and '.'). */
  static String encode(String s, boolean keepSlashesAndDots) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~';
      if (unreserved || (keepSlashesAndDots && (c == '/' || c == '.'))) out.append(c);
      else out.append('%').append(String.format("%02X", b & 0xFF));
    }
    return out.toString();
  }

  private String query(HostileValues v, String id) {
    if (v.chance(0.3)) return "";
    StringBuilder q = new StringBuilder();
    for (String name : List.of("token", "format", "since", "follow", "basic")) {
      if (!v.chance(0.45)) continue;
      String value = switch (name) {
        case "token" -> jobsTheTokenOpens.contains(id) && v.chance(0.5) ? token : v.string();
        case "format" -> v.chance(0.6) ? "ndjson" : v.string();
        case "since" -> v.chance(0.3) ? String.valueOf(v.random().nextInt(5)) : v.string();
        default -> v.chance(0.5) ? v.pick(List.of("true", "false", "1", "0", "")) : v.string();
      };
      if (value.length() > 6000) value = value.substring(0, 6000);
      q.append(q.isEmpty() ? "?" : "&").append(name).append('=').append(encode(value, false));
    }
    if (v.chance(0.1)) q.append(q.isEmpty() ? "?" : "&").append("%ZZ=%G1&&=&==");
    return q.toString();
  }

  private void headers(HostileValues v, HttpRequest.Builder request, String id) {
    if (v.chance(0.5)) {
      String auth = switch (v.random().nextInt(5)) {
        case 0 -> jobsTheTokenOpens.contains(id) ? "Bearer " + token : "Bearer " + v.id();
        case 1 -> "Bearer ";
        case 2 -> "Basic dXNlcjpwYXNz";
        case 3 -> "bearer " + ascii(v.string());
        default -> ascii(v.string());
      };
      request.header("Authorization", auth);
    }
    if (v.chance(0.3)) {
      request.header("Range", v.pick(List.of("bytes=0-10", "bytes=-5", "bytes=5-", "bytes=10-5", "bytes=99999999999999999999-",
          "bytes=0-0,2-3", "bytes=abc", "items=0-1", "bytes=-0", "bytes=--1", "bytes=9223372036854775807-", "bytes=", ascii(v.string()))));
    }
    if (v.chance(0.3)) request.header("X-Sha256", v.pick(List.of("ab".repeat(32), "zz", ascii(v.string()))));
    if (v.chance(0.2)) request.header("Cookie", "buildcast_site_token=" + ascii(v.string()) + "; other=1");
  }

  /** Printable ASCII only: the JDK client refuses other header bytes (the bare-socket requests send those). */
  private static String ascii(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) if (c >= 0x20 && c < 0x7F) out.append(c);
    return out.length() > 8000 ? out.substring(0, 8000) : out.toString();
  }

  private byte[] body(HostileValues v, String route, HttpRequest.Builder request) throws IOException {
    if (route.equals("POST /api/jobs")) {
      // why mostly JSON: other types are refused before the body is read (issue 14), so they reach less
      request.header("Content-Type", v.chance(0.8) ? "application/json" : v.pick(List.of("text/plain", "application/json; charset=ebcdic")));
      return jobBody(v);
    }
    if (route.equals("PUT /api/uploads")) {
      if (v.chance(0.85)) request.header("X-File-Name", v.chance(0.5) ? "upload.bin" : ascii(v.string()));
      byte[] b = new byte[v.chance(0.1) ? 2_000_000 + v.random().nextInt(600_000) : v.random().nextInt(5000)];
      v.random().nextBytes(b);
      return b;
    }
    if (route.equals("POST /api/uploads")) return multipart(v, request);
    if (route.equals("POST /api/uploads/resumable")) {
      request.header("Content-Type", v.chance(0.8) ? "application/json" : v.pick(List.of("text/plain", "multipart/form-data", ascii(v.string()))));
      return resumableBody(v);
    }
    if (route.equals("PATCH /api/uploads/{upload}")) {
      if (v.chance(0.85)) {
        request.header("Upload-Offset", v.pick(List.of("0", String.valueOf(v.random().nextInt(5000)), "-1", "1.5", "0x10",
            "99999999999999999999", "", ascii(v.string()))));
      }
      if (v.chance(0.7)) request.header("Content-Type", v.pick(List.of("application/offset+octet-stream", "application/octet-stream", "text/plain",
          "application/x-www-form-urlencoded", ascii(v.string()))));
      byte[] b = new byte[v.random().nextInt(5000)];
      v.random().nextBytes(b);
      return b;
    }
    return v.chance(0.2) ? v.bytes() : new byte[0];
  }

  private static byte[] jobBody(HostileValues v) throws IOException {
    return switch (v.random().nextInt(9)) {
      case 0 -> new byte[0];
      case 1 -> "{\"generator\":\"quick\"".getBytes(StandardCharsets.UTF_8);
      case 2 -> concat("{\"generator\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "\"}".getBytes(StandardCharsets.UTF_8));
      case 3 -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
      case 4 -> ("{\"generator\":\"quick\",\"params\":{\"x\":\"" + "y".repeat(1_100_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
      case 5 -> v.bytes();
      default -> {
        ObjectNode valid = JsonNodeFactory.instance.objectNode().put("generator", v.pick(List.of("quick", "withparams", "withfile", "nope")));
        valid.set("params", JsonNodeFactory.instance.objectNode().put("title", "t"));
        valid.set("notify", JsonNodeFactory.instance.objectNode().put("email", "a@example.com"));
        JsonNode mutated = v.mutate(valid);
        yield mutated.isBinary() ? mutated.binaryValue() : JSON.writeValueAsBytes(mutated);
      }
    };
  }

  private static byte[] resumableBody(HostileValues v) throws IOException {
    return switch (v.random().nextInt(6)) {
      case 0 -> new byte[0];
      case 1 -> "{\"name\":\"a\",\"size\":".getBytes(StandardCharsets.UTF_8);
      case 2 -> v.bytes();
      default -> {
        ObjectNode valid = JsonNodeFactory.instance.objectNode().put("name", "upload.bin").put("size", v.random().nextInt(5000));
        if (v.chance(0.3)) valid.put("sha256", "ab".repeat(32));
        if (v.chance(0.2)) valid.put("expect", "zip");
        JsonNode mutated = v.mutate(valid);
        yield mutated.isBinary() ? mutated.binaryValue() : JSON.writeValueAsBytes(mutated);
      }
    };
  }

  private static byte[] multipart(HostileValues v, HttpRequest.Builder request) {
    String boundary = v.chance(0.8) ? "b0undary" : ascii(v.string());
    request.header("Content-Type", v.pick(List.of("multipart/form-data; boundary=" + boundary, "multipart/form-data; boundary=" + boundary,
        "multipart/form-data", "multipart/form-data; boundary=", "text/plain", ascii(v.string()))));
    String file = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + ascii(v.string()).replace("\"", "") + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "payload".repeat(v.random().nextInt(100)) + "\r\n";
    String field = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"sha256\"\r\n\r\n" + (v.chance(0.5) ? "ab".repeat(32) : "x".repeat(2000)) + "\r\n";
    String end = "--" + boundary + "--\r\n";
    String body = switch (v.random().nextInt(7)) {
      case 0 -> file + end;
      case 1 -> file + file + end;
      case 2 -> field + end;
      case 3 -> file;
      case 4 -> field + file + end;
      case 5 -> (field).repeat(20) + file + end;
      default -> new String(v.bytes(), StandardCharsets.ISO_8859_1);
    };
    return body.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  // ---- over a bare socket ----------------------------------------------------------------------

  private Exchange sendRaw(HostileValues v) {
    String id = v.pick(jobsTheTokenOpens);
    byte[] request = switch (v.random().nextInt(8)) {
      case 0 -> concat(latin1("GET /api/jobs/"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, latin1(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      case 1 -> latin1("GET /api/jobs/" + id + "/log HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nRange: bytes=\u00ff0-\r\n\r\n");
      case 2 -> latin1("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: a\r\nContent-Length: 99999999999999999999\r\n\r\nabc");
      case 3 -> latin1("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: a\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n");
      case 4 -> latin1("GET /api/jobs/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      case 5 -> latin1("POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"gen");
      case 6 -> concat(latin1("PUT /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Name: "), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0x80},
          latin1("\r\nContent-Length: 3\r\n\r\nabc"));
      default -> latin1("GET /api/jobs/" + id + "?since=%FF%FE&format=ndjson HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n");
    };
    String label = "raw " + excerpt(new String(request, 0, Math.min(request.length, 120), StandardCharsets.ISO_8859_1)).replace("\r\n", " | ");
    URI uri = URI.create(baseUrl);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      socket.shutdownOutput();
      byte[] answer = readAll(socket.getInputStream());
      String text = new String(answer, StandardCharsets.ISO_8859_1);
      if (text.isEmpty()) return new Exchange(label, 0, null, null, "the server closed without answering");
      String[] statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
      int headersEnd = text.indexOf("\r\n\r\n");
      String head = headersEnd < 0 ? text : text.substring(0, headersEnd);
      String type = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:")).map(l -> l.substring(13).strip()).findFirst().orElse(null);
      String body = headersEnd < 0 ? "" : text.substring(headersEnd + 4);
      if (head.toLowerCase().contains("transfer-encoding: chunked")) body = body.replaceAll("(?m)^[0-9a-fA-F]+\r$", "").strip();
      return new Exchange(label.replace("raw ", "raw:") , status, type, body, null);
    } catch (IOException e) {
      return new Exchange(label, 0, null, null, e.toString());
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0 && out.size() < 1_000_000) out.write(buffer, 0, n);
    return out.toByteArray();
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String excerpt(String s) {
    if (s == null) return "null";
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
