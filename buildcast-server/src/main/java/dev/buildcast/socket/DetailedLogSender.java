package dev.buildcast.socket;

import dev.buildcast.log.DetailedLogChunks;
import dev.buildcast.log.JobLog;
import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.Namespace;
import dev.buildcast.socketio.SocketIoSocket;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@code retrieve-detailed-logs}: the whole detailed log as {@code file-content} strings of
 * at most 64 KiB each, then {@code file-content-end {bytes, lines}}. Streams from disk at the pace
 * the socket drains, so neither a huge log nor a slow client grows the server's memory.
 *
 * <p>One socket's requests are answered one after the other by one virtual thread: two transfers
 * at once would interleave their chunks (the client could not tell them apart), and a client
 * asking thousands of times would get thousands of threads each holding a chunk. Waiting requests
 * are only counted.
 */
final class DetailedLogSender {

  private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(DetailedLogSender.class);


  private static final String PENDING = "buildcast.detailed.pending";

  private DetailedLogSender() {}

  /** Returns at once; the transfer runs on the socket's sender thread, after those asked before. */
  static void start(SocketIoSocket socket, DrainSignal drain, JobLog log) {
    AtomicInteger pending = (AtomicInteger) socket.attributes().computeIfAbsent(PENDING, k -> new AtomicInteger());
    if (pending.getAndIncrement() > 0) return; // the running sender will serve this one too
    Thread.ofVirtual().name("buildcast-detailed-" + socket.id()).start(() -> {
      do {
        if (!send(socket, drain, log)) {
          pending.set(0);
          return;
        }
      } while (pending.decrementAndGet() > 0);
    });
  }

  /** One whole transfer; false when the client left (or the log is unreadable), so the rest is not sent. */
  private static boolean send(SocketIoSocket socket, DrainSignal drain, JobLog log) {
    long lines = log.lastSeq();
    long[] bytes = {0};
    try {
      DetailedLogChunks.forEach(log, DetailedLogChunks.DEFAULT_MAX_BYTES, (utf8, length) -> {
        if (!deliver(socket, drain, fileContent(socket.namespace(), utf8, length))) {
          throw new CancellationException("the client left");
        }
        bytes[0] += length;
      });
    } catch (CancellationException e) {
      return false;
    } catch (UncheckedIOException e) {
      // why not the message: it names the log's path under the data folder; the server log has it
      logger.warn("{} - the detailed log could not be read for a watcher", socket.namespace().name(), e);
      socket.emit(SocketEvents.ERROR, ErrorPayload.of("log_unreadable", "The detailed log could not be read; the server logged why."));
      return false;
    }
    return deliver(socket, drain, socket.namespace().encode(SocketEvents.FILE_CONTENT_END, Map.of("bytes", bytes[0], "lines", lines)));
  }

  /**
   * One {@code file-content} event of a chunk of well-formed UTF-8. why written from the bytes: a
   * 64 KiB chunk as a String packet was copied five times on its way out, and decoding it into a
   * String only to encode it back was most of a transfer's CPU.
   */
  static EncodedPacket fileContent(Namespace namespace, byte[] utf8, int length) {
    // what JSON escapes grow it by is a guess: a log line's quotes, backslashes and tabs
    int expected = length + length / 16;
    return namespace.encodeWritten(SocketEvents.FILE_CONTENT, expected, generator -> generator.writeUTF8String(utf8, 0, length));
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
}
