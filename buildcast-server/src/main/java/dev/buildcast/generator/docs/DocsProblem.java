package dev.buildcast.generator.docs;

/**
 * A reason the docs-site job cannot go on that the user can act on (bad input, a refused clone or
 * push, a missing tool). Its message is written as the job's basic error line as it is, so it
 * says what was wrong and what to do.
 */
final class DocsProblem extends Exception {

  DocsProblem(String message) {
    super(message);
  }

  DocsProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
