package dev.buildcast.cli;

/** The client's exit codes: the job's outcome, or why it could not tell. */
final class ExitCodes {
  static final int SUCCEEDED = 0;
  static final int FAILED = 1;
  static final int CANCELLED = 2;
  /** Bad arguments, an unreachable server, or a request the server refused. */
  static final int USAGE_OR_CONNECTION = 3;
  /** Ctrl-C, answered "no" to cancelling: the job goes on without us (128 + SIGINT, as shells do). */
  static final int DETACHED = 130;

  private ExitCodes() {}

  /** The code for a job's final state. */
  static int of(String state) {
    return switch (state) {
      case "succeeded" -> SUCCEEDED;
      case "cancelled" -> CANCELLED;
      default -> FAILED;
    };
  }
}
