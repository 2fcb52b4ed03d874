package dev.buildcast.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private final Metrics metrics = new Metrics();

  @Test
  void scrape_afterRecording_containsEveryCounterInPrometheusText() {
    metrics.logAppended(3, 120);
    metrics.uploadReceived(2048);
    metrics.slowClientDropped();
    metrics.limitRefused();
    String text = metrics.scrape();
    assertThat(text)
        .contains("# TYPE buildcast_log_lines_total counter")
        .contains("buildcast_log_lines_total 3.0")
        .contains("buildcast_log_bytes_total 120.0")
        .contains("buildcast_upload_bytes_total 2048.0")
        .contains("buildcast_slow_client_drops_total 1.0")
        .contains("buildcast_limit_refusals_total 1.0");
  }

  @Test
  void gauge_readsItsValueAtEachScrape() {
    AtomicInteger clients = new AtomicInteger(2);
    metrics.gauge("buildcast.socketio.clients", "Connected clients", clients::get);
    metrics.gauge("buildcast.jobs", "Jobs by state", "state", "running", () -> 1);
    assertThat(metrics.scrape()).contains("buildcast_socketio_clients 2.0").contains("buildcast_jobs{state=\"running\"} 1.0");
    clients.set(5);
    assertThat(metrics.scrape()).contains("buildcast_socketio_clients 5.0");
  }

  @Test
  void clusterMeters_afterRecording_areInPrometheusTextWithTheirIssueNames() {
    metrics.clusterEngineError();
    metrics.clusterEngineError();
    metrics.clusterJobsFailedByLease(3);
    metrics.clusterJobsRequeued(2);
    metrics.clusterAppendTook(300_000); // 0.3 ms
    metrics.clusterAppendTook(40_000_000); // 40 ms
    metrics.gauge("buildcast.cluster.shipping.lag.lines", "Lines not accepted yet", () -> 7);
    String text = metrics.scrape();
    assertThat(text)
        .contains("buildcast_cluster_engine_errors_total 2.0")
        .contains("buildcast_cluster_jobs_reaped_total{outcome=\"failed\"} 3.0")
        .contains("buildcast_cluster_jobs_reaped_total{outcome=\"requeued\"} 2.0")
        .contains("# TYPE buildcast_cluster_append_seconds histogram")
        .contains("buildcast_cluster_append_seconds_bucket{le=\"2.5E-4\"} 0")
        .contains("buildcast_cluster_append_seconds_bucket{le=\"5.0E-4\"} 1")
        .contains("buildcast_cluster_append_seconds_bucket{le=\"0.05\"} 2")
        .contains("buildcast_cluster_append_seconds_count 2")
        .contains("buildcast_cluster_shipping_lag_lines 7.0");
  }
}
