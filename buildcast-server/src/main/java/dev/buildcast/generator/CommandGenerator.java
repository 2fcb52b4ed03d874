package dev.buildcast.generator;

import dev.buildcast.log.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A generator that runs a configured command line for each job: the argv is taken as configured
 * and never passed through a shell, so no job parameter can inject a command; parameters reach the
 * process only as environment variables.
 *
 * <p>stdout and stderr are merged into one pipe by the operating system, so their lines reach the
 * log in the order the process wrote them (two pipes read separately can only guess that order).
 */
public final class CommandGenerator implements Generator {

  /** How long a cancelled process gets to exit after SIGTERM before it is killed. */
  static final Duration TERMINATION_GRACE = Duration.ofSeconds(3);

  /** How long output may keep coming after the process itself exited. */
  static final Duration OUTPUT_DRAIN_GRACE = Duration.ofSeconds(5);

  private final Options options;

  /**
   * What a configured command generator is: everything its configuration says, checked once here.
   * Start from {@link #of} (the defaults: no description, no input, no params, no extra variables,
   * no site, the server's {@link GeneratorEnvironment#ALWAYS_PASSED} variables) and change what
   * the configuration sets with the {@code with…} methods.
   *
   * @param command the argv, never passed through a shell
   * @param extraEnvironment the configured {@code env:}, on top of {@code baseEnvironment}
   * @param siteFolder the folder under the work folder that holds the site the command makes, if any
   * @param baseEnvironment what the process starts from instead of the server's environment (see
   *     {@link GeneratorEnvironment}); {@code extraEnvironment} and the job's variables go on top
   */
  public record Options(String name, String description, List<String> command, InputKind input, List<ParamSpec> params,
      Map<String, String> extraEnvironment, Optional<String> siteFolder, Map<String, String> baseEnvironment) {

    /** @throws IllegalArgumentException naming the generator when the command is empty */
    public Options {
      if (name == null || name.isBlank()) throw new IllegalArgumentException("a command generator needs a name");
      if (command.isEmpty()) throw new IllegalArgumentException("generator " + name + " has an empty command");
      description = description == null ? "" : description;
      command = List.copyOf(command);
      input = java.util.Objects.requireNonNull(input, "input");
      params = List.copyOf(params);
      extraEnvironment = Map.copyOf(extraEnvironment);
      siteFolder = java.util.Objects.requireNonNull(siteFolder, "siteFolder");
      baseEnvironment = Map.copyOf(baseEnvironment);
    }

    /** A generator {@code name} running {@code command}, with the defaults for everything else. */
    public static Options of(String name, List<String> command) {
      return new Options(name, "", command, InputKind.NONE, List.of(), Map.of(), Optional.empty(),
          GeneratorEnvironment.of(System.getenv(), List.of()));
    }

    public Options withDescription(String text) {
      return new Options(name, text, command, input, params, extraEnvironment, siteFolder, baseEnvironment);
    }

    public Options withInput(InputKind kind) {
      return new Options(name, description, command, kind, params, extraEnvironment, siteFolder, baseEnvironment);
    }

    public Options withParams(List<ParamSpec> specs) {
      return new Options(name, description, command, input, specs, extraEnvironment, siteFolder, baseEnvironment);
    }

    public Options withExtraEnvironment(Map<String, String> variables) {
      return new Options(name, description, command, input, params, variables, siteFolder, baseEnvironment);
    }

    public Options withSiteFolder(Optional<String> folder) {
      return new Options(name, description, command, input, params, extraEnvironment, folder, baseEnvironment);
    }

    public Options withBaseEnvironment(Map<String, String> variables) {
      return new Options(name, description, command, input, params, extraEnvironment, siteFolder, variables);
    }
  }

  public CommandGenerator(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return options.name();
  }

  @Override
  public String description() {
    return options.description();
  }

  @Override
  public InputKind input() {
    return options.input();
  }

  @Override
  public List<ParamSpec> params() {
    return options.params();
  }

  @Override
  public Optional<String> siteFolder() {
    return options.siteFolder();
  }

  public List<String> command() {
    return options.command();
  }

  @Override
  public int run(JobContext context) throws InterruptedException {
    Process process = start(context);
    LeftoverProcesses.record(context.workDir(), process);
    try {
      return runStarted(context, process);
    } finally {
      LeftoverProcesses.forget(context.workDir());
    }
  }

