package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdFileTest {

  @TempDir Path data;

  @Test
  void loadOrCreate_newDataFolder_makesAnIdAndGivesTheSameOneAfterwards() {
    String first = NodeIdFile.loadOrCreate(data.resolve("fresh"));
    assertThat(first).startsWith("node-");
    assertThat(NodeIdFile.loadOrCreate(data.resolve("fresh"))).isEqualTo(first);
    assertThat(NodeIdFile.loadOrCreate(data.resolve("other"))).isNotEqualTo(first);
  }

  @Test
  void loadOrCreate_fileWithAnythingButAnId_isRefusedSayingWhatToDo() throws Exception {
    Files.writeString(data.resolve(NodeIdFile.FILE), "../../etc/passwd\n");
    assertThatThrownBy(() -> NodeIdFile.loadOrCreate(data)).hasMessageContaining("node id").hasMessageContaining("delete the file");
  }
}
