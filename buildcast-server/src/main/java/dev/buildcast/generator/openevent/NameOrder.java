package dev.buildcast.generator.openevent;

import java.text.Collator;
import java.text.ParseException;
import java.text.RuleBasedCollator;
import java.util.Comparator;
import java.util.Locale;

/**
 * Orders names the way readers of the event's language expect: "credativ" before "XLTech" (case
 * does not decide), "Émile" among the E's. The JDK's collation rules put a few letters with a
 * stroke (Ø, Đ, Ł) after Z; a name list is not a dictionary of one language, so those are put back
 * beside their base letter, with only an accent-level difference.
 */
final class NameOrder implements Comparator<String> {

  private static final String STROKED_LETTERS = "& o ; ø & O ; Ø & d ; đ & D ; Đ & l ; ł & L ; Ł";

  private final Collator collator;

  NameOrder(Locale locale) {
    this.collator = collatorFor(locale);
  }

  @Override
  public int compare(String a, String b) {
    return collator.compare(a, b);
  }

  private static Collator collatorFor(Locale locale) {
    Collator base = Collator.getInstance(locale);
    if (base instanceof RuleBasedCollator rules) {
      try {
        Collator extended = new RuleBasedCollator(rules.getRules() + STROKED_LETTERS);
        extended.setStrength(Collator.TERTIARY);
        return extended;
      } catch (ParseException e) {
        // why: the JDK's own rules plus three resets always parse; fall back rather than fail a site
        return base;
      }
    }
    return base;
  }
}
