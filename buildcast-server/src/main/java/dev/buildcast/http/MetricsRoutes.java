package dev.buildcast.http;

import dev.buildcast.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format. Unauthenticated like {@code
 * /healthz} (it names no job and no secret), and only on the server's own port.
 */
final class MetricsRoutes {

  private final Metrics metrics;

  MetricsRoutes(Metrics metrics) {
    this.metrics = metrics;
  }

  List<Route> routes() {
    return List.of(Route.get("/metrics", call -> {
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      call.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      call.stream(200, Metrics.CONTENT_TYPE, body.length, new ByteArrayInputStream(body));
    }));
  }
}
