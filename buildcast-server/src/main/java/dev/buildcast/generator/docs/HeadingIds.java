package dev.buildcast.generator.docs;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Gives the headings of one page ids the way readers expect from code hosts: lower case, spaces
 * become {@code -}, punctuation goes, and a repeated heading gets {@code -1}, {@code -2}, ...
 */
final class HeadingIds {

  private final Map<String, Integer> used = new HashMap<>();

  String next(String headingText) {
    String slug = slug(headingText);
    if (slug.isEmpty()) slug = "section";
    Integer count = used.get(slug);
    used.put(slug, count == null ? 1 : count + 1);
    if (count == null) return slug;
    String candidate = slug + "-" + count;
    used.putIfAbsent(candidate, 1);
    return candidate;
  }

  static String slug(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.strip().toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        out.appendCodePoint(c);
      } else if (Character.isWhitespace(c)) {
        out.append('-');
      }
    });
    return out.toString();
  }
}
