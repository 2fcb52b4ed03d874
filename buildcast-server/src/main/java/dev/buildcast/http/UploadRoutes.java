package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.limits.ClientAddress;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.upload.CompletedUpload;
import dev.buildcast.upload.UploadService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * Uploads over HTTP, for command-line users: {@code PUT /api/uploads} with the file as the raw
 * body, or {@code POST /api/uploads} as {@code multipart/form-data}. Both stream the body to the
 * upload store chunk by chunk (never whole in memory) under the same limits as socket uploads.
 */
final class UploadRoutes {

  static final String FILE_NAME_HEADER = "X-File-Name";
  static final String SHA256_HEADER = "X-Sha256";
  private static final int READ_BYTES = 256 * 1024;

  private final UploadService uploads;

  UploadRoutes(UploadService uploads) {
    this.uploads = uploads;
  }

  List<Route> routes() {
    return List.of(Route.put("/api/uploads", this::put), Route.post("/api/uploads", this::multipart).accepting("multipart/form-data"));
  }

  private void put(HttpCall call) throws IOException {
    String name = call.request().getHeaders().get(FILE_NAME_HEADER);
    if (name == null || name.isBlank()) {
      throw new BuildcastException("bad_request", "Send the file's name in the " + FILE_NAME_HEADER + " header.");
    }
    long length = call.request().getLength();
    OptionalLong size = length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
    Optional<String> sha = Optional.ofNullable(call.request().getHeaders().get(SHA256_HEADER));
    String owner = owner(uploads, call);
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      answer(call, uploads.receive(owner, name, size, sha, in));
    } finally {
      uploads.release(owner);
    }
  }

  private void multipart(HttpCall call) throws IOException {
    String type = call.header(HttpHeader.CONTENT_TYPE).orElse("");
    String boundary = type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data") ? MultiPart.extractBoundary(type) : null;
    if (boundary == null) {
      throw new BuildcastException("bad_request",
          "Send multipart/form-data with the file in a part that has a filename (curl -F file=@FILE), or PUT the raw file.");
    }
    String owner = owner(uploads, call);
    try {
      receiveMultipart(call, boundary, owner);
    } finally {
      uploads.release(owner);
    }
  }

  private void receiveMultipart(HttpCall call, String boundary, String owner) throws IOException {
    MultipartUpload parse = new MultipartUpload(uploads, owner);
    MultiPart.Parser parser = new MultiPart.Parser(boundary, parse);
    parser.setMaxParts(16);
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      byte[] buffer = new byte[READ_BYTES];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        // why copy: the parser may keep a reference until the next call; the buffer is reused
        parser.parse(Content.Chunk.from(ByteBuffer.wrap(java.util.Arrays.copyOf(buffer, read)), false));
        parse.rethrow();
      }
      parser.parse(Content.Chunk.EOF);
      parse.rethrow();
      answer(call, parse.result());
    } catch (IOException | RuntimeException e) {
      parse.abandon();
      throw e;
    }
  }

  private static void answer(HttpCall call, CompletedUpload done) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("uploadId", done.uploadId());
    body.put("name", done.name());
    body.put("size", done.size());
    body.put("sha256", done.sha256());
    call.json(201, body);
  }

  /**
   * Each HTTP request is its own owner, released when it ends: here one upload, finished or deleted
   * before the answer; a resumable upload outlives the request. Either counts for the client's address
   * (per-address limits and quotas).
   */
  static String owner(UploadService uploads, HttpCall call) {
    String owner = "http:" + SecureTokens.newId();
    uploads.bindAddress(owner, ClientAddress.of(call.request().getConnectionMetaData().getRemoteSocketAddress()));
    return owner;
  }

  /** Streams the one file part into an upload; small fields (sha256) are kept. */
  private static final class MultipartUpload implements MultiPart.Parser.Listener {
    private static final int MAX_FIELD_BYTES = 1024;

    private final UploadService uploads;
    private final String owner;
    private String disposition;
    private String uploadId;
    private boolean inFile;
    private long offset;
    private String fieldName;
    private final StringBuilder field = new StringBuilder();
    private String sha256;
    private CompletedUpload result;
    private RuntimeException failure;
    private boolean complete;

    MultipartUpload(UploadService uploads, String owner) {
      this.uploads = uploads;
      this.owner = owner;
    }

    @Override
    public void onPartBegin() {
      disposition = null;
    }

    @Override
    public void onPartHeader(String name, String value) {
      if (name.equalsIgnoreCase("Content-Disposition")) disposition = value;
    }

    @Override
    public void onPartHeaders() {
      if (failure != null) return;
      String filename = parameter(disposition, "filename");
      fieldName = parameter(disposition, "name");
      field.setLength(0);
      if (filename == null) return;
      if (uploadId != null) {
        failure = new BuildcastException("bad_request", "Send one file per request; this one has several file parts.");
        return;
      }
      try {
        inFile = true;
        UploadService.Started started = uploads.startStream(owner, filename.isBlank() ? "upload" : filename, OptionalLong.empty(), Optional.empty());
        uploadId = started.uploadId();
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
      if (failure != null) return;
      ByteBuffer bytes = chunk.getByteBuffer();
      try {
        if (inFile) {
          offset = uploads.write(uploadId, offset, bytes.slice()).offset();
        } else if (field.length() + bytes.remaining() <= MAX_FIELD_BYTES) {
          field.append(StandardCharsets.UTF_8.decode(bytes.slice()));
        } else {
          failure = new BuildcastException("bad_request", "Form field '" + fieldName + "' is longer than " + MAX_FIELD_BYTES + " bytes.");
        }
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    @Override
    public void onPartEnd() {
      if (!inFile && "sha256".equals(fieldName)) sha256 = field.toString().strip();
      inFile = false;
    }

    @Override
    public void onComplete() {
      complete = true;
    }

    @Override
    public void onFailure(Throwable cause) {
      if (failure == null) failure = new BuildcastException("bad_request", "The multipart body is malformed: " + cause.getMessage());
    }

    void rethrow() {
      if (failure != null) throw failure;
    }

    CompletedUpload result() {
      if (uploadId == null) {
        throw new BuildcastException("bad_request", "No file part found: send the file in a part with a filename (curl -F file=@FILE).");
      }
      if (!complete) throw new BuildcastException("bad_request", "The multipart body ended before its closing boundary.");
      if (result == null) result = uploads.finishStream(uploadId, Optional.ofNullable(sha256).filter(s -> !s.isEmpty()));
      return result;
    }

    void abandon() {
      if (uploadId != null && result == null) uploads.abortQuietly(uploadId);
    }

    /** A parameter of a Content-Disposition value, e.g. {@code filename="a.zip"}. */
    private static String parameter(String header, String name) {
      if (header == null) return null;
      for (String part : header.split(";")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq < 0 || !p.substring(0, eq).strip().equalsIgnoreCase(name)) continue;
        String value = p.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
        return value;
      }
      return null;
    }
  }
}
