package dev.buildcast.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.storage.file.FileUploadStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileUploadStore}: named Upload* so the upload test runs pick it up. */
class UploadFileStoreTest {

  @TempDir Path dir;
  private static final String ID = "AbCdEfGhIjKlMnOpQrSt_-";

  @Test
  void write_atHeldOffset_appendsAndComplete_renames() throws Exception {
    FileUploadStore store = new FileUploadStore(dir);
    store.create(ID);
    assertThat(store.write(ID, 0, ByteBuffer.wrap(new byte[] {1, 2}))).isEqualTo(2);
    assertThat(store.write(ID, 2, ByteBuffer.wrap(new byte[] {3}))).isEqualTo(3);
    assertThat(store.unfinishedSize(ID)).isEqualTo(3);
    assertThat(store.unfinished()).extracting(UploadStore.Unfinished::uploadId).containsExactly(ID);
    Path done = store.complete(ID);
    assertThat(done).isEqualTo(dir.resolve(ID));
    assertThat(Files.readAllBytes(done)).containsExactly(1, 2, 3);
    assertThat(store.completed(ID)).contains(done);
    assertThat(store.unfinished()).isEmpty();
  }

  @Test
  void write_atWrongOffset_refusedWithBytesHeld() throws Exception {
    FileUploadStore store = new FileUploadStore(dir);
    store.create(ID);
    store.write(ID, 0, ByteBuffer.wrap(new byte[5]));
    assertThatThrownBy(() -> store.write(ID, 3, ByteBuffer.wrap(new byte[1])))
        .isInstanceOfSatisfying(WrongOffsetException.class, e -> assertThat(e.expectedOffset()).isEqualTo(5));
    assertThat(store.unfinishedSize(ID)).isEqualTo(5);
  }

  @Test
  void anyCall_idThatIsAPath_refused() {
    FileUploadStore store = new FileUploadStore(dir);
    assertThatThrownBy(() -> store.create("../../../../tmp/evil")).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.completed("../../etc/passwd")).isEmpty();
  }

  @Test
  void delete_removesUnfinishedAndCompleted() throws Exception {
    FileUploadStore store = new FileUploadStore(dir);
    store.create(ID);
    store.complete(ID);
    store.delete(ID);
    assertThat(store.completed(ID)).isEmpty();
    assertThat(store.unfinishedSize(ID)).isEqualTo(-1);
  }
}
