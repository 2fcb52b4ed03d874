package dev.buildcast.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A method and path pattern (with named groups) and what answers it. */
record Route(String method, Pattern path, Action action) {

  /** Answers a matched request; may block. */
  @FunctionalInterface
  interface Action {
    void answer(HttpCall call) throws Exception;
  }

  static Route get(String regex, Action action) {
    return new Route("GET", Pattern.compile(regex), action);
  }

  static Route post(String regex, Action action) {
    return new Route("POST", Pattern.compile(regex), action);
  }

  static Route put(String regex, Action action) {
    return new Route("PUT", Pattern.compile(regex), action);
  }

  Matcher match(String requestPath) {
    Matcher m = path.matcher(requestPath);
    return m.matches() ? m : null;
  }
}
