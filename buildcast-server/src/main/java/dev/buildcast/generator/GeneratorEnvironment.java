package dev.buildcast.generator;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a generator's process starts from: a short allowlist taken from the server's own
 * environment, never the whole of it. why: the server holds secrets (the webhook signing secret, SMTP
 * credentials, cloud keys) that a job — which runs whatever an uploader's input makes it run — must
 * not be able to print.
 */
public final class GeneratorEnvironment {

  /** Variables every generator gets from the server's environment, when the server has them. */
  public static final Set<String> ALWAYS_PASSED = Set.of("PATH", "HOME", "LANG", "TZ");

  private GeneratorEnvironment() {}

  /**
   * The variables of {@code server} a generator's process gets: {@link #ALWAYS_PASSED} plus the
   * names its configuration lists in {@code passEnv}; variables the server does not have are left out.
   */
  public static Map<String, String> of(Map<String, String> server, List<String> passEnv) {
    Map<String, String> chosen = new TreeMap<>();
    for (String name : ALWAYS_PASSED) copy(server, name, chosen);
    for (String name : passEnv) copy(server, name, chosen);
    return Map.copyOf(chosen);
  }

  private static void copy(Map<String, String> from, String name, Map<String, String> to) {
    String value = from.get(name);
    if (value != null) to.put(name, value);
  }
}
