package dev.buildcast.protocol;

import dev.buildcast.job.Artifact;
import dev.buildcast.job.JobRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The {@code status} event and {@code GET /api/jobs/{jobId}} body. See docs/protocol.md.
 *
 * @param reason why the job failed or was cancelled; null otherwise
 */
public record JobStatusPayload(
    String jobId,
    String generator,
    String state,
    int percentage,
    Integer exitCode,
    String reason,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    List<ArtifactPayload> artifacts) {

  /** An artifact with the path to download it (add the job's token). */
  public record ArtifactPayload(String name, long size, String url) {}

  public static JobStatusPayload of(JobRecord job) {
    return new JobStatusPayload(
        job.id(),
        job.generator(),
        job.state().wireName(),
        job.percentage(),
        job.exitCode(),
        job.reason(),
        job.queuedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.artifacts().stream().map(a -> artifact(job.id(), a)).toList());
  }

  private static ArtifactPayload artifact(String jobId, Artifact a) {
    String path = URLEncoder.encode(a.name(), StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    return new ArtifactPayload(a.name(), a.size(), "/api/jobs/" + jobId + "/artifacts/" + path);
  }
}
