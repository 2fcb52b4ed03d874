package dev.buildcast;

/**
 * The cluster's shared engine (Redis) could not be reached, or did not answer in time, for one
 * operation: the job-control adapters and the log path throw this one exception alike. Nothing is
 * known about whether a write that fails this way landed: every write to the engine is safe to
 * repeat (a compare-and-set, a set add, an append the engine recognises as a duplicate), so the
 * caller may retry it later. The edges answer it as {@value #CODE} (HTTP 503; a socket's ack or
 * {@code connect_error} with that code).
 *
 * <p>Why in this package: the log path ({@code log.cluster}) may depend on nothing but the JDK,
 * SLF4J and {@code log}, and the Redis adapters ({@code cluster}) on the domain; both reach here.
 */
public final class EngineUnavailableException extends BuildcastException {

  public static final String CODE = "engine_unavailable";

  public EngineUnavailableException(String message) {
    super(CODE, message);
  }

  public EngineUnavailableException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  /** Failed to reach {@code engine} (a name such as "Redis at host:port", never a password) for {@code operation}. */
  public static EngineUnavailableException reaching(String operation, String engine, Throwable cause) {
    return new EngineUnavailableException("the job engine (" + engine + ") could not be reached for " + operation + ": " + cause.getMessage()
        + "; check that Redis is running and reachable from this server", cause);
  }
}
