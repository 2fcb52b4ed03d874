package dev.buildcast.generator;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets a job was submitted with, as its generator sees them while it runs. The values live
 * in the memory of the server the job was submitted to and nowhere else, so a job that runs after
 * a restart (or on another node) finds the names it was given in {@link #lost()} and no values:
 * it says so and asks to submit again, rather than run without the secret as if none was given.
 *
 * <p>{@link #toString()} names the secrets, never their values, so a record printed by a log
 * call or a debugger shows nothing to hide.
 */
public final class JobSecrets {

  private static final JobSecrets NONE = new JobSecrets(Map.of(), Set.of());

  private final Map<String, String> values;
  private final Set<String> lost;

  /**
   * @param values the secrets held for the job, by name
   * @param lost names the job was submitted with whose values this server does not hold
   */
  public JobSecrets(Map<String, String> values, Set<String> lost) {
    this.values = Map.copyOf(values);
    this.lost = Set.copyOf(lost);
  }

  /** A job submitted without secrets. */
  public static JobSecrets none() {
    return NONE;
  }

  /** The value given for {@code name}, when this server holds it. */
  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** Names the job was submitted with but whose values were not kept (the server restarted meanwhile). */
  public Set<String> lost() {
    return lost;
  }

  /** Whether {@code name} was given with the job and its value is gone. */
  public boolean wasLost(String name) {
    return lost.contains(name);
  }

  /** Every value held, for masking. */
  public Iterable<String> values() {
    return values.values();
  }

  @Override
  public String toString() {
    return "JobSecrets" + values.keySet() + (lost.isEmpty() ? "" : " lost " + lost);
  }
}
