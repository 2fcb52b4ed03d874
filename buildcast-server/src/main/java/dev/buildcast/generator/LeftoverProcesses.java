package dev.buildcast.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and kills the process tree of a job whose server was killed while it ran. A command
 * generator records its process group (the leader's pid and start time) in {@value #FILE} next to
 * the job's work folder while it runs; the next start of the server, failing that job, kills the
 * group.
 *
 * <p>Why this is safe against pid reuse: while the leader lives, its start time must match the
 * record; once the leader is gone, the kernel does not hand its pid to a new process while the
 * group still has members, so a group of that id is the job's.
 */
public final class LeftoverProcesses {

  private static final Logger log = LoggerFactory.getLogger(LeftoverProcesses.class);
  /** The record's name in the job's folder. */
  public static final String FILE = "generator.pid";

  private LeftoverProcesses() {}

  /** Records {@code process} as the job's running tree; best effort (a failure is logged). */
  static void record(Path workDir, Process process) {
    Path file = workDir.resolveSibling(FILE);
    long started = process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    try {
      Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
      Files.writeString(temp, process.pid() + " " + started + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("could not record the process of the job in {}; after a crash its process tree is not killed", workDir, e);
    }
  }

  /** Forgets the record once the job's tree is gone. */
  static void forget(Path workDir) {
    try {
      Files.deleteIfExists(workDir.resolveSibling(FILE));
    } catch (IOException e) {
      log.warn("could not delete the process record next to {}", workDir, e);
    }
  }

  /**
   * Kills the tree recorded in {@code jobDir}, if any is left, and deletes the record.
   *
   * @return whether a tree was found and signalled
   */
  public static boolean kill(Path jobDir) {
    Path file = jobDir.resolve(FILE);
    Optional<long[]> recorded = read(file);
    if (recorded.isEmpty()) return false;
    long pid = recorded.get()[0];
    long started = recorded.get()[1];
    Optional<ProcessHandle> leader = ProcessHandle.of(pid);
    boolean same = leader.map(h -> h.info().startInstant().map(i -> i.toEpochMilli() == started).orElse(false)).orElse(true);
    boolean killed = false;
    if (same) {
      leader.ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
      killed = ProcessTree.killGroup(pid);
      leader.ifPresent(ProcessHandle::destroyForcibly);
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("could not delete {}", file, e);
    }
    return killed || (same && leader.isPresent());
  }

  private static Optional<long[]> read(Path file) {
    try {
      String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
      if (parts.length != 2) return Optional.empty();
      long pid = Long.parseLong(parts[0]);
      return pid > 1 ? Optional.of(new long[] {pid, Long.parseLong(parts[1])}) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      log.warn("unreadable process record {}; ignored", file, e);
      return Optional.empty();
    }
  }
}
