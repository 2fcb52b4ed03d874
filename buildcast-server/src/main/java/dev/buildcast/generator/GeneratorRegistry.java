package dev.buildcast.generator;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The generators this server offers, by name, in the order they were configured. */
public final class GeneratorRegistry {

  private final Map<String, Generator> byName = new LinkedHashMap<>();

  public GeneratorRegistry(Collection<? extends Generator> generators) {
    for (Generator generator : generators) {
      if (byName.putIfAbsent(generator.name(), generator) != null) {
        throw new IllegalArgumentException("two generators are named " + generator.name());
      }
    }
  }

  public Optional<Generator> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Collection<Generator> all() {
    return byName.values();
  }
}
