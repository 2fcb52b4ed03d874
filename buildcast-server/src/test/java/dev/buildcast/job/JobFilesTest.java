package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.testing.MemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobFiles#insideFolder} and {@link JobFiles#artifact} against what a job's process can do
 * to its own folder (issue 14, item 1): links as the served folder itself, as a folder above it,
 * inside it, as the file, and hard links.
 */
class JobFilesTest {

  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";

  @TempDir Path data;
  @TempDir Path elsewhere;
  private JobFiles files;
  private Path secret;

  @BeforeEach
  void createJob() throws Exception {
    files = new JobFiles(data, new MemoryBlobStore());
    files.create(ID);
    secret = Files.writeString(Files.createDirectories(elsewhere.resolve("etc")).resolve("passwd"), "root:x:0:0");
  }

  private Path site() {
    return files.workDir(ID).resolve("site");
  }

  @Test
  void insideFolder_ordinaryFile_isServed() throws Exception {
    Path page = Files.writeString(Files.createDirectories(site().resolve("a")).resolve("index.html"), "<p>hi");
    assertThat(files.insideFolder(site(), "a/index.html")).contains(page);
  }

  @Test
  void insideFolder_siteFolderIsALinkOutside_isRefused() throws Exception {
    Files.createSymbolicLink(site(), elsewhere); // what `unzip` made of the BeOS zip: work/site -> /
    assertThat(files.insideFolder(site(), "etc/passwd")).isEmpty();
  }

  @Test
  void insideFolder_workFolderAboveTheSiteIsALink_isRefused() throws Exception {
    Files.createDirectories(elsewhere.resolve("site"));
    Files.writeString(elsewhere.resolve("site/index.html"), "outside");
    Files.delete(files.workDir(ID));
    Files.createSymbolicLink(files.workDir(ID), elsewhere);
    assertThat(files.insideFolder(site(), "index.html")).isEmpty();
  }

  @Test
  void insideFolder_jobFolderItselfIsALink_isRefused() throws Exception {
    Path moved = elsewhere.resolve("job");
    Files.move(files.jobDir(ID), moved);
    Files.createSymbolicLink(files.jobDir(ID), moved);
    Files.createDirectories(moved.resolve("work/site"));
    Files.writeString(moved.resolve("work/site/index.html"), "outside");
    assertThat(files.insideFolder(site(), "index.html")).isEmpty();
  }

  @Test
  void insideFolder_linkedFolderInsideTheSite_isRefused() throws Exception {
    Files.createDirectories(site());
    Files.createSymbolicLink(site().resolve("root"), elsewhere);
    assertThat(files.insideFolder(site(), "root/etc/passwd")).isEmpty();
  }

  @Test
  void insideFolder_fileIsALink_isRefused() throws Exception {
    Files.createDirectories(site());
    Files.createSymbolicLink(site().resolve("passwd.html"), secret);
    assertThat(files.insideFolder(site(), "passwd.html")).isEmpty();
  }

  @Test
  void insideFolder_fileWithASecondHardLinkName_isRefused() throws Exception {
    Files.createDirectories(site());
    Files.createLink(site().resolve("passwd.html"), secret);
    assertThat(files.insideFolder(site(), "passwd.html")).isEmpty();
  }

  @Test
  void artifact_outputFolderReplacedByALink_isRefused() throws Exception {
    Files.delete(files.outputDir(ID));
    Files.createSymbolicLink(files.outputDir(ID), elsewhere);
    assertThat(files.artifact(ID, "etc/passwd")).isEmpty();
  }

  @Test
  void artifact_ordinaryFile_isServed() throws Exception {
    Path result = Files.writeString(files.outputDir(ID).resolve("result.txt"), "out");
    assertThat(files.artifact(ID, "result.txt")).contains(result);
  }
}
