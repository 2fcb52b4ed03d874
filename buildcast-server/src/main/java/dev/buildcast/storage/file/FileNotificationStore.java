package dev.buildcast.storage.file;

import dev.buildcast.job.JobFiles;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.notify.NotificationStore;
import dev.buildcast.notify.PendingDelivery;
import dev.buildcast.storage.PendingDeliveryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each pending notification delivery as {@code <jobId>.<deliveryId>.json} in one folder
 * (700; files 600), written to a temporary file, forced to disk and renamed over the old one, so
 * a crash leaves the old or the new record, never half of one.
 *
 * <p>A record that cannot be read back (garbled, from an unknown version, or naming another
 * delivery than its file) is never fatal: it is renamed to {@code *.unreadable}, for the operator
 * to look at, with a log line saying so, and the rest is read. Temporary files left by a crash are
 * deleted when the store opens.
 *
 * <p>Thread-safe: each save writes its own temporary file; the rename is the one shared step.
 */
public final class FileNotificationStore implements NotificationStore {

  private static final Logger log = LoggerFactory.getLogger(FileNotificationStore.class);
  /** A record is a few hundred bytes; a file far larger is not one of ours. */
  static final long MAX_RECORD_BYTES = 64 * 1024;
  private static final String SUFFIX = ".json";

  private final Path folder;

  /** Opens (creating) the store in {@code folder}; deletes temporary files a crash left. */
  public FileNotificationStore(Path folder) {
    this.folder = folder;
    try {
      PrivateFiles.createFolders(folder);
      try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, "*.tmp")) {
        for (Path temp : leftovers) Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the notification store at " + folder + "; check that the data folder is writable", e);
    }
  }

  @Override
  public void save(PendingDelivery delivery) {
    Path target = fileOf(delivery.jobId(), delivery.id());
    try {
      Path temp = Files.createTempFile(folder, delivery.id(), ".tmp", PrivateFiles.file());
      try {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          ByteBuffer bytes = ByteBuffer.wrap(PendingDeliveryJson.write(delivery));
          while (bytes.hasRemaining()) channel.write(bytes);
          channel.force(true);
        }
        moveAtomically(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
      forceFolder();
    } catch (IOException e) {
      throw new UncheckedIOException("could not record notification delivery " + delivery.id() + " of job " + delivery.jobId() + " in " + target, e);
    }
  }

  @Override
  public List<PendingDelivery> forJob(String jobId) {
    if (!JobFiles.isValidId(jobId)) return List.of();
    return read(jobId + ".*" + SUFFIX);
  }

  @Override
  public List<PendingDelivery> all() {
    return read("*" + SUFFIX);
  }

  @Override
  public void remove(PendingDelivery delivery) {
    try {
      Files.deleteIfExists(fileOf(delivery.jobId(), delivery.id()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove notification delivery " + delivery.id() + " of job " + delivery.jobId(), e);
    }
  }

  private Path fileOf(String jobId, String deliveryId) {
    return folder.resolve(jobId + "." + deliveryId + SUFFIX);
  }

  private List<PendingDelivery> read(String glob) {
    List<PendingDelivery> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
      for (Path file : files) readOne(file).ifPresent(found::add);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the notification store at " + folder, e);
    }
    return found;
  }

  private Optional<PendingDelivery> readOne(Path file) {
    String why;
    try {
      if (Files.size(file) > MAX_RECORD_BYTES) {
        why = "larger than " + MAX_RECORD_BYTES + " bytes";
      } else {
        PendingDelivery d = PendingDeliveryJson.read(Files.readAllBytes(file));
        if (file.getFileName().toString().equals(d.jobId() + "." + d.id() + SUFFIX)) return Optional.of(d);
        why = "it names another delivery than its file";
      }
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException settled) {
      return Optional.empty(); // why: removed (delivered) between the listing and the read
    } catch (IOException | IllegalArgumentException e) {
      why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }
    setAside(file, why);
    return Optional.empty();
  }

  private void setAside(Path file, String why) {
    Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      log.warn("notification record {} is unreadable ({}); dropped, kept as {}", file.getFileName(), why, aside.getFileName());
    } catch (IOException e) {
      log.warn("notification record {} is unreadable ({}); dropped, and could not be set aside: {}", file.getFileName(), why, e.toString());
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes the rename itself durable. why ignore a failure: some file systems cannot force a folder. */
  private void forceFolder() {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("forcing the notification folder {} is not supported: {}", folder, e.toString());
    }
  }
}
