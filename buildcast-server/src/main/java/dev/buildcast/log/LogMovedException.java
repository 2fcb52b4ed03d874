package dev.buildcast.log;

/**
 * A job's log can no longer be followed on this node because another node now writes it: this node
 * ran the job and was fenced off its log (another node took the job over). Watchers must follow the
 * job elsewhere; what they were told before stays true.
 */
public final class LogMovedException extends LogUnfollowableException {

  private static final long serialVersionUID = 1L;

  public LogMovedException(String jobId, long lastSeq) {
    super("job " + jobId + " was taken over by another node after line " + lastSeq + "; this node shows nothing more of its log");
  }
}
