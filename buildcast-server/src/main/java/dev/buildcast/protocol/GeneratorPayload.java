package dev.buildcast.protocol;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.ParamSpec;
import java.util.List;

/**
 * One entry of {@code GET /api/generators}.
 *
 * @param site whether its jobs have a site preview at {@code /api/jobs/{id}/site/}
 */
public record GeneratorPayload(String name, String description, String input, List<ParamSpec> params, boolean site) {

  public static GeneratorPayload of(Generator g) {
    return new GeneratorPayload(g.name(), g.description(), g.input().wireName(), g.params(), g.siteFolder().isPresent());
  }
}
