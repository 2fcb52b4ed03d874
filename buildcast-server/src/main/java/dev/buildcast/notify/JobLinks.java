package dev.buildcast.notify;

import dev.buildcast.protocol.JobStatusPayload;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Absolute links to one job for messages read outside the browser session: each carries the
 * job's token ({@code ?token=}), since the reader has nothing else to prove access with.
 *
 * @param page the web page following the job
 * @param status the status as JSON
 * @param log the detailed log download
 * @param artifacts each artifact's download
 */
public record JobLinks(String page, String status, String log, List<Artifact> artifacts) {

  /** An artifact's name, size and link. */
  public record Artifact(String name, long size, String url) {}

  static JobLinks of(URI base, JobStatusPayload job, String token) {
    String root = base.toString().replaceAll("/+$", "");
    String t = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    String api = root + "/api/jobs/" + job.jobId();
    return new JobLinks(
        root + "/jobs/" + job.jobId() + "?" + t,
        api + "?" + t,
        api + "/log?" + t,
        job.artifacts().stream().map(a -> new Artifact(a.name(), a.size(), root + a.url() + "?" + t)).toList());
  }
}
