package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.BlobStoreContract;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract, plus what only a folder can suffer: something other than the store putting a
 * link or a second hard link below its root (issue 14's guarantees hold here too), permissions,
 * and temporary files a crash left.
 */
class FolderBlobStoreTest extends BlobStoreContract {

  private Path root;

  @Override
  protected BlobStore newStore(Path dir) {
    root = dir;
    return new FolderBlobStore(dir, FolderBlobStore.Durability.PAGE_CACHE);
  }

  /** The directory blob store of cluster mode: this store on a folder every node mounts. */
  @Override
  protected Optional<BlobStore> newStoreOnSameStorage(Path dir) {
    return Optional.of(new FolderBlobStore(dir, FolderBlobStore.Durability.PAGE_CACHE));
  }

  private Path secret() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside/etc"));
    return Files.writeString(outside.resolve("passwd"), "root:x:0:0");
  }

  private void put(String key, String text) {
    store.put(key, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void get_blobReplacedByALinkOutside_isNotServed() throws Exception {
    put("jobs/a/site/passwd.html", "page");
    Path file = root.resolve("objects/jobs/a/site/passwd.html");
    Files.delete(file);
    Files.createSymbolicLink(file, secret());
    assertThat(store.get("jobs/a/site/passwd.html")).isEmpty();
  }

  @Test
  void get_folderOnThePathIsALinkOutside_isNotServed() throws Exception {
    put("jobs/a/site/index.html", "page");
    Path site = root.resolve("objects/jobs/a/site");
    secret();
    Files.walk(site).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    Files.createSymbolicLink(site, dir.resolve("outside"));
    assertThat(store.get("jobs/a/site/etc/passwd")).isEmpty();
    assertThat(store.list("jobs/a/")).isEmpty();
  }

  @Test
  void get_fileWithASecondHardLink_isNotServed() throws Exception {
    put("jobs/a/output/x", "page");
    Path file = root.resolve("objects/jobs/a/output/x");
    Files.delete(file);
    Files.createLink(file, secret());
    assertThat(store.get("jobs/a/output/x")).isEmpty();
  }

  @Test
  void put_createsFilesAndFoldersForTheServerAlone() throws Exception {
    put("jobs/a/output/x", "x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("objects/jobs/a/output/x")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("objects/jobs/a/output")))).isEqualTo("rwx------");
  }

  @Test
  void deletePrefix_leavesNoEmptyFoldersBehind() throws Exception {
    put("jobs/a/output/deep/x", "x");
    store.deletePrefix("jobs/a/");
    try (var left = Files.list(root.resolve("objects"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void open_temporaryFilesACrashLeft_areRemoved() throws Exception {
    Path stale = Files.writeString(root.resolve("tmp/put-123.part"), "torn");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    new FolderBlobStore(root, FolderBlobStore.Durability.PAGE_CACHE);
    assertThat(stale).doesNotExist();
  }

  @Test
  void open_recentTemporaryFile_isKeptForThePutOfAnotherNode() throws Exception {
    Path writing = Files.writeString(root.resolve("tmp/put-456.part"), "half");
    new FolderBlobStore(root, FolderBlobStore.Durability.PAGE_CACHE);
    assertThat(writing).hasContent("half");
  }

  @Test
  void put_forcedToTheDevice_storesAndReplacesLikeAnyPut() throws Exception {
    BlobStore forced = new FolderBlobStore(dir.resolve("forced"), FolderBlobStore.Durability.FORCED);
    forced.put("jobs/a/output/x", new ByteArrayInputStream("first".getBytes(StandardCharsets.UTF_8)));
    forced.put("jobs/a/output/x", new ByteArrayInputStream("second".getBytes(StandardCharsets.UTF_8)));
    try (var blob = forced.get("jobs/a/output/x").orElseThrow()) {
      assertThat(new String(blob.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
    }
  }

  @Test
  void put_nothingIsLeftInTheTemporaryFolder() throws Exception {
    put("a", "x");
    put("a", "y");
    try (var left = Files.list(root.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void checkUsable_folderGoneFromUnderIt_failsNamingTheFolder() throws Exception {
    Path root = dir.resolve("gone");
    FolderBlobStore gone = new FolderBlobStore(root, FolderBlobStore.Durability.PAGE_CACHE);
    gone.checkUsable();
    // a shared mount that went away looks like this to the node
    Files.move(root, dir.resolve("moved-away"));
    org.assertj.core.api.Assertions.assertThatThrownBy(gone::checkUsable).isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("missing or not writable");
    Files.move(dir.resolve("moved-away"), root);
    gone.checkUsable();
  }
}
