package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Compares long sequences in linear time, reporting where they first differ (AssertJ's exact
 * containment diff is quadratic, too slow for hundreds of thousands of seqs).
 */
final class SequenceAssert {

  private SequenceAssert() {}

  static <T> void assertSameSequence(String what, List<T> actual, List<T> expected) {
    if (actual.equals(expected)) return;
    int at = 0;
    while (at < actual.size() && at < expected.size() && actual.get(at).equals(expected.get(at))) at++;
    assertThat(actual.equals(expected))
        .as(
            "%s: %d elements, expected %d; first difference at index %d: actual %s, expected %s",
            what,
            actual.size(),
            expected.size(),
            at,
            window(actual, at),
            window(expected, at))
        .isTrue();
  }

  private static <T> List<T> window(List<T> list, int at) {
    return list.subList(Math.max(0, Math.min(at - 2, list.size())), Math.min(list.size(), at + 3));
  }
}
