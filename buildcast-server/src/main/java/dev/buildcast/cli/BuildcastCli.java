package dev.buildcast.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line client, {@code buildcast VERB ...} (the same jar as the server; see
 * {@link dev.buildcast.app.Buildcast}). Exit codes: 0 the job succeeded, 1 it failed, 2 it was
 * cancelled, 3 a usage or connection error or a refused request, 130 detached by Ctrl-C.
 */
public final class BuildcastCli {

  static final Set<String> VERBS = Set.of("run", "logs", "download", "help");

  static final String USAGE =
      """
      Usage:
        buildcast run --generator NAME [--param NAME=VALUE]... [--detail] [--email ADDRESS] [--webhook URL] [FILE]
            Uploads FILE (when given; a broken connection is resumed where the server stands),
            starts the job, follows its log live and prints its artifacts.
            Exit code: 0 succeeded, 1 failed, 2 cancelled, 3 usage or connection error.
            Ctrl-C asks whether to cancel the job; "no" leaves it running (exit code 130).
        buildcast logs JOB --token TOKEN [--follow] [--since N] [--detail]
            Prints the job's log; --follow waits for new lines until the job ends.
        buildcast download JOB --token TOKEN [--artifact NAME] [--output DIR]
            Saves one artifact, or all of them, under DIR (default: here).

      Every command takes --server URL (default $BUILDCAST_SERVER, else http://127.0.0.1:8080);
      --token may come from $BUILDCAST_TOKEN. --detail shows every line, not only the basic log;
      --no-color (or NO_COLOR=1) prints without colours.
      """;

  private BuildcastCli() {}

  /** True when {@code arg} selects the client rather than the server. */
  public static boolean isVerb(String arg) {
    return VERBS.contains(arg);
  }

  /** Runs a client command with the process's streams; returns the exit code. */
  public static int run(String[] args, Map<String, String> env) {
    return run(args, new ClientContext(System.in, System.out, System.err, env, System.console() != null));
  }

  static int run(String[] args, ClientContext context) {
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      return switch (args[0]) {
        case "run" -> new RunCommand(context).run(CliArgs.parse(rest, RunCommand.VALUED, RunCommand.FLAGS));
        case "logs" -> new LogsCommand(context).run(CliArgs.parse(rest, LogsCommand.VALUED, LogsCommand.FLAGS));
        case "download" -> new DownloadCommand(context).run(CliArgs.parse(rest, DownloadCommand.VALUED, DownloadCommand.FLAGS));
        default -> {
          context.out().print(USAGE);
          yield 0;
        }
      };
    } catch (CliArgs.UsageException e) {
      context.err().println("buildcast: " + e.getMessage());
      context.err().println("Try: buildcast help");
      return ExitCodes.USAGE_OR_CONNECTION;
    } catch (ApiException e) {
      context.err().println("buildcast: " + e.getMessage());
      return ExitCodes.USAGE_OR_CONNECTION;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.DETACHED;
    }
  }

  /** For tests: the same, with given streams. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, new ClientContext(in, out, err, env, false));
  }
}
