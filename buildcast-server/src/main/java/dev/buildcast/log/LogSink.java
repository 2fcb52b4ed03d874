package dev.buildcast.log;

/**
 * Where a running generator writes its log. Command generators reach it through the output pump
 * and the workflow-command interpreter; built-in generators call it directly. Either way the rest
 * of Buildcast cannot tell them apart.
 *
 * <p>Threading: implementations are safe to call from several threads; lines from one thread keep
 * their order.
 */
public interface LogSink {

  /** Appends one line. Text longer than {@link LogLine#MAX_TEXT_CHARS} is split with a marker. */
  void append(LogLevel level, String text);

  /**
   * Runs {@code appends} (calls on this sink from this thread) as one batch, so the log may write
   * their lines together; see {@link JobLog#batch}. This default just runs them.
   */
  default void batch(Runnable appends) {
    appends.run();
  }

  /** Sets the job's progress, 0 to 100. */
  void progress(int percentage);

  /** From now on, replaces {@code secret} with {@code ***} in every line before it is stored. */
  void mask(String secret);

  /**
   * The text with every secret registered so far masked, as {@link #append} would store it; for
   * code that must mask before it changes a text (cutting a long line into pieces). This default,
   * for sinks that keep no secrets, returns the text unchanged.
   */
  default String masked(String text) {
    return text;
  }

  /** The length of the longest secret registered so far; 0 when there is none. */
  default int longestSecretChars() {
    return 0;
  }

  default void detail(String text) {
    append(LogLevel.DETAIL, text);
  }

  default void notice(String text) {
    append(LogLevel.NOTICE, text);
  }

  default void warning(String text) {
    append(LogLevel.WARNING, text);
  }

  default void error(String text) {
    append(LogLevel.ERROR, text);
  }

  /** Starts a step; {@link #endGroup()} ends it. */
  default void group(String title) {
    append(LogLevel.GROUP, title);
  }

  default void endGroup() {
    append(LogLevel.ENDGROUP, "");
  }
}
