package dev.buildcast.generator.openevent;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the export's timestamps and shows them in the event's time zone. Visitors plan by the
 * venue's clock, not their own, so every date on the site is converted to that zone.
 */
public final class EventClock {

  private static final DateTimeFormatter ENGLISH_DAY =
      DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

  private final ZoneId zone;
  private final Labels labels;
  private final DateTimeFormatter dayFormat;

  public EventClock(ZoneId zone) {
    this(zone, Labels.english());
  }

  EventClock(ZoneId zone, Labels labels) {
    this.zone = zone;
    this.labels = labels;
    // why: the JDK's full English date puts the month first ("Friday, March 17"); the site has always
    // written "Friday 17 March 2017", which reads the same everywhere English is spoken
    this.dayFormat = labels.locale().getLanguage().equals("en")
        ? ENGLISH_DAY
        : DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(labels.locale());
  }

  /** The zone named by the export's {@code timezone} field, when it names a real one. */
  static Optional<ZoneId> zoneNamed(String name) {
    try {
      return Optional.of(ZoneId.of(name));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  public ZoneId zone() {
    return zone;
  }

  /**
   * Parses an ISO-8601 timestamp. Ones with an offset are converted to the event's zone; ones
   * without are taken as already in it (older exports sometimes drop the offset).
   */
  Optional<ZonedDateTime> parse(String text) {
    String iso = text.strip().replace(' ', 'T');
    try {
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime withOffset) {
        return Optional.of(withOffset.atZoneSameInstant(zone));
      }
      return Optional.of(((LocalDateTime) parsed).atZone(zone));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** "Friday 17 March 2017". */
  public String day(ZonedDateTime when) {
    return when == null ? "" : dayFormat.format(when);
  }

  /** "14:25". */
  public String time(ZonedDateTime when) {
    return when == null ? "" : TIME.format(when);
  }

  /**
   * "14:25–14:50", or just the start when the end is unknown; "23:30–01:00 (next day)" when the
   * end falls on a later day, so a late session is not read as ending before it starts.
   */
  public String timeRange(ZonedDateTime start, ZonedDateTime end) {
    if (start == null) return "";
    if (end == null) return time(start);
    String range = time(start) + "–" + time(end);
    long laterDays = ChronoUnit.DAYS.between(start.toLocalDate(), end.toLocalDate());
    if (laterDays == 1) return labels.format("time.nextDay", range);
    if (laterDays > 1) return labels.format("time.laterDay", range, day(end));
    return range;
  }

  /** Machine-readable form for {@code <time datetime>}. */
  public String iso(ZonedDateTime when) {
    return when == null ? "" : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(when);
  }

  /** The zone's id, shown next to times so nobody has to guess. */
  public String zoneName() {
    return zone.getId();
  }
}
