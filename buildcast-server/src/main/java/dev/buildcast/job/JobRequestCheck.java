package dev.buildcast.job;


import dev.buildcast.BuildcastException;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.generator.SecretSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks a {@link JobRequest} against the generators and uploads before a job is created. */
final class JobRequestCheck {

  static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
  static final int MAX_PARAM_VALUE_BYTES = 4096;
  static final int MAX_PARAMS = 64;
  static final int MAX_SECRET_CHARS = 1024;
  /** why a floor: a secret is masked wherever it shows in the log, and masking "abc" everywhere would ruin it. */
  static final int MIN_SECRET_CHARS = 8;

  private final GeneratorRegistry generators;
  private final InputFiles inputs;

  JobRequestCheck(GeneratorRegistry generators, InputFiles inputs) {
    this.generators = generators;
    this.inputs = inputs;
  }

  /** The request's generator and input file, or an {@link InvalidRequestException} saying what is wrong. */
  Checked check(JobRequest request) {
    Generator generator =
        generators
            .find(request.generator())
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "unknown_generator",
                        "No generator named '" + request.generator() + "'. Available: " + names() + "."));
    checkParams(generator, request.params(), request.uploadId().isPresent());
    checkSecrets(generator, request.secrets());
    Optional<BlobInfo> input = input(generator, request.uploadId());
    return new Checked(generator, input, input.map(blob -> new JobInput(inputs.nameOf(request.uploadId().orElseThrow()).orElse(null), blob.size())));
  }

  private String names() {
    return generators.all().stream().map(Generator::name).collect(Collectors.joining(", "));
  }

  private static void checkParams(Generator generator, Map<String, String> params, boolean hasInput) {
    if (params.size() > MAX_PARAMS) {
      throw invalidParam("At most " + MAX_PARAMS + " parameters are allowed, got " + params.size() + ".");
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!PARAM_NAME.matcher(e.getKey()).matches()) {
        throw invalidParam("Parameter name '" + BuildcastException.excerpt(e.getKey()) + "' is not allowed: use letters, digits and underscore (at most 64).");
      }
      if (e.getValue().getBytes(StandardCharsets.UTF_8).length > MAX_PARAM_VALUE_BYTES) {
        throw invalidParam("Parameter " + e.getKey() + " is longer than " + MAX_PARAM_VALUE_BYTES + " bytes.");
      }
    }
    if (generator.params().isEmpty()) return;
    for (String name : params.keySet()) {
      if (generator.params().stream().noneMatch(p -> p.name().equals(name))) {
        throw invalidParam("Generator " + generator.name() + " has no parameter " + name + "; it takes: "
            + generator.params().stream().map(ParamSpec::name).collect(Collectors.joining(", ")) + ".");
      }
    }
    for (ParamSpec spec : generator.params()) {
      if (spec.required() && !params.containsKey(spec.name())) {
        throw invalidParam("Generator " + generator.name() + " needs the parameter " + spec.name() + ".");
      }
    }
    generator.paramProblem(params, hasInput).ifPresent(problem -> {
      throw invalidParam(problem);
    });
  }

  /** Every message names the secret and never quotes its value. */
  private static void checkSecrets(Generator generator, Map<String, String> secrets) {
    if (secrets.isEmpty()) return;
    if (generator.secrets().isEmpty()) {
      throw invalidSecret("Generator " + generator.name() + " takes no secrets; leave 'secrets' out.");
    }
    for (Map.Entry<String, String> e : secrets.entrySet()) {
      String name = e.getKey();
      if (generator.secrets().stream().noneMatch(s -> s.name().equals(name))) {
        throw invalidSecret("Generator " + generator.name() + " has no secret " + BuildcastException.excerpt(name) + "; it takes: "
            + generator.secrets().stream().map(SecretSpec::name).collect(Collectors.joining(", ")) + ".");
      }
      String value = e.getValue();
      if (value.length() > MAX_SECRET_CHARS) {
        throw invalidSecret("Secret " + name + " is longer than " + MAX_SECRET_CHARS + " characters.");
      }
      if (value.strip().length() < MIN_SECRET_CHARS) {
        throw invalidSecret("Secret " + name + " is shorter than " + MIN_SECRET_CHARS + " characters; give the whole token.");
      }
      // why: a line break would split the secret over log lines, where no line holds it whole to be masked
      if (value.chars().anyMatch(Character::isISOControl) || !value.equals(value.strip())) {
        throw invalidSecret("Secret " + name + " holds spaces at its ends or control characters (a line break?); give the token alone.");
      }
    }
  }

  private Optional<BlobInfo> input(Generator generator, Optional<String> uploadId) {
    if (generator.input() == InputKind.NONE) {
      if (uploadId.isPresent()) {
        throw new InvalidRequestException("bad_request", "Generator " + generator.name() + " takes no input file; leave uploadId out.");
      }
      return Optional.empty();
    }
    if (uploadId.isEmpty() && !generator.inputRequired()) return Optional.empty();
    String id =
        uploadId.orElseThrow(
            () -> new InvalidRequestException("input_required", "Generator " + generator.name() + " needs an input file: upload it, then pass its uploadId."));
    return Optional.of(
        inputs
            .completed(id)
            .orElseThrow(
                () -> new InvalidRequestException("unknown_upload", "No completed upload " + BuildcastException.excerpt(id) + ": finish the upload first, or upload again if it expired.")));
  }

  private static InvalidRequestException invalidSecret(String message) {
    return new InvalidRequestException("invalid_secret", message);
  }

  private static InvalidRequestException invalidParam(String message) {
    return new InvalidRequestException("invalid_param", message);
  }

  record Checked(Generator generator, Optional<BlobInfo> input, Optional<JobInput> described) {}
}
