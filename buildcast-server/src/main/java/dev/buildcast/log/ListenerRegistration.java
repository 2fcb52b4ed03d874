package dev.buildcast.log;

/** Undoes one {@link JobLog#addListener} registration. */
@FunctionalInterface
public interface ListenerRegistration {

  /** Stops the listener from hearing anything more; idempotent. */
  void remove();
}
