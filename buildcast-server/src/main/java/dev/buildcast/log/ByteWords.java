package dev.buildcast.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Looks at a byte array eight bytes at a time, for the scans a job's every line goes through (line
 * ends in the output pump, printable ASCII in {@link LineNormalizer}). why little-endian: the lowest
 * flagged byte of a word is then the first in the array.
 */
public final class ByteWords {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** 0x01 in every byte. */
  public static final long ONES = 0x0101010101010101L;
  /** The top bit of every byte. */
  public static final long HIGH_BITS = 0x8080808080808080L;

  private ByteWords() {}

  /** The eight bytes at {@code index}, the first in the lowest byte. */
  public static long at(byte[] bytes, int index) {
    return (long) LONGS.get(bytes, index);
  }

  /** The top bit of each byte of {@code word} that is zero, and maybe of bytes above one. */
  public static long zeroBytes(long word) {
    return (word - ONES) & ~word & HIGH_BITS;
  }
}
