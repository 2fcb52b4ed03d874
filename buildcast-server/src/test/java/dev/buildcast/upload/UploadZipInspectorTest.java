package dev.buildcast.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.buildcast.generator.InputKind;
import dev.buildcast.job.InputCheck.InputRejectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ZipInspector}: named Upload* so the upload test runs pick it up. */
class UploadZipInspectorTest {

  @TempDir Path dir;
  private final ZipInspector inspector = new ZipInspector(5, 1_000_000);

  private InputRejectedException refused(Path zip) {
    return catchThrowableOfType(InputRejectedException.class, () -> inspector.check(InputKind.ZIP, zip));
  }

  @Test
  void check_ordinaryZip_passes() throws Exception {
    Path zip = ZipFixtures.zip().file("a/event.json", "{}").file("b.txt", "hello").writeTo(dir.resolve("ok.zip"));
    assertThatCode(() -> inspector.check(InputKind.ZIP, zip)).doesNotThrowAnyException();
  }

  @Test
  void check_inputKindFile_acceptsAnything() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not a zip");
    assertThatCode(() -> inspector.check(InputKind.FILE, text)).doesNotThrowAnyException();
  }

  @Test
  void check_notAZip_refusedByFormatCheck() throws Exception {
    InputRejectedException e = refused(Files.writeString(dir.resolve("fake.zip"), "this is plain text, not a zip"));
    assertThat(e.check()).isEqualTo(ZipInspector.FORMAT_CHECK);
    assertThat(e.getMessage()).contains("not a readable zip");
  }

  @Test
  void check_tooManyEntries_refusedByEntryCountNamingTheLimit() throws Exception {
    ZipFixtures many = ZipFixtures.zip();
    for (int i = 0; i < 6; i++) many.file("f" + i, "x");
    InputRejectedException e = refused(many.writeTo(dir.resolve("many.zip")));
    assertThat(e.check()).isEqualTo(ZipInspector.ENTRY_COUNT_CHECK);
    assertThat(e.getMessage()).contains("6 entries").contains("uploads.zipMaxEntries");
  }

  @Test
  void check_zipBomb_refusedByUnpackedSize() throws Exception {
    Path bomb = ZipFixtures.zip().file("zeros.bin", new byte[2_000_000]).writeTo(dir.resolve("bomb.zip"));
    assertThat(Files.size(bomb)).isLessThan(50_000);
    InputRejectedException e = refused(bomb);
    assertThat(e.check()).isEqualTo(ZipInspector.SIZE_CHECK);
    assertThat(e.getMessage()).contains("uploads.zipMaxUnpackedBytes");
  }

  @Test
  void check_bombWithLyingSizes_refusedWhileInflating() throws Exception {
    Path bomb = ZipFixtures.zip().file("zeros.bin", new byte[2_000_000]).writeTo(dir.resolve("liar.zip"));
    lieAboutSizes(bomb);
    InputRejectedException e = refused(bomb);
    assertThat(e.check()).isIn(ZipInspector.SIZE_CHECK, ZipInspector.FORMAT_CHECK);
  }

  @Test
  void check_dotDotEntry_refusedByPathCheck() throws Exception {
    InputRejectedException e = refused(ZipFixtures.zip().file("ok.txt", "x").file("../../evil.sh", "x").writeTo(dir.resolve("up.zip")));
    assertThat(e.check()).isEqualTo(ZipInspector.PATH_CHECK);
    assertThat(e.getMessage()).contains("../../evil.sh");
  }

  @Test
  void check_absoluteEntry_refusedByPathCheck() throws Exception {
    assertThat(refused(ZipFixtures.zip().file("/etc/cron.d/x", "x").writeTo(dir.resolve("abs.zip"))).check()).isEqualTo(ZipInspector.PATH_CHECK);
  }

  @Test
  void check_windowsStyleEscapes_refusedByPathCheck() throws Exception {
    assertThat(refused(ZipFixtures.zip().file("..\\..\\evil.bat", "x").writeTo(dir.resolve("bs.zip"))).check()).isEqualTo(ZipInspector.PATH_CHECK);
    assertThat(refused(ZipFixtures.zip().file("C:/Windows/evil.dll", "x").writeTo(dir.resolve("drive.zip"))).check()).isEqualTo(ZipInspector.PATH_CHECK);
  }

  @Test
  void check_symlinkEntry_refusedBySymlinkCheck() throws Exception {
    InputRejectedException e = refused(ZipFixtures.zip().file("a.txt", "x").symlink("link", "/etc/passwd").writeTo(dir.resolve("link.zip")));
    assertThat(e.check()).isEqualTo(ZipInspector.SYMLINK_CHECK);
    assertThat(e.getMessage()).contains("\"link\"");
  }

  @Test
  void check_symlinkEntryMadeByBeOs_refusedBySymlinkCheck() throws Exception {
    // the attack of issue 14: "made by" host 16, which unzip still unpacks as a link
    Path zip = ZipFixtures.zip().symlink("site", "/", ZipFixtures.HOST_BEOS).writeTo(dir.resolve("beos.zip"));
    InputRejectedException e = refused(zip);
    assertThat(e.check()).isEqualTo(ZipInspector.SYMLINK_CHECK);
    assertThat(e.getMessage()).contains("\"site\"");
  }

  @Test
  void check_unreadableUpload_messageNamesNoServerPath() throws Exception {
    Path missing = dir.resolve("uploads/gone");
    InputRejectedException e = refused(missing);
    assertThat(e.check()).isEqualTo(ZipInspector.FORMAT_CHECK);
    assertThat(e.getMessage()).doesNotContain(dir.toString());
  }

  @Test
  void check_anything_writesNothing() throws Exception {
    Path zip = ZipFixtures.zip().file("../../escaped.txt", "x").writeTo(dir.resolve("up.zip"));
    refused(zip);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(zip);
    }
    assertThat(dir.getParent().getParent().resolve("escaped.txt")).doesNotExist();
  }

  /** Writes 10 as the uncompressed size into the local and central headers. */
  private static void lieAboutSizes(Path zip) throws Exception {
    byte[] bytes = Files.readAllBytes(zip);
    var b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p + 46 <= bytes.length; p++) {
      if (b.getInt(p) == 0x02014b50) b.putInt(p + 24, 10);
      if (b.getInt(p) == 0x04034b50 && (b.getShort(p + 6) & 8) == 0) b.putInt(p + 22, 10);
    }
    Files.write(zip, bytes);
  }
}
