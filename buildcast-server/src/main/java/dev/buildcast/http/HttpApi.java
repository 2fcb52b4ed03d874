package dev.buildcast.http;

import dev.buildcast.job.JobService;
import dev.buildcast.limits.RateLimiter;
import dev.buildcast.metrics.DataDirUsage;
import dev.buildcast.metrics.Metrics;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.notify.Notifications;
import dev.buildcast.upload.UploadService;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/** Assembles the HTTP side: API routes, health, the page's deep links, and the static page. */
public final class HttpApi {

  private HttpApi() {}

  /**
   * The handler chain for everything that is not Socket.IO.
   *
   * @param previewSecret the secret site-preview keys are made under, when the server shares one
   *     (a node of a cluster); empty: a secret drawn now
   */
  public static Handler create(
      Server server, JobService jobs, UploadService uploads, LogBroadcaster broadcaster, Notifications notifications, BooleanSupplier ready,
      Supplier<DataDirUsage.Usage> disk, Metrics metrics, RateLimiter jobStarts, List<String> allowedOrigins,
      Supplier<java.util.Optional<ClusterHealth>> cluster, java.util.Optional<byte[]> previewSecret) {
    server.setErrorHandler(new JsonErrorHandler());
    ResourceHandler page = new ResourceHandler();
    page.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("web/"));
    page.setWelcomeFiles("index.html");
    page.setDirAllowed(false);
    ApiHandler api = new ApiHandler(page, new WriteRequestCheck(allowedOrigins));
    api.add(new HealthRoutes(ready, disk, uploads::storeUsage, cluster).routes());
    api.add(new MetricsRoutes(metrics).routes());
    api.add(new JobRoutes(jobs, broadcaster, notifications, jobStarts).routes());
    api.add(new SiteRoutes(jobs, previewSecret).routes());
    api.add(new UploadRoutes(uploads).routes());
    api.add(new ResumableUploadRoutes(uploads).routes());
    api.add(new PageRoutes().routes());
    return api;
  }
}
