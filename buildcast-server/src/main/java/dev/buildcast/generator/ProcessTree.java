package dev.buildcast.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Starts a generator's process in a process group of its own and stops it with everything it
 * started.
 *
 * <p>Why a process group: once a parent dies its children are re-parented and can no longer be
 * found from it, but they keep their group, so signalling the group reaches background children
 * too. Where {@code setsid} is missing, the descendants listed at stop time are signalled instead.
 */
final class ProcessTree {

  private static final Path SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
      .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);

  private ProcessTree() {}

  /** The argv to start so that the process leads its own process group. */
  static List<String> inOwnGroup(List<String> command) {
    if (SETSID == null) return command;
    List<String> argv = new ArrayList<>();
    argv.add(SETSID.toString());
    argv.addAll(command);
    return argv;
  }

  /** SIGTERM to the whole tree, then SIGKILL to whatever is still alive after {@code grace}. */
  static void terminate(Process process, Duration grace) {
    List<ProcessHandle> tree = collect(process.toHandle());
    signalGroup(process.pid(), "TERM");
    tree.forEach(ProcessHandle::destroy);
    CompletableFuture<?>[] exits = tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // why: some did not stop politely; they are killed below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    killGroup(process);
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  /** SIGKILL to the process's group: ends background children left after the process exited. */
  static void killGroup(Process process) {
    signalGroup(process.pid(), "KILL");
    collect(process.toHandle()).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * SIGKILL to the process group {@code groupId} (whose leader may be gone).
   *
   * @return whether the signal reached a group
   */
  static boolean killGroup(long groupId) {
    return signalGroup(groupId, "KILL");
  }

  private static boolean signalGroup(long leaderPid, String signal) {
    if (SETSID == null) return false;
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + leaderPid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      // why: kill(1) missing; the per-process signals of the caller still apply
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<ProcessHandle> collect(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants()).toList();
  }
}
