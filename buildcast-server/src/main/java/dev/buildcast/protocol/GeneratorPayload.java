package dev.buildcast.protocol;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.ParamSpec;
import java.util.List;

/** One entry of {@code GET /api/generators}. */
public record GeneratorPayload(String name, String description, String input, List<ParamSpec> params) {

  public static GeneratorPayload of(Generator g) {
    return new GeneratorPayload(g.name(), g.description(), g.input().wireName(), g.params());
  }
}
