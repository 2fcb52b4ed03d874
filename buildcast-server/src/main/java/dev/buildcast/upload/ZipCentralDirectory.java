package dev.buildcast.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads what {@link java.util.zip.ZipFile} does not tell: each entry's "version made by" host and
 * external attributes, where Unix zips keep the file type (symbolic links among them). Only the
 * end records and the central directory are read.
 */
final class ZipCentralDirectory {

  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
  private static final int HEADER_SIGNATURE = 0x02014b50;
  private static final int EOCD_MIN = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  /** why a cap: the directory is read whole; entry limits make real ones far smaller. */
  private static final long MAX_DIRECTORY_BYTES = 64L << 20;

  private static final int TYPE_MASK = 0xF000;
  private static final int TYPE_SYMLINK = 0xA000;

  private ZipCentralDirectory() {}

  /** One central directory record, as far as the checks need it. */
  record Entry(String name, int host, long externalAttributes) {
    /**
     * Whether the upper 16 bits of the external attributes carry the Unix link type, whatever
     * host the "version made by" field names. why: unzip honours those bits for several hosts
     * (Unix, macOS, BeOS, AtheOS, ...), and a crafted zip picks whichever one a check forgot.
     */
    boolean isSymlink() {
      return ((externalAttributes >>> 16) & TYPE_MASK) == TYPE_SYMLINK;
    }
  }

  /** Reads of bytes at a position of a zip that is {@link #size} bytes long: a file, or a blob read by ranges. */
  interface Source {
    long size() throws IOException;

    /** Exactly {@code length} bytes from {@code position}; a {@link ZipException} when the zip ends before. */
    ByteBuffer read(long position, int length) throws IOException;
  }

  static List<Entry> read(Path zip) throws IOException {
    try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
      return read(new Source() {
        @Override
        public long size() throws IOException {
          return channel.size();
        }

        @Override
        public ByteBuffer read(long position, int length) throws IOException {
          return ZipCentralDirectory.read(channel, position, length);
        }
      });
    }
  }

  static List<Entry> read(Source zip) throws IOException {
    long size = zip.size();
    int tailLength = (int) Math.min(size, EOCD_MIN + MAX_COMMENT);
    ByteBuffer tail = zip.read(size - tailLength, tailLength);
    int eocd = -1;
    for (int i = tailLength - EOCD_MIN; i >= 0; i--) {
      if (tail.getInt(i) == EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipException("no end of central directory record");
    long eocdPosition = size - tailLength + eocd;
    long directorySize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
    long directoryEnd = eocdPosition;
    if (directorySize == 0xFFFFFFFFL || Short.toUnsignedInt(tail.getShort(eocd + 10)) == 0xFFFF) {
      long locator = eocdPosition - 20;
      if (locator >= 0) {
        ByteBuffer loc = zip.read(locator, 20);
        if (loc.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
          long zip64Eocd = loc.getLong(8);
          ByteBuffer z = zip.read(zip64Eocd, 56);
          if (z.getInt(0) != ZIP64_EOCD_SIGNATURE) throw new ZipException("broken zip64 end record");
          directorySize = z.getLong(40);
          directoryEnd = zip64Eocd;
        }
      }
    }
    long directoryStart = directoryEnd - directorySize;
    if (directorySize > MAX_DIRECTORY_BYTES || directoryStart < 0) {
      throw new ZipException("central directory of " + directorySize + " bytes is out of bounds");
    }
    return entries(zip.read(directoryStart, (int) directorySize));
  }

  private static List<Entry> entries(ByteBuffer directory) throws ZipException {
    List<Entry> entries = new ArrayList<>();
    int p = 0;
    while (p + 46 <= directory.limit()) {
      if (directory.getInt(p) != HEADER_SIGNATURE) throw new ZipException("broken central directory at byte " + p);
      int host = Short.toUnsignedInt(directory.getShort(p + 4)) >>> 8;
      int nameLength = Short.toUnsignedInt(directory.getShort(p + 28));
      int extraLength = Short.toUnsignedInt(directory.getShort(p + 30));
      int commentLength = Short.toUnsignedInt(directory.getShort(p + 32));
      long external = Integer.toUnsignedLong(directory.getInt(p + 38));
      if (p + 46 + nameLength > directory.limit()) throw new ZipException("entry name runs past the central directory");
      byte[] name = new byte[nameLength];
      directory.get(p + 46, name);
      entries.add(new Entry(new String(name, StandardCharsets.UTF_8), host, external));
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }

  private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) throw new ZipException("zip ends early at byte " + at);
      at += n;
    }
    return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
