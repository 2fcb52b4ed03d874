package dev.buildcast.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes as people write them in configuration: {@code 500KB}, {@code 100MB}, {@code 2GB} (powers of 1024). */
final class ByteSizes {

  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  static long parse(String text, String where) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new ConfigException(where + ": '" + text + "' is not a size; write e.g. 500KB, 100MB or 2GB.");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": '" + text + "' is too large.");
    }
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    int shift = switch (unit) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift)) throw new ConfigException(where + ": '" + text + "' is too large.");
    return n << shift;
  }
}
