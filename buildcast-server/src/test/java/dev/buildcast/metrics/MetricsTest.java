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
}
