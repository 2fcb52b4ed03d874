package dev.buildcast.generator.openevent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds export zips for tests from JSON strings and bytes; entry names are written verbatim. */
final class ExportZip {

  private final Map<String, byte[]> entries = new LinkedHashMap<>();

  ExportZip json(String name, String json) {
    entries.put(name, json.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  ExportZip file(String name, byte[] content) {
    entries.put(name, content);
    return this;
  }

  ExportZip without(String name) {
    entries.remove(name);
    return this;
  }

  Path writeTo(Path zip) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    return zip;
  }

  /**
   * A tiny real PNG standing in for an image (2 × 2 pixels, coloured by the marker, so different
   * markers give different files and the same marker the same bytes).
   */
  static byte[] image(String marker) {
    return png(2, 2, marker.hashCode() & 0xffffff);
  }

  /** A PNG of the given size filled with one colour. */
  static byte[] png(int width, int height, int rgb) {
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) image.setRGB(x, y, rgb);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A few bytes standing in for an MP3 recording: an ID3 tag's start and a marker. */
  static byte[] audio(String marker) {
    return ("ID3 " + marker).getBytes(StandardCharsets.US_ASCII);
  }
}
