package dev.buildcast.log;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629): no overlong form, no surrogate, nothing past
 * U+10FFFF, no sequence cut short. why here: a stored log's bytes are sent as they are where they
 * are well-formed, and the JDK says so only by decoding them into chars first.
 */
final class Utf8 {

  private Utf8() {}

  /** True when {@code bytes[offset, offset + length)} is well-formed UTF-8 (an empty range is). */
  static boolean isWellFormed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int lead = bytes[i];
      if (lead >= 0) { // ASCII, by far the most of any log
        i++;
        continue;
      }
      lead &= 0xFF;
      int more;
      int lowest = 0x80; // the bounds of the second byte, which rule out overlongs, surrogates and > U+10FFFF
      int highest = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        more = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        more = 2;
        if (lead == 0xE0) lowest = 0xA0;
        if (lead == 0xED) highest = 0x9F;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        more = 3;
        if (lead == 0xF0) lowest = 0x90;
        if (lead == 0xF4) highest = 0x8F;
      } else {
        return false; // a continuation byte without a lead, C0/C1 (overlong) or F5..FF
      }
      if (end - i <= more) return false;
      int second = bytes[i + 1] & 0xFF;
      if (second < lowest || second > highest) return false;
      for (int k = 2; k <= more; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) return false;
      }
      i += more + 1;
    }
    return true;
  }
}
