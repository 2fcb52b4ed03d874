package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both schema generations of the export produce the same kinds of pages. */
class OpenEventSchemaTest {

  @TempDir Path temp;

  @Test
  void generate_kebabCaseExport_writesHomeScheduleSessionSpeakerAndListPages() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.exitCode).isZero();
    Document home = run.page("index.html");
    assertThat(home.selectFirst("h1").text()).isEqualTo("Kebab Summit");
    assertThat(home.text()).contains("Friday 17 March 2017", "Sunday 19 March 2017", "Science Centre", "Welcome everyone");
    assertThat(home.selectFirst("img.logo").attr("src")).isEqualTo("images/logo.png");
    assertThat(home.selectFirst("img.logo").attr("alt")).isEqualTo("Kebab Summit logo");

    Document session = run.page("sessions/1000.html");
    assertThat(session.selectFirst("h1").text()).isEqualTo("Opening");
    assertThat(session.select("dl.facts").text())
        .contains("Friday 17 March 2017, 09:00–09:30", "Hall A", "Open Tech", "Keynote");
    assertThat(session.select(".people a").eachText()).containsExactly("Ada Lovelace");
    assertThat(session.select(".prose").text()).contains("Long bad good");

    Document speaker = run.page("speakers/100.html");
    assertThat(speaker.selectFirst("h1").text()).isEqualTo("Ada Lovelace");
    assertThat(speaker.select(".sessions a").eachAttr("href")).containsExactly("../sessions/1000.html");
    assertThat(speaker.text()).contains("Writes programs", "Engines Ltd");

    assertThat(run.page("tracks.html").select("h2").eachText()).containsExactly("Open Tech", "Hardware");
    assertThat(run.page("rooms.html").select("h2").eachText()).containsExactly("Hall A", "Hall B");
    assertThat(run.page("speakers.html").select(".people a").eachText())
        .containsExactly("Ada Lovelace", "Bob Remote", "Cy Missing");
  }

  @Test
  void generate_snakeCaseExport_readsRenamedFieldsIntoTheSamePages() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake());

    assertThat(run.exitCode).isZero();
    Document home = run.page("index.html");
    assertThat(home.selectFirst("h1").text()).isEqualTo("Snake Fest");
    assertThat(home.text()).contains("Thursday 10 May 2018", "co.up Berlin", "Hallo Berlin");
    assertThat(home.selectFirst("img.logo").attr("src")).isEqualTo("https://cdn.example.org/logo.png");
    assertThat(home.selectFirst("img.banner").attr("src")).isEqualTo("images/background.jpg");
    assertThat(home.select("section:has(#follow) a").eachAttr("href")).containsExactly("https://twitter.com/snakefest");
    assertThat(home.select("section:has(#conduct) .prose").html()).isEqualTo("<p>Be <b>kind</b></p>");

    Document session = run.page("sessions/4680.html");
    assertThat(session.select("dl.facts").text())
        .contains("Thursday 10 May 2018, 14:00–14:25", "Open Hall (Floor 3)", "Main Track");
    assertThat(session.select(".people a").eachText()).containsExactly("Michael Rules", "Second Speaker");
    assertThat(session.select(".prose").text()).isEqualTo("Rules and learning");

    Document speaker = run.page("speakers/3412.html");
    assertThat(speaker.selectFirst("img.photo").attr("src")).isEqualTo("../images/speakers/michael.jpg");
    assertThat(speaker.text()).contains("Builds assistants", "SUSI");

    Document sponsors = run.page("sponsors.html");
    assertThat(sponsors.select("h2").eachText()).containsExactly("Community Partner");
    assertThat(sponsors.selectFirst(".sponsors img").attr("src")).isEqualTo("images/sponsors/old.png");
  }

  @Test
  void generate_anyExport_logsCountsAsBasicLineAndEachFileReadAsDetail() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.log.texts(LogLevel.NOTICE)).contains("4 sessions, 3 speakers, 2 tracks, 2 rooms, 3 sponsors");
    assertThat(run.log.texts(LogLevel.DETAIL))
        .anyMatch(line -> line.startsWith("read sessions ("))
        .anyMatch(line -> line.startsWith("read event ("))
        .contains("wrote sessions/1000.html", "wrote index.html");
    assertThat(run.log.texts(LogLevel.GROUP)).containsExactly(
        "Unpacking the export", "Reading and checking the data", "Copying images and audio", "Rendering pages", "Packaging");
    assertThat(run.log.texts(LogLevel.ENDGROUP)).hasSize(5);
  }

  @Test
  void generate_anyExport_movesProgressFromZeroToHundredWithoutGoingBack() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.log.progress()).first().isEqualTo(0);
    assertThat(run.log.progress()).last().isEqualTo(100);
    assertThat(run.log.progress()).isSorted();
  }

  @Test
  void generate_schedule_groupsByDayThenTimeSlotWithSessionsInTimeOrder() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document schedule = run.page("schedule.html");
    assertThat(schedule.select("main > section > h2").eachText())
        .containsExactly("Friday 17 March 2017", "Saturday 18 March 2017", "Not yet scheduled");
    Element firstDay = schedule.selectFirst("section:has(h2#day-2017-03-17)");
    assertThat(firstDay.select("h3").eachText()).containsExactly("08:00", "09:00");
    assertThat(firstDay.select(".session > a").eachText()).containsExactly("Early talk", "Opening");
    assertThat(schedule.select("section:has(#unscheduled) .session > a").eachText()).containsExactly("Broken date");
  }

  @Test
  void generate_sessionWithoutSpeakerList_takesSpeakersThatListIt() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions",
        "[{\"id\": 4680, \"title\": \"Linked from the speaker side\", \"start_time\": \"2018-05-10T12:00:00Z\"}]"));

    assertThat(run.page("sessions/4680.html").select(".people a").eachText()).containsExactly("Michael Rules");
    assertThat(run.page("speakers/3412.html").select(".sessions a").eachText())
        .containsExactly("Linked from the speaker side");
  }

  @Test
  void generate_languageParameter_setsThePagesLangAttribute() throws Exception {
    Path zip = Fixtures.snake().writeTo(temp.resolve("export.zip"));
    Path work = Files.createDirectories(temp.resolve("w"));
    var context = new dev.buildcast.generator.JobContext(
        "j", work, Files.createDirectories(temp.resolve("o")), java.util.Optional.of(zip),
        java.util.Map.of("language", "de"), new RecordingLogSink(), "n1");

    assertThat(new OpenEventSiteGenerator().run(context)).isZero();
    assertThat(Files.readString(work.resolve("site/index.html"))).contains("<html lang=\"de\">");
  }

  @Test
  void generate_sponsors_groupedByLevelHighestFirst() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document sponsors = run.page("sponsors.html");
    assertThat(sponsors.select("h2").eachText())
        .containsExactly("Platinum Sponsor", "Gold Sponsor", "Silver Sponsor");
    assertThat(sponsors.select("a[href^=javascript]")).isEmpty();
    assertThat(sponsors.selectFirst("img[alt=Gold Co]").attr("src")).isEqualTo("https://cdn.example.org/gold.png");
  }

  @Test
  void generate_site_isZippedAsArtifactWithTheSameFiles() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Path artifact = run.outputDir.resolve("site.zip");
    assertThat(artifact).isRegularFile();
    try (var zip = new java.util.zip.ZipFile(artifact.toFile())) {
      assertThat(zip.getEntry("index.html")).isNotNull();
      assertThat(zip.getEntry("sessions/1000.html")).isNotNull();
      assertThat(zip.getEntry("images/speakers/ada.png")).isNotNull();
      try (var files = Files.walk(run.site())) {
        assertThat(zip.size()).isEqualTo((int) files.filter(Files::isRegularFile).count());
      }
    }
    try (var outputs = Files.list(run.outputDir)) {
      assertThat(outputs.map(p -> p.getFileName().toString())).containsExactly("site.zip");
    }
    assertThat(run.workDir.resolve("export")).doesNotExist();
  }
}
