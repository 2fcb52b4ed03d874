package dev.buildcast.app;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.docs.DocsSiteGenerator;
import dev.buildcast.generator.docs.DocsSiteSettings;
import dev.buildcast.generator.openevent.OpenEventSiteGenerator;
import java.time.Clock;
import java.util.List;

/** The generators every server offers without configuration. */
final class BuiltInGenerators {

  private BuiltInGenerators() {}

  static List<Generator> all(DocsSiteSettings docsSite) {
    return List.of(new OpenEventSiteGenerator(), new DocsSiteGenerator(docsSite, Clock.systemUTC()));
  }
}
