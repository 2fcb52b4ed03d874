package dev.buildcast.generator.docs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A repository's files, built in a test and written as a folder or a zip. */
final class RepoFixture {

  /** The 8 leading bytes of a PNG and a little more: what {@link ImageKind} checks. */
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

  private final Map<String, byte[]> files = new TreeMap<>();

  RepoFixture text(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  RepoFixture bytes(String path, byte[] content) {
    files.put(path, content);
    return this;
  }

  Path writeTo(Path folder) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = folder.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    Files.createDirectories(folder);
    return folder;
  }

  /** As code hosts zip a repository: everything inside one top folder. */
  Path zipTo(Path zip, String topFolder) throws IOException {
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        z.putNextEntry(new ZipEntry(topFolder.isEmpty() ? e.getKey() : topFolder + "/" + e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return zip;
  }
}
