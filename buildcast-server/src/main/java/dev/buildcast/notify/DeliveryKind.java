package dev.buildcast.notify;

import java.util.Locale;
import java.util.Optional;

/** The two ways a job's end is told: a webhook POST or an email. */
public enum DeliveryKind {
  WEBHOOK,
  EMAIL;

  /** {@code webhook} or {@code email}: the name in stored records and in log lines. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of a stored name; empty for a name this version does not know. */
  public static Optional<DeliveryKind> ofWireName(String name) {
    for (DeliveryKind kind : values()) {
      if (kind.wireName().equals(name)) return Optional.of(kind);
    }
    return Optional.empty();
  }
}
