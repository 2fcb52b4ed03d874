package dev.buildcast.storage.file;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.job.JobBlobs;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.log.JobLogSegments;
import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogSegmentReader;
import dev.buildcast.log.LogSegments;
import dev.buildcast.log.cluster.LogArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster's {@link LogArchive} in a {@link BlobStore}: a sealed log is the files a {@link
 * FileLogSegments} keeps ({@code detailed.log}, {@code detailed.idx}, {@code detailed.basic.idx},
 * {@code detailed.sealed}; a sealed log has no limit or tail files), stored as the blobs {@code
 * jobs/<jobId>/log/<file>}. So a node serves an archived log by copying the blobs into the job's
 * folder, where it opens as a sealed log, byte for byte what every other node serves.
 *
 * <p>Order: the seal is stored after the other files and restored after them, so a reader never
 * takes a part for the whole (a store or a restore that stops half-way leaves no seal, and is done
 * again). Thread-safe: it keeps no state; callers see to it that one job is restored by one thread
 * at a time (the log store's lock).
 */
public final class BlobLogArchive implements LogArchive {

  private static final String SEALED = "detailed.sealed";
  /** The files of a sealed log, the seal last. */
  private static final List<String> FILES = List.of("detailed.log", "detailed.idx", "detailed.basic.idx", SEALED);

  private final BlobStore blobs;
  private final Path workspace;
  private final Function<String, Path> jobDir;

  /**
   * @param workspace a folder of this node's where logs are built before they are stored (emptied as it goes)
   * @param jobDir the folder of a job, where this node keeps its log (restores go there)
   */
  public BlobLogArchive(BlobStore blobs, Path workspace, Function<String, Path> jobDir) {
    this.blobs = blobs;
    this.workspace = workspace;
    this.jobDir = jobDir;
  }

  static String prefix(String jobId) {
    return JobBlobs.prefix(jobId) + "log/";
  }

  @Override
  public LogSegments workspace() {
    return new Workspace();
  }

  private Path workFolder(String jobId) {
    return workspace.resolve(jobId);
  }

  @Override
  public void store(String jobId) {
    LogFiles files = new LogFiles(workFolder(jobId));
    if (!Files.isRegularFile(files.sealMarker(), LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException("the workspace holds no sealed log of job " + jobId + " to archive");
    }
    for (String name : FILES) {
      Path file = files.dir().resolve(name);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) blobs.put(prefix(jobId) + name, file);
    }
  }

  @Override
  public boolean isArchived(String jobId) {
    Optional<Blob> seal = blobs.get(prefix(jobId) + SEALED);
    seal.ifPresent(BlobLogArchive::close);
    return seal.isPresent();
  }

  @Override
  public boolean restore(String jobId) {
    List<String> stored = new ArrayList<>();
    for (BlobInfo blob : blobs.list(prefix(jobId))) {
      String name = blob.key().substring(prefix(jobId).length());
      if (FILES.contains(name)) stored.add(name);
    }
    if (!stored.contains(SEALED)) return false;
    LogFiles files = new LogFiles(jobDir.apply(jobId));
    try {
      PrivateFiles.createFolders(files.dir());
      List<Path> fetched = new ArrayList<>();
      for (String name : FILES) {
        if (!stored.contains(name)) continue;
        Path draft = files.dir().resolve(name + ".restore");
        Optional<Blob> blob = blobs.get(prefix(jobId) + name);
        if (blob.isEmpty()) return false; // why: deleted (retention) while we looked
        try (Blob b = blob.get(); InputStream in = b.content()) {
          Files.deleteIfExists(draft);
          try (var out = Files.newOutputStream(Files.createFile(draft, PrivateFiles.file()))) {
            in.transferTo(out);
          }
        }
        fetched.add(draft);
      }
      files.deleteAll();
      for (Path draft : fetched) {
        String name = draft.getFileName().toString();
        Files.move(draft, files.dir().resolve(name.substring(0, name.length() - ".restore".length())), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy the archived log of job " + jobId + " into " + files.dir(), e);
    }
  }

  @Override
  public void delete(String jobId) {
    blobs.deletePrefix(prefix(jobId));
  }

  private static void close(Blob blob) {
    try {
      blob.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workspace's logs; deleting one also removes its folder, so the workspace does not fill with empty ones. */
  private final class Workspace implements LogSegments {
    private final FileLogSegments segments = new FileLogSegments(BlobLogArchive.this::workFolder);

    @Override
    public Optional<LogExtent> sealedExtent(String jobId) {
      return segments.sealedExtent(jobId);
    }

    @Override
    public LogSegmentReader reader(String jobId) {
      return segments.reader(jobId);
    }

    @Override
    public JobLogSegments openForAppend(String jobId) {
      return segments.openForAppend(jobId);
    }

    @Override
    public void delete(String jobId) {
      segments.delete(jobId);
      try {
        Files.deleteIfExists(workFolder(jobId));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the archive's workspace folder of job " + jobId, e);
      }
    }
  }
}
