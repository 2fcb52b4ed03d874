package dev.buildcast.job;

import java.util.Map;
import java.util.Optional;

/**
 * What a user asks for when starting a job; checked by {@link JobService#submit}.
 *
 * @param generator the generator's name
 * @param params parameter values by name
 * @param uploadId the completed upload to use as input
 */
public record JobRequest(String generator, Map<String, String> params, Optional<String> uploadId) {
  public JobRequest {
    params = Map.copyOf(params);
  }
}
