package dev.buildcast.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds good and bad zips for the upload tests; entry names are written verbatim. */
public final class ZipFixtures {

  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  /** Symbolic link entries and the "version made by" host each one claims. */
  private final Map<String, Integer> symlinks = new LinkedHashMap<>();

  /** "Version made by" hosts, as the zip format numbers them. */
  public static final int HOST_UNIX = 3;
  public static final int HOST_BEOS = 16;

  public static ZipFixtures zip() {
    return new ZipFixtures();
  }

  public ZipFixtures file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  public ZipFixtures file(String name, byte[] content) {
    entries.put(name, content);
    return this;
  }

  /** An entry marked as a Unix symbolic link to {@code target}, as {@code zip --symlinks} writes it. */
  public ZipFixtures symlink(String name, String target) {
    return symlink(name, target, HOST_UNIX);
  }

  /**
   * The same, claiming to be made by {@code host}: the link's mode bits are in the external
   * attributes whatever the host says, and unzip honours them for BeOS (16) too.
   */
  public ZipFixtures symlink(String name, String target, int host) {
    entries.put(name, target.getBytes(StandardCharsets.UTF_8));
    symlinks.put(name, host);
    return this;
  }

  public Path writeTo(Path zip) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    if (!symlinks.isEmpty()) markSymlinks(zip);
    return zip;
  }

  public byte[] bytes(Path dir) throws IOException {
    return Files.readAllBytes(writeTo(Files.createTempFile(dir, "fixture", ".zip")));
  }

  /** Sets the "made by" host and mode 0120777 (a symbolic link) in the central directory records of the symlink entries. */
  private void markSymlinks(Path zip) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p + 46 <= bytes.length; p++) {
      if (b.getInt(p) != 0x02014b50) continue;
      int nameLength = Short.toUnsignedInt(b.getShort(p + 28));
      String name = new String(bytes, p + 46, nameLength, StandardCharsets.UTF_8);
      if (symlinks.containsKey(name)) {
        b.putShort(p + 4, (short) (symlinks.get(name) << 8 | 0x1E));
        b.putInt(p + 38, 0120777 << 16);
      }
    }
    Files.write(zip, bytes);
  }
}
