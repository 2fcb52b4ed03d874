package dev.buildcast.socketio.engine;

import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a thread that sends to many WebSockets in one task (a log delivery to every watcher of a
 * job) write those sockets itself once the task has ended, instead of handing each socket's writer
 * to the engine's writers; only sockets that had nothing else to write (see {@link
 * WebSocketTransport#flush(boolean)}).
 *
 * <p>Why: a hand-over costs a task on the writers' pool and a wake-up of one of its threads for
 * every socket sent to, more than the write itself when a paced job sends one line at a time:
 * measured, a job printing 2,000 lines/s to 50 watchers spent about a fifth of the server's CPU
 * less with the writes on the delivering thread (bench/README.md). Why after the task and not at
 * each send: the task may hold locks that the job's output pump also takes (the fan-out's), and a
 * write must not lengthen them. Writes are non-blocking, so a slow client costs this thread no
 * more than a fast one: what its socket cannot take now is finished by the socket's completion.
 *
 * <p>Each socket sent to is written once, after the task, with everything queued for it by then
 * (a write already in flight takes it when it completes, as always). Sends from other threads are
 * unaffected: a socket waiting here is not marked as having a write handed over, so another
 * thread's send (the heartbeat's ping) still hands its own over at once. Measured: with that
 * mark, a 200-watcher flood lost 109 and 190 of its watchers to ping timeouts in two runs.
 */
public final class WritesAfterTask {
  private static final Logger LOG = LoggerFactory.getLogger(WritesAfterTask.class);
  private static final ThreadLocal<Set<WebSocketTransport>> DEFERRED = new ThreadLocal<>();

  private WritesAfterTask() {}

  /** {@code task}, made to write the WebSockets it sends to on its own thread once it has run. */
  public static Runnable around(Runnable task) {
    return () -> run(task);
  }

  private static void run(Runnable task) {
    if (DEFERRED.get() != null) { // nested: the outer task writes
      task.run();
      return;
    }
    Set<WebSocketTransport> sockets = new LinkedHashSet<>();
    DEFERRED.set(sockets);
    try {
      task.run();
    } finally {
      DEFERRED.remove();
      for (WebSocketTransport socket : sockets) {
        try {
          socket.writeQueued();
        } catch (RuntimeException e) { // why: one socket's failure must not leave the others unwritten
          LOG.warn("a deferred WebSocket write failed", e);
        }
      }
    }
  }

  /**
   * Holds back the write of {@code socket} until the task this thread runs has ended, if it runs
   * one and {@code socket} had nothing else to write ({@code idle}) or is held back already.
   *
   * @return false when not: the caller hands the write over as usual
   */
  static boolean defer(WebSocketTransport socket, boolean idle) {
    Set<WebSocketTransport> sockets = DEFERRED.get();
    if (sockets == null) return false;
    if (!idle) return sockets.contains(socket);
    sockets.add(socket); // once per socket: its one write after the task takes all it queued
    return true;
  }
}
