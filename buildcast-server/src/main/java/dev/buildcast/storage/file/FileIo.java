package dev.buildcast.storage.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Whole-buffer positional reads and writes, which {@link FileChannel} may do in pieces. */
final class FileIo {

  private FileIo() {}

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) throw new EOFException("file ends at " + at + ", expected more");
      at += read;
    }
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  static ByteBuffer read(FileChannel channel, int bytes, long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    readFully(channel, buffer, position);
    return buffer.flip();
  }
}
