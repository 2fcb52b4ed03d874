package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.upload.UploadStore;
import dev.buildcast.upload.WrongOffsetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Uploads as files in one folder ({@code data/uploads}): {@code <id>.part} while unfinished,
 * written with positional writes at the offset it holds, then renamed to {@code <id>} once
 * complete. Memory use does not depend on the file's size: each chunk is written as it comes.
 */
public final class FileUploadStore implements UploadStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final String PART = ".part";

  private final Path dir;

  public FileUploadStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public void create(String uploadId) throws IOException {
    PrivateFiles.createFolders(dir);
    PrivateFiles.open(part(uploadId), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
  }

  @Override
  public long write(String uploadId, long offset, ByteBuffer data) throws IOException {
    try (FileChannel channel = FileChannel.open(part(uploadId), StandardOpenOption.WRITE)) {
      long held = channel.size();
      // why check the file, not a counter: the file is the truth after a crash or a failed write
      if (offset != held) throw new WrongOffsetException(uploadId, offset, held);
      FileIo.writeFully(channel, data, offset);
      return channel.size();
    }
  }

  @Override
  public long unfinishedSize(String uploadId) throws IOException {
    Path part = part(uploadId);
    try {
      return Files.size(part);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  @Override
  public Path complete(String uploadId) throws IOException {
    Path done = completedPath(uploadId);
    Files.move(part(uploadId), done, StandardCopyOption.ATOMIC_MOVE);
    return done;
  }

  @Override
  public Optional<Path> completed(String uploadId) {
    if (!ID.matcher(uploadId).matches()) return Optional.empty();
    Path done = completedPath(uploadId);
    return Files.isRegularFile(done) ? Optional.of(done) : Optional.empty();
  }

  @Override
  public void delete(String uploadId) throws IOException {
    Files.deleteIfExists(part(uploadId));
    Files.deleteIfExists(completedPath(uploadId));
  }

  @Override
  public List<Unfinished> unfinished() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Unfinished> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (!name.endsWith(PART)) continue;
        String id = name.substring(0, name.length() - PART.length());
        if (!ID.matcher(id).matches()) continue;
        try {
          all.add(new Unfinished(id, Files.getLastModifiedTime(p).toInstant()));
        } catch (NoSuchFileException e) {
          // completed or deleted meanwhile
        }
      }
    }
    return all;
  }

  @Override
  public List<Completed> completedFiles() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Completed> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String id = p.getFileName().toString();
        if (!ID.matcher(id).matches()) continue;
        try {
          all.add(new Completed(id, Files.getLastModifiedTime(p).toInstant(), Files.size(p)));
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        }
      }
    }
    return all;
  }

  @Override
  public Usage usage() throws IOException {
    if (!Files.isDirectory(dir)) return new Usage(0, 0);
    long count = 0;
    long bytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          bytes += Files.size(p);
          count++;
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        }
      }
    }
    return new Usage(count, bytes);
  }

  private Path part(String uploadId) {
    return dir.resolve(checked(uploadId) + PART);
  }

  private Path completedPath(String uploadId) {
    return dir.resolve(checked(uploadId));
  }

  private static String checked(String uploadId) {
    if (uploadId == null || !ID.matcher(uploadId).matches()) {
      throw new IllegalArgumentException("not an upload id: " + uploadId);
    }
    return uploadId;
  }
}
