package dev.buildcast.generator;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something that turns a job's input and parameters into artifacts, writing its log as it goes: a
 * configured command, or a built-in generator such as the Open Event site generator.
 *
 * <p>Contract: {@link #run} runs the whole job on the calling thread (the job runner gives each job
 * its own virtual thread) and returns the exit code, 0 for success. Cancellation and timeouts
 * interrupt that thread: the generator must then stop promptly (a command generator kills its
 * whole process tree) and throw {@link InterruptedException}. Any other exception fails the job
 * with the exception's message as the reason; so does any error (out of memory, stack overflow). Files written to {@link JobContext#outputDir()}
 * become the job's artifacts.
 */
public interface Generator {

  /** The unique name users pick the generator by (letters, digits, '-', '_'). */
  String name();

  /** One line for people choosing a generator. */
  String description();

  InputKind input();

  /**
   * Whether a job must come with an input file when {@link #input()} is not {@code NONE}. A
   * generator that can also fetch its input itself (docs-site from a git URL) says no; then a job
   * without an upload runs with an empty {@link JobContext#input()}.
   */
  default boolean inputRequired() {
    return input() != InputKind.NONE;
  }

  /** The parameters it understands, for the page and the API. */
  List<ParamSpec> params();

  /**
   * The job secrets it takes (a push token, say): given at submit next to the parameters, held in
   * the server's memory only, masked in the job's log, and handed to the run in {@link
   * JobContext#secrets()}. A job that brings a secret its generator does not take is refused.
   */
  default List<SecretSpec> secrets() {
    return List.of();
  }

  /**
   * Checks parameter values this generator can judge before a job exists (an unknown language, a
   * number out of range), so a bad value is refused at submit instead of failing a job. Names,
   * sizes and required parameters are already checked against {@link #params()}.
   *
   * @param hasInput whether the request names an upload as the job's input
   * @return what is wrong and what to pass instead, or empty when the values are usable
   */
  default Optional<String> paramProblem(Map<String, String> params, boolean hasInput) {
    return Optional.empty();
  }

  /**
   * The folder, relative to the job's work folder, that holds the browsable website this generator
   * makes, if it makes one. Only such generators get a site preview
   * ({@code /api/jobs/{id}/site/}): serving some other job's work folder as pages would offer
   * whatever its process left there.
   */
  default Optional<String> siteFolder() {
    return Optional.empty();
  }

  /**
   * Runs the job to the end.
   *
   * @return the exit code: 0 when the job succeeded, anything else when it failed
   * @throws InterruptedException when cancelled or timed out (the thread was interrupted)
   */
  int run(JobContext context) throws InterruptedException;
}
