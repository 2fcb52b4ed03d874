package dev.buildcast.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.config.BuildcastConfig;
import dev.buildcast.generator.GeneratorEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 5: which of the server's values are masked, and what a generator's process starts from. */
class ServerSecretsTest {

  @TempDir Path dir;

  @Test
  void of_notifySecretsAndSecretLookingNames_allMasked() throws Exception {
    BuildcastConfig config = BuildcastConfig.load(Optional.of(Files.writeString(dir.resolve("c.yaml"), """
        secretEnv: [DEPLOY]
        notify:
          webhook: {allowedUrls: 'https://h/.*', secretEnv: HOOK}
          email: {host: h, from: a@b.c, usernameEnv: MAIL_USER, passwordEnv: MAIL_PW}
        """)));
    Map<String, String> env = Map.of("DEPLOY", "d1", "HOOK", "hook-value", "MAIL_USER", "mailer", "MAIL_PW", "pw",
        "AWS_SECRET_ACCESS_KEY", "aws-secret-value", "GITHUB_TOKEN", "ghp-value", "API_KEY", "api-key-value", "DB_PASSWORD", "db-password",
        "HOME", "/home/someone", "KEYBOARD", "us-intl-layout");

    assertThat(ServerSecrets.of(config, env)).containsExactlyInAnyOrder(
        "d1", "hook-value", "pw", "aws-secret-value", "ghp-value", "api-key-value", "db-password");
  }

  @Test
  void of_guessedSecretShorterThanSixCharacters_notMasked() {
    assertThat(ServerSecrets.of(BuildcastConfig.defaults(), Map.of("SOME_TOKEN", "1", "OTHER_TOKEN", "abcdef"))).containsExactly("abcdef");
  }

  @Test
  void looksSecret_commonNames_recognised() {
    assertThat(List.of("SMTP_PASSWORD", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN", "SSH_KEY", "KEY", "PGPASSWORD", "my_secret", "GPG_PRIVATE_KEY_FILE", "FTP_PASS"))
        .allMatch(ServerSecrets::looksSecret);
    assertThat(List.of("PATH", "HOME", "LANG", "TZ", "KEYBOARD", "MONKEY", "PASSAGE_DIR")).noneMatch(ServerSecrets::looksSecret);
  }

  @Test
  void generatorEnvironment_serverEnvironmentWithSecrets_keepsOnlyTheAllowlistAndPassEnv() {
    Map<String, String> server = Map.of("PATH", "/bin", "HOME", "/h", "LANG", "C.UTF-8", "TZ", "UTC", "AWS_SECRET_ACCESS_KEY", "x", "EXTRA", "e",
        "OTHER", "o");
    assertThat(GeneratorEnvironment.of(server, List.of("EXTRA", "MISSING")))
        .containsOnly(Map.entry("PATH", "/bin"), Map.entry("HOME", "/h"), Map.entry("LANG", "C.UTF-8"), Map.entry("TZ", "UTC"), Map.entry("EXTRA", "e"));
  }
}
