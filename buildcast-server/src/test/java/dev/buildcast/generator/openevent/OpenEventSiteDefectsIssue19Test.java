package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defects issue 19 found in generated sites, each pinned over a fixture built here. */
class OpenEventSiteDefectsIssue19Test {

  @TempDir Path temp;

  @Test
  void generate_oneTrackAndNoSponsors_countsInTheRightNumberAndLeavesEmptySectionsOutOfTheMenu() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().without("sponsors"));

    Document home = run.page("index.html");
    assertThat(home.select(".cards li").eachText())
        .contains("Schedule 2 sessions", "Speakers 2 speakers", "Tracks 1 track", "Rooms 1 room")
        .noneMatch(card -> card.contains("Sponsors"));
    assertThat(home.select("header nav a").eachText()).doesNotContain("Sponsors").contains("Tracks", "Rooms");
    assertThat(home.text()).doesNotContain("1 tracks", "1 rooms", "0 sponsors");
  }

  @Test
  void generate_speakerWithoutPhoto_getsAnInitialsPlaceholderInTheSameColumnAsPhotos() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document speakers = run.page("speakers.html");
    assertThat(speakers.select(".person")).hasSize(3).allSatisfy(person ->
        assertThat(person.child(0).hasClass("avatar")).isTrue());
    assertThat(speakers.select(".person:has(a:contains(Cy Missing)) .avatar.placeholder").text()).isEqualTo("CM");
    assertThat(speakers.select(".person:has(a:contains(Ada Lovelace)) img.avatar")).hasSize(1);
    String css = Files.readString(run.site().resolve("style.css"));
    assertThat(css).contains(".person { display: grid; grid-template-columns: 64px minmax(0, 1fr);");
  }

  @Test
  void generate_anySite_letsHeadingsTitlesAndAddressesWrapOnAPhone() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    String css = Files.readString(run.site().resolve("style.css"));
    assertThat(css).contains("h1, h2, h3, p, li, dd, dt, a, .meta { overflow-wrap: anywhere; }");
  }

  @Test
  void generate_tracksAndRoomsPages_openWithAJumpListToEverySection() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document tracks = run.page("tracks.html");
    assertThat(tracks.select("nav.jump a").eachAttr("href")).containsExactly("#track-1", "#track-2");
    Document rooms = run.page("rooms.html");
    assertThat(rooms.select("nav.jump a").eachAttr("href")).containsExactly("#room-10", "#room-11");
  }

  @Test
  void generate_trackPage_doesNotRepeatTheTrackNameOnEachSession() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    Document tracks = run.page("tracks.html");
    assertThat(tracks.select("section:has(#track-1) li.session .meta").text()).doesNotContain("Open Tech");
    assertThat(run.page("rooms.html").select("section:has(#room-10) li.session .meta").text()).contains("Open Tech");
  }

  @Test
  void generate_speakerNames_areSortedByTheLanguagesCollation() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("speakers", """
        [{"id": 1, "name": "XLTech"}, {"id": 2, "name": "credativ"}, {"id": 3, "name": "Øyvind Olsen"},
         {"id": 4, "name": "Pål Berg"}, {"id": 5, "name": "Oscar Ode"}, {"id": 6, "name": "Émile Zola"},
         {"id": 7, "name": "Zed"}]
        """));

    assertThat(run.page("speakers.html").select(".person .who > a").eachText())
        .containsExactly("credativ", "Émile Zola", "Oscar Ode", "Øyvind Olsen", "Pål Berg", "XLTech", "Zed");
  }

  @Test
  void nameOrder_vietnameseAndGerman_keepsStrokedAndAccentedLettersBesideTheirBase() {
    List<String> names = new java.util.ArrayList<>(List.of("Duc", "Đặng", "Dan", "Ärger", "Zorn", "Abel"));
    names.sort(new NameOrder(Locale.forLanguageTag("vi")));
    assertThat(names).containsExactly("Abel", "Ärger", "Dan", "Đặng", "Duc", "Zorn");
  }

  @Test
  void generate_sessionCreditingOneSpeakerIdButNamingAnother_isADataProblem() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 4680, "title": "Mixed up", "start_time": "2018-05-10T12:00:00Z",
          "speakers": [{"id": 3412, "name": "Second Speaker"}, {"id": 3413, "name": "second  speaker"}]}]
        """));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL))
        .contains("data problem: session 4680: credits speaker 3412 (Michael Rules) but names \"Second Speaker\";"
            + " shown as Michael Rules, check which one gives the session")
        .noneMatch(line -> line.contains("credits speaker 3413"));
  }

  @Test
  void generate_sessionCrossingMidnight_saysItEndsTheNextDay() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("sessions", """
        [{"id": 4680, "title": "Late night hacking", "start_time": "2018-05-10T23:30:00+02:00",
          "end_time": "2018-05-11T01:00:00+02:00"}]
        """));

    assertThat(run.page("sessions/4680.html").selectFirst("dl.facts time").text())
        .isEqualTo("Thursday 10 May 2018, 23:30–01:00 (next day)");
    assertThat(run.page("schedule.html").select("li.session time").text()).isEqualTo("23:30–01:00 (next day)");
  }

  @Test
  void generate_sameExportTwice_givesAByteIdenticalSiteZip() throws Exception {
    Path first = Files.createDirectories(temp.resolve("first"));
    Path second = Files.createDirectories(temp.resolve("second"));
    JobRun one = JobRun.of(first, Fixtures.kebab());
    JobRun two = JobRun.of(second, Fixtures.kebab());

    byte[] a = Files.readAllBytes(one.outputDir.resolve("site.zip"));
    byte[] b = Files.readAllBytes(two.outputDir.resolve("site.zip"));
    assertThat(b).isEqualTo(a);
    try (var zip = new java.util.zip.ZipFile(one.outputDir.resolve("site.zip").toFile())) {
      assertThat(zip.stream().map(e -> e.getTimeLocal()).distinct())
          .containsExactly(SitePackager.FIXED_TIME);
      List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
      assertThat(names).isSorted();
    }
  }

  @Test
  void pack_sameFilesWithOtherModificationTimes_givesTheSameBytes() throws Exception {
    Path site = Files.createDirectories(temp.resolve("site/sessions"));
    Files.writeString(site.resolve("1.html"), "one");
    Files.writeString(site.getParent().resolve("index.html"), "home");
    SitePackager packager = new SitePackager(new RecordingLogSink());
    packager.pack(site.getParent(), temp.resolve("a.zip"), 0, 100);
    Files.setLastModifiedTime(site.resolve("1.html"), java.nio.file.attribute.FileTime.fromMillis(86_400_000L * 400));
    Files.setLastModifiedTime(site.getParent().resolve("index.html"), java.nio.file.attribute.FileTime.fromMillis(0));
    packager.pack(site.getParent(), temp.resolve("b.zip"), 0, 100);

    assertThat(Files.readAllBytes(temp.resolve("b.zip"))).isEqualTo(Files.readAllBytes(temp.resolve("a.zip")));
  }
}
