package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How far behind a WebSocket client is in reading what it was sent, measured with pings: a client
 * answers each ping with a pong once it has read everything written before it, so a ping's round
 * trip is how long the client took to read its backlog.
 *
 * <p>Why: the network buffers between server and client hold megabytes (the kernel's send and
 * receive buffers grow to several MiB each), and a client that reads more slowly than a log is
 * written keeps them full. Everything written after that waits behind them: the heartbeat's ping,
 * whose pong then comes too late and ends a session that was only slow, and a job's last status.
 *
 * <p>So while data flows, a probe ping follows a write once {@link #PROBE_EVERY_BYTES} were written
 * since the last ping. Messages wait for a pong (control packets and the heartbeat's ping still go)
 * while the oldest unanswered ping is {@link #MAX_LAG} old, and, for a client whose last round
 * trip took {@link #SLOW_ROUND_TRIP} or more, once {@link #MAX_UNANSWERED_BYTES} were written after
 * the last ping answered: the bytes bound the backlog a burst can leave (a socket with room takes
 * megabytes at once), the age bounds it for a client slower than that.
 *
 * <p>A fast client is neither bound by the bytes nor probed more than once at a time (one sample
 * per round trip, a few dozen for 100 MB): measured, a probe every 64 KiB and the bound for every
 * client made a 100 MB detailed log to a fast local client 10–25 % slower. A slow one gets a
 * probe after every such write, as many as are out, so its window moves on with each pong rather
 * than once per round trip: one probe at a time with the bound halved the lines a 50-watcher flood
 * delivered (bench/README.md).
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
  /** The least written between two pings for a probe to follow: a trickle needs no probing. */
  static final long PROBE_EVERY_BYTES = 64 * 1024;
  /** The backlog a client may have before messages wait for it. */
  static final Duration MAX_LAG = Duration.ofSeconds(2);
  /** A round trip this long or longer marks a client the bytes' bound applies to. */
  static final Duration SLOW_ROUND_TRIP = Duration.ofMillis(250);
  /**
   * The most written to a slow client after the last answered ping. why 2 MiB, measured on the
   * bench's floods (bench/README.md): 1 MiB cost up to twice the server's CPU per delivered line
   * with 50 watchers, 4 MiB let watchers of 200 fall behind their heartbeat again.
   */
  static final long MAX_UNANSWERED_BYTES = 2 * 1024 * 1024;
  /**
   * The least allowance worth a write. why: a held writer resumed by every pong would write a
   * little at a time, more writes (and their CPU) for the same bytes.
   */
  static final long MIN_ALLOWANCE = WebSocketTransport.MAX_BYTES_PER_WRITE;

  /** A ping out: when it was written, and the message bytes written before it. */
  private record Ping(long sentAtNanos, long after, boolean heartbeat) {}

  private final LongSupplier nanoClock;
  private final long maxLagNanos = MAX_LAG.toNanos();
  private final long slowRoundTripNanos = SLOW_ROUND_TRIP.toNanos();
  private final ArrayDeque<Ping> unanswered = new ArrayDeque<>();
  private long sentBytes;
  private long answeredBytes;
  private long bytesSinceLastPing;
  private int unansweredProbes;
  private long lastRoundTripNanos;
  private boolean anyPong;
  private long lastPongAtNanos;

  ClientPace(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * How many message bytes may be written now: 0 while the client is behind (messages wait for a
   * pong); for a slow client what is left of {@link #MAX_UNANSWERED_BYTES}, or 0 when that is less
   * than {@link #MIN_ALLOWANCE}; else no bound ({@link Long#MAX_VALUE}).
   */
  long allowance() {
    Ping oldest = unanswered.peekFirst();
    if (oldest != null && nanoClock.getAsLong() - oldest.sentAtNanos() >= maxLagNanos) return 0;
    if (!slow()) return Long.MAX_VALUE;
    long left = MAX_UNANSWERED_BYTES - (sentBytes - answeredBytes);
    return left < MIN_ALLOWANCE ? 0 : left;
  }

  /** Whether the client's last round trip took {@link #SLOW_ROUND_TRIP} or more. */
  private boolean slow() {
    return lastRoundTripNanos >= slowRoundTripNanos;
  }

  /** Message bytes were handed to the socket. */
  void sent(long messageBytes) {
    sentBytes += messageBytes;
    bytesSinceLastPing += messageBytes;
  }

  /** Whether a probe ping should follow what was just sent. */
  boolean probeDue() {
    return bytesSinceLastPing >= PROBE_EVERY_BYTES && (unansweredProbes == 0 || slow());
  }

  /** A ping was handed to the socket after everything {@link #sent} so far. */
  void pingSent(boolean heartbeat) {
    unanswered.addLast(new Ping(nanoClock.getAsLong(), sentBytes, heartbeat));
    if (!heartbeat) unansweredProbes++;
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
    long now = nanoClock.getAsLong();
    anyPong = true;
    lastPongAtNanos = now;
    if (answered == null) return true;
    answeredBytes = answered.after();
    lastRoundTripNanos = now - answered.sentAtNanos();
    if (!answered.heartbeat()) unansweredProbes--;
    return answered.heartbeat();
  }

  /**
   * The pace as the session's close is logged with it. why: a session closed on a ping timeout
   * may have had a dead client or one that read too slowly, and only these figures tell which.
   */
  @Override
  public String toString() {
    long now = nanoClock.getAsLong();
    Ping oldest = unanswered.peekFirst();
    return "pings unanswered " + unanswered.size()
        + (oldest == null ? "" : " (oldest " + millis(now - oldest.sentAtNanos()) + " ms old)")
        + ", last round trip " + millis(lastRoundTripNanos) + " ms"
        + ", last pong " + (!anyPong ? "never" : millis(now - lastPongAtNanos) + " ms ago")
        + ", bytes written " + sentBytes + " (" + (sentBytes - answeredBytes) + " after the last answered ping)";
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
