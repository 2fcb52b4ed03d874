package dev.buildcast.cli;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a client command talks to: its standard streams and environment (given, so tests can run
 * commands in-process), and the server named by {@code --server} or {@code BUILDCAST_SERVER}.
 */
record ClientContext(InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {

  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  Reader in() {
    return new InputStreamReader(stdin, StandardCharsets.UTF_8);
  }

  ApiClient api(CliArgs args) {
    String server = args.value("--server").orElseGet(() -> env.getOrDefault("BUILDCAST_SERVER", DEFAULT_SERVER));
    URI uri;
    try {
      uri = URI.create(server.strip());
    } catch (IllegalArgumentException e) {
      throw new CliArgs.UsageException("--server must be a URL such as " + DEFAULT_SERVER + ", got '" + server + "'.");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new CliArgs.UsageException("--server must be an http(s) URL such as " + DEFAULT_SERVER + ", got '" + server + "'.");
    }
    return new ApiClient(uri);
  }

  /** The job token from {@code --token} or {@code BUILDCAST_TOKEN}. */
  String token(CliArgs args) {
    return args.value("--token").or(() -> java.util.Optional.ofNullable(env.get("BUILDCAST_TOKEN")))
        .filter(t -> !t.isBlank())
        .orElseThrow(() -> new CliArgs.UsageException("--token TOKEN is required (or set BUILDCAST_TOKEN)."));
  }

  /** Colours only for a person at a terminal who did not opt out (https://no-color.org). */
  boolean colour(CliArgs args) {
    return terminal && !args.flag("--no-color") && env.getOrDefault("NO_COLOR", "").isEmpty();
  }
}
