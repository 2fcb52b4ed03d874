package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A browsable preview of a website a job generated, served from the job's site blobs only (copied
 * from its site folder when it ended, see {@code job.JobBlobs}).
 *
 * <p>{@code GET /api/jobs/{jobId}/site/{path}} takes the job's token and redirects to
 * {@code /api/jobs/{jobId}/preview/{key}/{path}}, which serves the file. Every preview answer
 * carries a sandbox Content-Security-Policy without {@code allow-same-origin}: the page runs in an
 * opaque origin, so a script in it cannot read what Buildcast's own page keeps for its origin
 * (the job tokens in localStorage) nor call the API with the browser's credentials. That is also
 * why the preview is authorised by a key in its path ({@link PreviewKeys}), not by a cookie: the
 * browser sends a sandboxed page's requests no SameSite cookie of Buildcast's.
 */
final class SiteRoutes {

  /**
   * The sandbox of every preview answer. why these tokens: generated sites may use scripts, forms
   * and links that open new windows or downloads; none of them reaches Buildcast's origin without
   * {@code allow-same-origin}, which is therefore never given.
   */
  static final String SANDBOX =
      "sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads";

  private final JobService jobs;
  private final PreviewKeys keys;

  /** Preview keys under {@code previewSecret} when given (a cluster's, shared by its nodes), else under a secret drawn now. */
  SiteRoutes(JobService jobs, java.util.Optional<byte[]> previewSecret) {
    this(jobs, previewSecret.map(PreviewKeys::new).orElseGet(() -> new PreviewKeys(new SecureRandom())));
  }

  SiteRoutes(JobService jobs, PreviewKeys keys) {
    this.jobs = jobs;
    this.keys = keys;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/jobs/(?<id>[^/]+)/site", call -> redirectToPreview(call, "")),
        Route.get("/api/jobs/(?<id>[^/]+)/site/(?<path>.*)", call -> redirectToPreview(call, call.decodedPathParam("path"))),
        Route.get("/api/jobs/(?<id>[^/]+)/preview/(?<key>[^/]+)", this::redirectToFolder),
        Route.get("/api/jobs/(?<id>[^/]+)/preview/(?<key>[^/]+)/(?<path>.*)", this::file));
  }

  /** With the job's token: on to the preview path, whose key the site's relative links keep. */
  private void redirectToPreview(HttpCall call, String path) throws IOException {
    String id = call.pathParam("id");
    JobRecord job = jobs.authorize(id, call.token());
    site(job);
    redirect(call, prefix(id) + encoded(path));
  }

  private void redirectToFolder(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    redirect(call, prefix(id));
  }

  private void redirect(HttpCall call, String location) throws IOException {
    call.response().getHeaders().put(HttpHeader.LOCATION, location);
    call.response().getHeaders().put("Referrer-Policy", "no-referrer");
    call.json(302, Map.of("location", location));
  }

  private void file(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    JobRecord job = jobs.status(id);
    if (!keys.matches(id, call.pathParam("key"))) throw new WrongPreviewKeyException(id);
    site(job);
    JobRoutes.requireFinished(job, "site preview");
    String path = call.decodedPathParam("path");
    if (path.isEmpty() || path.endsWith("/")) path = path + "index.html";
    Blob page = jobs.files().blobs().sitePage(id, path, BlobRange.all())
        .orElseThrow(() -> new JobRoutes.ArtifactNotFoundException(id, "site/" + call.pathParam("path")));
    try (page) {
      String fileName = page.info().key().substring(page.info().key().lastIndexOf('/') + 1);
      PreviewTypes.PreviewType type = PreviewTypes.of(fileName);
      var headers = call.response().getHeaders();
      headers.put("Content-Security-Policy", SANDBOX);
      headers.put("X-Content-Type-Options", "nosniff");
      headers.put("Referrer-Policy", "no-referrer"); // why: the preview key is in every page's address
      headers.put(HttpHeader.CACHE_CONTROL, "private, no-cache");
      if (!type.inline()) {
        headers.put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
      }
      call.stream(200, type.contentType(), page.length(), page.content());
    }
  }

  /** Only jobs of a generator that declares a site have a preview. */
  private Path site(JobRecord job) {
    return jobs.siteFolder(job).orElseThrow(() -> new NoSiteException(job.id(), job.generator()));
  }

  static final class NoSiteException extends BuildcastException {
    NoSiteException(String jobId, String generator) {
      super("not_found", "Job " + jobId + " has no site preview: its generator '" + generator + "' does not make a website.");
    }
  }

  static final class WrongPreviewKeyException extends BuildcastException {
    WrongPreviewKeyException(String jobId) {
      super("forbidden", "This preview link of job " + jobId + " is not valid (preview links end when the server restarts); "
          + "open /api/jobs/" + jobId + "/site/ with the job's token for a new one.");
    }
  }

  private String prefix(String id) {
    return "/api/jobs/" + id + "/preview/" + keys.keyFor(id) + "/";
  }

  /** Percent-encodes a decoded path for a Location header, keeping its slashes. */
  private static String encoded(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
