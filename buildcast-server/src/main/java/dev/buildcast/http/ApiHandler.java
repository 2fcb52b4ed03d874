package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Dispatches {@code /api/...} and {@code /healthz} requests to their routes; anything else goes to
 * the wrapped handler (the static page). A path that matches a route with another method gets 405.
 */
public final class ApiHandler extends Handler.Wrapper {

  private final List<Route> routes = new ArrayList<>();
  private final WriteRequestCheck writes;

  ApiHandler(Handler next, WriteRequestCheck writes) {
    super(next);
    this.writes = writes;
  }

  /** Routes block (they stream files and run on virtual threads); Jetty must not call them on an I/O thread. */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.BLOCKING;
  }

  void add(List<Route> more) {
    routes.addAll(more);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher m = route.match(path);
      if (m == null) continue;
      pathKnown = true;
      if (route.method().equals(request.getMethod())) {
        answer(call -> {
          writes.check(request, route);
          route.action().answer(call);
        }, new HttpCall(request, response, m), callback);
        return true;
      }
    }
    if (!pathKnown && path.startsWith("/api/")) {
      // why: the static page handler would answer an unknown API path with an HTML 404
      answer(call -> { throw new BuildcastException("not_found", "There is no API route " + BuildcastException.excerpt(path) + "; docs/protocol.md lists them."); },
          new HttpCall(request, response, null), callback);
      return true;
    }
    if (pathKnown) {
      answer(call -> { throw new BuildcastException("method_not_allowed", request.getMethod() + " is not allowed on " + path + "."); },
          new HttpCall(request, response, null), callback);
      return true;
    }
    return super.handle(request, response, callback);
  }

  private static void answer(Route.Action action, HttpCall call, Callback callback) {
    try {
      action.answer(call);
      callback.succeeded();
    } catch (Throwable failure) {
      try {
        if (!call.response().isCommitted()) ErrorResponses.write(call, failure);
        callback.succeeded();
      } catch (Throwable writeFailure) {
        callback.failed(writeFailure);
      }
    }
  }
}
