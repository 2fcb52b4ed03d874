package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A generator's own parameter check runs at submit, so a bad value is an invalid_param, not a failed job. */
class JobRequestCheckParamsTest {

  /** Takes a "size" parameter and refuses anything but small numbers. */
  private static final class SizedGenerator implements Generator {
    @Override public String name() { return "sized"; }
    @Override public String description() { return ""; }
    @Override public InputKind input() { return InputKind.NONE; }
    @Override public List<ParamSpec> params() { return List.of(new ParamSpec("size", "1 to 9", false)); }
    final List<Boolean> toldHasInput = new java.util.ArrayList<>();

    @Override public Optional<String> paramProblem(Map<String, String> params, boolean hasInput) {
      toldHasInput.add(hasInput);
      String size = params.getOrDefault("size", "1");
      return size.matches("[1-9]") ? Optional.empty() : Optional.of("Parameter size must be 1 to 9, got " + size + ".");
    }
    @Override public int run(JobContext context) { return 0; }
  }

  private final SizedGenerator generator = new SizedGenerator();
  private final JobRequestCheck check =
      new JobRequestCheck(new GeneratorRegistry(List.of(generator)), InputFiles.none());

  @Test
  void check_valueTheGeneratorRefuses_isInvalidParamWithItsMessage() {
    assertThatThrownBy(() -> check.check(new JobRequest("sized", Map.of("size", "12"), Optional.empty())))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid_param");
          assertThat(e.getMessage()).isEqualTo("Parameter size must be 1 to 9, got 12.");
        });
  }

  @Test
  void check_valueTheGeneratorAccepts_passes() {
    assertThat(check.check(new JobRequest("sized", Map.of("size", "3"), Optional.empty())).generator().name())
        .isEqualTo("sized");
  }

  @Test
  void check_requestNamingAnUpload_tellsTheGeneratorItHasInput() {
    check.check(new JobRequest("sized", Map.of(), Optional.empty()));
    // the upload is unknown, so the request fails after the parameters were judged
    assertThatThrownBy(() -> check.check(new JobRequest("sized", Map.of(), Optional.of("u1"))))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(generator.toldHasInput).containsExactly(false, true);
  }
}
