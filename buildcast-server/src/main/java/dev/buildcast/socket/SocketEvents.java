package dev.buildcast.socket;

/**
 * Names of the Socket.IO events Buildcast speaks; docs/protocol.md describes each with its payload.
 */
final class SocketEvents {

  private SocketEvents() {}

  // Namespace "/": starting jobs.
  static final String GENERATE = "generate";

  // Namespace "/<jobId>": following one job.
  static final String STATUS = "status";
  static final String MESSAGE = "message";
  static final String LOG = "log";
  static final String RETRIEVE_DETAILED_LOGS = "retrieve-detailed-logs";
  static final String FILE_CONTENT = "file-content";
  static final String FILE_CONTENT_END = "file-content-end";
  static final String CANCEL = "cancel";

  // Both: a refusal when the client asked for no acknowledgement.
  static final String ERROR = "error";
}
