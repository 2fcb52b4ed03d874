package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Speaker photos and sponsor logos get small copies; unreadable ones are data problems, huge ones are never decoded. */
class OpenEventThumbnailsTest {

  @TempDir Path temp;

  @Test
  void generate_largeLocalPhotoAndLogo_areShownThroughA128PixelThumbnail() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake()
        .file("images/speakers/michael.jpg", ExportZip.png(900, 600, 0x336699))
        .file("images/sponsors/old.png", ExportZip.png(400, 1000, 0x993366)));

    Document speakers = run.page("speakers.html");
    String src = speakers.selectFirst(".person:has(a:contains(Michael Rules)) img.avatar").attr("src");
    assertThat(src).startsWith("images/thumbs/").endsWith(".png");
    BufferedImage thumb = ImageIO.read(run.site().resolve(src).toFile());
    assertThat(thumb.getWidth()).isEqualTo(128);
    assertThat(thumb.getHeight()).isEqualTo(85);
    assertThat(run.page("speakers/3412.html").selectFirst("img.photo").attr("src")).isEqualTo("../images/speakers/michael.jpg");
    String logo = run.page("sponsors.html").selectFirst(".sponsors img").attr("src");
    assertThat(ImageIO.read(run.site().resolve(logo).toFile()).getHeight()).isEqualTo(128);
    assertThat(run.log.texts(LogLevel.NOTICE)).contains("made 2 thumbnails of speaker photos and sponsor logos");
  }

  @Test
  void generate_photoThatIsNotAnImage_isADataProblemAndShowsInitials() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake()
        .file("images/speakers/michael.jpg", "not a picture at all".getBytes(StandardCharsets.US_ASCII)));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL))
        .contains("data problem: speaker 3412 photo: image \"/images/speakers/michael.jpg\" is not a PNG, JPEG, GIF, WebP or AVIF image by its content; left out");
    assertThat(run.log.texts(LogLevel.WARNING)).anyMatch(line -> line.matches("\\d+ data problems? while .*")); // why any step: the type check finds it before thumbnails
    Document speakers = run.page("speakers.html");
    assertThat(speakers.select(".person:has(a:contains(Michael Rules)) .avatar.placeholder").text()).isEqualTo("MR");
    assertThat(run.page("speakers/3412.html").select("img.photo")).isEmpty();
  }

  @Test
  void generate_imageClaimingHugeDimensions_isNotDecodedAndKeepsItsOriginal() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().file("images/speakers/michael.jpg", pngHeader(100_000, 100_000)));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL))
        .contains("speaker 3412 photo: 100000×100000 px is too large to scale safely; the original is shown");
    assertThat(run.page("speakers.html").selectFirst(".person:has(a:contains(Michael Rules)) img.avatar").attr("src"))
        .isEqualTo("images/speakers/michael.jpg");
  }

  /** A PNG signature and IHDR chunk announcing a size, with no pixel data after it. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
    out.writeBytes(ihdr.array());
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }
}
