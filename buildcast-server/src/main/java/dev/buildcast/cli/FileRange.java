package dev.buildcast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@code length} bytes of a file from {@code offset}, read piece by piece each time the HTTP
 * client sends the body (a retried request reads the file again), never whole in memory.
 */
record FileRange(Path file, long offset, long length) implements Iterable<byte[]> {

  private static final int PIECE_BYTES = 64 * 1024;

  @Override
  public Iterator<byte[]> iterator() {
    return new Iterator<>() {
      private long position = offset;

      @Override
      public boolean hasNext() {
        return position < offset + length;
      }

      @Override
      public byte[] next() {
        if (!hasNext()) throw new NoSuchElementException();
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(PIECE_BYTES, offset + length - position));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
          while (piece.hasRemaining()) {
            if (channel.read(piece, position + piece.position()) < 0) {
              throw new IOException(file + " ended at byte " + (position + piece.position()) + "; it changed while it was uploaded");
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("reading " + file + " failed", e);
        }
        position += piece.capacity();
        return piece.array();
      }
    };
  }
}
