package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How far behind a WebSocket client is in reading what it was sent, measured with pings: a client
 * answers each ping with a pong once it has read everything written before it, so the age of the
 * oldest unanswered ping is how long the client's backlog takes it to read.
 *
 * <p>Why: the network buffers between server and client hold megabytes (the kernel's send and
 * receive buffers grow to several MiB each), and a client that reads more slowly than a log is
 * written keeps them full. Everything written after that waits behind them: the heartbeat's ping,
 * whose pong then comes too late and ends a session that was only slow, and a job's last status.
 * So while data flows, a ping follows every {@link #PROBE_EVERY_BYTES} written, and messages wait
 * for a pong (control packets and the heartbeat's ping still go) once {@link #MAX_UNANSWERED_BYTES}
 * were written after the last ping answered, or the oldest unanswered ping is {@link #MAX_LAG}
 * old. The bytes bound the backlog a burst can leave (a socket with room takes megabytes at
 * once), the age bounds it for a client slower than the bytes allow for. A fast client answers
 * long before either and never waits.
 *
 * <p>Pongs carry nothing to match them with their ping; they answer in order, so the oldest
 * unanswered ping is the one answered. A pong this knows no ping of (the session's pings on
 * long-polling, a client's unsolicited pong) is taken as the heartbeat's. An unsolicited pong can
 * only make its own client look faster than it is: it then gets what it would have had without
 * this, bounded by the session queue as before.
 *
 * <p>Not thread-safe: the owning {@link EngineSession} guards it with its lock.
 */
final class ClientPace {
  /** Message bytes written between two probe pings: few enough that a slow client's backlog shows. */
  static final long PROBE_EVERY_BYTES = 64 * 1024;
  /** The backlog a client may have before messages wait for it. */
  static final Duration MAX_LAG = Duration.ofSeconds(2);
  /**
   * The most written after the last answered ping. why 2 MiB, measured on the bench's floods
   * (bench/README.md): 1 MiB cost up to twice the server's CPU per delivered line with 50
   * watchers, 4 MiB let watchers of 200 fall behind their heartbeat again; and 2 MiB still lets a
   * client read 40 MB/s over a 50 ms round trip.
   */
  static final long MAX_UNANSWERED_BYTES = 2 * 1024 * 1024;

  /**
   * The least allowance worth a write. why: a held writer resumed by every pong would write 64 KiB
   * at a time, four times the writes (and their CPU) of a client that keeps up.
   */
  static final long MIN_ALLOWANCE = WebSocketTransport.MAX_BYTES_PER_WRITE;

  /** A ping out: when it was written, and the message bytes written before it. */
  private record Ping(long sentAtNanos, long after, boolean heartbeat) {}

  private final LongSupplier nanoClock;
  private final long maxLagNanos = MAX_LAG.toNanos();
  private final ArrayDeque<Ping> unanswered = new ArrayDeque<>();
  private long sentBytes;
  private long answeredBytes;
  private long bytesSinceLastPing;

  ClientPace(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * How many message bytes may be written now: what is left of {@link #MAX_UNANSWERED_BYTES}, or 0
   * (messages wait for a pong) while the client is behind or that is less than {@link
   * #MIN_ALLOWANCE}.
   */
  long allowance() {
    Ping oldest = unanswered.peekFirst();
    if (oldest != null && nanoClock.getAsLong() - oldest.sentAtNanos() >= maxLagNanos) return 0;
    long left = MAX_UNANSWERED_BYTES - (sentBytes - answeredBytes);
    return left < MIN_ALLOWANCE ? 0 : left;
  }

  /** Message bytes were handed to the socket. */
  void sent(long messageBytes) {
    sentBytes += messageBytes;
    bytesSinceLastPing += messageBytes;
  }

  /** Whether a probe ping should follow what was just sent. */
  boolean probeDue() {
    return bytesSinceLastPing >= PROBE_EVERY_BYTES;
  }

  /** A ping was handed to the socket after everything {@link #sent} so far. */
  void pingSent(boolean heartbeat) {
    unanswered.addLast(new Ping(nanoClock.getAsLong(), sentBytes, heartbeat));
    bytesSinceLastPing = 0;
  }

  /**
   * A pong arrived: it answers the oldest unanswered ping.
   *
   * @return whether it answered the heartbeat's ping (or a ping this did not send), which the
   *     heartbeat must hear of
   */
  boolean pongReceived() {
    Ping answered = unanswered.pollFirst();
    if (answered == null) return true;
    answeredBytes = answered.after();
    return answered.heartbeat();
  }
}
