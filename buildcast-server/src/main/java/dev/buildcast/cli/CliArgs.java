package dev.buildcast.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A client command's arguments: {@code --name value} (or {@code --name=value}) options, which may
 * repeat, {@code --flag} switches, and positional arguments. Anything not declared is a usage error.
 */
final class CliArgs {

  private final Map<String, List<String>> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private CliArgs() {}

  /**
   * @param valued option names that take a value
   * @param flags option names that take none
   */
  static CliArgs parse(List<String> args, Set<String> valued, Set<String> flags) {
    CliArgs parsed = new CliArgs();
    boolean onlyPositional = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (onlyPositional || !arg.startsWith("--") || arg.equals("-")) {
        parsed.positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyPositional = true;
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (flags.contains(name)) {
        if (value != null) throw new UsageException(name + " takes no value.");
        parsed.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) throw new UsageException(name + " needs a value.");
          value = args.get(++i);
        }
        parsed.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("Unknown option " + name + ".");
      }
    }
    return parsed;
  }

  Optional<String> value(String name) {
    List<String> values = options.getOrDefault(name, List.of());
    if (values.size() > 1) throw new UsageException(name + " is given more than once.");
    return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  List<String> positional() {
    return positional;
  }

  /** A usage mistake: the message says what, and the client prints the usage hint (exit code 3). */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
