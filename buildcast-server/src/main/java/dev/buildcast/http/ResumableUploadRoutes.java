package dev.buildcast.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.BuildcastException;
import dev.buildcast.protocol.Json;
import dev.buildcast.upload.CompletedUpload;
import dev.buildcast.upload.UploadException;
import dev.buildcast.upload.UploadKind;
import dev.buildcast.upload.UploadService;
import dev.buildcast.upload.WrongOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * Resumable uploads over HTTP (docs/protocol.md, "Resumable uploads over HTTP"): create one with
 * its name and size, ask where it stands ({@code HEAD}/{@code GET}), append bodies at the offset
 * held ({@code PATCH} with {@code Upload-Offset}), abort it ({@code DELETE}). The header names are
 * those of the tus 1.0 core protocol, so clients that know them know these. Everything is decided
 * by the same {@link UploadService} as socket uploads: limits, per-address quotas, SHA-256,
 * expiry, and the record that survives a restart.
 *
 * <p>A body is written as it arrives, so a body cut mid-way keeps every byte that came; at the end
 * of every {@code PATCH}, whole or cut, the bytes held are made durable before the answer, so the
 * offset a client was told is the one a restarted server answers too.
 *
 * <p>Who may continue: whoever knows the upload id (128 random bits, never listed), as over the
 * socket. A {@code PATCH} moves the upload to the sender's address (its per-address limits);
 * asking where it stands moves nothing.
 */
final class ResumableUploadRoutes {

  static final String OFFSET_HEADER = "Upload-Offset";
  static final String LENGTH_HEADER = "Upload-Length";
  private static final String UPLOAD = "/api/uploads/(?<id>[^/]+)";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
  private static final int MAX_CREATE_BYTES = 64 * 1024;
  private static final int READ_BYTES = 256 * 1024;

  private final UploadService uploads;

  ResumableUploadRoutes(UploadService uploads) {
    this.uploads = uploads;
  }

  List<Route> routes() {
    // why the creation route first: its path would also match an upload's
    return List.of(
        Route.post("/api/uploads/resumable", this::create),
        new Route("HEAD", Pattern.compile(UPLOAD), this::head, List.of()),
        Route.get(UPLOAD, this::get),
        new Route("PATCH", Pattern.compile(UPLOAD), this::patch, List.of(Route.ANY_BUT_FORMS)),
        new Route("DELETE", Pattern.compile(UPLOAD), this::delete, List.of(Route.ANY_BUT_FORMS)));
  }

  private void create(HttpCall call) throws IOException {
    JsonNode request = parse(call.body(MAX_CREATE_BYTES));
    Optional<String> expected = optionalText(request, "expect");
    if (expected.isPresent() && !expected.get().equals(UploadKind.ZIP.wireName())) {
      throw new UploadException("bad_request", "'expect' must be \"zip\" or left out.");
    }
    String owner = UploadRoutes.owner(uploads, call);
    try {
      UploadService.Started started = uploads.start(owner, new UploadService.Announced(text(request, "name"), whole(request, "size"),
          optionalText(request, "sha256"), expected.map(k -> UploadKind.ZIP), true));
      call.response().getHeaders().put(HttpHeader.LOCATION, "/api/uploads/" + started.uploadId());
      positionHeaders(call, started.offset(), started.size());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("uploadId", started.uploadId());
      body.put("offset", started.offset());
      body.put("size", started.size());
      started.completed().ifPresentOrElse(done -> body.putAll(completion(done)), () -> body.put("state", "unfinished"));
      call.json(201, body);
    } finally {
      uploads.release(owner);
    }
  }

  private void head(HttpCall call) {
    UploadService.Standing standing = standing(call);
    positionHeaders(call, standing.offset(), standing.size());
    call.response().setStatus(200);
  }

  private void get(HttpCall call) throws IOException {
    UploadService.Standing standing = standing(call);
    positionHeaders(call, standing.offset(), standing.size());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("uploadId", standing.uploadId());
    body.put("name", standing.name());
    body.put("offset", standing.offset());
    body.put("size", standing.size());
    body.put("state", standing.completed().isPresent() ? "complete" : "unfinished");
    standing.completed().ifPresent(done -> body.put("sha256", done.sha256()));
    call.json(200, body);
  }

  private void delete(HttpCall call) {
    String uploadId = call.pathParam("id");
    try {
      uploads.abort(uploadId);
    } catch (UploadException e) {
      throw notFound(e);
    }
    call.response().setStatus(204);
  }

  private void patch(HttpCall call) throws IOException {
    String uploadId = call.pathParam("id");
    long offset = offsetHeader(call);
    long length = call.request().getLength();
    if (length < 0) {
      throw new UploadException("bad_request", "Send the body with a Content-Length (curl -T FILE does); a PATCH without one is refused"
          + " so that its end can be checked against the upload's size.");
    }
    String owner = UploadRoutes.owner(uploads, call);
    try {
      UploadService.Started at;
      try {
        at = uploads.resume(owner, uploadId);
      } catch (UploadException e) {
        throw notFound(e);
      }
      positionHeaders(call, at.offset(), at.size());
      if (offset != at.offset()) throw new WrongOffsetException(uploadId, offset, at.offset());
      if (at.completed().isPresent()) {
        if (length > 0) {
          throw new UploadException("size_mismatch", "Upload " + uploadId + " is complete with all its " + at.size()
              + " bytes; nothing more can be added. Use it: POST /api/jobs with its uploadId.");
        }
        answerComplete(call, at.completed().get());
        return;
      }
      if (length > at.size() - offset) { // why not offset + length: a hostile Content-Length near 2^63 would overflow it
        throw new UploadException("size_mismatch", "The body of " + length + " bytes at offset " + offset + " would end past the "
            + at.size() + " bytes announced for upload " + uploadId + "; send at most " + (at.size() - offset) + " bytes. Nothing was written.");
      }
      receive(call, uploadId, offset, length);
    } finally {
      uploads.release(owner);
    }
  }

