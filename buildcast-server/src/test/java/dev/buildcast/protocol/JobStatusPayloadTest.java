package dev.buildcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.job.JobInput;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobStatusPayloadTest {

  static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  /** A job in {@code state} whose record names {@code owner} (null: none). */
  private static JobRecord owned(JobState state, String owner) {
    return new JobRecord("j".repeat(22), "hash", "site", Map.of(), null, state, 0, null, null, AT, state == JobState.QUEUED ? null : AT,
        state.isFinished() ? AT : null, List.of(), null, 3, owner, null);
  }

  private static JsonNode json(JobRecord record) {
    return Json.MAPPER.valueToTree(JobStatusPayload.of(record));
  }

  private static List<String> keys(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JobRecord job(String uploadId, JobInput input) {
    return new JobRecord("j".repeat(22), "hash", "site", Map.of("language", "de"), uploadId, JobState.QUEUED, 0, null, null, AT,
        null, null, List.of(), input);
  }

  @Test
  void of_jobWithInput_carriesItsUploadNameSizeAndTheParams() {
    JobStatusPayload status = JobStatusPayload.of(job("u".repeat(22), new JobInput("export.zip", 1234)));
    assertThat(status.input()).isEqualTo(new JobStatusPayload.InputPayload("u".repeat(22), "export.zip", 1234L));
    assertThat(status.params()).containsExactly(Map.entry("language", "de"));
  }

  @Test
  void of_jobWithoutInput_hasNoInput() {
    assertThat(JobStatusPayload.of(job(null, null)).input()).isNull();
  }

  @Test
  void of_jobWhoseInputIsNotDescribed_keepsTheUploadIdWithoutNameOrSize() {
    assertThat(JobStatusPayload.of(job("u".repeat(22), null)).input())
        .isEqualTo(new JobStatusPayload.InputPayload("u".repeat(22), null, null));
    assertThat(JobStatusPayload.of(job("u".repeat(22), new JobInput(null, -1))).input())
        .isEqualTo(new JobStatusPayload.InputPayload("u".repeat(22), null, null));
  }

  @Test
  void toJson_runningJob_hasEveryFieldAndNamesTheNode() {
    JsonNode status = json(owned(JobState.RUNNING, "n7"));

    assertThat(keys(status)).containsExactly("jobId", "generator", "state", "percentage", "exitCode", "reason", "queuedAt", "startedAt",
        "finishedAt", "artifacts", "params", "input", "node");
    assertThat(status.get("node").asText()).isEqualTo("n7");
  }

  @Test
  void toJson_finishedJob_stillNamesTheNodeThatRanIt() {
    assertThat(json(owned(JobState.SUCCEEDED, "n7")).get("node").asText()).isEqualTo("n7");
    assertThat(json(owned(JobState.FAILED, "node-abc")).get("node").asText()).isEqualTo("node-abc");
  }

  @Test
  void toJson_queuedJob_hasNoNodeField() {
    JsonNode status = json(owned(JobState.QUEUED, null));

    assertThat(keys(status)).containsExactly("jobId", "generator", "state", "percentage", "exitCode", "reason", "queuedAt", "startedAt",
        "finishedAt", "artifacts", "params", "input");
    // why: a record back in the queue must not name a node that no longer runs it
    assertThat(keys(json(owned(JobState.QUEUED, "n7")))).doesNotContain("node");
  }

  @Test
  void toJson_jobRecordedBeforeOwnersWereKept_hasNoNodeField() {
    assertThat(keys(json(owned(JobState.SUCCEEDED, null)))).doesNotContain("node");
  }
}
