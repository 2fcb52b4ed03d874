package dev.buildcast.job;

import java.util.Map;
import java.util.Optional;

/**
 * What a user asks for when starting a job; checked by {@link JobService#submit}.
 *
 * @param generator the generator's name
 * @param params parameter values by name
 * @param uploadId the completed upload to use as input
 * @param secrets job secrets by name (a push token, say): held in memory only, never stored,
 *     logged or answered; {@link #toString()} leaves their values out
 */
public record JobRequest(String generator, Map<String, String> params, Optional<String> uploadId, Map<String, String> secrets) {
  public JobRequest {
    params = Map.copyOf(params);
    secrets = Map.copyOf(secrets);
  }

  /** A request without secrets. */
  public JobRequest(String generator, Map<String, String> params, Optional<String> uploadId) {
    this(generator, params, uploadId, Map.of());
  }

  @Override
  public String toString() {
    // why: a record prints every component; the secrets' values must not reach a log this way
    return "JobRequest[generator=" + generator + ", params=" + params + ", uploadId=" + uploadId + ", secrets=" + secrets.keySet() + "]";
  }
}
