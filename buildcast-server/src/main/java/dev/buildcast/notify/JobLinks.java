package dev.buildcast.notify;

import dev.buildcast.protocol.JobStatusPayload;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Absolute links to one job for messages read outside the browser session: each carries the
 * job's token ({@code ?token=}) when the server still has it in memory, since the reader has
 * nothing else to prove access with. A message composed after a restart has the same links
 * without it (the token is stored nowhere in clear); its reader adds the token they got at submit.
 *
 * @param page the web page following the job
 * @param status the status as JSON
 * @param log the detailed log download
 * @param artifacts each artifact's download
 */
public record JobLinks(String page, String status, String log, List<Artifact> artifacts) {

  /** An artifact's name, size and link. */
  public record Artifact(String name, long size, String url) {}

  static JobLinks of(URI base, JobStatusPayload job, Optional<String> token) {
    String root = base.toString().replaceAll("/+$", "");
    String t = token.map(value -> "?token=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).orElse("");
    String api = root + "/api/jobs/" + job.jobId();
    return new JobLinks(
        root + "/jobs/" + job.jobId() + t,
        api + t,
        api + "/log" + t,
        job.artifacts().stream().map(a -> new Artifact(a.name(), a.size(), root + a.url() + t)).toList());
  }
}
