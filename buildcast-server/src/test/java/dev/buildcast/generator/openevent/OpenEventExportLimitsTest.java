package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 3: the export's JSON is read as a stream within {@link ExportLimits}; a file past
 * a limit fails the job with a message naming the file and the limit, before its tree grows.
 */
class OpenEventExportLimitsTest {

  @TempDir Path temp;
  private static final ExportLimits SMALL = new ExportLimits(1 << 20, 100, 1_000, 8, 1_000);

  private ExportFiles files(String name, String json) throws Exception {
    Path export = Files.createDirectories(temp.resolve("export"));
    Files.writeString(export.resolve(name), json);
    return new ExportFiles(export, new RecordingLogSink(), SMALL);
  }

  @Test
  void list_moreRecordsThanTheLimit_failsNamingFileAndLimit() throws Exception {
    ExportFiles files = files("sessions", "[" + "{},".repeat(100) + "{}]");
    assertThatThrownBy(() -> files.list("sessions"))
        .isInstanceOf(BrokenExportException.class)
        .hasMessage("sessions: more than 100 records, the most a file of the export may hold (record count check)");
  }

  @Test
  void list_exactlyTheRecordLimit_isRead() throws Exception {
    assertThat(files("sessions", "[" + "{},".repeat(99) + "{}]").list("sessions")).hasSize(100);
  }

  @Test
  void list_oneRecordWithTooManyValues_failsNamingFileAndLimit() throws Exception {
    StringBuilder fields = new StringBuilder("[{");
    for (int i = 0; i < 600; i++) fields.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
    ExportFiles files = files("speakers", fields.append("}]").toString());
    assertThatThrownBy(() -> files.list("speakers"))
        .isInstanceOf(BrokenExportException.class)
        .hasMessageStartingWith("speakers: the file is refused at line 1")
        .hasMessageContaining("(memory limit check)")
        .hasMessageContaining("at most 1000 JSON tokens");
  }

  @Test
  void list_nestedDeeperThanTheLimit_failsNamingFileAndLimit() throws Exception {
    ExportFiles files = files("tracks", "[" + "[".repeat(20) + "]".repeat(20) + "]");
    assertThatThrownBy(() -> files.list("tracks"))
        .isInstanceOf(BrokenExportException.class)
        .hasMessageStartingWith("tracks: the file is refused")
        .hasMessageContaining("nested 8 deep");
  }

  @Test
  void event_stringLongerThanTheLimit_failsNamingFileAndLimit() throws Exception {
    ExportFiles files = files("event", "{\"name\":\"" + "x".repeat(5_000) + "\"}");
    assertThatThrownBy(files::event)
        .isInstanceOf(BrokenExportException.class)
        .hasMessageStartingWith("event: the file is refused")
        .hasMessageContaining("strings of at most 1000 characters");
  }

  @Test
  void list_contentAfterTheArray_failsAsInvalid() throws Exception {
    ExportFiles files = files("sponsors", "[] {}");
    assertThatThrownBy(() -> files.list("sponsors"))
        .isInstanceOf(BrokenExportException.class)
        .hasMessage("sponsors: invalid JSON at line 1, column 4: more content after the end of the array");
  }
}
