package dev.buildcast.generator.openevent;

/**
 * The uploaded export cannot be turned into a site at all (not a zip, no {@code event} file,
 * invalid JSON, a refused zip). Its message is written as the job's basic error line, so it names
 * the file and what is wrong in words a user understands.
 */
public final class BrokenExportException extends Exception {

  private static final long serialVersionUID = 1L;

  public BrokenExportException(String message) {
    super(message);
  }

  public BrokenExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
