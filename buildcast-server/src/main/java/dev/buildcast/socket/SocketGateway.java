package dev.buildcast.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.buildcast.BuildcastException;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobTicket;
import dev.buildcast.limits.ClientAddress;
import dev.buildcast.limits.RateLimiter;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.protocol.JobRequests;
import dev.buildcast.socketio.Ack;
import dev.buildcast.socketio.ConnectRefusedException;
import dev.buildcast.socketio.EventHandler;
import dev.buildcast.socketio.NamespaceGroup;
import dev.buildcast.socketio.SocketIoServer;
import dev.buildcast.socketio.SocketIoSocket;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Socket.IO events ↔ job service calls. Namespace {@code /} starts jobs; namespace {@code
 * /<jobId>} (the seed's own form) follows one job, for clients holding its token. Thin on purpose:
 * decisions are the job service's, streaming is the broadcaster's.
 */
public final class SocketGateway {

  /** Job namespaces: "/" and a job id. */
  static final Pattern JOB_NAMESPACE = Pattern.compile("/[A-Za-z0-9_-]{22}");

  private final SocketIoServer io;
  private final JobService jobs;
  private final LogBroadcaster broadcaster;
  private final NamespaceGroup jobNamespaces;
  private final RateLimiter jobStarts;
  private final Runnable slowClientDropped;

  /**
   * @param jobStarts limits {@code generate} per client address
   * @param slowClientDropped told each time a watcher's socket refused a batch
   */
  public SocketGateway(SocketIoServer io, JobService jobs, LogBroadcaster broadcaster, RateLimiter jobStarts, Runnable slowClientDropped) {
    this.io = io;
    this.jobs = jobs;
    this.broadcaster = broadcaster;
    this.jobStarts = jobStarts;
    this.slowClientDropped = slowClientDropped;
    io.namespace("/").onConnect(socket ->
        socket.on(SocketEvents.GENERATE, guarded(socket, SocketEvents.GENERATE, (args, ack) -> generate(socket, args, ack))));
    this.jobNamespaces = io.namespace(JOB_NAMESPACE);
    jobNamespaces.use(this::authorize);
    jobNamespaces.onConnect(this::watch);
    io.onInvalidNamespace(SocketGateway::invalidNamespace);
    jobs.onStatus(this::statusChanged);
  }

  /**
   * The refusal of a namespace that is neither "/" nor shaped like a job id: says which ones
   * exist, and carries {@code data: {code: "invalid_namespace"}} for pages (the reference's message
   * stays its first words).
   */
  static ConnectRefusedException invalidNamespace(String name) {
    return new ConnectRefusedException(
        SocketIoServer.INVALID_NAMESPACE + ": " + name + " is neither / (start jobs, upload) nor /<jobId> (follow a job;"
            + " a job id is 22 letters, digits, - or _)",
        Map.of("code", "invalid_namespace"));
  }

  /** Adds handlers for more events on namespace "/" (uploads register theirs here). */
  public void onRootEvent(String event, EventHandlerWithSocket handler) {
    io.namespace("/").onConnect(socket -> socket.on(event, guarded(socket, event, (args, ack) -> handler.handle(socket, args, ack))));
  }

  /** An event handler that also gets the socket. */
  @FunctionalInterface
  public interface EventHandlerWithSocket {
    void handle(SocketIoSocket socket, List<JsonNode> args, Ack ack) throws Exception;
  }

  private void generate(SocketIoSocket socket, List<JsonNode> args, Ack ack) {
    jobStarts.acquire(ClientAddress.of(socket.handshake().remoteAddress()));
    JobTicket ticket = jobs.submit(JobRequests.fromJson(first(args)));
    ack.send(Map.of("jobId", ticket.jobId(), "token", ticket.token()));
  }

  private void authorize(SocketIoSocket socket) throws ConnectRefusedException {
    String jobId = socket.namespace().name().substring(1);
    try {
      JobRecord job = jobs.authorize(jobId, WatchOptions.token(socket.handshake()).orElse(null));
      WatchOptions options = WatchOptions.from(socket.handshake());
      socket.attributes().put("buildcast.job", job);
      socket.attributes().put("buildcast.options", options);
    } catch (BuildcastException e) {
      throw new ConnectRefusedException(e.getMessage(), Map.of("code", e.code()));
    }
  }

  private void watch(SocketIoSocket socket) {
    String jobId = socket.namespace().name().substring(1);
    WatchOptions options = (WatchOptions) socket.attributes().get("buildcast.options");
    DrainSignal drain = DrainSignal.install(socket);
    JobWatch watch = new JobWatch(socket, options, drain, slowClientDropped);
    socket.attributes().put(JobWatch.ATTRIBUTE, watch);
    // why one handle for the socket's life, closed when it leaves: in cluster mode each open handle
    // keeps this node following the job's stream
    JobLog log = jobs.log(jobId);
    socket.on(SocketEvents.RETRIEVE_DETAILED_LOGS, guarded(socket, SocketEvents.RETRIEVE_DETAILED_LOGS,
        (args, ack) -> DetailedLogSender.start(socket, drain, log)));
    socket.on(SocketEvents.CANCEL, guarded(socket, SocketEvents.CANCEL, (args, ack) -> {
      jobs.cancel(jobId);
      ack.send(Map.of("ok", true));
    }));
    try {
      watch.start(jobs.status(jobId), broadcaster, log);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    // registered after the watch's own listener, so its cursor stops before the handle closes
    socket.onDisconnect(reason -> log.close());
    if (!socket.isConnected()) log.close();
  }

  private void statusChanged(JobRecord record) {
    io.of("/" + record.id()).ifPresent(ns -> ns.sockets().forEach(socket -> {
      if (socket.attributes().get(JobWatch.ATTRIBUTE) instanceof JobWatch watch) watch.statusChanged(record);
    }));
  }

  private static JsonNode first(List<JsonNode> args) {
    return args.isEmpty() ? NullNode.getInstance() : args.getFirst();
  }

  /** Every handler answers failures with an error, never by dropping the connection. */
  private static EventHandler guarded(SocketIoSocket socket, String event, EventHandler handler) {
    return (args, ack) -> {
      try {
        handler.handle(args, ack);
      } catch (Exception e) {
        SocketErrors.reply(socket, ack, event, e);
      }
    };
  }
}
