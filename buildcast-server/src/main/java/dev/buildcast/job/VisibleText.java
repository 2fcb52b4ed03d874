package dev.buildcast.job;

import java.util.regex.Pattern;

/**
 * A log line as people see it: without ANSI escape sequences (colours, cursor moves, terminal
 * hyperlinks), which the page and terminals do not show, and without invisible format characters
 * (zero-width spaces and joiners, direction marks). Masking checks this text too, because
 * {@code Super\e[0mSecret} shows as {@code SuperSecret}.
 */
final class VisibleText {

  /** CSI sequences (ESC [ ... final byte), OSC sequences (ESC ] ... BEL or ESC \), and other two-byte escapes. */
  private static final Pattern HIDDEN = Pattern.compile(
      "\\u001B\\[[0-?]*[ -/]*[@-~]"
          + "|\\u001B\\][^\\u0007\\u001B]*(?:\\u0007|\\u001B\\\\)?"
          + "|\\u001B[@-Z\\\\-_]"
          + "|\\p{Cf}");

  private VisibleText() {}

  static String of(String text) {
    if (text.indexOf('\u001B') < 0 && text.chars().noneMatch(c -> Character.getType(c) == Character.FORMAT)) return text;
    return HIDDEN.matcher(text).replaceAll("");
  }
}
