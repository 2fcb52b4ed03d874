package dev.buildcast.storage.file;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobKeys;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.InvalidBlobKeyException;
import dev.buildcast.job.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The single-node {@link BlobStore}: one file per blob under {@code <root>/objects/<key>}, written
 * as a temporary file in {@code <root>/tmp/} (same file system), then renamed over the old one, so
 * a reader has the old bytes or the new ones, never a mix, and a crash of the process leaves no
 * torn blob. Whether the bytes are also forced to the device before the rename is the {@link
 * Durability} given. Folders are 700 and files 600 from their creation.
 *
 * <p>Only this class writes below its root, and it writes no links. Still, reading keeps every
 * guarantee the job folders have (docs/security.md, "what a generator's process may do"), in case
 * something else ever does: no part of the path below {@code objects/} may be a link, the file
 * must be a regular file with one hard link, its real path must lie inside the real {@code
 * objects/} folder, and it is opened without following a link.
 *
 * <p>Concurrency: no lock. Puts of one key race only on the rename, which the file system makes
 * atomic (the last rename wins). A delete that removes an emptied folder while a put is about to
 * rename into it makes the rename fail; the put creates the folder again and retries. None of this
 * depends on the instances being one: several instances, in one process or in several nodes that
 * mount one folder (the {@code directory} blob store of cluster mode), keep the contract together,
 * as long as the file system's rename is atomic (local file systems and NFS are; some FUSE
 * mounts are not).
 */
public final class FolderBlobStore implements BlobStore {

  /** Whether a put waits for its bytes to reach the device. */
  public enum Durability {
    /**
     * Each put forces its file to the device before the rename: a blob survives a power loss the
     * moment put returns. Costs one device flush per blob (6 to 8 ms each on the test machine's
     * disk, so 40 s for a site of 5,000 files).
     */
    FORCED,
    /**
     * Puts leave the bytes to the page cache, which the kernel writes out within seconds: a crash
     * of the process loses nothing, a power loss may lose blobs written in the last seconds. The
     * level {@code job.json} and uploads have; what the server runs with.
     */
    PAGE_CACHE
  }

  private static final int MOVE_ATTEMPTS = 8;

  /** How long a temporary file must have been left alone before a starting instance removes it. */
  static final Duration STALE_TEMPORARY_FILE = Duration.ofHours(1);

  private final Path objects;
  private final Path temp;
  private final Durability durability;

  /**
   * Uses (and creates) {@code root}; temporary files a crash left there more than an hour ago are
   * removed. Several instances (nodes) may use one root at once.
   */
  public FolderBlobStore(Path root, Durability durability) {
    this.durability = durability;
    Path base = root.toAbsolutePath().normalize();
    this.objects = base.resolve("objects");
    this.temp = base.resolve("tmp");
    try {
      PrivateFiles.createFolders(objects);
      PrivateFiles.createFolders(temp);
      removeStaleTemporaryFiles();
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the blob folder " + base + "; check that the server may write there", e);
    }
  }

