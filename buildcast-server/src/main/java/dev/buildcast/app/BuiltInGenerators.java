package dev.buildcast.app;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.docs.DocsSiteGenerator;
import dev.buildcast.generator.docs.DocsSiteSettings;
import dev.buildcast.generator.openevent.OpenEventSiteGenerator;
import dev.buildcast.generator.openevent.RemoteImageSettings;
import java.time.Clock;
import java.util.List;

/** The generators every server offers without configuration. */
final class BuiltInGenerators {

  private BuiltInGenerators() {}

  static List<Generator> all(DocsSiteSettings docsSite, RemoteImageSettings remoteImages) {
    return List.of(new OpenEventSiteGenerator(remoteImages, Clock.systemUTC()), new DocsSiteGenerator(docsSite, Clock.systemUTC()));
  }
}
