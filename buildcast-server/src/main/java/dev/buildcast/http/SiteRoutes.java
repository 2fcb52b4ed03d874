package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.generator.Generator;
import dev.buildcast.job.JobFiles;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /api/jobs/{jobId}/site/...}: a browsable preview of a generated website, served from
 * the job's own site folder only.
 *
 * <p>The pages link to each other relatively, and a browser does not carry {@code ?token=} over to
 * the next page, so the first request with the token sets a cookie limited to this job's preview
 * path (HttpOnly, SameSite=Strict); later requests are authorised by it.
 */
final class SiteRoutes {

  static final String COOKIE = "buildcast_site_token";

  private final JobService jobs;

  SiteRoutes(JobService jobs) {
    this.jobs = jobs;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/jobs/(?<id>[^/]+)/site", this::redirectToFolder),
        Route.get("/api/jobs/(?<id>[^/]+)/site/(?<path>.*)", this::file));
  }

  private void redirectToFolder(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    jobs.authorize(id, token(call));
    String query = call.request().getHttpURI().getQuery();
    call.response().getHeaders().put(HttpHeader.LOCATION, prefix(id) + (query == null ? "" : "?" + query));
    call.json(302, java.util.Map.of("location", prefix(id)));
  }

  private void file(HttpCall call) throws IOException {
    String id = call.pathParam("id");
    String token = token(call);
    JobRecord job = jobs.authorize(id, token);
    String folder = siteFolder(job);
    JobRoutes.requireFinished(job, "site preview");
    if (call.query("token").isPresent()) {
      call.response().getHeaders().add(HttpHeader.SET_COOKIE,
          COOKIE + "=" + token + "; Path=" + prefix(id) + "; HttpOnly; SameSite=Strict");
    }
    String path = call.pathParam("path");
    if (path.isEmpty() || path.endsWith("/")) path = path + "index.html";
    Path site = jobs.files().workDir(id).resolve(folder);
    Path file = jobs.files().insideFolder(site, path).orElseThrow(() -> new JobRoutes.ArtifactNotFoundException(id, "site/" + call.pathParam("path")));
    String type = Files.probeContentType(file);
    call.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "private, no-cache");
    call.stream(200, type == null ? "application/octet-stream" : type, Files.size(file), JobFiles.open(file));
  }

  /** Only jobs of a generator that declares a site have a preview. */
  private String siteFolder(JobRecord job) {
    return jobs.generators().find(job.generator()).flatMap(Generator::siteFolder)
        .orElseThrow(() -> new NoSiteException(job.id(), job.generator()));
  }

  static final class NoSiteException extends BuildcastException {
    NoSiteException(String jobId, String generator) {
      super("not_found", "Job " + jobId + " has no site preview: its generator '" + generator + "' does not make a website.");
    }
  }

  private static String prefix(String id) {
    return "/api/jobs/" + id + "/site/";
  }

  /** Header or query first (as everywhere), then the preview cookie. */
  private static String token(HttpCall call) {
    String explicit = call.token();
    if (explicit != null) return explicit;
    return cookie(call).orElse(null);
  }

  private static Optional<String> cookie(HttpCall call) {
    return call.request().getHeaders().getValuesList(HttpHeader.COOKIE).stream()
        .flatMap(header -> List.of(header.split(";")).stream())
        .map(String::strip)
        .filter(part -> part.startsWith(COOKIE + "="))
        .map(part -> part.substring(COOKIE.length() + 1))
        .findFirst();
  }
}
