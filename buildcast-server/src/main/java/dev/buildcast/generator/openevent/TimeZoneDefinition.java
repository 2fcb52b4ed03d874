package dev.buildcast.generator.openevent;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a VTIMEZONE component (RFC 5545 section 3.6.5) for the event's zone from the JDK's zone
 * rules, so calendar programs place the sessions right whatever zone database they carry.
 *
 * <p>Only the years the event spans are described, starting from the last change of offset before
 * them. Each kind of change (say, "summer time, +01:00 to +02:00") is one observance whose first
 * onset is its DTSTART and whose later onsets are RDATEs: one observance per change, each with its
 * own DTSTART, is valid too, but some readers (ical4j among them) then keep only one observance of
 * each kind and get half the year wrong. A zone that has never changed offset gets one observance.
 */
final class TimeZoneDefinition {

  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

  private TimeZoneDefinition() {}

  /** One kind of change, with the local times (on the old offset's clock) at which it happens. */
  private record Observance(boolean daylight, ZoneOffset from, ZoneOffset to, List<LocalDateTime> onsets) {}

  /** Appends the VTIMEZONE for {@code zone} covering the years {@code fromYear} to {@code toYear}. */
  static void write(CalendarText out, ZoneId zone, int fromYear, int toYear) {
    ZoneRules rules = zone.getRules();
    Instant from = LocalDateTime.of(fromYear, 1, 1, 0, 0).atZone(zone).toInstant();
    Instant until = LocalDateTime.of(toYear + 1, 1, 1, 0, 0).atZone(zone).toInstant();
    Map<String, Observance> observances = new LinkedHashMap<>();
    ZoneOffsetTransition transition = rules.previousTransition(from);
    if (transition == null) transition = rules.nextTransition(from);
    while (transition != null && transition.getInstant().isBefore(until)) {
      boolean daylight = rules.isDaylightSavings(transition.getInstant());
      ZoneOffsetTransition change = transition;
      observances.computeIfAbsent(daylight + change.getOffsetBefore().getId() + change.getOffsetAfter().getId(),
              key -> new Observance(daylight, change.getOffsetBefore(), change.getOffsetAfter(), new ArrayList<>()))
          .onsets().add(change.getDateTimeBefore());
      transition = rules.nextTransition(transition.getInstant());
    }
    if (observances.isEmpty()) {
      ZoneOffset offset = rules.getOffset(from);
      observances.put("fixed", new Observance(false, offset, offset, List.of(LocalDateTime.of(1970, 1, 1, 0, 0))));
    }
    out.line("BEGIN", "VTIMEZONE").line("TZID", zone.getId());
    for (Observance observance : observances.values()) {
      String kind = observance.daylight() ? "DAYLIGHT" : "STANDARD";
      out.line("BEGIN", kind).line("DTSTART", LOCAL.format(observance.onsets().get(0)));
      for (LocalDateTime onset : observance.onsets().subList(1, observance.onsets().size())) {
        out.line("RDATE", LOCAL.format(onset));
      }
      out.line("TZOFFSETFROM", offset(observance.from()))
          .line("TZOFFSETTO", offset(observance.to()))
          .line("END", kind);
    }
    out.line("END", "VTIMEZONE");
  }

  /** "+0800", "-0330", "+053328" for the odd historical offset with seconds. */
  static String offset(ZoneOffset offset) {
    int total = offset.getTotalSeconds();
    int abs = Math.abs(total);
    String text = String.format(Locale.ROOT, "%s%02d%02d", total < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
    return abs % 60 == 0 ? text : text + String.format(Locale.ROOT, "%02d", abs % 60);
  }
}
