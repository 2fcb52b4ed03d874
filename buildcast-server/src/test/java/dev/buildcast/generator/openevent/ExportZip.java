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
   * A few bytes standing in for an image: a PNG's signature and a marker. The generator never
   * decodes images, but it checks their first bytes.
   */
  static byte[] image(String marker) {
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    byte[] text = (" " + marker).getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = java.util.Arrays.copyOf(signature, signature.length + text.length);
    System.arraycopy(text, 0, bytes, signature.length, text.length);
    return bytes;
  }

  /** A few bytes standing in for an MP3 recording: an ID3 tag's start and a marker. */
  static byte[] audio(String marker) {
    return ("ID3 " + marker).getBytes(StandardCharsets.US_ASCII);
  }
}
