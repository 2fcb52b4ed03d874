package dev.buildcast.job;

import dev.buildcast.generator.InputKind;
import java.nio.file.Path;

/**
 * Checks a job's input file before its generator runs (e.g. that a zip is safe to unpack). A
 * refused input fails the job at once, with the refusal as its basic line.
 */
@FunctionalInterface
public interface InputCheck {

  /**
   * @param kind what the generator declared it takes
   * @param input the uploaded file
   * @throws InputRejectedException saying which check failed and why
   */
  void check(InputKind kind, Path input) throws InputRejectedException;

  /** Accepts everything. */
  static InputCheck none() {
    return (kind, input) -> {};
  }

  /** An input that failed a check. */
  final class InputRejectedException extends Exception {
    private final String check;

    /**
     * @param check the check that failed, as people call it (e.g. "zip bomb check")
     * @param message what was wrong, e.g. "unpacks to more than 1073741824 bytes"
     */
    public InputRejectedException(String check, String message) {
      super(message);
      this.check = check;
    }

    public String check() {
      return check;
    }
  }
}
