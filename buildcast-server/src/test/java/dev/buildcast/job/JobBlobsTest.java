package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.storage.file.FolderBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy of a job's files into the blob store at its end, against what its process can leave in
 * its folder (issue 14, item 1, now applied once at the copy): links anywhere, hard links, names
 * no key can have. Nothing outside the job's folder ever becomes a blob.
 */
class JobBlobsTest {

  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";

  @TempDir Path data;
  @TempDir Path elsewhere;
  private JobFiles files;
  private Path secret;

  @BeforeEach
  void createJob() throws Exception {
    files = new JobFiles(data, new FolderBlobStore(data.resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE));
    files.create(ID);
    secret = Files.writeString(Files.createDirectories(elsewhere.resolve("etc")).resolve("passwd"), "root:x:0:0");
  }

  private Path site() throws Exception {
    return Files.createDirectories(files.workDir(ID).resolve("site"));
  }

  private java.util.List<String> stored() {
    return files.blobs().all(ID).stream().map(BlobInfo::key).map(k -> k.substring(JobBlobs.prefix(ID).length())).toList();
  }

  private String text(Optional<Blob> blob) throws Exception {
    try (Blob b = blob.orElseThrow()) {
      return new String(b.content().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void store_outputAndSite_copiesEveryRegularFileUnderItsKey() throws Exception {
    Files.writeString(files.outputDir(ID).resolve("site.zip"), "zip");
    Files.writeString(Files.createDirectories(site().resolve("a b")).resolve("index.html"), "<p>hi");
    assertThat(files.blobs().store(ID, Optional.of(site()))).containsExactly(new Artifact("site.zip", 3));
    assertThat(stored()).containsExactly("output/site.zip", "site/a b/index.html", "stored");
    assertThat(text(files.blobs().sitePage(ID, "a b/index.html", BlobRange.all()))).isEqualTo("<p>hi");
    assertThat(files.blobs().isStored(ID)).isTrue();
  }

  @Test
  void store_linksInsideTheFolders_areLeftOut() throws Exception {
    Files.createSymbolicLink(files.outputDir(ID).resolve("passwd"), secret);
    Files.createSymbolicLink(site().resolve("root"), elsewhere);
    Files.writeString(site().resolve("index.html"), "page");
    files.blobs().store(ID, Optional.of(site()));
    assertThat(stored()).containsExactly("site/index.html", "stored");
  }

  @Test
  void store_hardLinkToAFileOutside_isLeftOut() throws Exception {
    Files.createLink(files.outputDir(ID).resolve("passwd"), secret);
    files.blobs().store(ID, Optional.empty());
    assertThat(stored()).containsExactly("stored");
  }

  @Test
  void store_siteOrOutputFolderIsALinkOutside_storesNothingFromThere() throws Exception {
    Files.delete(files.outputDir(ID));
    Files.createSymbolicLink(files.outputDir(ID), elsewhere);
    Files.createSymbolicLink(files.workDir(ID).resolve("site"), elsewhere);
    files.blobs().store(ID, Optional.of(files.workDir(ID).resolve("site")));
    assertThat(stored()).containsExactly("stored");
  }

  @Test
  void store_workFolderAboveTheSiteIsALink_storesNothingFromThere() throws Exception {
    Files.writeString(Files.createDirectories(elsewhere.resolve("site")).resolve("index.html"), "outside");
    Files.delete(files.workDir(ID));
    Files.createSymbolicLink(files.workDir(ID), elsewhere);
    files.blobs().store(ID, Optional.of(files.workDir(ID).resolve("site")));
    assertThat(stored()).containsExactly("stored");
  }

  @Test
  void store_namesNoKeyCanHave_areLeftOutAndTheRestStored() throws Exception {
    Files.writeString(files.outputDir(ID).resolve("back\\slash"), "x");
    Files.writeString(files.outputDir(ID).resolve("tab\there"), "x");
    Files.writeString(files.outputDir(ID).resolve("ok.txt"), "ok");
    assertThat(files.blobs().store(ID, Optional.empty())).containsExactly(new Artifact("ok.txt", 2));
  }

  @Test
  void store_again_replacesWhatTheFirstCopyStored() throws Exception {
    Path zip = Files.writeString(files.outputDir(ID).resolve("site.zip"), "first");
    Path gone = Files.writeString(files.outputDir(ID).resolve("gone.txt"), "gone");
    files.blobs().store(ID, Optional.empty());
    Files.writeString(zip, "second");
    Files.delete(gone);
    assertThat(files.blobs().store(ID, Optional.empty())).containsExactly(new Artifact("site.zip", 6));
    assertThat(text(files.blobs().artifact(ID, "site.zip", BlobRange.all()))).isEqualTo("second");
  }

  @Test
  void artifact_namesThatLeaveTheOutputFolder_areNotFound() throws Exception {
    Files.writeString(files.outputDir(ID).resolve("a.txt"), "a");
    files.blobs().store(ID, Optional.of(site()));
    for (String evil : new String[] {"../stored", "../../jobs", "/etc/passwd", "..\\stored", "a\0b", "", "..", "./"}) {
      assertThat(files.blobs().artifact(ID, evil, BlobRange.all())).as(evil).isEmpty();
    }
    assertThat(text(files.blobs().artifact(ID, "sub/../a.txt", BlobRange.all()))).isEqualTo("a");
    assertThat(text(files.blobs().artifact(ID, ".//a.txt", BlobRange.all()))).isEqualTo("a");
  }

  @Test
  void delete_removesEveryBlobOfTheJob() throws Exception {
    Files.writeString(files.outputDir(ID).resolve("a.txt"), "a");
    files.blobs().store(ID, Optional.empty());
    files.blobs().delete(ID);
    assertThat(stored()).isEmpty();
    assertThat(files.blobs().isStored(ID)).isFalse();
  }
}
