package dev.buildcast.http;

import java.util.Locale;
import java.util.Map;

/**
 * The content type a preview file is served with, by its name's extension (a fixed table, not the
 * host's MIME database, so every server answers alike), and whether a browser may show it or must
 * download it. Pages and what pages load (styles, scripts, fonts) and the allowed media (images,
 * audio, video, PDF) are shown; everything else, SVG included (it can carry script), is served as
 * an attachment.
 */
final class PreviewTypes {

  /** A file's type and whether it is shown in the browser. */
  record PreviewType(String contentType, boolean inline) {}

  private static final PreviewType OTHER = new PreviewType("application/octet-stream", false);

  private static final Map<String, PreviewType> BY_EXTENSION = Map.ofEntries(
      shown("html", "text/html; charset=utf-8"),
      shown("htm", "text/html; charset=utf-8"),
      shown("css", "text/css; charset=utf-8"),
      shown("js", "text/javascript; charset=utf-8"),
      shown("mjs", "text/javascript; charset=utf-8"),
      shown("woff", "font/woff"),
      shown("woff2", "font/woff2"),
      shown("png", "image/png"),
      shown("jpg", "image/jpeg"),
      shown("jpeg", "image/jpeg"),
      shown("gif", "image/gif"),
      shown("webp", "image/webp"),
      shown("avif", "image/avif"),
      shown("ico", "image/x-icon"),
      shown("mp3", "audio/mpeg"),
      shown("aac", "audio/aac"),
      shown("m4a", "audio/mp4"),
      shown("ogg", "audio/ogg"),
      shown("oga", "audio/ogg"),
      shown("opus", "audio/ogg"),
      shown("wav", "audio/wav"),
      shown("flac", "audio/flac"),
      shown("mp4", "video/mp4"),
      shown("m4v", "video/mp4"),
      shown("webm", "video/webm"),
      shown("ogv", "video/ogg"),
      shown("pdf", "application/pdf"),
      // why typed but downloaded: an <img> of the site still shows an SVG (scripts do not run there),
      // but opened on its own it would be a document that runs them
      downloaded("svg", "image/svg+xml"),
      downloaded("json", "application/json"),
      downloaded("txt", "text/plain; charset=utf-8"),
      downloaded("xml", "application/xml"),
      downloaded("zip", "application/zip"));

  private PreviewTypes() {}

  static PreviewType of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return BY_EXTENSION.getOrDefault(extension, OTHER);
  }

  private static Map.Entry<String, PreviewType> shown(String extension, String type) {
    return Map.entry(extension, new PreviewType(type, true));
  }

  private static Map.Entry<String, PreviewType> downloaded(String extension, String type) {
    return Map.entry(extension, new PreviewType(type, false));
  }
}
