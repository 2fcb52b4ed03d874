package dev.buildcast.generator.openevent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The only kinds of file the site takes from an export: images, audio and video, and PDF, each
 * recognised by its name's extension AND by its first bytes. Everything else (HTML, SVG, scripts,
 * anything unknown) stays out, because the site is served to browsers and such a file could carry
 * script. A file whose extension names one allowed type but whose bytes are another of the same
 * kind (a PNG named {@code .jpg}) is taken: browsers decide images by their bytes anyway.
 */
final class MediaTypes {

  /** What a reference is for; each kind has its own allowed types. */
  enum Kind {
    IMAGE("a PNG, JPEG, GIF, WebP or AVIF image"),
    AUDIO("an MP3, AAC, Ogg, Opus, WAV or FLAC recording, or an MP4, WebM or Ogg video"),
    DOCUMENT("a PDF document");

    private final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    /** What a file of this kind must be, for the problem line. */
    String expected() {
      return expected;
    }
  }

  /** One allowed type: its extensions and how its first bytes look. */
  private record Type(Kind kind, Set<String> extensions, Signature signature) {}

  private interface Signature {
    boolean matches(byte[] head);
  }

  private static final List<Type> TYPES = List.of(
      new Type(Kind.IMAGE, Set.of("png"), at(0, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})),
      new Type(Kind.IMAGE, Set.of("jpg", "jpeg"), at(0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})),
      new Type(Kind.IMAGE, Set.of("gif"), head -> startsWith(head, 0, "GIF87a") || startsWith(head, 0, "GIF89a")),
      new Type(Kind.IMAGE, Set.of("webp"), head -> startsWith(head, 0, "RIFF") && startsWith(head, 8, "WEBP")),
      new Type(Kind.IMAGE, Set.of("avif"), head -> startsWith(head, 4, "ftypavif") || startsWith(head, 4, "ftypavis")),
      new Type(Kind.AUDIO, Set.of("mp3", "aac"), head -> startsWith(head, 0, "ID3") || frameSync(head)),
      new Type(Kind.AUDIO, Set.of("ogg", "oga", "opus", "ogv"), head -> startsWith(head, 0, "OggS")),
      new Type(Kind.AUDIO, Set.of("wav"), head -> startsWith(head, 0, "RIFF") && startsWith(head, 8, "WAVE")),
      new Type(Kind.AUDIO, Set.of("flac"), head -> startsWith(head, 0, "fLaC")),
      new Type(Kind.AUDIO, Set.of("m4a", "mp4", "m4v"), head -> startsWith(head, 4, "ftyp")),
      new Type(Kind.AUDIO, Set.of("webm"), at(0, new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3})),
      new Type(Kind.DOCUMENT, Set.of("pdf"), head -> startsWith(head, 0, "%PDF-")));

  private static final int HEAD_BYTES = 16;

  private MediaTypes() {}

  /**
   * Whether {@code file} is an allowed type of {@code kind} by both its name and its first bytes.
   *
   * @return empty when it is; otherwise why not, for the problem line
   */
  static Optional<String> refusal(Path file, Kind kind) throws IOException {
    String extension = extension(file.getFileName().toString());
    boolean named = TYPES.stream().anyMatch(t -> t.kind() == kind && t.extensions().contains(extension));
    if (!named) return Optional.of("is not " + kind.expected() + " by its name");
    byte[] head = head(file);
    boolean looks = TYPES.stream().anyMatch(t -> t.kind() == kind && t.signature().matches(head));
    return looks ? Optional.empty() : Optional.of("is not " + kind.expected() + " by its content");
  }

  /** Whether {@code file} is an allowed type of any kind, by both its name and its first bytes. */
  static boolean isAllowed(Path file) throws IOException {
    for (Kind kind : Kind.values()) {
      if (refusal(file, kind).isEmpty()) return true;
    }
    return false;
  }

  /**
   * The extension of the allowed image type {@code head} (a file's first bytes) is, judged by the
   * bytes alone: for downloads, whose name and Content-Type are not to be trusted.
   */
  static Optional<String> imageExtension(byte[] head) {
    return TYPES.stream().filter(t -> t.kind() == Kind.IMAGE && t.signature().matches(head))
        .map(t -> t.extensions().contains("jpg") ? "jpg" : t.extensions().iterator().next()).findFirst();
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(HEAD_BYTES);
    }
  }

  private static Signature at(int offset, byte[] magic) {
    return head -> head.length >= offset + magic.length
        && Arrays.equals(head, offset, offset + magic.length, magic, 0, magic.length);
  }

  private static boolean startsWith(byte[] head, int offset, String ascii) {
    return at(offset, ascii.getBytes(StandardCharsets.US_ASCII)).matches(head);
  }

  /** An MPEG audio frame (MP3, AAC in ADTS): eleven set bits. */
  private static boolean frameSync(byte[] head) {
    return head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0;
  }
}
