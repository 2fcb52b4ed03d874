package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code buildcast run}: uploads the input file (if any), starts the job, follows its log live over
 * Socket.IO, prints the artifact links and exits with the job's outcome.
 */
final class RunCommand {

  static final Set<String> VALUED = Set.of("--server", "--generator", "--param", "--email", "--webhook");
  static final Set<String> FLAGS = Set.of("--detail", "--no-color");

  /** How much longer each upload retry in a row waits (0, 0.5 s, 1 s …): enough for a restarting server, short for a person waiting. */
  private static final Duration RETRY_PAUSE_STEP = Duration.ofMillis(500);

  private final ClientContext context;

  RunCommand(ClientContext context) {
    this.context = context;
  }

  int run(CliArgs args) throws InterruptedException {
    String generator = args.value("--generator").orElseThrow(() -> new CliArgs.UsageException("--generator NAME is required."));
    if (args.positional().size() > 1) throw new CliArgs.UsageException("Give at most one input FILE; got " + args.positional().size() + ".");
    Map<String, String> params = params(args.values("--param"));
    Optional<Path> file = args.positional().stream().findFirst().map(Path::of);
    if (file.isPresent() && !Files.isRegularFile(file.get())) throw new CliArgs.UsageException("No such file: " + file.get() + ".");
    ApiClient api = context.api(args);
    PrintStream err = context.err();

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("generator", generator);
    body.put("params", params);
    if (file.isPresent()) {
      err.println("Uploading " + file.get().getFileName() + "…");
      body.put("uploadId", new ResumingUploader(api, err, RETRY_PAUSE_STEP).upload(file.get()));
    }
    Map<String, String> notify = new LinkedHashMap<>();
    args.value("--email").ifPresent(e -> notify.put("email", e));
    args.value("--webhook").ifPresent(w -> notify.put("webhook", w));
    if (!notify.isEmpty()) body.put("notify", notify);
    JsonNode ticket = api.submit(body);
    String jobId = ticket.path("jobId").asText();
    String token = ticket.path("token").asText();
    err.println("Job " + jobId + " started. Page: " + api.link("/jobs/" + jobId, token));
    err.println("Token: " + token);
    return follow(api, jobId, token, args.flag("--detail"), context.colour(args));
  }

  private int follow(ApiClient api, String jobId, String token, boolean detail, boolean colour) throws InterruptedException {
    LinePrinter printer = new LinePrinter(context.out(), colour);
    CompletableFuture<Integer> detached = new CompletableFuture<>();
    try (SocketFollower follower = new SocketFollower(api.server(), jobId, token, detail, printer, status -> {})) {
      new CancelPrompt(new BufferedReader(context.in()), context.err(), jobId, new CancelPrompt.Choice() {
        @Override
        public void cancel() {
          try {
            api.cancel(jobId, token);
            context.err().println("Cancelling job " + jobId + "…");
          } catch (ApiException e) {
            context.err().println("buildcast: could not cancel: " + e.getMessage());
          }
        }

        @Override
        public void detach() {
          context.err().println("The job goes on. Follow it with: buildcast logs " + jobId + " --token " + token + " --follow --server " + api.server());
          detached.complete(ExitCodes.DETACHED);
        }
      }).install();
      CompletableFuture<JsonNode> done = follower.start();
      Object first = CompletableFuture.anyOf(done, detached).get();
      if (first instanceof Integer code) return code;
      JsonNode status = (JsonNode) first;
      printEnd(api, status, token, printer);
      return ExitCodes.of(status.path("state").asText());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException refused) throw refused;
      throw new ApiException("Following the job failed: " + e.getCause(), e.getCause());
    }
  }

  static void printEnd(ApiClient api, JsonNode status, String token, LinePrinter printer) {
    PrintStream out = printer.out();
    String state = status.path("state").asText();
    String reason = status.path("reason").isTextual() ? " (" + status.path("reason").asText() + ")" : "";
    JsonNode artifacts = status.path("artifacts");
    if (artifacts.isArray() && !artifacts.isEmpty()) {
      out.println(printer.bold("Artifacts:"));
      for (JsonNode a : artifacts) out.println("  " + a.path("name").asText() + "  " + api.link(a.path("url").asText(), token));
    }
    out.println(printer.bold("Job " + status.path("jobId").asText() + " " + state + reason + "."));
  }

  private static Map<String, String> params(List<String> given) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : given) {
      int eq = p.indexOf('=');
      if (eq <= 0) throw new CliArgs.UsageException("--param takes NAME=VALUE, got '" + p + "'.");
      params.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return params;
  }
}
