package dev.buildcast.http;

import dev.buildcast.metrics.DataDirUsage;
import dev.buildcast.upload.UploadStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}: 200 once the server is ready to run jobs, 503 while it is not (a node of a
 * cluster is not while its engine is down: a load balancer then sends its clients elsewhere, and
 * no node can take jobs anyway; its blob store being down is shown but is no 503); the body also tells the data folder's disk use and the upload store's size, so a probe can warn before the
 * disk is full.
 */
final class HealthRoutes {

  private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);

  private final BooleanSupplier ready;
  private final Supplier<DataDirUsage.Usage> disk;
  private final Supplier<UploadStore.Usage> uploads;
  private final Supplier<Optional<ClusterHealth>> cluster;

  HealthRoutes(BooleanSupplier ready, Supplier<DataDirUsage.Usage> disk, Supplier<UploadStore.Usage> uploads,
      Supplier<Optional<ClusterHealth>> cluster) {
    this.cluster = cluster;
    this.ready = ready;
    this.disk = disk;
    this.uploads = uploads;
  }

  List<Route> routes() {
    return List.of(Route.get("/healthz", call -> {
      boolean started = ready.getAsBoolean();
      Optional<ClusterHealth> node = cluster.get();
      boolean ok = started && node.map(ClusterHealth::engineUp).orElse(true);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", !started ? "starting" : ok ? "ok" : "engine_unavailable");
      node.ifPresent(n -> {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("nodeId", n.nodeId());
        cluster.put("engine", n.engineUp() ? "up" : "down");
        // why blobs down is not a 503: jobs still run and stream their logs (only storing artifacts
        // waits), every node shares the one blob store, so taking this node out would help no one
        cluster.put("blobs", n.blobsUp() ? "up" : "down");
        cluster.put("shippingLagLines", n.shippingLagLines());
        body.put("cluster", cluster);
      });
      try {
        DataDirUsage.Usage usage = disk.get();
        body.put("disk", Map.of("dataBytes", usage.dataBytes(), "freeBytes", usage.freeBytes()));
      } catch (RuntimeException e) {
        // why not 503: the server still runs jobs; the probe should say so and show what failed
        log.warn("Cannot measure the data folder for /healthz", e);
        // why not the message: it names the data folder's path, and /healthz needs no token
        body.put("disk", Map.of("error", "the data folder could not be measured (" + e.getClass().getSimpleName() + "); see the server log"));
      }
      try {
        UploadStore.Usage store = uploads.get();
        body.put("uploads", Map.of("bytes", store.bytes(), "count", store.files()));
      } catch (RuntimeException e) {
        log.warn("Cannot measure the upload store for /healthz", e);
        body.put("uploads", Map.of("error", String.valueOf(e.getMessage())));
      }
      call.json(ok ? 200 : 503, body);
    }));
  }
}
