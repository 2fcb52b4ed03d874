package dev.buildcast.config;

/**
 * The {@code limits:} section: what one client address may use.
 *
 * @param connectionsPerIp open Socket.IO connections from one address at a time
 * @param jobsPerIpPerMinute jobs one address may start in any minute
 */
public record LimitsConfig(int connectionsPerIp, int jobsPerIpPerMinute) {

  public static LimitsConfig defaults() {
    return new LimitsConfig(50, 30);
  }

  record Raw(Integer connectionsPerIp, Integer jobsPerIpPerMinute) {
    LimitsConfig check(String source) {
      LimitsConfig d = defaults();
      return new LimitsConfig(
          positive(connectionsPerIp, d.connectionsPerIp(), source + ": limits.connectionsPerIp"),
          positive(jobsPerIpPerMinute, d.jobsPerIpPerMinute(), source + ": limits.jobsPerIpPerMinute"));
    }

    private static int positive(Integer value, int fallback, String where) {
      if (value == null) return fallback;
      if (value < 1 || value > 1_000_000) throw new ConfigException(where + " must be from 1 to 1000000, got " + value + ".");
      return value;
    }
  }
}
