package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import dev.buildcast.testing.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download step on its own, with a fetcher answering from a table and a clock the test moves. */
class RemoteImagesTest {

  private static final String PHOTO = "https://images.example.org/people/ada.jpg";
  private static final String LOGO = "https://images.example.org/sponsors/acme.svg";
  private static final String BACKGROUND = "https://images.example.org/bg.png";

  @TempDir Path temp;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingLogSink log = new RecordingLogSink();
  private final DataProblems problems = new DataProblems(log);
  private final TableFetcher fetcher = new TableFetcher();
  private EventData data;

  /** Answers from {@link #answers}; each call records its address and cap and moves the clock by {@link #takes}. */
  private final class TableFetcher implements ImageFetcher {
    final Map<String, Outcome> answers = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    final List<Long> caps = new ArrayList<>();
    Duration takes = Duration.ofSeconds(1);

    @Override
    public Outcome fetch(URI address, Duration timeout, long maxBytes) {
      asked.add(address.toString());
      caps.add(maxBytes);
      clock.advance(takes);
      return answers.getOrDefault(address.toString(), new Failed("HTTP 404"));
    }
  }

  @BeforeEach
  void readExport() throws Exception {
    Path export = Files.createDirectories(temp.resolve("export"));
    Files.writeString(export.resolve("event"), """
        {"id": 1, "name": "Remote Fest", "timezone": "UTC", "starts-at": "2026-05-10T10:00:00Z",
         "ends-at": "2026-05-10T18:00:00Z", "original-image-url": "%s"}
        """.formatted(BACKGROUND));
    Files.writeString(export.resolve("speakers"), """
        [{"id": 1, "name": "Ada Lovelace", "photo-url": "%s"},
         {"id": 2, "name": "Ada Again", "photo-url": "%s"},
         {"id": 3, "name": "Bob Builder"}]
        """.formatted(PHOTO, PHOTO));
    Files.writeString(export.resolve("sponsors"), """
        [{"id": 7, "name": "Acme", "level": 1, "type": "Gold", "logo-url": "%s"}]
        """.formatted(LOGO));
    data = new ExportNormaliser(export, log, new DataProblems(log)).read();
  }

  private RemoteImages remoteImages(RemoteImageSettings settings) {
    return new RemoteImages(settings, fetcher, clock, log, problems);
  }

  private static RemoteImageSettings on() {
    return RemoteImageSettings.off().withFetch(true);
  }

