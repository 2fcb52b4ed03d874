package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code buildcast download JOB --token T [--artifact NAME] [--output DIR]}: saves one artifact,
 * or all of them, under DIR (default: the current folder), keeping their relative paths. A name
 * that would land outside DIR is refused, whatever the server says.
 */
final class DownloadCommand {

  static final Set<String> VALUED = Set.of("--server", "--token", "--artifact", "--output");
  static final Set<String> FLAGS = Set.of();

  private final ClientContext context;

  DownloadCommand(ClientContext context) {
    this.context = context;
  }

  int run(CliArgs args) {
    if (args.positional().size() != 1) throw new CliArgs.UsageException("Give the job id: buildcast download JOB --token T.");
    String jobId = args.positional().getFirst();
    String token = context.token(args);
    ApiClient api = context.api(args);
    Path dir = Path.of(args.value("--output").orElse(".")).toAbsolutePath().normalize();
    JsonNode status = api.status(jobId, token);
    List<JsonNode> wanted = new ArrayList<>();
    status.path("artifacts").forEach(wanted::add);
    if (args.value("--artifact").isPresent()) {
      String name = args.value("--artifact").get();
      wanted.removeIf(a -> !a.path("name").asText().equals(name));
      if (wanted.isEmpty()) throw new ApiException("not_found", "Job " + jobId + " has no artifact '" + name + "'" + available(status) + ".");
    } else if (wanted.isEmpty()) {
      context.err().println("Job " + jobId + " has no artifacts (state: " + status.path("state").asText() + ").");
      return ExitCodes.SUCCEEDED;
    }
    for (JsonNode artifact : wanted) {
      Path target = dir.resolve(artifact.path("name").asText()).normalize();
      if (!target.startsWith(dir) || target.equals(dir)) {
        throw new ApiException("bad_name", "Refusing to save artifact '" + artifact.path("name").asText() + "' outside " + dir + ".");
      }
      api.download(artifact.path("url").asText(), token, target);
      context.out().println(target);
    }
    return ExitCodes.SUCCEEDED;
  }

  private static String available(JsonNode status) {
    List<String> names = new ArrayList<>();
    status.path("artifacts").forEach(a -> names.add(a.path("name").asText()));
    return names.isEmpty() ? " (it has none)" : "; it has: " + String.join(", ", names);
  }
}
