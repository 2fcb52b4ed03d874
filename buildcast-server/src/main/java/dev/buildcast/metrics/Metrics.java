package dev.buildcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * What Buildcast counts, for {@code GET /metrics} in the Prometheus text format. The one place
 * that knows Micrometer: the rest of the code records through these methods, so a meter's name
 * and help text are written once (the names are listed in docs/protocol.md).
 *
 * <p>Thread-safe; recording is a few atomic adds.
 */
public final class Metrics {

  /** The content type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter logLines;
  private final Counter logBytes;
  private final Counter uploadBytes;
  private final Counter slowClientDrops;
  private final Counter limitRefusals;
  private final Counter clusterFenced;
  private final Counter clusterEngineErrors;
  private final Counter clusterJobsFailedByLease;
  private final Counter clusterJobsRequeued;
  private final Timer clusterAppends;

  public Metrics() {
    logLines = Counter.builder("buildcast.log.lines").description("Log lines appended by jobs (kept or left out by the log limit)").register(registry);
    logBytes = Counter.builder("buildcast.log").baseUnit("bytes").description("Bytes of log text appended by jobs").register(registry);
    uploadBytes = Counter.builder("buildcast.upload").baseUnit("bytes").description("Bytes received in uploads").register(registry);
    slowClientDrops = Counter.builder("buildcast.slow.client.drops")
        .description("Times a watcher's socket queue was full, so it was moved to catch-up from disk instead of being buffered")
        .register(registry);
    limitRefusals = Counter.builder("buildcast.limit.refusals").description("Requests refused with limit_exceeded").register(registry);
    clusterFenced = Counter.builder("buildcast.cluster.fenced")
        .description("Times another node took over a job this node ran (its log was fenced), so this node stopped the job's generator")
        .register(registry);
    clusterEngineErrors = Counter.builder("buildcast.cluster.engine.errors")
        .description("Commands to the cluster's Redis that failed: not reachable, timed out, or refused").register(registry);
    String reaped = "Jobs of dead nodes this node reaped: failed (running, their lease passed) or requeued (claimed, never started)";
    clusterJobsFailedByLease = Counter.builder("buildcast.cluster.jobs.reaped").description(reaped).tag("outcome", "failed").register(registry);
    clusterJobsRequeued = Counter.builder("buildcast.cluster.jobs.reaped").description(reaped).tag("outcome", "requeued").register(registry);
    clusterAppends = Timer.builder("buildcast.cluster.append")
        .description("Round trip of one append of log lines to the cluster's Redis (the fenced append script)")
        // why fixed buckets: an append takes ~0.1 ms on a quiet local Redis and up to the command timeout (2 s) when it is in trouble
        .serviceLevelObjectives(millis(0.1), millis(0.25), millis(0.5), millis(1), millis(2.5), millis(5), millis(10), millis(25),
            millis(50), millis(100), millis(250), millis(500), millis(1000), millis(2500))
        .register(registry);
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1_000_000));
  }

  /** A job appended {@code lines} lines of {@code bytes} bytes of text. */
  public void logAppended(int lines, long bytes) {
    logLines.increment(lines);
    logBytes.increment(bytes);
  }

  /** An upload received {@code bytes} more bytes. */
  public void uploadReceived(long bytes) {
    uploadBytes.increment(bytes);
  }

  /** A watcher could not keep up and was moved to catch-up. */
  public void slowClientDropped() {
    slowClientDrops.increment();
  }

  /** Another node took over a job this node ran: this node was fenced off the job's log. */
  public void clusterFenced() {
    clusterFenced.increment();
  }

  /** A command to the cluster's Redis failed (not reachable, timed out, or refused). */
  public void clusterEngineError() {
    clusterEngineErrors.increment();
  }

  /** One append to the cluster's Redis took {@code nanos} (answered, whatever the answer). */
  public void clusterAppendTook(long nanos) {
    clusterAppends.record(Duration.ofNanos(nanos));
  }

  /** This node's lease sweep failed {@code jobs} running jobs whose owner stopped renewing their lease. */
  public void clusterJobsFailedByLease(long jobs) {
    clusterJobsFailedByLease.increment(jobs);
  }

  /** This node's reaper put {@code jobs} claimed but never started jobs of dead nodes back in the queue. */
  public void clusterJobsRequeued(long jobs) {
    clusterJobsRequeued.increment(jobs);
  }

  /** A request was refused by a per-address limit. */
  public void limitRefused() {
    limitRefusals.increment();
  }

  /**
   * A value read when scraped, e.g. connected clients.
   *
   * @param name dotted, e.g. {@code buildcast.socketio.clients} (exported as {@code buildcast_socketio_clients})
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    register(name, description, Tags.empty(), value);
  }

  /** A gauge of one series of a family, told apart by one tag, e.g. {@code state="running"}. */
  public void gauge(String name, String description, String tag, String tagValue, Supplier<Number> value) {
    register(name, description, Tags.of(tag, tagValue), value);
  }

  private void register(String name, String description, Tags tags, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tags(tags).strongReference(true).register(registry);
  }

  /** Every meter in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
