package dev.buildcast.socket;

import dev.buildcast.log.DetailedLogChunks;
import dev.buildcast.log.JobLog;
import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.SocketIoSocket;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Answers {@code retrieve-detailed-logs}: the whole detailed log as {@code file-content} strings of
 * at most 64 KiB each, then {@code file-content-end {bytes, lines}}. Streams from disk at the pace
 * the socket drains, so neither a huge log nor a slow client grows the server's memory.
 */
final class DetailedLogSender {

  private DetailedLogSender() {}

  /** Runs on its own virtual thread; returns at once. */
  static void start(SocketIoSocket socket, DrainSignal drain, JobLog log) {
    Thread.ofVirtual().name("buildcast-detailed-" + socket.id()).start(() -> send(socket, drain, log));
  }

  private static void send(SocketIoSocket socket, DrainSignal drain, JobLog log) {
    long lines = log.lastSeq();
    long[] bytes = {0};
    try {
      DetailedLogChunks.forEach(log, DetailedLogChunks.DEFAULT_MAX_BYTES, chunk -> {
        if (!deliver(socket, drain, socket.namespace().encode(SocketEvents.FILE_CONTENT, chunk))) {
          throw new CancellationException("the client left");
        }
        bytes[0] += chunk.getBytes(StandardCharsets.UTF_8).length;
      });
    } catch (CancellationException e) {
      return;
    } catch (UncheckedIOException e) {
      socket.emit(SocketEvents.ERROR, ErrorPayload.of("log_unreadable", "The detailed log could not be read: " + e.getMessage()));
      return;
    }
    deliver(socket, drain, socket.namespace().encode(SocketEvents.FILE_CONTENT_END, Map.of("bytes", bytes[0], "lines", lines)));
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
