package dev.buildcast.socket;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.buildcast.job.JobRecord;
import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogMovedException;
import dev.buildcast.log.LogSubscriber;
import dev.buildcast.log.LogSubscription;
import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.protocol.JobStatusPayload;
import dev.buildcast.protocol.Json;
import dev.buildcast.socketio.EncodedPacket;
import dev.buildcast.socketio.Namespace;
import dev.buildcast.socketio.SocketIoSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One socket following one job: its log subscription (a cursor in the job's log, see {@link
 * LogBroadcaster}) and its status updates.
 *
 * <p>Both go through {@link SocketIoSocket#send}, which refuses rather than queues without bound:
 * a refused log batch moves the cursor to catch-up from disk; a refused status is kept (latest
 * wins) and sent when the socket drains. The final status is held back until the watcher has the
 * job's last line, so a client that sees "succeeded" has the whole log; an older status never
 * follows a newer one ({@link OwedStatus}).
 */
final class JobWatch implements LogSubscriber {

  static final String ATTRIBUTE = "buildcast.watch";
  static final String LOG_UNREADABLE = "log_unreadable";
  static final String LOG_MOVED = "log_moved";

  private final SocketIoSocket socket;
  private final WatchOptions options;
  private final DrainSignal drain;
  /** Told each time the socket refused a batch (for the slow-client metric). */
  private final Runnable refused;
  private long generationAtRefusal;
  private volatile LogSubscription subscription;
  private final OwedStatus owed = new OwedStatus();
  /**
   * Held while a status (or the error that ends them) is taken and sent: two threads flushing at
   * once would otherwise put an older status on the wire after a newer one.
   */
  private final Object sending = new Object();

  JobWatch(SocketIoSocket socket, WatchOptions options, DrainSignal drain, Runnable refused) {
    this.refused = refused;
    this.socket = socket;
    this.options = options;
    this.drain = drain;
  }

  /** Sends the current status, then subscribes from the requested line. */
  void start(JobRecord current, LogBroadcaster broadcaster, dev.buildcast.log.JobLog log) {
    statusChanged(current);
    subscription = broadcaster.subscribe(log, options.since(), options.filter(), this);
    socket.onDisconnect(reason -> stop());
    if (!socket.isConnected()) stop();
  }

  /** Called for every status change of the job, and with the status read when the watcher connected. */
  void statusChanged(JobRecord record) {
    owed.offer(record);
    flushStatus();
  }

  private void flushStatus() {
    long seen = drain.generation();
    synchronized (sending) {
      JobRecord record = owed.take();
      if (record == null) return;
      // why: the socket layer's mapper knows no java.time; the protocol's mapper writes ISO-8601 strings
      EncodedPacket packet = socket.namespace().encode(SocketEvents.STATUS, Json.MAPPER.valueToTree(JobStatusPayload.of(record)));
      if (socket.send(packet) || !socket.isConnected()) return;
      owed.refused(record);
    }
    drain.whenDrainedSince(seen, this::flushStatus);
  }

  @Override
  public boolean offer(LogBatch batch) {
    // why: a cursor of a gone socket must stop reading and encoding the log, not race to its end;
    // refusing parks it (see whenWritable) until the disconnect listener cancels it
    if (!socket.isConnected()) return false;
    Optional<EncodedPacket> encoded =
        batch.encoded(encodingKey(), b -> Optional.ofNullable(encode(socket.namespace(), b, options.json())));
    if (encoded.isEmpty()) return true;
    EncodedPacket packet = encoded.get();
    long seen = drain.generation();
    boolean sent = socket.send(packet);
    if (!sent) {
      generationAtRefusal = seen;
      if (socket.isConnected()) refused.run();
    }
    return sent;
  }

  @Override
  public Object encodingKey() {
    return options.json() ? "json" : "message";
  }

  private void stop() {
    LogSubscription current = subscription;
    if (current != null) current.cancel();
  }

  @Override
  public void whenWritable(Runnable callback) {
    if (!socket.isConnected()) return;
    drain.whenDrainedSince(generationAtRefusal, () -> {
      if (socket.isConnected()) callback.run();
    });
  }

  @Override
  public void caughtUpToEnd() {
    owed.logComplete();
    flushStatus();
  }

  /**
   * The log cannot be followed here any more: one {@code error} event, and nothing after it (a
   * final status would claim the watcher has the whole log). why no detail: the cause names
   * internals (entries, nodes); the server logged it where it happened.
   */
  @Override
  public void failed(Exception cause) {
    ErrorPayload payload = cause instanceof LogMovedException
        ? ErrorPayload.of(LOG_MOVED, "This server no longer runs the job; connect again (with since) to follow it on another server.")
        : ErrorPayload.of(LOG_UNREADABLE, "The job's log could not be read any further on this server; the server logged why.");
    synchronized (sending) {
      if (owed.close()) socket.emit(SocketEvents.ERROR, payload);
    }
  }

  /** The batch as events of one namespace: one {@code log} event, or one {@code message} per basic line. Null when nothing to send. */
  static EncodedPacket encode(Namespace namespace, LogBatch batch, boolean json) {
    if (json) {
      if (batch.lines().isEmpty()) return null;
      // why written straight into the packet's UTF-8: a tree of one object per line, which the
      // packet encoder then walked twice looking for binary, was most of the CPU of a watcher
      // catching up from disk (JFR, bench/README.md), and a String of it was copied five times
      return namespace.encodeWritten(SocketEvents.LOG, generator -> writeLogPayload(generator, batch.lines()));
    }
    List<EncodedPacket> messages = new ArrayList<>();
    for (LogLine line : batch.lines()) {
      if (line.level().isBasic() && line.level() != LogLevel.ENDGROUP) {
        messages.add(namespace.encode(SocketEvents.MESSAGE, line.text()));
      }
    }
    return messages.isEmpty() ? null : EncodedPacket.concat(messages);
  }

  /**
   * The {@code log} event's payload: {@code {"lines":[{"seq","ts","level","text"}, …]}}, each line
   * as {@link dev.buildcast.protocol.LogLinePayload} is written (JobWatchEncodeTest holds the two
   * together). why the fields by hand: serialising a record per line cost 12-15 % more here.
   */
  private static void writeLogPayload(JsonGenerator generator, List<LogLine> lines) throws IOException {
    generator.writeStartObject();
    generator.writeArrayFieldStart("lines");
    for (LogLine line : lines) {
      generator.writeStartObject();
      generator.writeNumberField("seq", line.seq());
      generator.writeNumberField("ts", line.timestampMillis());
      generator.writeStringField("level", line.level().wireName());
      generator.writeStringField("text", line.text());
      generator.writeEndObject();
    }
    generator.writeEndArray();
    generator.writeEndObject();
  }
}
