package dev.buildcast.socket;

/**
 * Names of the Socket.IO events Buildcast speaks; docs/protocol.md describes each with its payload.
 */
final class SocketEvents {

  private SocketEvents() {}

  // Namespace "/": starting jobs.
  static final String GENERATE = "generate";

  // Namespace "/": uploads, Buildcast's own protocol.
  static final String UPLOAD_START = "upload.start";
  static final String UPLOAD_CHUNK = "upload.chunk";
  static final String UPLOAD_ABORT = "upload.abort";
  static final String UPLOAD_PROGRESS = "upload.progress";
  static final String UPLOAD_COMPLETE = "upload.complete";

  // Namespace "/": uploads from the socketio-file-upload (siofu) 0.7 browser client, its own names.
  static final String SIOFU_START = "siofu_start";
  static final String SIOFU_PROGRESS = "siofu_progress";
  static final String SIOFU_DONE = "siofu_done";
  static final String SIOFU_READY = "siofu_ready";
  static final String SIOFU_CHUNK = "siofu_chunk";
  static final String SIOFU_COMPLETE = "siofu_complete";
  static final String SIOFU_ERROR = "siofu_error";

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
