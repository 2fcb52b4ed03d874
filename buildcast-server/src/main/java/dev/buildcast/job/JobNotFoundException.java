package dev.buildcast.job;

import dev.buildcast.BuildcastException;

/** No job has that id (or it was deleted by retention). */
public final class JobNotFoundException extends BuildcastException {
  public JobNotFoundException(String jobId) {
    super("not_found", "No job " + jobId + ": check the link, or the job may have expired.");
  }
}
