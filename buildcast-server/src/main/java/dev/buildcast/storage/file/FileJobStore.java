package dev.buildcast.storage.file;

import dev.buildcast.job.JobFiles;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobStore;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.storage.JobRecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each job's record as {@code jobs/<jobId>/job.json}, written to a temporary file and renamed
 * over the old one, so a crash leaves either the old or the new record, never half of one. Records
 * saved before versions, owners and leases were kept read with version 0 and no owner or lease.
 *
 * <p>Concurrency: the compare-and-set of {@link #update} reads, compares and renames under the
 * job's own lock, so it is atomic among the writers of this process, the only ones a single node's
 * data folder has. why not a file lock: a second process on the same folder is not supported (its
 * logs would clash too); a cluster uses a shared store instead.
 */
public final class FileJobStore implements JobStore {

  private static final Logger log = LoggerFactory.getLogger(FileJobStore.class);
  private static final String FILE = "job.json";

  private final JobFiles files;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public FileJobStore(JobFiles files) {
    this.files = files;
  }

  @Override
  public void save(JobRecord job) {
    synchronized (lockOf(job.id())) {
      write(job);
    }
  }

  @Override
  public Optional<JobRecord> update(long expectedVersion, JobRecord next) {
    Object lock = lockOf(next.id());
    synchronized (lock) {
      Optional<JobRecord> current = find(next.id());
      if (current.isEmpty() || current.get().version() != expectedVersion) return Optional.empty();
      JobRecord stored = next.withVersion(expectedVersion + 1);
      write(stored);
      return Optional.of(stored);
    }
  }

  /** One lock per job id, dropped when its record is deleted (a deleted job is never written again). */
  private Object lockOf(String jobId) {
    return locks.computeIfAbsent(jobId, id -> new Object());
  }

  private void write(JobRecord job) {
    Path target = files.jobDir(job.id()).resolve(FILE);
    try {
      PrivateFiles.createFolders(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), FILE, ".tmp", PrivateFiles.file());
      try {
        Files.write(temp, JobRecordJson.write(job));
        moveAtomically(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not save job " + job.id() + " to " + target, e);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Optional<JobRecord> find(String jobId) {
    if (!JobFiles.isValidId(jobId)) return Optional.empty();
    Path file = files.jobDir(jobId).resolve(FILE);
    try {
      return Optional.of(JobRecordJson.read(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read job " + jobId + " from " + file, e);
    }
  }

  @Override
  public List<JobRecord> all() {
    Path root = files.jobsRoot();
    if (!Files.isDirectory(root)) return List.of();
    List<JobRecord> jobs = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String id = dir.getFileName().toString();
        if (!JobFiles.isValidId(id)) continue;
        try {
          find(id).ifPresent(jobs::add);
        } catch (UncheckedIOException e) {
          log.error("{} - job record unreadable, skipped: {}", id, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list jobs under " + root, e);
    }
    return jobs;
  }

  @Override
  public void delete(String jobId) {
    synchronized (lockOf(jobId)) {
      try {
        Files.deleteIfExists(files.jobDir(jobId).resolve(FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the record of job " + jobId, e);
      }
    }
    locks.remove(jobId);
  }
}
