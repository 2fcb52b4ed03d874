package dev.buildcast.generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Takes the server's own folders out of a text meant for a job's users (a log line, a job's
 * reason): an exception's message names absolute paths under the data folder, which tell a user
 * how the server is laid out. Paths inside the job's folder become relative to it
 * ({@code work/export/images}), the input file becomes "the input file", and any other path under
 * the data folder becomes relative to that.
 */
public final class ServerPaths {

  private ServerPaths() {}

  /** {@code text} with the job's and the data folder's absolute paths replaced. */
  public static String hidden(String text, JobContext context) {
    if (text == null) return "";
    Map<String, String> replacements = new LinkedHashMap<>();
    context.input().ifPresent(input -> forms(input).forEach(form -> replacements.put(form, "the input file")));
    Path jobDir = context.workDir().toAbsolutePath().normalize().getParent();
    if (jobDir != null) {
      forms(jobDir).forEach(form -> replacements.put(form + "/", ""));
      forms(jobDir).forEach(form -> replacements.put(form, "the job's folder"));
      Path jobsRoot = jobDir.getParent();
      Path dataDir = jobsRoot == null ? null : jobsRoot.getParent();
      if (dataDir != null && dataDir.getNameCount() > 0) {
        forms(dataDir).forEach(form -> replacements.put(form + "/", ""));
      }
    }
    String result = text;
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      result = result.replace(r.getKey(), r.getValue());
    }
    return result;
  }

  /** The path as given, absolute, and with links resolved: an exception may name any of them. */
  private static java.util.Set<String> forms(Path path) {
    java.util.Set<String> forms = new java.util.LinkedHashSet<>();
    forms.add(path.toString());
    forms.add(path.toAbsolutePath().normalize().toString());
    try {
      forms.add(path.toRealPath().toString());
    } catch (IOException e) {
      // why: a path that no longer exists has no real path; the other forms still apply
    }
    forms.removeIf(form -> form.isEmpty() || form.equals("/"));
    // why longest first: the real path may contain the given one (or the other way round)
    return forms.stream().sorted((a, b) -> Integer.compare(b.length(), a.length()))
        .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}
