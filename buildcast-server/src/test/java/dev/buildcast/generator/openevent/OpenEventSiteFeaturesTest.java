package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The features issue 19 asks for beyond a reading copy: schedule views, speakers, media, footer, head. */
class OpenEventSiteFeaturesTest {

  @TempDir Path temp;

  @Test
  void generate_schedule_groupsEachDayByTimeSlotWithRoomsAndDayTabAnchors() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document schedule = run.page("schedule.html");
    assertThat(schedule.select("nav.days a").eachAttr("href")).containsExactly("#day-2017-03-17", "#day-2017-03-18");
    Element firstDay = schedule.selectFirst("section:has(h2#day-2017-03-17)");
    assertThat(firstDay.select(".slot h3").eachText()).containsExactly("08:00", "09:00");
    assertThat(firstDay.select(".slot h3").eachAttr("id")).containsExactly("t-2017-03-17-0800", "t-2017-03-17-0900");
    assertThat(firstDay.select(".slot:has(#t-2017-03-17-0900) li.session .meta").first().text())
        .isEqualTo("09:00–09:30 · Open Tech · Hall A");
  }

  @Test
  void generate_calendarGrid_placesEachSessionInItsRoomColumnAndTimeRows() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document calendar = run.page("calendar.html");
    Element day = calendar.selectFirst("section:has(h2#day-2017-03-17)");
    assertThat(day.select(".room-head").eachText()).containsExactly("Hall A");
    // 08:00 is the first hour: row 2; 09:00 is 12 five-minute rows later; 30 minutes span 6 rows
    assertThat(day.selectFirst("a.cell[data-session=1005]").attr("style")).startsWith("grid-column:2;grid-row:2/8");
    assertThat(day.selectFirst("a.cell[data-session=1000]").attr("style")).startsWith("grid-column:2;grid-row:14/20");
    assertThat(day.select(".mark").eachText()).containsExactly("08:00", "08:30", "09:00");
  }

  @Test
  void generate_calendarGrid_givesSessionsSharingARoomAndTimeTheirOwnLanesAndReportsThem() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 1, "title": "First", "start_time": "2018-05-10T10:00:00+02:00", "end_time": "2018-05-10T11:00:00+02:00",
          "microlocation": {"id": 690}},
         {"id": 2, "title": "Clash", "start_time": "2018-05-10T10:30:00+02:00", "end_time": "2018-05-10T11:00:00+02:00",
          "microlocation": {"id": 690}},
         {"id": 3, "title": "After", "start_time": "2018-05-10T11:00:00+02:00", "end_time": "2018-05-10T11:30:00+02:00",
          "microlocation": {"id": 690}},
         {"id": 4, "title": "Break", "start_time": "2018-05-10T10:00:00+02:00", "end_time": "2018-05-10T12:00:00+02:00"},
         {"id": 5, "title": "Lunch", "start_time": "2018-05-10T10:00:00+02:00", "end_time": "2018-05-10T12:00:00+02:00"}]
        """));

    Document calendar = run.page("calendar.html");
    Element grid = calendar.selectFirst(".timegrid");
    // the room needs two lanes (First and Clash at once; After takes First's lane when it ends),
    // the sessions without a room two more: four columns after the time labels
    assertThat(grid.attr("style")).contains("repeat(4, minmax(9rem, 1fr))");
    assertThat(grid.select(".room-head").eachAttr("style"))
        .containsExactly("grid-column:2/span 2;grid-row:1", "grid-column:4/span 2;grid-row:1");
    assertThat(grid.selectFirst("a.cell[data-session=1]").attr("style")).startsWith("grid-column:2;grid-row:2/14");
    assertThat(grid.selectFirst("a.cell[data-session=2]").attr("style")).startsWith("grid-column:3;grid-row:8/14");
    assertThat(grid.selectFirst("a.cell[data-session=3]").attr("style")).startsWith("grid-column:2;grid-row:14/20");
    assertThat(grid.selectFirst("a.cell[data-session=4]").attr("style")).startsWith("grid-column:4;");
    assertThat(grid.selectFirst("a.cell[data-session=5]").attr("style")).startsWith("grid-column:5;");
    // only the room's real clash is a data problem: touching sessions and the no-room column are not
    assertThat(run.log.texts(dev.buildcast.log.LogLevel.DETAIL)).filteredOn(t -> t.contains("overlap"))
        .containsExactly("data problem: sessions 1 and 2 overlap in room Open Hall (Floor 3); the calendar shows them side by side");
    assertThat(run.log.basic()).contains("warning: 1 data problem while laying out the calendar"
        + " (records skipped or shown without the broken field; each one is in the detailed log)");
  }

  @Test
  void generate_withTheSiteAddress_sessionPagesCarryCompleteShareLinksAndPagesTheirOgUrl() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab(), Map.of("siteUrl", "https://events.example.org/kebab"));

    Document session = run.page("sessions/1000.html");
    Element share = session.selectFirst("p.share");
    assertThat(share.hasAttr("hidden")).isFalse();
    assertThat(share.select("a[data-share]")).isEmpty();
    assertThat(share.select("a").eachText()).containsExactly("Email", "Bluesky", "X", "LinkedIn", "Facebook");
    assertThat(share.select("a").eachAttr("href")).containsExactly(
        "mailto:?subject=Opening&body=https%3A%2F%2Fevents.example.org%2Fkebab%2Fsessions%2F1000.html",
        "https://bsky.app/intent/compose?text=Opening%20https%3A%2F%2Fevents.example.org%2Fkebab%2Fsessions%2F1000.html",
        "https://x.com/intent/post?text=Opening&url=https%3A%2F%2Fevents.example.org%2Fkebab%2Fsessions%2F1000.html",
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fevents.example.org%2Fkebab%2Fsessions%2F1000.html",
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fevents.example.org%2Fkebab%2Fsessions%2F1000.html");
    assertThat(share.select("a").eachAttr("rel")).containsOnly("noopener noreferrer");
    assertThat(session.selectFirst("meta[property=og:url]").attr("content"))
        .isEqualTo("https://events.example.org/kebab/sessions/1000.html");
    assertThat(run.page("index.html").selectFirst("meta[property=og:url]").attr("content"))
        .isEqualTo("https://events.example.org/kebab/index.html");
  }

  @Test
  void generate_withoutTheSiteAddress_shareLinksWaitHiddenForTheScriptAndTitlesAreEncoded() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 7, "title": "Rock & roll: 100% \\"live\\"?"}]
        """));

    Document session = run.page("sessions/7.html");
    Element share = session.selectFirst("p.share");
    assertThat(share.hasAttr("hidden")).isTrue();
    assertThat(share.select("a[href]")).isEmpty();
    assertThat(share.selectFirst("a").attr("data-share"))
        .isEqualTo("mailto:?subject=Rock%20%26%20roll%3A%20100%25%20%22live%22%3F&body={url}");
    assertThat(session.select("meta[property=og:url]")).isEmpty();
    assertThat(run.html("site.js")).contains("a[data-share]");
  }

  @Test
  void generate_schedule_hasFiltersForScriptAndAnchorsWithoutIt() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document schedule = run.page("schedule.html");
    Element form = schedule.selectFirst("form.filters");
    assertThat(form.hasAttr("hidden")).isTrue(); // shown by site.js only
    assertThat(form.select("select[name=track] option").eachAttr("value")).containsExactly("", "1", "2");
    assertThat(form.select("select[name=room] option").eachText()).containsExactly("All", "Hall A", "Hall B");
    assertThat(form.select("input[name=mine]")).hasSize(1);
    assertThat(schedule.select(".browse a").eachAttr("href")).containsExactly("tracks.html", "rooms.html");
    assertThat(schedule.selectFirst("li.session[data-session=1000]").attr("data-track")).isEqualTo("1");
    assertThat(schedule.selectFirst("li.session[data-session=1000]").attr("data-room")).isEqualTo("10");
    assertThat(schedule.select("script[src]").eachAttr("src")).containsExactly("site.js");
    assertThat(run.html("site.js")).contains("localStorage", "open-event-site:");
    assertThat(run.page("index.html").select("header nav a[href=schedule.html#mine]")).hasSize(1);
  }

  @Test
  void generate_videoAndAudio_playInThePageWithoutAThirdPartyRequestBeforeAClick() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 1, "title": "Talk", "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3",
          "slides": "https://slides.example/1", "audio": "https://audio.example/1.mp3"},
         {"id": 2, "title": "Other", "video": "https://video.example/2"}]
        """));

    Document talk = run.page("sessions/1.html");
    assertThat(talk.select("iframe")).isEmpty();
    assertThat(talk.selectFirst(".video").attr("data-embed")).isEqualTo("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    assertThat(talk.selectFirst(".video button").hasAttr("hidden")).isTrue();
    assertThat(talk.select("section:has(#media) a").eachAttr("href"))
        .contains("https://slides.example/1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3");
    assertThat(talk.selectFirst("audio").attr("src")).isEqualTo("https://audio.example/1.mp3");
    assertThat(talk.selectFirst("audio").attr("preload")).isEqualTo("none");
    Document other = run.page("sessions/2.html");
    assertThat(other.select(".video")).isEmpty();
    assertThat(other.select("section:has(#media) a").eachAttr("href")).containsExactly("https://video.example/2");
  }

  @Test
  void generate_speakerProfiles_linkOnlyHttpAddressesAndTurnHandlesIntoAddresses() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("speakers", """
        [{"id": 1, "name": "Ada", "website": "https://ada.example/", "twitter": "@ada_l", "github": "javascript:alert(1)",
          "linkedin": "https://www.linkedin.com/in/ada", "facebook": "", "featured": true},
         {"id": 2, "name": "Bob", "twitter": "https://twitter.com/bob\\"><script>", "is-featured": "false"}]
        """));

    Document ada = run.page("speakers/1.html");
    assertThat(ada.select("ul.links a").eachAttr("href"))
        .containsExactly("https://ada.example/", "https://twitter.com/ada_l", "https://www.linkedin.com/in/ada");
    assertThat(run.page("speakers/2.html").select("ul.links")).isEmpty();
    assertThat(run.log.texts(dev.buildcast.log.LogLevel.DETAIL))
        .contains("data problem: speaker 1: github \"javascript:alert(1)\" is not an http(s) address; left out");
    Document home = run.page("index.html");
    assertThat(home.select("section:has(#featured) .who a").eachText()).containsExactly("Ada");
  }

  @Test
  void generate_eventDetails_fillTheFooterMapLinkHeadTagsAndFavicon() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("event", """
        {"id": 200, "name": "Snake Fest", "timezone": "Europe/Berlin", "start_time": "2018-05-10T10:00:00+02:00",
         "location_name": "co.up Berlin", "latitude": 52.5200066, "longitude": "13.404954",
         "organizer_name": "Snake Org", "email": "hello@snake.example",
         "copyright": {"holder": "Snake Org", "year": 2018, "licence": "Attribution",
                       "licence_url": "https://creativecommons.org/licenses/by/4.0"},
         "logo": "https://cdn.example.org/logo.png"}
        """));

    Document home = run.page("index.html");
    assertThat(home.selectFirst("a.map").attr("href"))
        .isEqualTo("https://www.openstreetmap.org/?mlat=52.52001&mlon=13.40495#map=16/52.52001/13.40495");
    assertThat(home.select("footer").text()).contains("Organised by Snake Org", "hello@snake.example",
        "© 2018 Snake Org", "Licence: Attribution");
    assertThat(home.select("footer a[rel~=license]").attr("href")).isEqualTo("https://creativecommons.org/licenses/by/4.0");
    assertThat(home.select("footer a[href=mailto:hello@snake.example]")).hasSize(1);
    assertThat(home.selectFirst("meta[name=description]").attr("content"))
        .isEqualTo("Snake Fest · Thursday 10 May 2018 · co.up Berlin · 2 sessions");
    assertThat(home.selectFirst("meta[property=og:title]").attr("content")).isEqualTo("Home");
    assertThat(home.selectFirst("meta[property=og:image]").attr("content")).isEqualTo("https://cdn.example.org/logo.png");
    assertThat(home.selectFirst("link[rel=icon]").attr("href")).isEqualTo("favicon.svg");
    String icon = Files.readString(run.site().resolve("favicon.svg"));
    assertThat(icon).startsWith("<svg").contains(">SF</text>", "fill=\"#ff8700\"");
    assertThat(run.page("sessions/4680.html").selectFirst("link[rel=icon]").attr("href")).isEqualTo("../favicon.svg");
  }

  @Test
  void generate_trackColours_giveBadgesTheirBackgroundAndFontColour() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake());

    assertThat(run.page("rooms.html").selectFirst(".track-badge").attr("style"))
        .isEqualTo("background: #ff8700; color: #000000");
    String css = Files.readString(run.site().resolve("style.css"), StandardCharsets.UTF_8);
    assertThat(css).contains("@media (prefers-color-scheme: dark)");
  }

  @Test
  void generate_bigEvent_homePageStaysUnder200KilobytesBeforeImages() throws Exception {
    StringBuilder sessions = new StringBuilder("[");
    StringBuilder speakers = new StringBuilder("[");
    for (int i = 0; i < 400; i++) {
      if (i > 0) {
        sessions.append(',');
        speakers.append(',');
      }
      sessions.append("{\"id\": %d, \"title\": \"Session number %d about something long enough\", \"start_time\": \"2018-05-%02dT%02d:00:00+02:00\", \"speakers\": [{\"id\": %d}]}"
          .formatted(i, i, 10 + i % 3, 9 + i % 9, i));
      speakers.append("{\"id\": %d, \"name\": \"Speaker %d\", \"featured\": %b}".formatted(i, i, i % 10 == 0));
    }
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", sessions + "]").json("speakers", speakers + "]"));

    long home = Files.size(run.site().resolve("index.html")) + Files.size(run.site().resolve("style.css"))
        + Files.size(run.site().resolve("site.js")) + Files.size(run.site().resolve("favicon.svg"));
    assertThat(home).isLessThan(200 * 1024);
  }
}
