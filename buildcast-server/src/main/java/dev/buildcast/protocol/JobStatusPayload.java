package dev.buildcast.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.buildcast.job.Artifact;
import dev.buildcast.job.JobInput;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} event and {@code GET /api/jobs/{jobId}} body. See docs/protocol.md.
 *
 * @param reason why the job failed or was cancelled; null otherwise
 * @param params the parameters the job was started with
 * @param input the input file, or null when the job has none
 * @param node the id of the node that runs or ran the job (its record's owner); null, and left out
 *     of the JSON, while the job is queued (and for jobs recorded before owners were kept)
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
    List<ArtifactPayload> artifacts,
    Map<String, String> params,
    InputPayload input,
    @JsonInclude(JsonInclude.Include.NON_NULL) String node) {

  /**
   * The job's input file: what people recognise it by, and the upload to run the job again with.
   *
   * @param name the uploaded file's name, or null when the server no longer knows it
   * @param size bytes, or null when unknown
   */
  public record InputPayload(String uploadId, String name, Long size) {}

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
        job.artifacts().stream().map(a -> artifact(job.id(), a)).toList(),
        job.params(),
        input(job),
        job.state() == JobState.QUEUED ? null : job.owner());
  }

  private static InputPayload input(JobRecord job) {
    if (job.uploadId() == null) return null;
    JobInput input = job.input();
    return new InputPayload(job.uploadId(), input == null ? null : input.name(), input == null || input.size() < 0 ? null : input.size());
  }

  private static ArtifactPayload artifact(String jobId, Artifact a) {
    String path = URLEncoder.encode(a.name(), StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    return new ArtifactPayload(a.name(), a.size(), "/api/jobs/" + jobId + "/artifacts/" + path);
  }
}