  /** Writes the body as it arrives, then answers the offset held (204) or the completion (200). */
  private void receive(HttpCall call, String uploadId, long offset, long length) throws IOException {
    long end = offset + length;
    long at = offset;
    Optional<CompletedUpload> done = Optional.empty();
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      byte[] buffer = new byte[READ_BYTES];
      while (at < end) {
        int n;
        try {
          // why read() and not readNBytes: bytes that arrived before a cut must be written, not left in the buffer
          n = in.read(buffer, 0, (int) Math.min(buffer.length, end - at));
        } catch (IOException cut) {
          throw cutShort(call, uploadId, at, end, cut);
        }
        if (n < 0) throw cutShort(call, uploadId, at, end, null);
        UploadService.Written written = uploads.writeResumed(uploadId, at, ByteBuffer.wrap(buffer, 0, n));
        at = written.offset();
        done = written.completed();
      }
    } finally {
      // why also on a refusal or a cut: the bytes that did arrive are kept, and what the client is told next must survive a restart
      uploads.saveProgress(uploadId);
    }
    if (done.isPresent()) {
      answerComplete(call, done.get());
      return;
    }
    call.response().getHeaders().put(OFFSET_HEADER, at);
    call.response().setStatus(204);
  }

  private BuildcastException cutShort(HttpCall call, String uploadId, long at, long end, IOException cause) {
    call.response().getHeaders().put(OFFSET_HEADER, at);
    return new BuildcastException("bad_request", "The body ended after " + at + " of the " + end + " bytes its Content-Length promised; upload "
        + uploadId + " keeps the " + at + " bytes that arrived: continue at Upload-Offset " + at + ".", cause);
  }

  private void answerComplete(HttpCall call, CompletedUpload done) throws IOException {
    call.response().getHeaders().put(OFFSET_HEADER, done.size());
    call.json(200, completion(done));
  }

  /** What a completion answers, as {@code PUT /api/uploads} does, with the file's kind and, when it is not the zip expected, why. */
  private Map<String, Object> completion(CompletedUpload done) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("uploadId", done.uploadId());
    body.put("name", done.name());
    body.put("size", done.size());
    body.put("sha256", done.sha256());
    body.put("offset", done.size());
    body.put("state", "complete");
    Optional<UploadKind.Verdict> verdict = uploads.kindOf(done.uploadId());
    if (verdict.isEmpty()) return body;
    Optional<String> notZip = verdict.get().whyNotZip();
    body.put("kind", verdict.get().kind().wireName());
    if (notZip.isPresent() && uploads.expectation(done.uploadId()).orElse(null) == UploadKind.ZIP) {
      body.put("error", Map.of("code", "not_a_zip", "message",
          "The upload was expected to be a zip file, but " + done.name() + " is not one: " + notZip.get() + "."));
    }
    return body;
  }

  private UploadService.Standing standing(HttpCall call) {
    try {
      return uploads.standing(call.pathParam("id"));
    } catch (UploadException e) {
      throw notFound(e);
    }
  }

  /** An unknown upload at its own URL is 404 (a client that knows tus expects it); other refusals pass. */
  private static BuildcastException notFound(UploadException e) {
    return "unknown_upload".equals(e.code()) ? new UploadNotFoundException(e.getMessage()) : e;
  }

  private static void positionHeaders(HttpCall call, long offset, long size) {
    call.response().getHeaders().put(OFFSET_HEADER, offset);
    if (size >= 0) call.response().getHeaders().put(LENGTH_HEADER, size);
    call.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
  }

  private static long offsetHeader(HttpCall call) {
    List<String> values = call.request().getHeaders().getValuesList(OFFSET_HEADER);
    String value = values.size() == 1 ? values.getFirst().strip() : null;
    if (value == null || !DIGITS.matcher(value).matches()) {
      throw new UploadException("bad_request", "Send exactly one " + OFFSET_HEADER + " header: the byte offset this body starts at, a whole"
          + " number (HEAD /api/uploads/ID answers the offset held); got " + (values.isEmpty() ? "none" : "'" + BuildcastException.excerpt(String.join(", ", values)) + "'") + ".");
    }
    return Long.parseLong(value);
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) throw new UploadException("bad_request", "Send a JSON object {name, size, sha256?, expect?}.");
      return node;
    } catch (JsonProcessingException e) {
      throw new UploadException("bad_request", "The body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UploadException("bad_request", "The body could not be read: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new UploadException("bad_request", "'" + field + "' is required and must be a non-empty string.");
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return Optional.empty();
    if (!value.isTextual()) throw new UploadException("bad_request", "'" + field + "' must be a string.");
    return Optional.of(value.asText());
  }

  private static long whole(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new UploadException("bad_request", "'" + field + "' is required and must be a whole number of bytes, 0 or more.");
    }
    return value.asLong();
  }
}
