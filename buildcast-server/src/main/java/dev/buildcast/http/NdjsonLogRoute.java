package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import dev.buildcast.job.InvalidRequestException;
import dev.buildcast.job.JobService;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LinesThrough;
import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSubscription;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /api/jobs/{id}/log?format=ndjson[&since=N][&follow=true][&basic=true]}: the log's
 * lines as newline-delimited JSON, for tools that cannot speak Socket.IO.
 *
 * <p>Without {@code follow} the lines that exist are read from the log in chunks and the response
 * ends. With it, the response stays open (chunked) and a {@link LogFollower} subscribed to the
 * {@link LogBroadcaster} feeds it until the job's last line: the same cursor that serves sockets,
 * so a follower that cannot keep up is moved to catch-up from disk instead of being buffered. A
 * followed response ends once the job's final state is stored, not only its last line: a client
 * that asks for the outcome the moment the stream ends is told it.
 */
final class NdjsonLogRoute {

  static final int READ_CHUNK_LINES = 1000;

  /**
   * How long a followed response waits, after the log's end, for the job's final state: it is
   * stored right after the seal, so this only bounds a node that stopped in between.
   */
  static final Duration FINAL_STATE_WAIT = Duration.ofSeconds(30);

  private final LogBroadcaster broadcaster;
  private final JobService jobs;

  NdjsonLogRoute(LogBroadcaster broadcaster, JobService jobs) {
    this.broadcaster = broadcaster;
    this.jobs = jobs;
  }

  static boolean wanted(HttpCall call) {
    return call.query("format").filter("ndjson"::equals).isPresent();
  }

  void answer(HttpCall call, String jobId, JobLog log) throws IOException {
    long since = since(call.query("since"));
    boolean follow = flag(call.query("follow"), "follow");
    LogFilter filter = flag(call.query("basic"), "basic") ? LogFilter.BASIC : LogFilter.ALL;
    call.response().setStatus(200);
    call.response().getHeaders().put(HttpHeader.CONTENT_TYPE, NdjsonLines.CONTENT_TYPE);
    call.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try (OutputStream out = Content.Sink.asOutputStream(call.response())) {
      if (follow) {
        follow(call, jobId, log, since, filter, out);
      } else {
        readExisting(log, since, filter, out);
      }
    }
  }

  /**
   * The lines after {@code since} as they are now, each read at most {@link #READ_CHUNK_LINES}
   * seqs of the detailed log (basic lines: all up to the head, found through the basic index)
   * and {@link JobLog#READ_CHUNK_BYTES} of text.
   */
  private static void readExisting(JobLog log, long since, LogFilter filter, OutputStream out) throws IOException {
    long cursor = Math.max(0, since);
    while (true) {
      long head = log.lastSeq();
      long through = filter == LogFilter.ALL ? Math.min(head, cursor + READ_CHUNK_LINES) : head;
      if (through <= cursor) return;
      LinesThrough read = log.readThrough(cursor, through, filter, JobLog.READ_CHUNK_BYTES);
      if (!read.lines().isEmpty()) out.write(NdjsonLines.encode(read.lines()));
      cursor = read.throughSeq();
    }
  }

  private void follow(HttpCall call, String jobId, JobLog log, long since, LogFilter filter, OutputStream out) throws IOException {
    LogFollower follower = new LogFollower();
    // why: a client that leaves while no line comes would otherwise keep this thread waiting
    call.request().addFailureListener(failure -> follower.stop());
    // why: a job may print nothing for longer than the connection's idle timeout; waiting for its
    // next line is not idleness. Jetty asks only while no write is pending, so a client that stops
    // reading still times out on the blocked write; one that vanished without a trace is released
    // when the job ends (jobs have a timeout)
    call.request().addIdleTimeoutListener(timeout -> false);
    LogSubscription subscription = broadcaster.subscribe(log, since, filter, follower);
    try {
      // why: the headers go out at once, so the client knows it is following before any line
      out.flush();
      Optional<LogBatch> batch;
      while ((batch = follower.next()).isPresent()) {
        // why filter: the broadcaster takes a since beyond the log's head as the head, but a client
        // that asks for lines after N must never get N or earlier
        List<LogLine> lines = batch.get().lastSeq() <= since ? List.of()
            : batch.get().firstSeq() > since ? batch.get().lines()
            : batch.get().lines().stream().filter(line -> line.seq() > since).toList();
        if (lines.isEmpty()) continue;
        out.write(NdjsonLines.encode(lines));
        out.flush();
      }
      if (!follower.stopped()) jobs.awaitFinished(jobId, FINAL_STATE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stopped while following the log");
    } finally {
      subscription.cancel();
      follower.stop();
    }
  }

  private static long since(Optional<String> text) {
    if (text.isEmpty()) return 0;
    try {
      long n = Long.parseLong(text.get().strip());
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // why: answered below with the offending text
    }
    throw InvalidRequestException.badRequest("'since' must be a whole number of lines, 0 or more; got '" + BuildcastException.excerpt(text.get()) + "'.");
  }

  private static boolean flag(Optional<String> text, String name) {
    if (text.isEmpty()) return false;
    return switch (text.get()) {
      case "true", "1", "" -> true;
      case "false", "0" -> false;
      default -> throw InvalidRequestException.badRequest("'" + name + "' must be true or false; got '" + BuildcastException.excerpt(text.get()) + "'.");
    };
  }
}
