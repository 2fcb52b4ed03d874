package dev.buildcast.generator.openevent;

import java.nio.charset.StandardCharsets;

/**
 * Writes iCalendar content lines (RFC 5545 section 3.1): each ends with CRLF, and a line longer
 * than 75 octets is folded onto continuation lines that start with a space, never inside a UTF-8
 * character. TEXT values escape backslash, semicolon, comma and newlines (section 3.3.11).
 */
final class CalendarText {

  static final int MAX_LINE_OCTETS = 75;

  private final StringBuilder out = new StringBuilder();

  /** Appends {@code NAME:value} (or {@code NAME;PARAM=x:value}); the value is written as given. */
  CalendarText line(String nameAndParams, String value) {
    fold(nameAndParams + ":" + value);
    return this;
  }

  /** Appends a TEXT property, escaped. */
  CalendarText text(String name, String value) {
    return line(name, escape(value));
  }

  String content() {
    return out.toString();
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> escaped.append("\\\\");
        case ';' -> escaped.append("\\;");
        case ',' -> escaped.append("\\,");
        case '\n' -> escaped.append("\\n");
        case '\r' -> {
          if (i + 1 < value.length() && value.charAt(i + 1) == '\n') i++;
          escaped.append("\\n");
        }
        default -> {
          // why: other control characters are not allowed in a TEXT value at all
          if (c < 0x20 && c != '\t' || c == 0x7f) continue;
          escaped.append(c);
        }
      }
    }
    return escaped.toString();
  }

  private void fold(String line) {
    int octets = 0;
    int i = 0;
    while (i < line.length()) {
      int codePoint = line.codePointAt(i);
      int width = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + width > MAX_LINE_OCTETS) {
        out.append("\r\n ");
        octets = 1; // the continuation's leading space counts toward its 75 octets
      }
      out.appendCodePoint(codePoint);
      octets += width;
      i += Character.charCount(codePoint);
    }
    out.append("\r\n");
  }
}
