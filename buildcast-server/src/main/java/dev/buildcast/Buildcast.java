package dev.buildcast;

import dev.buildcast.config.BuildcastConfig;
import dev.buildcast.config.ConfigException;
import dev.buildcast.config.ServerOptions;
import java.util.Map;

/**
 * The command line entry point: reads the options and configuration, starts the server, and stops
 * it cleanly on SIGTERM or Ctrl-C. The wiring itself is {@link BuildcastServer}'s.
 */
public final class Buildcast {

  private Buildcast() {}

  public static void main(String[] args) {
    ServerOptions options;
    BuildcastConfig config;
    try {
      options = ServerOptions.parse(args, System.getenv());
      if (options.help()) {
        System.out.print(ServerOptions.USAGE);
        return;
      }
      config = BuildcastConfig.load(options.configFile());
    } catch (ConfigException e) {
      System.err.println("buildcast: " + e.getMessage());
      System.exit(2);
      return;
    }
    BuildcastServer server = new BuildcastServer(options, config, Map.copyOf(System.getenv()));
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
