package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dates are shown in the event's time zone, or UTC (logged) when it has none. */
class OpenEventTimeZoneTest {

  @TempDir Path temp;

  @Test
  void generate_utcTimestamps_areShownInTheEventZone() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    // 01:00Z is 09:00 in Singapore
    assertThat(run.page("sessions/1000.html").selectFirst("time").text()).isEqualTo("Friday 17 March 2017, 09:00–09:30");
    assertThat(run.page("sessions/1000.html").selectFirst("time").attr("datetime")).isEqualTo("2017-03-17T09:00:00+08:00");
    assertThat(run.page("index.html").select("footer").text()).contains("Asia/Singapore");
  }

  @Test
  void generate_noTimeZone_fallsBackToUtcAndSaysSo() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("event", "{\"id\": 1, \"name\": \"No Zone\"}"));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.NOTICE)).contains("the event has no time zone: showing all times in UTC");
    assertThat(run.page("sessions/1000.html").selectFirst("time").text()).isEqualTo("Friday 17 March 2017, 01:00–01:30");
  }

  @Test
  void generate_unknownTimeZone_fallsBackToUtcAndNamesIt() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("event", "{\"id\": 1, \"name\": \"Bad Zone\", \"timezone\": \"Mars/Olympus\"}"));

    assertThat(run.log.texts(LogLevel.NOTICE))
        .contains("the event has an unknown time zone \"Mars/Olympus\": showing all times in UTC");
  }

  @Test
  void parse_timestampWithoutOffset_isTakenAsEventLocalTime() {
    EventClock clock = new EventClock(ZoneId.of("Europe/Berlin"));

    assertThat(clock.parse("2018-05-10 14:00:00").map(clock::iso)).contains("2018-05-10T14:00:00+02:00");
    assertThat(clock.parse("2018-05-10T12:00:00Z").map(clock::time)).contains("14:00");
    assertThat(clock.parse("tomorrow")).isEmpty();
  }
}
