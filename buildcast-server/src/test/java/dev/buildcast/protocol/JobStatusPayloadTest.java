package dev.buildcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobInput;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobStatusPayloadTest {

  static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

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
}
