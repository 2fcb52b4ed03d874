package dev.buildcast.app;

import dev.buildcast.config.BuildcastConfig;
import dev.buildcast.config.NotifyConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The values of the server's own secrets, masked in every job's log whatever the job does: the
 * variables named in {@code secretEnv}, the webhook signing secret, the SMTP password, the docs-site
 * push token, and every
 * variable of the server's environment whose name looks like a secret's. why guess by name too: an
 * operator who exports {@code AWS_SECRET_ACCESS_KEY} for another tool has not thought of listing it,
 * and a job that learns it some other way (a file, a parameter) must still not print it.
 */
final class ServerSecrets {

  /** Names such as {@code DB_PASSWORD}, {@code AWS_SECRET_ACCESS_KEY}, {@code GITHUB_TOKEN}, {@code API_KEY}. */
  static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|APIKEY).*|(.*_)?(KEY|PASS)(_.*)?");

  /**
   * Values of variables only guessed to be secret by their name are masked when at least this long.
   * why: masking a two-character value would star out every occurrence of it in ordinary output.
   */
  static final int MIN_GUESSED_CHARS = 6;

  private ServerSecrets() {}

  static List<String> of(BuildcastConfig config, Map<String, String> environment) {
    Set<String> values = new LinkedHashSet<>();
    Stream<String> named = Stream.of(config.secretEnv().stream(), notifySecretNames(config.notifications()),
        config.docsSite().publishTokenEnv().stream()).flatMap(names -> names);
    named.map(environment::get).filter(v -> v != null && !v.isBlank()).forEach(values::add);
    environment.forEach((name, value) -> {
      if (looksSecret(name) && value != null && value.strip().length() >= MIN_GUESSED_CHARS) values.add(value);
    });
    return List.copyOf(values);
  }

  static boolean looksSecret(String variableName) {
    return SECRET_NAME.matcher(variableName.toUpperCase(Locale.ROOT)).matches();
  }

  private static Stream<String> notifySecretNames(NotifyConfig notify) {
    return Stream.concat(
        notify.webhook().map(NotifyConfig.WebhookConfig::secretEnv).stream(),
        notify.email().flatMap(NotifyConfig.EmailConfig::passwordEnv).stream());
  }
}
