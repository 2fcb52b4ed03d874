package dev.buildcast.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads byte sizes as people write them in configuration: {@code 1048576}, {@code 512KiB}, {@code 512MiB}, {@code 2GiB}, {@code 100MB}. */
final class Sizes {

  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([kmgt]i?b|b)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  static long parse(String text, String where) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new ConfigException(where + ": '" + text + "' is not a size; write e.g. 1048576, 512KiB, 512MiB or 2GiB.");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": '" + text + "' is too large.");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor = switch (unit) {
      case "kb" -> 1_000L;
      case "kib" -> 1L << 10;
      case "mb" -> 1_000_000L;
      case "mib" -> 1L << 20;
      case "gb" -> 1_000_000_000L;
      case "gib" -> 1L << 30;
      case "tb" -> 1_000_000_000_000L;
      case "tib" -> 1L << 40;
      default -> 1L;
    };
    if (n == 0) throw new ConfigException(where + ": a size must be more than zero.");
    if (n > Long.MAX_VALUE / factor) throw new ConfigException(where + ": '" + text + "' is too large.");
    return n * factor;
  }
}
