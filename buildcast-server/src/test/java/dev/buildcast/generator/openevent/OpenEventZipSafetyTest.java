package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile zips are refused before they can write outside the job or fill the disk. */
class OpenEventZipSafetyTest {

  @TempDir Path temp;

  @Test
  void generate_entryClimbingOut_isRefusedAndNothingIsWritten() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().file("../../escaped.txt", ExportZip.image("x")));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).singleElement().asString()
        .isEqualTo("refused the uploaded zip: entry \"../../escaped.txt\" climbs out of the export with '..' (path traversal check)");
    assertThat(temp.resolve("escaped.txt")).doesNotExist();
    assertThat(run.workDir.resolve("export/event")).doesNotExist();
  }

  @Test
  void generate_entryWithAbsolutePath_isRefused() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().file("/tmp/absolute.txt", ExportZip.image("x")));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).singleElement().asString()
        .contains("has an absolute path (path traversal check)");
  }

  @Test
  void generate_highlyCompressedEntry_isRefusedAsZipBomb() throws Exception {
    // 8 MiB of zeros deflates to about 8 KiB: a ratio near 1000, far above honest JSON or images
    JobRun run = JobRun.of(temp, Fixtures.snake().file("images/bomb.bin", new byte[8 << 20]));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).singleElement().asString()
        .contains("\"images/bomb.bin\" expands more than 200 times", "compression ratio check");
    assertThat(run.workDir.resolve("export/images/bomb.bin")).doesNotExist();
  }

  @Test
  void unpack_tooManyEntries_isRefusedBeforeWriting() throws Exception {
    Path zip = Fixtures.snake().writeTo(temp.resolve("many.zip"));
    SafeUnzipper unzipper = new SafeUnzipper(new ZipLimits(3, 1L << 30, 200, 1L << 20), new RecordingLogSink());

    assertThatThrownBy(() -> unzipper.unpack(zip, temp.resolve("out")))
        .isInstanceOf(BrokenExportException.class)
        .hasMessage("refused the uploaded zip: too many entries: 9 (at most 3)");
    assertThat(temp.resolve("out")).isEmptyDirectory();
  }

  @Test
  void unpack_moreBytesThanTheTotalLimit_isRefused() throws Exception {
    Path zip = Fixtures.kebab().writeTo(temp.resolve("big.zip"));
    SafeUnzipper unzipper = new SafeUnzipper(new ZipLimits(100, 1000, 200, 1L << 20), new RecordingLogSink());

    assertThatThrownBy(() -> unzipper.unpack(zip, temp.resolve("out")))
        .isInstanceOf(BrokenExportException.class)
        .hasMessageStartingWith("refused the uploaded zip: unpacked size exceeds 1000 bytes (total size check)");
  }

  @Test
  void unpack_honestExport_unpacksEveryFile() throws Exception {
    Path zip = Fixtures.snake().writeTo(temp.resolve("ok.zip"));

    SafeUnzipper.Unpacked unpacked = new SafeUnzipper(ZipLimits.DEFAULT, new RecordingLogSink()).unpack(zip, temp.resolve("out"));

    assertThat(unpacked.files()).isEqualTo(9);
    assertThat(temp.resolve("out/images/speakers/michael.jpg")).exists();
    assertThat(Files.readString(temp.resolve("out/event"))).contains("Snake Fest");
  }
}
