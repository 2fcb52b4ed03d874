package dev.buildcast.log;

/**
 * A job's log cannot be followed on this node any further, for a reason that belongs to the job and
 * not to a fault of the server: its writing moved to another node, or its mirror met an entry it
 * cannot take. The reason is logged once where it was found; each watcher it ends is told without
 * another stack trace (a job watched by hundreds would otherwise fill the server's log).
 */
public abstract class LogUnfollowableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  protected LogUnfollowableException(String message) {
    super(message);
  }
}
