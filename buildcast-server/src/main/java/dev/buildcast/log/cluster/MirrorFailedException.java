package dev.buildcast.log.cluster;

import dev.buildcast.log.LogUnfollowableException;

/**
 * A job's log can no longer be followed on this node: its mirror met an entry of the job's stream
 * that it cannot take (damaged, unreadable, or not continuing the lines). The lines mirrored before
 * it stay readable; the message names the job, the entry and what was wrong, for the watchers.
 */
public final class MirrorFailedException extends LogUnfollowableException {

  private static final long serialVersionUID = 1L;

  public MirrorFailedException(String jobId, long lastSeq, String problem) {
    super("the live log of job " + jobId + " cannot be followed on this node after line " + lastSeq + ": " + problem
        + "; the lines before it are complete");
  }
}