  private static Speaker speaker(EventData data, String id) {
    return data.speakers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void fetch_addressUsedTwice_isFetchedOnceAndBothRecordsGetTheLocalCopy() throws Exception {
    byte[] png = ExportZip.image("ada");
    fetcher.answers.put(PHOTO, new ImageFetcher.Fetched(png));

    RemoteImages.Result result = remoteImages(on()).fetch(data, temp.resolve("downloads"));

    assertThat(fetcher.asked).containsOnlyOnce(PHOTO);
    SiteMedia photo = speaker(result.data(), "1").photo();
    assertThat(photo.local()).isTrue();
    assertThat(photo.href()).startsWith("images/fetched/").endsWith(".png");
    assertThat(speaker(result.data(), "2").photo()).isEqualTo(photo);
    assertThat(Files.readAllBytes(photo.source())).isEqualTo(png);
    assertThat(result.fetched()).isEqualTo(1);
    assertThat(result.bytes()).isEqualTo(png.length);
    assertThat(log.texts(LogLevel.DETAIL)).contains("fetched " + PHOTO + " (" + png.length + " bytes) as " + photo.href());
  }

  @Test
  void fetch_savedName_isTheAddressHashAndTheTypeOfTheBytesNotTheAddressPath() throws Exception {
    fetcher.answers.put(LOGO, new ImageFetcher.Fetched(ExportZip.image("acme"))); // why: named .svg, but the bytes are a PNG

    SiteMedia logo = remoteImages(on()).fetch(data, temp.resolve("downloads")).data().sponsors().get(0).logo();

    assertThat(logo.href()).matches("images/fetched/[0-9a-f]{40}\\.png");
    assertThat(logo.source().getParent()).isEqualTo(temp.resolve("downloads"));
    RemoteImages again = new RemoteImages(on(), fetcher, clock, log, problems);
    assertThat(again.fetch(data, temp.resolve("other")).data().sponsors().get(0).logo().href()).isEqualTo(logo.href());
  }

  @Test
  void fetch_failedDownload_isADataProblemNamingTheRecordAndAddressAndStaysLinked() throws Exception {
    RemoteImages.Result result = remoteImages(on()).fetch(data, temp.resolve("downloads"));

    assertThat(result.failed()).isEqualTo(3);
    assertThat(log.texts(LogLevel.DETAIL)).contains(
        "data problem: speaker 2 photo and 1 more: image " + PHOTO + " could not be fetched (HTTP 404); linked instead",
        "data problem: sponsor 7 logo: image " + LOGO + " could not be fetched (HTTP 404); linked instead");
    assertThat(speaker(result.data(), "1").photo()).isEqualTo(SiteMedia.remote(PHOTO));
    assertThat(temp.resolve("downloads")).doesNotExist();
  }

  @Test
  void fetch_answerThatIsNotAnImage_isADataProblemAndTheRecordLosesTheImage() throws Exception {
    fetcher.answers.put(PHOTO, new ImageFetcher.Fetched("<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8)));

    RemoteImages.Result result = remoteImages(on()).fetch(data, temp.resolve("downloads"));

    assertThat(speaker(result.data(), "1").photo()).isNull();
    assertThat(log.texts(LogLevel.DETAIL)).contains("data problem: speaker 2 photo and 1 more: image " + PHOTO
        + " is not a PNG, JPEG, GIF, WebP or AVIF image by its content; left out");
    assertThat(temp.resolve("downloads")).doesNotExist();
  }

  @Test
  void fetch_timeBudgetSpent_leavesTheRestLinkedWithoutAskingForThem() throws Exception {
    fetcher.takes = Duration.ofSeconds(40);
    RemoteImageSettings settings = new RemoteImageSettings(true, 1000, 10_000, 10, Duration.ofSeconds(30), Duration.ofMinutes(1),
        List.of(), false);

    RemoteImages.Result result = remoteImages(settings).fetch(data, temp.resolve("downloads"));

    assertThat(fetcher.asked).containsExactly(BACKGROUND, PHOTO);
    assertThat(result.failed()).isEqualTo(3);
    assertThat(log.texts(LogLevel.DETAIL)).contains("data problem: sponsor 7 logo: image " + LOGO
        + " not fetched: the time for fetching images (PT1M, openEventSite.remoteImages.jobBudget) is spent; linked instead");
  }

  @Test
  void fetch_requestTimeout_isShortenedToWhatIsLeftOfTheBudget() throws Exception {
    List<Duration> timeouts = new ArrayList<>();
    ImageFetcher timed = (address, timeout, maxBytes) -> {
      timeouts.add(timeout);
      clock.advance(Duration.ofSeconds(50));
      return new ImageFetcher.Failed("no answer");
    };
    RemoteImageSettings settings = new RemoteImageSettings(true, 1000, 10_000, 10, Duration.ofSeconds(30), Duration.ofMinutes(1),
        List.of(), false);

    new RemoteImages(settings, timed, clock, log, problems).fetch(data, temp.resolve("downloads"));

    assertThat(timeouts).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  @Test
  void fetch_moreAddressesThanMaxImages_theRestStayLinked() throws Exception {
    RemoteImageSettings settings = new RemoteImageSettings(true, 1000, 10_000, 2, Duration.ofSeconds(30), Duration.ofMinutes(1),
        List.of(), false);

    remoteImages(settings).fetch(data, temp.resolve("downloads"));

    assertThat(fetcher.asked).containsExactly(BACKGROUND, PHOTO);
    assertThat(log.texts(LogLevel.DETAIL)).anyMatch(line -> line.contains(LOGO + " not fetched: more than 2 remote images"));
  }

  @Test
  void fetch_jobTotal_capsEachRequestAtWhatIsLeft() throws Exception {
    byte[] png = ExportZip.image("background");
    fetcher.answers.put(BACKGROUND, new ImageFetcher.Fetched(png));
    long total = png.length + 10L;
    RemoteImageSettings settings = new RemoteImageSettings(true, 1000, total, 10, Duration.ofSeconds(30), Duration.ofMinutes(1),
        List.of(), false);

    remoteImages(settings).fetch(data, temp.resolve("downloads"));

    assertThat(fetcher.caps).containsExactly(total, 10L, 10L);
  }

  @Test
  void fetch_fetchedEventBackground_replacesTheRemoteOne() throws Exception {
    fetcher.answers.put(BACKGROUND, new ImageFetcher.Fetched(ExportZip.image("background")));

    EventData fetched = remoteImages(on()).fetch(data, temp.resolve("downloads")).data();

    assertThat(fetched.event().background().local()).isTrue();
    assertThat(fetched.event().name()).isEqualTo("Remote Fest");
    assertThat(fetched.speakers()).extracting(Speaker::id).containsExactlyElementsOf(data.speakers().stream().map(Speaker::id).toList());
  }
}