  /** The folders are there and this process may write in them (a shared mount that went away fails here). */
  @Override
  public void checkUsable() {
    for (Path folder : List.of(objects, temp)) {
      if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
        throw new UncheckedIOException(new IOException("the blob folder " + folder + " is missing or not writable for the server"));
      }
    }
  }

  /**
   * Removes the temporary files of puts that ended with a crash. why only old ones: on a folder
   * several nodes share (the directory blob store of cluster mode), a recent one may be another
   * node's put in progress, which a delete would make fail; a put writes its file as it reads, so
   * a file untouched for {@link #STALE_TEMPORARY_FILE} is no longer being written.
   */
  private void removeStaleTemporaryFiles() throws IOException {
    Instant staleBefore = Instant.now().minus(STALE_TEMPORARY_FILE);
    try (var left = Files.list(temp)) {
      for (Path file : left.toList()) {
        try {
          if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(staleBefore)) Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
          // its put finished (or another node removed it) while we looked
        }
      }
    }
  }

  @Override
  public BlobInfo put(String key, InputStream content) {
    return store(key, channel -> {
      OutputStream out = Channels.newOutputStream(channel);
      content.transferTo(out);
    });
  }

  @Override
  public BlobInfo put(String key, Path file) {
    return store(key, channel -> {
      try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        long size = source.size();
        long at = 0;
        // why transferTo: the kernel copies file to file (copy_file_range) without passing the bytes through the heap
        while (at < size) {
          long moved = source.transferTo(at, size - at, channel);
          if (moved <= 0) break;
          at += moved;
        }
        if (source.size() != at) throw new IOException(file + " changed size while it was stored");
      }
    });
  }

  private interface Writer {
    void write(FileChannel channel) throws IOException;
  }

  private BlobInfo store(String key, Writer writer) {
    BlobKeys.check(key);
    Path target = objects.resolve(key);
    Path part = null;
    try {
      // why not createTempFile: that opens the file a second time; the name only needs to be new (CREATE_NEW checks)
      part = temp.resolve("put-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".part");
      BlobInfo stored;
      try (FileChannel channel = PrivateFiles.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writer.write(channel);
        if (durability == Durability.FORCED) channel.force(false);
        stored = new BlobInfo(key, channel.size(), Files.getLastModifiedTime(part, LinkOption.NOFOLLOW_LINKS).toInstant());
      }
      moveIntoPlace(key, part, target);
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException("could not store blob " + key + " under " + objects, e);
    } finally {
      deleteQuietly(part);
    }
  }

  private void moveIntoPlace(String key, Path part, Path target) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        PrivateFiles.createFolders(target.getParent());
      } catch (FileAlreadyExistsException e) {
        throw new InvalidBlobKeyException(key, "lies below another blob (" + objects.relativize(Path.of(e.getFile())) + ")");
      }
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidBlobKeyException(key, "is a folder of other blobs");
      }
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == MOVE_ATTEMPTS) throw e; // why retry: a delete emptied and removed the folder between the two steps
      }
    }
  }

  @Override
  public Optional<Blob> get(String key, BlobRange range) {
    BlobKeys.check(key);
    Path file = objects.resolve(key);
    try {
      if (!isServable(file)) return Optional.empty();
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      try {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long size = channel.size(); // why the channel's: the size of the file opened, even if a put replaced the name since
        long[] span = range.resolve(key, size);
        channel.position(Math.max(0, span[0]));
        InputStream in = new BoundedInputStream(Channels.newInputStream(channel), span[1] - span[0] + 1);
        return Optional.of(new Blob(new BlobInfo(key, size, attrs.lastModifiedTime().toInstant()), span[0], span[1], in));
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted while being opened
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(file)) return Optional.empty(); // a link put in its place: never followed
      throw new UncheckedIOException("could not read blob " + key + " under " + objects, e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read blob " + key + " under " + objects, e);
    }
  }

  /** The checks of the class comment: no link on the way, a regular file with one name, really inside. */
  private boolean isServable(Path file) throws IOException {
    for (Path p = file; !p.equals(objects); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) return false;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return false;
    if (((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1) return false;
    return file.toRealPath().startsWith(objects.toRealPath());
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    BlobKeys.checkPrefix(prefix);
    Path dir = folderOf(prefix);
    List<BlobInfo> found = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return found;
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) found.add(new BlobInfo(keyOf(file), attrs.size(), attrs.lastModifiedTime().toInstant()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // deleted while listed
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the blobs under " + prefix + " in " + objects, e);
    }
    found.sort(Comparator.comparing(BlobInfo::key));
    return found;
  }

  @Override
  public boolean delete(String key) {
    BlobKeys.check(key);
    Path file = objects.resolve(key);
    try {
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) return false;
      boolean deleted = Files.deleteIfExists(file);
      removeEmptyFolders(file.getParent());
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete blob " + key + " under " + objects, e);
    }
  }

  @Override
  public int deletePrefix(String prefix) {
    BlobKeys.checkPrefix(prefix);
    if (prefix.isEmpty()) throw new InvalidBlobKeyException(prefix, "is empty: deleting every blob at once is refused");
    Path dir = folderOf(prefix);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return 0;
    int[] deleted = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (Files.deleteIfExists(file) && attrs.isRegularFile()) deleted[0]++;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
          deleteFolderIfEmpty(folder);
          return FileVisitResult.CONTINUE;
        }
      });
      removeEmptyFolders(dir.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the blobs under " + prefix + " in " + objects, e);
    }
    return deleted[0];
  }

  private Path folderOf(String prefix) {
    return prefix.isEmpty() ? objects : objects.resolve(prefix.substring(0, prefix.length() - 1));
  }

  private String keyOf(Path file) {
    return objects.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  /** Removes {@code folder} and its parents up to (not including) {@code objects/} while they are empty. */
  private void removeEmptyFolders(Path folder) throws IOException {
    for (Path p = folder; p != null && p.startsWith(objects) && !p.equals(objects); p = p.getParent()) {
      if (!deleteFolderIfEmpty(p)) return;
    }
  }

  private static boolean deleteFolderIfEmpty(Path folder) throws IOException {
    try {
      return Files.deleteIfExists(folder);
    } catch (DirectoryNotEmptyException e) {
      return false; // why not an error: another blob is there, or a put just added one
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) return;
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file left behind is removed at the next start
    }
  }
}
