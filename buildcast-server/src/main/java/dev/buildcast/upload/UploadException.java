package dev.buildcast.upload;

import dev.buildcast.BuildcastException;

/** An upload request refused; the code is part of the protocol (docs/protocol.md, "Uploads"). */
public final class UploadException extends BuildcastException {

  public UploadException(String code, String message) {
    super(code, message);
  }

  static UploadException unknown(String uploadId) {
    return new UploadException("unknown_upload",
        "No unfinished upload " + excerpt(uploadId) + ": it completed, was aborted, expired, or never existed; start a new upload.");
  }

  static UploadException badRequest(String message) {
    return new UploadException("bad_request", message);
  }
}
