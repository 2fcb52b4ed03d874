package dev.buildcast.http;

import dev.buildcast.BuildcastException;

/**
 * No such upload, asked for at the upload's own URL ({@code /api/uploads/{id}}): code
 * {@code unknown_upload} as everywhere, but HTTP 404 there, since the resource does not exist
 * (elsewhere, e.g. an {@code uploadId} in a job request, the same code is a 400 about the body).
 */
final class UploadNotFoundException extends BuildcastException {

  UploadNotFoundException(String message) {
    super("unknown_upload", message);
  }
}
