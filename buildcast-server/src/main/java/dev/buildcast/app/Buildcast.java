package dev.buildcast.app;

import dev.buildcast.cli.BuildcastCli;
import dev.buildcast.EngineUnavailableException;
import dev.buildcast.config.BuildcastConfig;
import dev.buildcast.config.ConfigException;
import dev.buildcast.config.ServerOptions;
import java.util.Map;

/**
 * The command line entry point: reads the options and configuration, starts the server, and stops
 * it cleanly on SIGTERM or Ctrl-C. The wiring itself is {@link BuildcastServer}'s. When the first
 * argument is a client verb ({@code run}, {@code logs}, {@code download}) the jar is the
 * command-line client instead ({@link BuildcastCli}).
 */
public final class Buildcast {

  private Buildcast() {}

  public static void main(String[] args) {
    // why here: one jar, two programs; a client verb first selects the command-line client
    if (args.length > 0 && BuildcastCli.isVerb(args[0])) {
      System.exit(BuildcastCli.run(args, System.getenv()));
      return;
    }
    ServerOptions options;
    BuildcastConfig config;
    BuildcastServer server;
    try {
      options = ServerOptions.parse(args, System.getenv());
      if (options.help()) {
        System.out.print(ServerOptions.USAGE);
        return;
      }
      config = BuildcastConfig.load(options.configFile());
      server = new BuildcastServer(options, config, Map.copyOf(System.getenv()));
    } catch (ConfigException e) {
      System.err.println("buildcast: " + e.getMessage());
      System.exit(2);
      return;
    } catch (EngineUnavailableException | IllegalStateException e) {
      // why here: a cluster node connects to Redis and checks its settings while it is built
      System.err.println("buildcast: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "buildcast-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("buildcast: could not start: " + e.getMessage());
      server.close();
      System.exit(1);
      return;
    }
    System.out.println("Buildcast listening on " + server.url());
    System.out.flush();
  }
}