  private int runStarted(JobContext context, Process process) throws InterruptedException {
    WorkflowCommands commands = new WorkflowCommands(context.log());
    // why a scope per chunk: its lines are written to the log together, not one write per line
    OutputPump pump = new OutputPump(LogLine.MAX_TEXT_CHARS, commands::accept, context.log()::batch, context.log());
    FutureTask<Void> pumping = new FutureTask<>(() -> pumpOutput(pump, process.getInputStream()));
    // why a thread of its own, not an executor we would have to close: a pipe held open by an
    // abandoned child must not keep the job's thread waiting for its reader. why a platform thread:
    // on a virtual thread every blocking read of the pipe and write of the log went through the
    // scheduler's compensation for pinned carriers, three times the context switches for a flood of
    // output (bench/README.md, issue 17); jobs are few, so their pumps are too. Daemon: a reader
    // left on such a pipe must not keep the server from exiting.
    Thread.ofPlatform().daemon(true).name("buildcast-pump-" + context.jobId()).start(pumping);
    try {
      int exitCode = process.waitFor();
      // why: the job is over; children it left running in the background must not outlive it
      ProcessTree.killGroup(process);
      awaitOutputEnd(pumping, process);
      return exitCode;
    } catch (InterruptedException e) {
      ProcessTree.terminate(process, TERMINATION_GRACE);
      closeQuietly(process.getInputStream());
      throw e;
    } catch (ExecutionException e) {
      ProcessTree.terminate(process, TERMINATION_GRACE);
      throw new IllegalStateException(
          "reading the output of " + options.name() + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Waits for the rest of the output after the process exited. A background child that inherited
   * the pipe can hold it open for ever; after a grace period the pipe is closed so the job ends.
   */
  private static void awaitOutputEnd(Future<?> pumping, Process process)
      throws InterruptedException, ExecutionException {
    try {
      pumping.get(OUTPUT_DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      ProcessTree.terminate(process, Duration.ZERO);
      closeQuietly(process.getInputStream());
      pumping.cancel(true);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // why: the pipe is being abandoned; nothing more can be read from it anyway
    }
  }

  private static Void pumpOutput(OutputPump pump, InputStream out) throws IOException {
    try (out) {
      pump.pump(out);
    }
    return null;
  }

  /**
   * Fails with a clear message when the program cannot be found, before anything starts (through
   * setsid the failure would otherwise surface only as a line of output and an exit code).
   */
  private void checkProgram() {
    String program = options.command().getFirst();
    boolean found = program.contains("/")
        ? Files.isExecutable(Path.of(program))
        : Stream.of(options.baseEnvironment().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    if (!found) {
      // why only the file name: the reason is shown to users, the server's folders are not their business
      throw new IllegalStateException("could not start " + Path.of(program).getFileName() + ": no such executable (check the command of generator " + options.name() + ")");
    }
  }

  /**
   * The command run through {@code sh} with umask 077, so what the process writes into the job's
   * folder is the server's alone (600 files, 700 folders) whatever umask the server runs with.
   * {@code exec} keeps the process id, so the process group and its signals are unchanged.
   */
  private static List<String> withPrivateUmask(List<String> command) {
    List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh"));
    argv.addAll(command);
    return argv;
  }

  private Process start(JobContext context) {
    checkProgram();
    ProcessBuilder builder = new ProcessBuilder(ProcessTree.inOwnGroup(withPrivateUmask(options.command())));
    builder.directory(context.workDir().toFile());
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = builder.environment();
    // why clear: the server's own environment holds its secrets; the job starts from the allowlist
    env.clear();
    env.putAll(options.baseEnvironment());
    env.putAll(options.extraEnvironment());
    env.put("BUILDCAST_JOB_ID", context.jobId());
    env.put("BUILDCAST_NODE_ID", context.nodeId());
    env.put("BUILDCAST_OUTPUT", context.outputDir().toString());
    context.input().ifPresent(path -> env.put("BUILDCAST_INPUT", path.toString()));
    context.params().forEach((key, value) -> env.put("BUILDCAST_PARAM_" + key.toUpperCase(Locale.ROOT), value));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + Path.of(options.command().getFirst()).getFileName() + ": "
          + ServerPaths.hidden(e.getMessage(), context), e);
    }
  }
}
