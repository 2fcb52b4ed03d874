package dev.buildcast;

import dev.buildcast.generator.Generator;
import java.util.List;

/** The generators every server offers without configuration. */
final class BuiltInGenerators {

  private BuiltInGenerators() {}

  static List<Generator> all() {
    return List.of();
  }
}
