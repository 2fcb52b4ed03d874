package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local images and audio are copied and referenced relatively; remote ones are linked, never fetched (the default; see OpenEventRemoteImagesTest). */
class OpenEventMediaTest {

  @TempDir Path temp;

  @Test
  void generate_localImage_isCopiedToTheSamePathAndReferencedRelatively() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.site().resolve("images/speakers/ada.png")).hasBinaryContent(ExportZip.image("ada"));
    assertThat(run.page("speakers/100.html").selectFirst("img.photo").attr("src"))
        .isEqualTo("../images/speakers/ada.png");
    assertThat(run.page("speakers.html").selectFirst("img").attr("src")).isEqualTo("images/speakers/ada.png");
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("copied images/speakers/ada.png");
  }

  @Test
  void generate_remoteImage_isLinkedByItsAddressAndNotCopied() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.page("speakers/101.html").selectFirst("img.photo").attr("src"))
        .isEqualTo("https://cdn.example.org/bob.png");
    assertThat(run.log.texts(LogLevel.NOTICE)).contains("copied 2 local files (images, audio); linked 3 remote files");
    try (var files = Files.walk(run.site())) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith("bob.png"));
    }
  }

  @Test
  void generate_imageWithSpaceInName_isCopiedAndItsAddressEncoded() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake()
        .json("speakers", "[{\"id\": 3412, \"name\": \"Michael Rules\", \"photo\": \"/images/speakers/my photo.jpg\"}]")
        .file("images/speakers/my photo.jpg", ExportZip.image("spaced")));

    assertThat(run.site().resolve("images/speakers/my photo.jpg")).exists();
    assertThat(run.page("speakers/3412.html").selectFirst("img.photo").attr("src"))
        .isEqualTo("../images/speakers/my%20photo.jpg");
  }

  @Test
  void generate_imageOutsideImagesFolder_isLeftOutWithDetailLine() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake()
        .json("speakers", "[{\"id\": 3412, \"name\": \"Michael Rules\", \"photo\": \"/../../etc/passwd\"},"
            + "{\"id\": 3413, \"name\": \"Data Url\", \"photo\": \"data:image/png;base64,AAAA\"}]"));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains(
        "data problem: speaker 3412 photo: image \"/../../etc/passwd\" is not under images/ in the zip; left out",
        "data problem: speaker 3413 photo: image address \"data:image/png;base64,AAAA\" is neither a file in the zip nor http(s); left out");
    assertThat(run.page("speakers/3412.html").select("img")).isEmpty();
  }

  @Test
  void generate_sessionMedia_linksSlidesVideoAndCopiesLocalAudio() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake()
        .json("sessions", "[{\"id\": 1, \"title\": \"Recorded\", \"slides\": \"https://slides.example/1\","
            + "\"video\": \"https://video.example/1\", \"audio\": \"/audio/talk 1.mp3\"},"
            + "{\"id\": 2, \"title\": \"Remote audio\", \"audio-url\": \"https://audio.example/2.mp3\","
            + "\"slides-url\": \"javascript:alert(1)\"}]")
        .file("audio/talk 1.mp3", ExportZip.audio("audio")));

    org.jsoup.nodes.Document recorded = run.page("sessions/1.html");
    assertThat(recorded.select("section:has(#media) a").eachAttr("href"))
        .containsExactly("https://slides.example/1", "https://video.example/1", "../audio/talk%201.mp3");
    assertThat(run.site().resolve("audio/talk 1.mp3")).exists();
    assertThat(run.page("sessions/2.html").select("section:has(#media) a").eachAttr("href"))
        .containsExactly("https://audio.example/2.mp3");
    assertThat(run.log.texts(LogLevel.DETAIL))
        .contains("data problem: session 2: slides-url \"javascript:alert(1)\" is not an http(s) address; left out");
  }

  @Test
  void generate_exportZippedInsideOneFolder_isReadFromThatFolder() throws Exception {
    ExportZip wrapped = new ExportZip()
        .json("MyEvent/event", "{\"id\": 1, \"name\": \"Wrapped\", \"logo\": \"/images/logo.png\"}")
        .json("MyEvent/sessions", "[]")
        .file("MyEvent/images/logo.png", ExportZip.image("logo"));

    JobRun run = JobRun.of(temp, wrapped);

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.NOTICE))
        .contains("the export's files are inside the folder MyEvent/; reading them from there");
    assertThat(run.page("index.html").selectFirst("img.logo").attr("src")).isEqualTo("images/logo.png");
    assertThat(run.site().resolve("images/logo.png")).exists();
  }
}
