package dev.buildcast.job;

import dev.buildcast.BuildcastException;

/** The token given does not grant access to that job. */
public final class AccessDeniedException extends BuildcastException {
  public AccessDeniedException(String jobId, boolean tokenMissing) {
    super(
        "forbidden",
        tokenMissing
            ? "Job " + jobId + " needs its token: pass it as auth.token, ?token= or Authorization: Bearer."
            : "The token does not grant access to job " + jobId + ".");
  }
}
