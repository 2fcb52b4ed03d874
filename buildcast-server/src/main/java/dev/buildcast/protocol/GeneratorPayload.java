package dev.buildcast.protocol;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.generator.SecretSpec;
import java.util.List;

/**
 * One entry of {@code GET /api/generators}.
 *
 * @param inputRequired whether a job needs an upload ({@code input} is not {@code none} and the
 *     generator cannot do without it)
 * @param site whether its jobs have a site preview at {@code /api/jobs/{id}/site/}
 * @param secrets the job secrets it takes (names and descriptions; never a value)
 */
public record GeneratorPayload(
    String name, String description, String input, boolean inputRequired, List<ParamSpec> params, boolean site, List<SecretSpec> secrets) {

  public static GeneratorPayload of(Generator g) {
    return new GeneratorPayload(g.name(), g.description(), g.input().wireName(), g.inputRequired(), g.params(), g.siteFolder().isPresent(),
        g.secrets());
  }
}
