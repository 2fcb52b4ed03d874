package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's calendar files are valid RFC 5545, read back by an independent parser (ical4j), with
 * local times, a TZID and the zone's VTIMEZONE, folded lines and escaped text.
 */
class OpenEventCalendarFilesTest {

  @TempDir Path temp;

  @Test
  void generate_anyExport_writesAWholeScheduleTrackAndSessionCalendarsThatParse() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Calendar whole = parse(run.site().resolve("schedule.ics"));
    assertThat(whole.validate().hasErrors()).as(whole.validate().toString()).isFalse();
    List<VEvent> events = whole.getComponents(Component.VEVENT);
    assertThat(events).extracting(e -> e.getSummary().getValue())
        .containsExactly("Early talk", "Opening", "Second day talk");
    Calendar track = parse(run.site().resolve("calendar/track-1.ics"));
    assertThat(track.<VEvent>getComponents(Component.VEVENT)).extracting(e -> e.getSummary().getValue())
        .containsExactly("Opening", "Second day talk");
    Calendar session = parse(run.site().resolve("calendar/session-1000.ics"));
    assertThat(session.validate().hasErrors()).isFalse();
    VEvent opening = session.<VEvent>getComponents(Component.VEVENT).get(0);
    assertThat(opening.getLocation().getValue()).isEqualTo("Hall A, Science Centre");
    assertThat(opening.getUid().get().getValue()).isEqualTo("open-event-6-session-1000");
    assertThat(run.site().resolve("calendar/session-1002.ics")).doesNotExist(); // not scheduled
  }

  @Test
  void generate_eventZone_writesLocalTimesWithTzidAndAVtimezoneThatGivesTheRightInstant() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 1, "title": "Summer", "start_time": "2018-05-10T12:00:00Z", "end_time": "2018-05-10T12:25:00Z"},
         {"id": 2, "title": "Winter", "start_time": "2018-12-01T09:00:00Z", "end_time": "2019-01-02T10:00:00Z"}]
        """));

    String text = Files.readString(run.site().resolve("schedule.ics"));
    assertThat(text).contains("DTSTART;TZID=Europe/Berlin:20180510T140000\r\n", "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n",
        "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n", "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n");
    Calendar calendar = new CalendarBuilder().build(new StringReader(text));
    assertThat(calendar.validate().hasErrors()).isFalse();
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    assertThat(instant(events.get(0).getDateTimeStart().getDate())).isEqualTo(Instant.parse("2018-05-10T12:00:00Z"));
    assertThat(instant(events.get(1).getDateTimeStart().getDate())).isEqualTo(Instant.parse("2018-12-01T09:00:00Z"));
    assertThat(instant(events.get(1).getDateTimeEnd().getDate())).isEqualTo(Instant.parse("2019-01-02T10:00:00Z"));
  }

  @Test
  void timeZoneDefinition_zoneWithoutChangesInTheYears_startsFromItsLastChange() {
    CalendarText out = new CalendarText();
    TimeZoneDefinition.write(out, ZoneId.of("Asia/Singapore"), 2017, 2017);

    // Singapore moved from +07:30 to +08:00 at the end of 1981 and has not changed since
    assertThat(out.content()).isEqualTo("BEGIN:VTIMEZONE\r\nTZID:Asia/Singapore\r\nBEGIN:STANDARD\r\n"
        + "DTSTART:19811231T233000\r\nTZOFFSETFROM:+0730\r\nTZOFFSETTO:+0800\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n");
  }

  @Test
  void timeZoneDefinition_zoneThatNeverChanged_hasOneFixedObservance() {
    CalendarText out = new CalendarText();
    TimeZoneDefinition.write(out, ZoneId.of("Etc/GMT-8"), 2017, 2017);

    assertThat(out.content()).contains("DTSTART:19700101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\n");
  }

  @Test
  void timeZoneDefinition_summerTimeZone_writesOneObservancePerKindWithLaterOnsetsAsRdates() {
    CalendarText out = new CalendarText();
    TimeZoneDefinition.write(out, ZoneId.of("Europe/Berlin"), 2018, 2019);

    assertThat(out.content()).isEqualTo("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        + "BEGIN:STANDARD\r\nDTSTART:20171029T030000\r\nRDATE:20181028T030000\r\nRDATE:20191027T030000\r\n"
        + "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
        + "BEGIN:DAYLIGHT\r\nDTSTART:20180325T020000\r\nRDATE:20190331T020000\r\n"
        + "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n");
  }

  @Test
  void generate_longAndSpecialText_isEscapedAndFoldedAt75OctetsWithCrlf() throws Exception {
    String title = "Ünïcödé, semi; colon \\\\ back — " + "long title ".repeat(12) + "漢字漢字漢字漢字漢字漢字漢字漢字";
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 1, "title": "%s", "start_time": "2018-05-10T12:00:00Z",
          "short_abstract": "<p>line one</p>\\n<p>line two, with a comma</p>"}]
        """.formatted(title)));

    byte[] bytes = Files.readAllBytes(run.site().resolve("calendar/session-1.ics"));
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\r\r").doesNotContainPattern("[^\r]\n");
    for (String line : text.split("\r\n")) {
      assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
    }
    assertThat(text).contains("SUMMARY:Ünïcödé\\, semi\\; colon \\\\ back");
    VEvent event = new CalendarBuilder().build(new StringReader(text)).<VEvent>getComponents(Component.VEVENT).get(0);
    assertThat(event.getSummary().getValue()).isEqualTo(title.replace("\\\\", "\\"));
    assertThat(event.getDescription().getValue()).contains("line one line two, with a comma");
  }

  @Test
  void generate_eventWithoutZone_writesUtcTimesAndNoVtimezone() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("event", "{\"id\": 1, \"name\": \"No Zone\"}"));

    String text = Files.readString(run.site().resolve("schedule.ics"));
    assertThat(text).contains("DTSTART:20170317T010000Z\r\n").doesNotContain("VTIMEZONE");
    assertThat(new CalendarBuilder().build(new StringReader(text)).validate().hasErrors()).isFalse();
  }

  @Test
  void generate_schedulTrackAndSessionPages_linkTheirCalendars() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.page("schedule.html").select("a.ics").eachAttr("href")).containsExactly("schedule.ics");
    assertThat(run.page("tracks.html").select("a.ics").eachAttr("href"))
        .containsExactly("calendar/track-1.ics", "calendar/track-2.ics");
    assertThat(run.page("sessions/1000.html").select("a.ics").eachAttr("href"))
        .containsExactly("../calendar/session-1000.ics");
  }

  @Test
  void generate_sameExportTwice_writesTheSameCalendar() throws Exception {
    JobRun one = JobRun.of(Files.createDirectories(temp.resolve("1")), Fixtures.kebab());
    JobRun two = JobRun.of(Files.createDirectories(temp.resolve("2")), Fixtures.kebab());

    assertThat(Files.readString(two.site().resolve("schedule.ics")))
        .isEqualTo(Files.readString(one.site().resolve("schedule.ics")))
        .contains("DTSTAMP:20170317T010000Z\r\n");
  }

  private static Calendar parse(Path file) throws Exception {
    return new CalendarBuilder().build(new StringReader(Files.readString(file)));
  }

  private static Instant instant(Temporal temporal) {
    return ((ZonedDateTime) temporal).toInstant();
  }
}
