package dev.buildcast.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that turns job ids and artifact names into paths (and, through {@link #blobs()},
 * into blob keys). Everything of a job lives under
 * {@code <data>/jobs/<jobId>/}: {@code job.json}, the log files, {@code work/} and {@code output/}.
 * Nothing it returns can lie outside that folder: ids must match {@link #ID_PATTERN}, and artifact
 * names are resolved, normalised, checked to stay inside {@code output/}, and refused when any
 * part of them is a symbolic link (a job could plant one pointing anywhere).
 */
public final class JobFiles {

  /** Job ids: 22 URL-safe base64 characters (128 random bits). */
  public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]{22}");

  private final Path jobsRoot;
  private final JobBlobs blobs;

  /**
   * @param blobs where a job's artifacts and website are copied when it ends and served from
   */
  public JobFiles(Path dataDir, dev.buildcast.blob.BlobStore blobs) {
    this.jobsRoot = dataDir.toAbsolutePath().normalize().resolve("jobs");
    this.blobs = new JobBlobs(blobs, this);
  }

  /** The job's files as they are served: artifacts and website, in the blob store. */
  public JobBlobs blobs() {
    return blobs;
  }

  public Path jobsRoot() {
    return jobsRoot;
  }

  public static boolean isValidId(String jobId) {
    return jobId != null && ID_PATTERN.matcher(jobId).matches();
  }

  /** The job's folder. */
  public Path jobDir(String jobId) {
    if (!isValidId(jobId)) throw new IllegalArgumentException("not a job id: " + jobId);
    return jobsRoot.resolve(jobId);
  }

  public Path workDir(String jobId) {
    return jobDir(jobId).resolve("work");
  }

  public Path outputDir(String jobId) {
    return jobDir(jobId).resolve("output");
  }

  /**
   * The job's own copy of its input upload, next to (not in) its work folder: the checks and the
   * generator read it; the upload's bytes stay in the blob store.
   */
  public Path inputFile(String jobId) {
    return jobDir(jobId).resolve("input");
  }

  /** Creates the job's folders. */
  public void create(String jobId) {
    try {
      PrivateFiles.createFolders(workDir(jobId));
      PrivateFiles.createFolders(outputDir(jobId));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the folders of job " + jobId + " under " + jobsRoot, e);
    }
  }

  /**
   * Deletes the job's folder and everything in it, without following symbolic links (a job may
   * have made some pointing anywhere); no-op when it is gone.
   */
  public void delete(String jobId) {
    Path dir = jobDir(jobId);
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (java.util.stream.Stream<Path> tree = Files.walk(dir)) {
      for (Path path : tree.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the folder of job " + jobId + " under " + jobsRoot, e);
    }
  }

  /**
   * The artifact file of that name, when it exists as a regular file inside the job's output
   * folder; empty for anything else (missing, a folder, a link, or a name that would leave the
   * folder: {@code ..}, absolute paths, NUL bytes, backslashes).
   */
  public Optional<Path> artifact(String jobId, String name) {
    return insideFolder(outputDir(jobId), name);
  }

  /**
   * Like {@link #artifact} for any folder of a job, e.g. the built site: the regular file of that
   * relative name inside {@code folder}, which must lie inside a job's folder.
   *
   * <p>why so strict: a job's process may rearrange its own job folder as it likes (replace
   * {@code work/site}, {@code output} or even the job folder by a link to {@code /}, plant links
   * inside). So no part of the path from the job folder down to the file may be a link, and the
   * file's real path must lie inside the real paths of both the folder and the job folder; a
   * file with several hard links is refused too.
   */
  public Optional<Path> insideFolder(Path folder, String relativeName) {
    if (relativeName == null
        || relativeName.isEmpty()
        || relativeName.indexOf('\0') >= 0
        || relativeName.indexOf('\\') >= 0
        || relativeName.startsWith("/")) {
      return Optional.empty();
    }
    Path base = folder.toAbsolutePath().normalize();
    Path candidate = base.resolve(relativeName).normalize();
    if (!candidate.startsWith(base) || candidate.equals(base)) return Optional.empty();
    if (!base.startsWith(jobsRoot) || base.getNameCount() <= jobsRoot.getNameCount()) {
      throw new IllegalArgumentException("not a folder of a job: " + base);
    }
    Path jobDir = jobsRoot.resolve(base.getName(jobsRoot.getNameCount()).toString());
    for (Path p = candidate; !p.equals(jobsRoot); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) return Optional.empty();
    }
    if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
    try {
      // why: a second hard link name makes a file of the job another name for a file elsewhere
      // (tar can make one); real paths cannot tell, the link count can
      if (((Number) Files.getAttribute(candidate, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1) {
        return Optional.empty();
      }
      Path real = candidate.toRealPath();
      Path realJobDir = jobsRoot.toRealPath().resolve(jobDir.getFileName());
      boolean inside = real.startsWith(base.toRealPath()) && real.startsWith(realJobDir);
      return inside ? Optional.of(candidate) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // why: vanished or unreadable while being checked: not served
    }
  }

  /**
   * Whether {@code folder} is a folder inside a job's folder with no link anywhere from the job
   * folder down to it; a walk below it then meets only what the job made there.
   */
  boolean isLinkFreeFolder(Path folder) {
    Path base = folder.toAbsolutePath().normalize();
    if (!base.startsWith(jobsRoot) || base.getNameCount() <= jobsRoot.getNameCount() + 1) return false;
    for (Path p = base; !p.equals(jobsRoot); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) return false;
    }
    return Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS);
  }
}
