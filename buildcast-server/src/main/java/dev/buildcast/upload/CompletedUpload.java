package dev.buildcast.upload;

/**
 * An upload whose every byte arrived and passed the checks; its file is the input jobs get.
 *
 * @param uploadId 22 URL-safe characters, unguessable
 * @param name the file name the client gave (for people; never used as a path)
 * @param size bytes
 * @param sha256 lower-case hex of the file's SHA-256
 */
public record CompletedUpload(String uploadId, String name, long size, String sha256) {}
