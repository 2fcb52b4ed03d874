package dev.buildcast.generator;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the workflow commands a generator prints ({@code ::notice::TEXT}, {@code ::warning::},
 * {@code ::error::}, {@code ::group::TITLE}, {@code ::endgroup::}, {@code ::progress::NN}, {@code
 * ::add-mask::VALUE}) into calls on a {@link LogSink}; every other line is a detail line.
 *
 * <p>Commands are recognised only at the very start of a line, as CI systems do, so a line that
 * merely mentions one is kept as it is. A malformed {@code ::progress::} value is kept as a detail
 * line rather than dropped, so the author can see it.
 */
public final class WorkflowCommands {

  private static final Pattern COMMAND = Pattern.compile("^::([a-z-]+)::(.*)$", Pattern.DOTALL);

  private final LogSink sink;

  public WorkflowCommands(LogSink sink) {
    this.sink = sink;
  }

  /** Interprets one line of output. */
  public void accept(String line) {
    // why: nearly every line is plain output, and matching the pattern costs a matcher per line
    if (!line.startsWith("::")) {
      sink.detail(line);
      return;
    }
    Matcher m = COMMAND.matcher(line);
    if (!m.matches()) {
      sink.detail(line);
      return;
    }
    String argument = m.group(2);
    switch (m.group(1)) {
      case "notice" -> sink.append(LogLevel.NOTICE, argument);
      case "warning" -> sink.append(LogLevel.WARNING, argument);
      case "error" -> sink.append(LogLevel.ERROR, argument);
      case "group" -> sink.append(LogLevel.GROUP, argument);
      case "endgroup" -> sink.endGroup();
      case "progress" -> progress(line, argument);
      case "add-mask" -> sink.mask(argument);
      default -> sink.detail(line);
    }
  }

  private void progress(String line, String argument) {
    String value = argument.strip();
    if (value.endsWith("%")) value = value.substring(0, value.length() - 1);
    try {
      int percentage = Integer.parseInt(value);
      if (percentage >= 0 && percentage <= 100) {
        sink.progress(percentage);
        return;
      }
    } catch (NumberFormatException ignored) {
      // why: falls through to keep the line visible in the detailed log
    }
    sink.detail(line);
  }
}
