package dev.buildcast.config;

/**
 * The {@code logs:} section.
 *
 * @param maxBytesPerJob the most detailed-log text a job keeps: past it the log keeps its first 80
 *     % and its last 20 % (see {@link dev.buildcast.log.LogLimit}); the job goes on
 */
public record LogsConfig(long maxBytesPerJob) {

  static final long DEFAULT_MAX_BYTES_PER_JOB = 100L << 20;
  /** Below this the tail could not hold one longest line (64 Ki chars of up to 3 bytes). */
  static final long MIN_MAX_BYTES_PER_JOB = 1L << 20;

  public static LogsConfig defaults() {
    return new LogsConfig(DEFAULT_MAX_BYTES_PER_JOB);
  }

  record Raw(String maxBytesPerJob) {
    LogsConfig check(String source) {
      if (maxBytesPerJob == null) return defaults();
      long max = ByteSizes.parse(maxBytesPerJob, source + ": logs.maxBytesPerJob");
      if (max < MIN_MAX_BYTES_PER_JOB) {
        throw new ConfigException(source + ": logs.maxBytesPerJob must be at least 1MB, got '" + maxBytesPerJob + "'.");
      }
      return new LogsConfig(max);
    }
  }
}
