package dev.buildcast.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the server listens and keeps its data, from the command line, then the environment, then
 * the defaults (127.0.0.1, port 8080, ./data).
 *
 * @param host the interface to listen on
 * @param port the port; 0 picks a free one
 * @param dataDir the folder all data lives under
 * @param configFile the YAML configuration, when given
 * @param nodeId this node's id when the operator gave one ({@code --node-id} or {@code
 *     BUILDCAST_NODE_ID}); otherwise the id kept in the data folder is used
 * @param help whether --help was asked for
 */
public record ServerOptions(String host, int port, Path dataDir, Optional<Path> configFile, Optional<String> nodeId, boolean help) {

  /** A node id: it is also the session id tag, so it may not hold '.', which ends the tag. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");

  public static final String USAGE =
      """
      Usage: java -jar buildcast.jar [--host H] [--port N] [--data-dir DIR] [--config FILE]

        --host H        interface to listen on (default 127.0.0.1; 0.0.0.0 serves the network)
                        environment: BUILDCAST_HOST
        --port N        port, 0 picks a free one (default 8080)
                        environment: BUILDCAST_PORT
        --data-dir DIR  folder for jobs, logs and uploads (default ./data)
                        environment: BUILDCAST_DATA_DIR
        --config FILE   YAML configuration: generators, limits (default: built-in generators only)
                        environment: BUILDCAST_CONFIG
        --node-id ID    this node's id, 1-32 letters, digits or '-' (default: the id kept in
                        DIR/node-id); when given, Socket.IO session ids start with "ID."
                        environment: BUILDCAST_NODE_ID
        --help          this text

      Once ready the server prints: Buildcast listening on http://<host>:<port>
      """;

  /** Reads the options; throws {@link ConfigException} with a clear message on bad input. */
  public static ServerOptions parse(String[] args, Map<String, String> env) {
    String nodeId = env.get("BUILDCAST_NODE_ID");
    String nodeIdSource = "BUILDCAST_NODE_ID";
    String host = env.getOrDefault("BUILDCAST_HOST", "127.0.0.1");
    String port = env.getOrDefault("BUILDCAST_PORT", "8080");
    String dataDir = env.getOrDefault("BUILDCAST_DATA_DIR", "data");
    String config = env.get("BUILDCAST_CONFIG");
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        inline = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--help", "-h" -> help = true;
        case "--host" -> host = inline != null ? inline : value(args, ++i, arg);
        case "--port" -> port = inline != null ? inline : value(args, ++i, arg);
        case "--data-dir" -> dataDir = inline != null ? inline : value(args, ++i, arg);
        case "--config" -> config = inline != null ? inline : value(args, ++i, arg);
        case "--node-id" -> {
          nodeId = inline != null ? inline : value(args, ++i, arg);
          nodeIdSource = "--node-id";
        }
        default -> throw new ConfigException("Unknown option " + arg + ". Try --help.");
      }
    }
    if (host.isBlank()) throw new ConfigException("--host must not be empty.");
    // why an empty variable counts as unset: the way a service manager clears one, as for BUILDCAST_CONFIG
    if (nodeIdSource.equals("BUILDCAST_NODE_ID") && nodeId != null && nodeId.isEmpty()) nodeId = null;
    if (nodeId != null) checkNodeId(nodeId, nodeIdSource);
    return new ServerOptions(host, port(port), Path.of(dataDir), Optional.ofNullable(config).filter(s -> !s.isBlank()).map(Path::of),
        Optional.ofNullable(nodeId), help);
  }

  private static void checkNodeId(String id, String source) {
    if (!NODE_ID.matcher(id).matches()) {
      throw new ConfigException(source + " must be 1 to 32 letters, digits or '-' (it starts every Socket.IO session id, so a load"
          + " balancer can route by it), got '" + id + "'.");
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) throw new ConfigException(option + " needs a value. Try --help.");
    return args[i];
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text.strip());
      if (port >= 0 && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // why: reported below with the offending text
    }
    throw new ConfigException("Port must be a number from 0 to 65535, got '" + text + "'.");
  }
}
