package dev.buildcast.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects signs that an in-process server went wrong while a test ran: every ERROR log line, every
 * WARN that carries an exception (a handler that threw past its guard, a middleware that failed),
 * and every exception that killed a thread. Installed for one test class, removed on close.
 */
public final class ServerTrouble implements AutoCloseable {

  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      boolean error = event.getLevel().isGreaterOrEqual(Level.ERROR);
      boolean warnWithException = event.getLevel() == Level.WARN && event.getThrowableProxy() != null;
      if (error || warnWithException) {
        problems.add(event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
            + event.getFormattedMessage() + describe(event.getThrowableProxy()));
      }
    }
  };

  public static ServerTrouble watch() {
    return new ServerTrouble();
  }

  private ServerTrouble() {
    appender.setContext(root.getLoggerContext());
    appender.setName("server-trouble");
    appender.start();
    root.addAppender(appender);
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
        problems.add("thread " + thread.getName() + " died: " + failure));
  }

  private static String describe(IThrowableProxy t) {
    if (t == null) return "";
    StringBuilder s = new StringBuilder(": ").append(t.getClassName()).append(": ").append(t.getMessage());
    var frames = t.getStackTraceElementProxyArray();
    for (int i = 0; i < Math.min(6, frames.length); i++) s.append("\n    at ").append(frames[i].getSTEAsString());
    return s.toString();
  }

  /** Everything seen so far, oldest first. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
  }
}
