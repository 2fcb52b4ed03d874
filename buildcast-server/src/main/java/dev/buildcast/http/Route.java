package dev.buildcast.http;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and path pattern (with named groups), what answers it, and — for a route that changes
 * something — the body types it takes (see {@link WriteRequestCheck}).
 */
record Route(String method, Pattern path, Action action, List<String> bodyTypes) {

  /** In {@link #bodyTypes}: any type but those a cross-site form can send. */
  static final String ANY_BUT_FORMS = "*";

  /** Answers a matched request; may block. */
  @FunctionalInterface
  interface Action {
    void answer(HttpCall call) throws Exception;
  }

  Route {
    bodyTypes = List.copyOf(bodyTypes);
  }

  static Route get(String regex, Action action) {
    return new Route("GET", Pattern.compile(regex), action, List.of());
  }

  /** A POST taking a JSON body (or none, with the JSON type all the same). */
  static Route post(String regex, Action action) {
    return new Route("POST", Pattern.compile(regex), action, List.of("application/json"));
  }

  /** A PUT: a browser always asks before sending one cross-site, so only form types are refused. */
  static Route put(String regex, Action action) {
    return new Route("PUT", Pattern.compile(regex), action, List.of(ANY_BUT_FORMS));
  }

  /** The same route taking these body types instead. */
  Route accepting(String... mediaTypes) {
    return new Route(method, path, action, List.of(mediaTypes));
  }

  boolean isWrite() {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  /** Whether a body of this media type (lower case, no parameters; empty: none given) is taken. */
  boolean accepts(String mediaType) {
    if (bodyTypes.contains(ANY_BUT_FORMS)) return !WriteRequestCheck.FORM_TYPES.contains(mediaType);
    return bodyTypes.contains(mediaType);
  }

  /** For messages: "Content-Type application/json", or what a PUT takes. */
  String bodyTypesText() {
    if (bodyTypes.contains(ANY_BUT_FORMS)) return "a raw body (e.g. Content-Type application/octet-stream), not a form";
    return "Content-Type " + String.join(" or ", bodyTypes);
  }

  Matcher match(String requestPath) {
    Matcher m = path.matcher(requestPath);
    return m.matches() ? m : null;
  }
}
