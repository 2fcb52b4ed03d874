package dev.buildcast.app;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.openevent.OpenEventSiteGenerator;
import java.util.List;

/** The generators every server offers without configuration. */
final class BuiltInGenerators {

  private BuiltInGenerators() {}

  static List<Generator> all() {
    return List.of(new OpenEventSiteGenerator());
  }
}
