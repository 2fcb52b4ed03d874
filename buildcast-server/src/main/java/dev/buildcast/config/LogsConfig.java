package dev.buildcast.config;

/**
 * The {@code logs:} section.
 *
 * @param maxBytesPerJob the most detailed-log text a job keeps, in bytes (written as for uploads: {@code 100MB} is 10^8, {@code 100MiB} is 100 × 2^20): past it the log keeps its first 80
 *     % and its last 20 % (see {@link dev.buildcast.log.LogLimit}); the job goes on
 */
public record LogsConfig(long maxBytesPerJob) {

  static final long DEFAULT_MAX_BYTES_PER_JOB = 100_000_000L;
  /** Below this the tail (20 %) could not hold one longest line (64 Ki chars of up to 3 bytes). */
  static final long MIN_MAX_BYTES_PER_JOB = 1_000_000L;

  public static LogsConfig defaults() {
    return new LogsConfig(DEFAULT_MAX_BYTES_PER_JOB);
  }

  record Raw(String maxBytesPerJob) {
    LogsConfig check(String source) {
      if (maxBytesPerJob == null) return defaults();
      long max = Sizes.parse(maxBytesPerJob, source + ": logs.maxBytesPerJob");
      if (max < MIN_MAX_BYTES_PER_JOB) {
        throw new ConfigException(source + ": logs.maxBytesPerJob must be at least 1MB, got '" + maxBytesPerJob + "'.");
      }
      return new LogsConfig(max);
    }
  }
}
