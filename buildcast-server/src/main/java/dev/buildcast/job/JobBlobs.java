package dev.buildcast.job;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobKeys;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's files as people fetch them: its artifacts under {@code jobs/<jobId>/output/<name>} and
 * its website under {@code jobs/<jobId>/site/<path>} in the {@link BlobStore}, and the copy that
 * puts them there when the job ends.
 *
 * <p>why a copy when the job ends, not a view of the job's folder: the folder is the generator
 * process's to arrange as it likes, so reading it in place means checking it on every request
 * against links and swaps (issue 14), forever, and a second node could not read it at all. The
 * copy is made once, after the process tree is gone and before the job is marked finished (the
 * order the cluster design asks of an object store), with {@link JobFiles#insideFolder}'s checks
 * on every file: a link, a second hard link or a file outside the job's folder is left out. From
 * then on the HTTP edge reads blobs the server wrote itself. The cost is the copy's time and a
 * second copy of the site on disk (docs/architecture.md, "Blobs", has the figures).
 *
 * <p>A job whose copy is complete has the marker blob {@code jobs/<jobId>/stored}; jobs finished
 * before blobs existed (or whose copy a crash cut short) lack it and are copied at the next start.
 */
public final class JobBlobs {

  private static final Logger log = LoggerFactory.getLogger(JobBlobs.class);

  private final BlobStore store;
  private final JobFiles files;

  JobBlobs(BlobStore store, JobFiles files) {
    this.store = store;
    this.files = files;
  }

  /** Every blob of the job lies under this prefix. */
  public static String prefix(String jobId) {
    if (!JobFiles.isValidId(jobId)) throw new IllegalArgumentException("not a job id: " + jobId);
    return "jobs/" + jobId + "/";
  }

  private static String outputPrefix(String jobId) {
    return prefix(jobId) + "output/";
  }

  private static String sitePrefix(String jobId) {
    return prefix(jobId) + "site/";
  }

  private static String marker(String jobId) {
    return prefix(jobId) + "stored";
  }

  /**
   * The artifact of that name, or the part {@code range} asks for; empty when there is none,
   * including for names no artifact can have ({@code ../x}, backslashes, NUL). Dot segments and
   * double slashes are resolved first, as the file system did before blobs.
   */
  public Optional<Blob> artifact(String jobId, String name, BlobRange range) {
    return get(outputPrefix(jobId), name, range);
  }

  /** The file of the job's website at {@code path}, like {@link #artifact}. */
  public Optional<Blob> sitePage(String jobId, String path, BlobRange range) {
    return get(sitePrefix(jobId), path, range);
  }

  private Optional<Blob> get(String prefix, String name, BlobRange range) {
    return relativeKey(name).map(rel -> prefix + rel).filter(BlobKeys::isValid).flatMap(key -> store.get(key, range));
  }

  /** {@code name} with {@code .}, {@code ..} and empty segments resolved; empty when it leaves its folder or cannot be a key. */
  static Optional<String> relativeKey(String name) {
    if (name == null || name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) continue;
      if (!segment.equals("..")) {
        segments.addLast(segment);
      } else if (segments.pollLast() == null) {
        return Optional.empty();
      }
    }
    return segments.isEmpty() ? Optional.empty() : Optional.of(String.join("/", segments));
  }

  /** The job's stored artifacts, by name. */
  public List<Artifact> artifacts(String jobId) {
    String prefix = outputPrefix(jobId);
    return store.list(prefix).stream().map(b -> new Artifact(b.key().substring(prefix.length()), b.size())).toList();
  }

  /** Whether the job's files were copied to the store completely. */
  boolean isStored(String jobId) {
    return store.get(marker(jobId)).map(JobBlobs::closed).isPresent();
  }

  private static boolean closed(Blob blob) {
    try {
      blob.close();
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies the job's output folder and, when its generator makes one, its site folder into the
   * store, replacing whatever an earlier copy stored (a copy a crash cut short, for instance).
   * Call it only once the job's process tree is gone.
   *
   * @return the artifacts now stored
   * @throws UncheckedIOException when the store fails (the job must not be called succeeded then)
   */
  List<Artifact> store(String jobId, Optional<Path> siteFolder) {
    // why not the whole prefix: a cluster archives the job's sealed log under it (jobs/<id>/log/), which a late copy must keep
    store.delete(marker(jobId));
    store.deletePrefix(outputPrefix(jobId));
    store.deletePrefix(sitePrefix(jobId));
    int skipped = copy(files.outputDir(jobId), outputPrefix(jobId));
    if (siteFolder.isPresent()) skipped += copy(siteFolder.get(), sitePrefix(jobId));
    if (skipped > 0) log.info("{} - {} file(s) of the job were not stored: links, hard links or names no blob can have", jobId, skipped);
    store.put(marker(jobId), new ByteArrayInputStream(new byte[0]));
    return artifacts(jobId);
  }

  /** Copies every servable regular file below {@code folder}; returns how many it left out. */
  private int copy(Path folder, String prefix) {
    if (!files.isLinkFreeFolder(folder)) return 0;
    int[] skipped = {0};
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (!attrs.isRegularFile()) {
            skipped[0]++; // links (walkFileTree does not follow them), sockets, devices
            return FileVisitResult.CONTINUE;
          }
          String name = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
          String key = prefix + name;
          Optional<Path> checked = BlobKeys.isValid(key) ? files.insideFolder(folder, name) : Optional.empty();
          if (checked.isPresent()) {
            store.put(key, checked.get());
          } else {
            skipped[0]++;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          // why go on: a file or folder the job made unreadable is its own loss, not the job's
          if (e instanceof NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
            skipped[0]++;
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + folder + " to store its files", e);
    }
    return skipped[0];
  }

  /** Deletes every blob of the job. */
  void delete(String jobId) {
    store.deletePrefix(prefix(jobId));
  }

  /** What is stored of the job, for tests and diagnostics. */
  List<BlobInfo> all(String jobId) {
    return store.list(prefix(jobId));
  }
}
