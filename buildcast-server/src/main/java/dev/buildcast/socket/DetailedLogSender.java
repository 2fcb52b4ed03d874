package dev.buildcast.socket;

import dev.buildcast.log.JobLog;
import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.SocketIoSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Answers {@code retrieve-detailed-logs}: the whole detailed log as {@code file-content} strings of
 * at most 64 Ki characters, then {@code file-content-end {bytes, lines}}. Streams from disk at the
 * pace the socket drains, so neither a huge log nor a slow client grows the server's memory.
 */
final class DetailedLogSender {

  static final int MAX_CHUNK_CHARS = 64 * 1024;

  private DetailedLogSender() {}

  /** Runs on its own virtual thread; returns at once. */
  static void start(SocketIoSocket socket, DrainSignal drain, JobLog log) {
    Thread.ofVirtual().name("buildcast-detailed-" + socket.id()).start(() -> send(socket, drain, log));
  }

  private static void send(SocketIoSocket socket, DrainSignal drain, JobLog log) {
    long lines = log.lastSeq();
    long bytes;
    char[] buffer = new char[MAX_CHUNK_CHARS];
    try (CountingInputStream counted = new CountingInputStream(log.openText(), log.textBytes());
        Reader text = new InputStreamReader(counted, StandardCharsets.UTF_8)) {
      int carried = 0;
      while (true) {
        int n = carried + fill(text, buffer, carried);
        if (n == 0) break;
        boolean full = n == buffer.length;
        // why: never end a chunk between the two halves of a surrogate pair
        int length = full && Character.isHighSurrogate(buffer[n - 1]) ? n - 1 : n;
        if (!deliver(socket, drain, socket.namespace().encode(SocketEvents.FILE_CONTENT, new String(buffer, 0, length)))) return;
        carried = n - length;
        if (carried == 1) buffer[0] = buffer[n - 1];
        if (!full) break;
      }
      bytes = counted.count();
    } catch (IOException e) {
      socket.emit(SocketEvents.ERROR, ErrorPayload.of("log_unreadable", "The detailed log could not be read: " + e.getMessage()));
      return;
    }
    deliver(socket, drain, socket.namespace().encode(SocketEvents.FILE_CONTENT_END, Map.of("bytes", bytes, "lines", lines)));
  }

  /** Reads from {@code offset} until the buffer is full or the stream ends; returns the chars read. */
  private static int fill(Reader reader, char[] buffer, int offset) throws IOException {
    int filled = offset;
    while (filled < buffer.length) {
      int n = reader.read(buffer, filled, buffer.length - filled);
      if (n < 0) break;
      filled += n;
    }
    return filled - offset;
  }

  /** Sends, waiting for the socket to drain while its queue is full; false once it disconnected. */
  private static boolean deliver(SocketIoSocket socket, DrainSignal drain, EncodedPacket packet) {
    try {
      while (socket.isConnected()) {
        long seen = drain.generation();
        if (socket.send(packet)) return true;
        drain.awaitDrainSince(seen);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Counts the bytes read, never past the size the log had when the request came. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    private long count;
    private final long limit;

    CountingInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      if (count >= limit) return -1;
      int b = super.read();
      if (b >= 0) count++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (count >= limit) return -1;
      int n = super.read(b, off, (int) Math.min(len, limit - count));
      if (n > 0) count += n;
      return n;
    }
  }
}
