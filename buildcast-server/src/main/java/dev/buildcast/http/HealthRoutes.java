package dev.buildcast.http;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz}: 200 once the server is ready to run jobs, 503 while it is not. */
final class HealthRoutes {

  private final BooleanSupplier ready;

  HealthRoutes(BooleanSupplier ready) {
    this.ready = ready;
  }

  List<Route> routes() {
    return List.of(Route.get("/healthz", call -> {
      boolean ok = ready.getAsBoolean();
      call.json(ok ? 200 : 503, Map.of("status", ok ? "ok" : "starting"));
    }));
  }
}
