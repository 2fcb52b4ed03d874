package dev.buildcast.upload;

import java.io.IOException;

/**
 * A store shared by several servers refused a write, save or completion because another server
 * {@link UploadStore#adopt adopted} the upload since (its client resumed there). Nothing of the
 * upload is lost: this server only forgets what it held of it.
 */
public final class UploadMovedException extends IOException {

  private static final long serialVersionUID = 1L;

  public UploadMovedException(String uploadId) {
    super("upload " + uploadId + " is continued by another server now");
  }
}
