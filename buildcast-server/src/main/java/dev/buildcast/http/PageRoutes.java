package dev.buildcast.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The page's own deep links ({@code /jobs/<jobId>}) answer with the page itself, which then reads
 * the job id from its address; static files are served by the wrapped resource handler.
 */
final class PageRoutes {

  static final String INDEX = "web/index.html";

  List<Route> routes() {
    return List.of(Route.get("/jobs/[A-Za-z0-9_-]{1,64}", this::index));
  }

  private void index(HttpCall call) throws IOException {
    InputStream page = PageRoutes.class.getClassLoader().getResourceAsStream(INDEX);
    if (page == null) throw new IOException(INDEX + " is missing from the build");
    call.response().getHeaders().put(org.eclipse.jetty.http.HttpHeader.CACHE_CONTROL, "no-cache");
    call.stream(200, "text/html; charset=utf-8", -1, page);
  }
}
