package dev.buildcast.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.BuildcastException;
import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.RangeNotSatisfiableException;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobRequest;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobTicket;
import dev.buildcast.limits.ClientAddress;
import dev.buildcast.limits.RateLimiter;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.notify.Notifications;
import dev.buildcast.notify.NotifyTargets;
import dev.buildcast.protocol.GeneratorPayload;
import dev.buildcast.protocol.JobRequests;
import dev.buildcast.protocol.JobStatusPayload;
import dev.buildcast.notify.NotifyRequests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/** The job routes of the HTTP API: start, status, log download, artifacts, cancel, generators. */
final class JobRoutes {

  private static final String ID = "(?<id>[^/]+)";
  private static final int MAX_JOB_REQUEST_BYTES = 1_000_000;

  private final JobService jobs;
  private final NdjsonLogRoute ndjson;
  private final Notifications notifications;
  private final RateLimiter jobStarts;

  JobRoutes(JobService jobs, LogBroadcaster broadcaster, Notifications notifications, RateLimiter jobStarts) {
    this.jobs = jobs;
    this.notifications = notifications;
    this.ndjson = new NdjsonLogRoute(broadcaster, jobs);
    this.jobStarts = jobStarts;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/generators", this::generators),
        Route.post("/api/jobs", this::submit),
        Route.get("/api/jobs/" + ID, this::status),
        Route.get("/api/jobs/" + ID + "/log", this::log),
        Route.get("/api/jobs/" + ID + "/artifacts/(?<name>.+)", this::artifact),
        Route.post("/api/jobs/" + ID + "/cancel", this::cancel));
  }

  private void generators(HttpCall call) throws IOException {
    call.json(200, jobs.generators().all().stream().map(GeneratorPayload::of).toList());
  }

  private void submit(HttpCall call) throws IOException {
    JsonNode body = JobRequests.parseBody(call.body(MAX_JOB_REQUEST_BYTES));
    JobRequest request = JobRequests.fromJson(body);
    NotifyTargets notify = NotifyRequests.fromJson(body.get("notify"));
    notifications.check(notify);
    jobStarts.acquire(ClientAddress.of(call.request().getConnectionMetaData().getRemoteSocketAddress()));
    JobTicket ticket = jobs.submit(request);
    notifications.watch(ticket, notify);
    String base = "/api/jobs/" + ticket.jobId();
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("status", base);
    links.put("log", base + "/log");
    links.put("page", "/jobs/" + ticket.jobId());
    call.json(201, Map.of("jobId", ticket.jobId(), "token", ticket.token(), "links", links));
  }

  private void status(HttpCall call) throws IOException {
    call.json(200, JobStatusPayload.of(jobs.authorize(call.pathParam("id"), call.token())));
  }

  private void cancel(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    jobs.authorize(id, call.token());
    call.json(200, JobStatusPayload.of(jobs.cancel(id)));
  }

  /** The detailed log as a text file, streamed from disk, one byte range when asked; or as NDJSON. */
  private void log(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    jobs.authorize(id, call.token());
    // why closed at the end: in cluster mode an open handle keeps this node following the job's stream
    try (JobLog log = jobs.log(id)) {
      answerLog(call, id, log);
    }
  }

  private void answerLog(HttpCall call, String id, JobLog log) throws IOException {
    if (NdjsonLogRoute.wanted(call)) {
      ndjson.answer(call, id, log);
      return;
    }
    long size = log.textBytes();
    call.response().getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"buildcast-" + id + ".log\"");
    call.response().getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
    call.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    String type = "text/plain; charset=utf-8";
    ByteRange range = ByteRange.parse(call.header(HttpHeader.RANGE).orElse(null), size).orElse(null);
    if (range == null) {
      call.stream(200, type, size, log.openText());
      return;
    }
    if (!range.satisfiable()) {
      call.response().getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
      call.response().getHeaders().remove(HttpHeader.CONTENT_DISPOSITION);
      throw new BuildcastException("range_not_satisfiable",
          "The range '" + BuildcastException.excerpt(call.header(HttpHeader.RANGE).orElse("")) + "' lies outside the log's " + size + " bytes.");
    }
    call.response().getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
    InputStream in = log.openText();
    in.skipNBytes(range.first());
    call.stream(206, type, range.length(), in);
  }

  /**
   * An artifact from the blob store, whole or one byte range (206, or 416 with {@code bytes
   * *&#47;size}), always as an attachment.
   */
  private void artifact(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    requireFinished(jobs.authorize(id, call.token()), "artifacts");
    String name = call.decodedPathParam("name");
    BlobRange range = ByteRange.requested(call.header(HttpHeader.RANGE).orElse(null)).orElse(BlobRange.all());
    Blob blob;
    try {
      blob = jobs.files().blobs().artifact(id, name, range).orElseThrow(() -> new ArtifactNotFoundException(id, name));
    } catch (RangeNotSatisfiableException e) {
      call.response().getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + e.size());
      throw e;
    }
    try (blob) {
      String fileName = blob.info().key().substring(blob.info().key().lastIndexOf('/') + 1);
      var headers = call.response().getHeaders();
      headers.put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
      headers.put("X-Content-Type-Options", "nosniff");
      headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
      // why the name only: the type always came from the file's extension (the JDK's mime tables), never its bytes
      String type = Files.probeContentType(Path.of(fileName));
      if (type == null) type = "application/octet-stream";
      if (range.isAll()) {
        call.stream(200, type, blob.length(), blob.content());
        return;
      }
      headers.put(HttpHeader.CONTENT_RANGE, "bytes " + blob.first() + "-" + blob.last() + "/" + blob.info().size());
      call.stream(206, type, blob.length(), blob.content());
    }
  }

  /**
   * Files a job made are served only once it has finished. why: until then its process may still
   * rearrange its folder (swap a checked folder for a link between the check and the open).
   */
  static void requireFinished(JobRecord job, String what) {
    if (!job.state().isFinished()) throw new NotFinishedException(job.id(), what);
  }

  /** 404 for the files of a job that is still queued or running. */
  static final class NotFinishedException extends dev.buildcast.BuildcastException {
    NotFinishedException(String jobId, String what) {
      super("not_found", "Job " + jobId + " has not finished yet; its " + what + " can be fetched once it has.");
    }
  }

  /** 404 for an artifact, naming it. */
  static final class ArtifactNotFoundException extends dev.buildcast.BuildcastException {
    ArtifactNotFoundException(String jobId, String name) {
      super("not_found", "Job " + jobId + " has no artifact '" + (name.length() > 100 ? name.substring(0, 100) + "…" : name) + "'.");
    }
  }
}
