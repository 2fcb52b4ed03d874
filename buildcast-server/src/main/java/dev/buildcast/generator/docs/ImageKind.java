package dev.buildcast.generator.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Says whether a file really is a raster image, by its leading bytes and its extension together.
 * Only such files are copied into a site: the preview is served from Buildcast's own origin, so an
 * HTML or SVG file (which can carry scripts) named like an image must never reach it.
 */
enum ImageKind {
  PNG(Set.of("png")),
  JPEG(Set.of("jpg", "jpeg")),
  GIF(Set.of("gif")),
  WEBP(Set.of("webp")),
  AVIF(Set.of("avif")),
  BMP(Set.of("bmp")),
  ICO(Set.of("ico"));

  private static final int HEAD_BYTES = 16;

  private final Set<String> extensions;

  ImageKind(Set<String> extensions) {
    this.extensions = extensions;
  }

  /** Whether the name has an image extension at all (before its bytes are read). */
  static boolean looksLikeImage(String name) {
    String ext = extension(name);
    return Arrays.stream(values()).anyMatch(k -> k.extensions.contains(ext));
  }

  /** The kind the file's bytes show, if its extension names that same kind. */
  static Optional<ImageKind> of(Path file) throws IOException {
    byte[] head = new byte[HEAD_BYTES];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, HEAD_BYTES);
    }
    String ext = extension(file.getFileName().toString());
    return sniff(Arrays.copyOf(head, read)).filter(kind -> kind.extensions.contains(ext));
  }

  static Optional<ImageKind> sniff(byte[] b) {
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of(PNG);
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) return Optional.of(JPEG);
    if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) return Optional.of(GIF);
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) return Optional.of(WEBP);
    if (startsWith(b, 4, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f')) return Optional.of(AVIF);
    if (startsWith(b, 0, 'B', 'M') && b.length >= 14) return Optional.of(BMP);
    if (startsWith(b, 0, 0, 0, 1, 0)) return Optional.of(ICO);
    return Optional.empty();
  }

  private static boolean startsWith(byte[] bytes, int at, int... expected) {
    if (bytes.length < at + expected.length) return false;
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[at + i] & 0xFF) != expected[i]) return false;
    }
    return true;
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
