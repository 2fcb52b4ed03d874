package dev.buildcast.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.buildcast.storage.UnfinishedUploadFile;
import dev.buildcast.testing.RawSocketIo;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.upload.UploadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The siofu client's next chunk is asked for (siofu_chunk) as soon as a chunk passed its checks,
 * before its bytes are stored; a chunk that then cannot be stored still ends the file with
 * siofu_error.
 */
class SiofuChunkAnswerIT {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir Path data;

  @Test
  void chunkThatCannotBeStored_isAnsweredThenTheFileFailsWithSiofuErrorAndIsDeleted() throws Exception {
    try (RunningServer server = RunningServer.start(data, ""); RawSocketIo io = RawSocketIo.open(server.url(), "")) {
      io.connect("/", null);
      assertThat(io.await(p -> p.startsWith("40{"), 5_000)).isPresent();
      ObjectNode start = NODES.objectNode().put("id", 1).put("name", "f.bin").put("size", 10).put("mtime", 0).put("encoding", "octet");
      start.set("meta", NODES.objectNode());
      io.emit("/", "siofu_start", List.of(start), -1);
      Optional<String> ready = io.await(p -> p.startsWith("42[\"siofu_ready\""), 10_000);
      assertThat(ready).isPresent();
      String uploadId = RawSocketIo.payload(ready.get()).get(1).get("uploadId").asText();
      Path part = unfinishedFile(server.dataDir(), uploadId);
      Files.delete(part);
      Files.createDirectory(part); // why a folder in its place: the upload still looks held, but its bytes cannot be written

      ObjectNode progress = NODES.objectNode().put("id", 1).put("start", 0).put("end", 5).put("size", 10).put("base64", false);
      progress.set("content", NODES.binaryNode(new byte[] {1, 2, 3, 4, 5}));
      io.emit("/", "siofu_progress", List.of(progress), -1);

      Optional<String> first = io.await(p -> p.startsWith("42[\"siofu_"), 10_000);
      assertThat(first).hasValueSatisfying(p -> assertThat(p).startsWith("42[\"siofu_chunk\",{\"id\":1}"));
      Optional<String> error = io.await(p -> p.startsWith("42[\"siofu_"), 10_000);
      assertThat(error).isPresent();
      JsonNode detail = RawSocketIo.payload(error.get()).get(1);
      assertThat(RawSocketIo.payload(error.get()).get(0).asText()).isEqualTo("siofu_error");
      assertThat(detail.get("id").asInt()).isEqualTo(1);
      assertThat(detail.get("code").asText()).isEqualTo("internal");
      assertThat(detail.get("message").asText()).contains("upload it again");
      assertThat(part).doesNotExist();
      assertThatThrownBy(() -> server.server().uploads().standing(uploadId)).isInstanceOf(UploadException.class);
    }
  }

  private static Path unfinishedFile(Path dataDir, String uploadId) throws Exception {
    String name = UnfinishedUploadFile.name(uploadId);
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
  }
}
