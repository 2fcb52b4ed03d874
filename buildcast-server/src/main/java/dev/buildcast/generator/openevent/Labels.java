package dev.buildcast.generator.openevent;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * Every word the site prints that is not the event's own data, in the site's language. Messages
 * live in {@code labels_<language>.properties} beside the templates (UTF-8); counted ones are
 * {@link MessageFormat} choices so "1 track" and "0 sponsors" read right in each language.
 *
 * <p>Only the languages in {@link #SUPPORTED} are offered: a label missing from a language's file
 * is a build bug (a test checks every file has every key), not something to paper over at run
 * time, so a missing key throws.
 */
final class Labels {

  /** Languages with a complete message file, by their primary language subtag. */
  static final List<String> SUPPORTED = List.of("en", "de", "fr", "es", "vi", "zh", "id");

  private static final String BUNDLE = "dev.buildcast.generator.openevent.labels";

  private final Locale locale;
  private final ResourceBundle messages;

  private Labels(Locale locale, ResourceBundle messages) {
    this.locale = locale;
    this.messages = messages;
  }

  /** The labels for a language tag such as {@code de} or {@code zh-CN}, if its language is supported. */
  static Optional<Labels> forTag(String tag) {
    Locale locale = Locale.forLanguageTag(tag);
    String language = locale.getLanguage();
    if (!SUPPORTED.contains(language)) return Optional.empty();
    ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, Locale.of(language), Labels.class.getClassLoader(),
        // why: without this control a missing language file would silently fall back to the JVM's own locale
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    return Optional.of(new Labels(locale, bundle));
  }

  /** English, the default. */
  static Labels english() {
    return forTag("en").orElseThrow();
  }

  Locale locale() {
    return locale;
  }

  /** A plain label. */
  public String text(String key) {
    try {
      return messages.getString(key);
    } catch (MissingResourceException e) {
      throw new IllegalStateException("label " + key + " is missing for " + locale.toLanguageTag(), e);
    }
  }

  /** A label with one value filled in ({@code {0}}), such as a count with its plural. */
  public String format(String key, Object value) {
    return new MessageFormat(text(key), locale).format(new Object[] {value});
  }

  /** A label with two values filled in. */
  public String format(String key, Object first, Object second) {
    return new MessageFormat(text(key), locale).format(new Object[] {first, second});
  }
}
