package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code buildcast logs JOB --token T [--follow] [--since N] [--detail]}: prints a job's log from
 * the HTTP NDJSON route (no Socket.IO needed). With {@code --follow} it stays until the job ends
 * and exits with its outcome; without, it prints what exists and exits 0.
 */
final class LogsCommand {

  static final Set<String> VALUED = Set.of("--server", "--token", "--since");
  static final Set<String> FLAGS = Set.of("--follow", "--detail", "--no-color");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClientContext context;

  LogsCommand(ClientContext context) {
    this.context = context;
  }

  int run(CliArgs args) {
    if (args.positional().size() != 1) throw new CliArgs.UsageException("Give the job id: buildcast logs JOB --token T.");
    String jobId = args.positional().getFirst();
    String token = context.token(args);
    long since = since(args);
    boolean follow = args.flag("--follow");
    ApiClient api = context.api(args);
    LinePrinter printer = new LinePrinter(context.out(), context.colour(args));
    try (Stream<String> lines = api.logLines(jobId, token, since, !args.flag("--detail"), follow)) {
      lines.forEach(line -> printer.print(parse(line)));
    }
    if (!follow) return ExitCodes.SUCCEEDED;
    // why one read is enough: the server ends a followed stream only once the final state is stored
    JsonNode status = api.status(jobId, token);
    if (!SocketFollower.isFinished(status.path("state").asText())) {
      throw new ApiException("connection", "The log stream ended before job " + jobId + " did (the server may have stopped); resume with --follow --since " + printer.lastSeq() + ".");
    }
    RunCommand.printEnd(api, status, token, printer);
    return ExitCodes.of(status.path("state").asText());
  }

  private static long since(CliArgs args) {
    String text = args.value("--since").orElse("0");
    try {
      long n = Long.parseLong(text);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // why: answered below
    }
    throw new CliArgs.UsageException("--since takes a line number, 0 or more; got '" + text + "'.");
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new ApiException("bad_answer", "The server sent a log line that is not JSON.");
    }
  }
}
