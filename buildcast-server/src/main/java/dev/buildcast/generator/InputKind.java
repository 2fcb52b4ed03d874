package dev.buildcast.generator;

import java.util.Locale;

/** What input a generator takes: none, any uploaded file, or a zip (checked before the job starts). */
public enum InputKind {
  NONE,
  FILE,
  ZIP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
