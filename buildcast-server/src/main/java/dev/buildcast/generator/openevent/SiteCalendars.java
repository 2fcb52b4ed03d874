package dev.buildcast.generator.openevent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsoup.Jsoup;

/**
 * The site's iCalendar files: {@code schedule.ics} with every scheduled session, one per track
 * under {@code calendar/track-<id>.ics} and one per session under
 * {@code calendar/session-<id>.ics}. Times are written as local times of the event's zone with its
 * TZID and a VTIMEZONE describing that zone, so an imported session stays at the venue's hour.
 * An event without a named zone (times shown in UTC) gets UTC times instead.
 *
 * <p>Every value that could vary between two runs of the same export (the stamp) is taken from the
 * export itself, so the files, like the rest of the site, are the same each time.
 */
final class SiteCalendars {

  static final String SCHEDULE = "schedule.ics";
  static final String FOLDER = "calendar/";

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

  private final EventData data;
  private final Map<String, Speaker> speakersById;
  private final Labels labels;
  private final String stamp;

  SiteCalendars(EventData data, Labels labels) {
    this.data = data;
    this.speakersById = data.speakersById();
    this.labels = labels;
    this.stamp = UTC.format(stampOf(data).withZoneSameInstant(ZoneOffset.UTC));
  }

  static String trackFile(Track track) {
    return FOLDER + "track-" + track.id() + ".ics";
  }

  static String sessionFile(Session session) {
    return FOLDER + "session-" + session.id() + ".ics";
  }

  /** @return the number of files written */
  int writeAll(Path siteDir) throws IOException, InterruptedException {
    List<Session> scheduled = data.sessions().stream().filter(s -> s.start() != null).toList();
    int files = 0;
    write(siteDir.resolve(SCHEDULE), calendar(data.event().name(), scheduled));
    files++;
    for (Track track : data.tracks()) {
      Cancellation.throwIfInterrupted();
      List<Session> inTrack = scheduled.stream()
          .filter(s -> s.track() != null && s.track().id().equals(track.id())).toList();
      write(siteDir.resolve(trackFile(track)), calendar(data.event().name() + " – " + track.name(), inTrack));
      files++;
    }
    for (Session session : scheduled) {
      Cancellation.throwIfInterrupted();
      write(siteDir.resolve(sessionFile(session)), calendar(session.title(), List.of(session)));
      files++;
    }
    return files;
  }

  /** One VCALENDAR holding {@code sessions} (all scheduled). */
  String calendar(String name, List<Session> sessions) {
    CalendarText out = new CalendarText();
    out.line("BEGIN", "VCALENDAR")
        .line("VERSION", "2.0")
        .line("PRODID", "-//Buildcast//open-event-site//EN")
        .line("CALSCALE", "GREGORIAN")
        .text("X-WR-CALNAME", name);
    ZoneId zone = data.event().zone();
    boolean named = !(zone instanceof ZoneOffset);
    if (named && !sessions.isEmpty()) {
      out.text("X-WR-TIMEZONE", zone.getId());
      int from = sessions.stream().mapToInt(s -> s.start().getYear()).min().orElseThrow();
      int to = sessions.stream().map(s -> s.end() == null ? s.start() : s.end()).mapToInt(ZonedDateTime::getYear)
          .max().orElseThrow();
      TimeZoneDefinition.write(out, zone, from, to);
    }
    for (Session session : sessions) event(out, session, named);
    out.line("END", "VCALENDAR");
    return out.content();
  }

  private void event(CalendarText out, Session session, boolean namedZone) {
    out.line("BEGIN", "VEVENT")
        .line("UID", "open-event-" + data.event().id() + "-session-" + session.id())
        .line("DTSTAMP", stamp);
    time(out, "DTSTART", session.start(), namedZone);
    if (session.end() != null) time(out, "DTEND", session.end(), namedZone);
    out.text("SUMMARY", session.title());
    String location = Stream.of(session.room() == null ? null : session.room().name(), data.event().locationName())
        .filter(Objects::nonNull).collect(Collectors.joining(", "));
    if (!location.isEmpty()) out.text("LOCATION", location);
    if (session.track() != null) out.line("CATEGORIES", CalendarText.escape(session.track().name()));
    String description = description(session);
    if (!description.isEmpty()) out.text("DESCRIPTION", description);
    out.line("END", "VEVENT");
  }

  private String description(Session session) {
    List<String> parts = new ArrayList<>();
    if (session.subtitle() != null) parts.add(session.subtitle());
    String speakers = session.speakerIds().stream().map(speakersById::get).filter(Objects::nonNull)
        .map(Speaker::name).collect(Collectors.joining(", "));
    if (!speakers.isEmpty()) parts.add(labels.text("session.speakers") + ": " + speakers);
    String html = session.shortAbstractHtml() != null ? session.shortAbstractHtml() : session.longAbstractHtml();
    if (html != null) parts.add(Jsoup.parse(html).text());
    return String.join("\n\n", parts);
  }

  private static void time(CalendarText out, String name, ZonedDateTime when, boolean namedZone) {
    if (namedZone) {
      out.line(name + ";TZID=" + when.getZone().getId(), TimeZoneDefinition.LOCAL.format(when));
    } else {
      out.line(name, UTC.format(when.withZoneSameInstant(ZoneOffset.UTC)));
    }
  }

  /** The export's own moment: when the schedule was published, else the event's or first session's start. */
  private static ZonedDateTime stampOf(EventData data) {
    if (data.event().publishedAt() != null) return data.event().publishedAt();
    if (data.event().start() != null) return data.event().start();
    return data.sessions().stream().map(Session::start).filter(Objects::nonNull).findFirst()
        .orElse(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
