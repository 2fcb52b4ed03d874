package dev.buildcast.log.cluster;

import dev.buildcast.BuildcastException;

/**
 * The engine behind {@link AcceptedLines} could not be reached or did not answer in time. Whether
 * a write landed is unknown: the caller retries it with the same arguments.
 */
public class LogEngineUnavailableException extends BuildcastException {

  public LogEngineUnavailableException(String message, Throwable cause) {
    super("engine_unavailable", message, cause);
  }

  public LogEngineUnavailableException(String message) {
    super("engine_unavailable", message);
  }
}
