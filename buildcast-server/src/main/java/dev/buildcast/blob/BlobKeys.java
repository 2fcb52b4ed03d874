package dev.buildcast.blob;

import java.nio.charset.StandardCharsets;

/**
 * The rules every blob key follows, checked before any adapter maps a key to a file or an object
 * name: segments separated by {@code /}, none empty, none {@code .} or {@code ..}, no backslash,
 * no NUL or other control character, at most {@value #MAX_KEY_BYTES} UTF-8 bytes in all and
 * {@value #MAX_SEGMENT_BYTES} per segment.
 *
 * <p>why so strict: keys are built from names a job's process chose (file names in its output);
 * with these rules a key names one place below the store's root on every adapter, and a local
 * folder cannot be left by {@code ..}, an absolute path or a Windows separator.
 */
public final class BlobKeys {

  /** The longest key, in UTF-8 bytes (what object stores commonly allow). */
  public static final int MAX_KEY_BYTES = 1024;

  /** The longest segment, in UTF-8 bytes (what common file systems allow for one name). */
  public static final int MAX_SEGMENT_BYTES = 255;

  private BlobKeys() {}

  /**
   * Returns {@code key} if it is a valid key.
   *
   * @throws InvalidBlobKeyException saying which rule it breaks
   */
  public static String check(String key) {
    String problem = problem(key);
    if (problem != null) throw new InvalidBlobKeyException(key, problem);
    return key;
  }

  /** Whether {@code key} is a valid key. */
  public static boolean isValid(String key) {
    return problem(key) == null;
  }

  /**
   * Returns {@code prefix} if it is {@code ""} or a valid key followed by {@code /}.
   *
   * @throws InvalidBlobKeyException otherwise
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) throw new InvalidBlobKeyException("null", "is missing: pass \"\" for every blob");
    if (prefix.isEmpty()) return prefix;
    if (!prefix.endsWith("/")) {
      throw new InvalidBlobKeyException(prefix, "is not a prefix: a prefix ends with '/' (so that jobs/ab/ does not match jobs/abc/)");
    }
    String problem = problem(prefix.substring(0, prefix.length() - 1));
    if (problem != null) throw new InvalidBlobKeyException(prefix, problem);
    return prefix;
  }

  private static String problem(String key) {
    if (key == null) return "is missing";
    if (key.isEmpty()) return "is empty";
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) return "is longer than " + MAX_KEY_BYTES + " bytes";
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\') return "contains a backslash; separate segments with '/'";
      if (c == '\0') return "contains a NUL character";
      if (c < 0x20 || c == 0x7f) return "contains a control character (code " + (int) c + ")";
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) return "has an empty segment (a leading, trailing or double '/')";
      if (segment.equals(".") || segment.equals("..")) return "has a '" + segment + "' segment";
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return "has a segment longer than " + MAX_SEGMENT_BYTES + " bytes";
      }
    }
    return null;
  }
}
