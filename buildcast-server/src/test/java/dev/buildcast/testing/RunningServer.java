package dev.buildcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.app.BuildcastServer;
import dev.buildcast.config.BuildcastConfig;
import dev.buildcast.config.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A real Buildcast server on a free port with its own data folder, for integration tests. */
public final class RunningServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BuildcastServer server;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningServer(BuildcastServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /** Starts a server whose configuration is the given YAML (written to a file in {@code dataDir}). */
  public static RunningServer start(Path dataDir, String yaml) throws Exception {
    return start(dataDir, yaml, Map.of());
  }

  /**
   * The same, with {@code environment} added to this JVM's environment as the server's (secrets
   * named in the YAML). why this JVM's too: generators get PATH and HOME from the server's environment.
   */
  public static RunningServer start(Path dataDir, String yaml, Map<String, String> extraEnvironment) throws Exception {
    Map<String, String> environment = new java.util.HashMap<>(System.getenv());
    environment.putAll(extraEnvironment);
    Path config = Files.writeString(Files.createDirectories(dataDir).resolve("buildcast.yaml"), yaml);
    ServerOptions options = ServerOptions.parse(
        new String[] {"--port", "0", "--data-dir", dataDir.toString(), "--config", config.toString()}, Map.of());
    BuildcastServer server = new BuildcastServer(options, BuildcastConfig.load(Optional.of(config)), Map.copyOf(environment));
    server.start();
    return new RunningServer(server, dataDir);
  }

  public String url() {
    return server.url();
  }

  public Path dataDir() {
    return dataDir;
  }

  public BuildcastServer server() {
    return server;
  }

  public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }

  @Override
  public void close() {
    server.close();
  }
}
