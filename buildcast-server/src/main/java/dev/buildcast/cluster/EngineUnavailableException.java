package dev.buildcast.cluster;

import dev.buildcast.BuildcastException;

/**
 * The cluster's shared engine (Redis) could not be reached, or did not answer in time, for one
 * operation. Nothing is known about whether a write that fails this way landed: every write of
 * this package is safe to repeat (a compare-and-set, a set add, a push of an id the caller checks),
 * so the caller may retry it later. The edges answer it as {@code engine_unavailable}.
 */
public final class EngineUnavailableException extends BuildcastException {

  public static final String CODE = "engine_unavailable";

  EngineUnavailableException(String operation, String engine, Throwable cause) {
    super(CODE, "the job engine (" + engine + ") could not be reached for " + operation + ": " + cause.getMessage()
        + "; check that Redis is running and reachable from this server", cause);
  }
}
