package dev.buildcast.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Test files from checked-in seeds (the same bytes on every run), and their digests. */
public final class TestBytes {

  private TestBytes() {}

  /** {@code size} bytes drawn from {@code seed}: pass a constant, so every run uploads the same file. */
  public static byte[] seeded(long seed, int size) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  /** The SHA-256 of {@code bytes} as lower-case hex, the form the protocol uses. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
