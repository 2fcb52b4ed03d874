package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local images are copied and referenced relatively; remote ones are linked, never fetched. */
class OpenEventImagesTest {

  @TempDir Path temp;

  @Test
  void generate_localImage_isCopiedToTheSamePathAndReferencedRelatively() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.site().resolve("images/speakers/ada.png")).hasBinaryContent(ExportZip.image("ada"));
    assertThat(run.page("speakers/100.html").selectFirst("img.photo").attr("src"))
        .isEqualTo("../images/speakers/ada.png");
    assertThat(run.page("speakers.html").selectFirst("img").attr("src")).isEqualTo("images/speakers/ada.png");
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("copied image images/speakers/ada.png");
  }

  @Test
  void generate_remoteImage_isLinkedByItsAddressAndNotCopied() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.page("speakers/101.html").selectFirst("img.photo").attr("src"))
        .isEqualTo("https://cdn.example.org/bob.png");
    assertThat(run.log.texts(LogLevel.NOTICE)).contains("copied 2 local images; linked 3 remote images");
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
}
