package dev.buildcast.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them in configuration: {@code 500ms}, {@code 30s}, {@code 30m}, {@code 2h}, {@code 7d}. */
final class Durations {

  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  static Duration parse(String text, String where) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new ConfigException(where + ": '" + text + "' is not a duration; write e.g. 500ms, 30s, 30m, 2h or 7d.");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero()) throw new ConfigException(where + ": a duration must be more than zero.");
    return d;
  }
}
