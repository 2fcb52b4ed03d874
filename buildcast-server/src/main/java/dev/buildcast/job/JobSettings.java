package dev.buildcast.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How jobs run.
 *
 * @param timeouts per generator name
 * @param defaultTimeout for generators without one
 * @param secrets values masked in every job's log from the start (configured secret environment
 *     variables)
 * @param timer the scheduler timeouts use; owned by the caller
 */
public record JobSettings(
    Map<String, Duration> timeouts, Duration defaultTimeout, List<String> secrets, ScheduledExecutorService timer) {

  public JobSettings {
    timeouts = Map.copyOf(timeouts);
    secrets = List.copyOf(secrets);
  }

  Duration timeout(String generator) {
    return timeouts.getOrDefault(generator, defaultTimeout);
  }
}
