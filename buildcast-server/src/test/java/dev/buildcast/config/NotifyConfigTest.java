package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotifyConfigTest {

  @Test
  void fromYaml_fullNotifySection_readsEveryField() {
    BuildcastConfig c = BuildcastConfig.fromYaml("""
        notify:
          publicUrl: https://buildcast.example.com/
          webhook:
            allowedUrls: 'https://hooks\\.example\\.com/.*'
            secretEnv: HOOK_SECRET
            attempts: 3
            retryDelay: 500ms
            timeout: 5s
          email:
            host: smtp.example.com
            tls: tls
            from: buildcast@example.com
            usernameEnv: SMTP_USER
            passwordEnv: SMTP_PASSWORD
        """, "test");
    NotifyConfig n = c.notifications();
    assertThat(n.publicUrl()).contains(URI.create("https://buildcast.example.com"));
    NotifyConfig.WebhookConfig w = n.webhook().orElseThrow();
    assertThat(w.allowedUrls().matcher("https://hooks.example.com/a").matches()).isTrue();
    assertThat(w.allowedUrls().matcher("https://evil.example/https://hooks.example.com/").matches()).isFalse();
    assertThat(w.secretEnv()).isEqualTo("HOOK_SECRET");
    assertThat(w.attempts()).isEqualTo(3);
    assertThat(w.retryDelay()).isEqualTo(Duration.ofMillis(500));
    NotifyConfig.EmailConfig e = n.email().orElseThrow();
    assertThat(e.port()).isEqualTo(465);
    assertThat(e.tls()).isEqualTo(NotifyConfig.SmtpSecurity.TLS);
    assertThat(e.usernameEnv()).contains("SMTP_USER");
  }

  @Test
  void fromYaml_noNotifySection_sendsNothing() {
    assertThat(BuildcastConfig.fromYaml("maxConcurrentJobs: 2", "test").notifications()).isEqualTo(NotifyConfig.none());
  }

  @Test
  void fromYaml_webhookWithoutPatternOrSecret_refusedNamingTheKey() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {webhook: {secretEnv: S}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.webhook.allowedUrls is required");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {webhook: {allowedUrls: 'https://x/.*'}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.webhook.secretEnv is required");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {webhook: {allowedUrls: '(', secretEnv: S}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a valid regular expression");
  }

  @Test
  void fromYaml_badEmailOrUnknownKey_refused() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {email: {from: a@b.c}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.email.host is required");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c, usernameEnv: U}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("go together");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c, tls: ssl}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("none, starttls or tls");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {slack: {}}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'slack'");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {publicUrl: 'ftp://x'}", "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("publicUrl");
  }

  @Test
  void fromYaml_emailDefaults_starttlsOn587() {
    NotifyConfig.EmailConfig e = BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c}}", "test").notifications().email().orElseThrow();
    assertThat(e.tls()).isEqualTo(NotifyConfig.SmtpSecurity.STARTTLS);
    assertThat(e.port()).isEqualTo(587);
    assertThat(e.usernameEnv()).isEqualTo(Optional.empty());
  }

  @Test
  void fromYaml_issue14Keys_readWithSafeDefaultsAndCheckedEntries() {
    NotifyConfig old = BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c}, webhook: {allowedUrls: '.*', secretEnv: S}}", "t").notifications();
    assertThat(old.email().orElseThrow().allowedRecipients()).isEmpty();
    assertThat(old.email().orElseThrow().includeJobOutput()).isFalse();
    assertThat(old.webhook().orElseThrow().allowPrivateAddresses()).isFalse();

    NotifyConfig set = BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c, allowedRecipients: [Example.com, .corp.example, Boss@Example.net],"
        + " includeJobOutput: true}, webhook: {allowedUrls: '.*', secretEnv: S, allowPrivateAddresses: true}}", "t").notifications();
    assertThat(set.email().orElseThrow().allowedRecipients()).containsExactly("example.com", ".corp.example", "boss@example.net");
    assertThat(set.email().orElseThrow().includeJobOutput()).isTrue();
    assertThat(set.webhook().orElseThrow().allowPrivateAddresses()).isTrue();

    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c, allowedRecipients: []}}", "t"))
        .hasMessageContaining("notify.email.allowedRecipients is empty");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c, allowedRecipients: ['*']}}", "t"))
        .hasMessageContaining("neither a domain");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("notify: {email: {host: h, from: a@b.c, allowedRecipients: ['a@.b.c']}}", "t"))
        .hasMessageContaining("neither a domain");
  }

  @Test
  void fromYaml_allowedHosts_namesAddressesDomainsOrStar_othersRefused() {
    assertThat(BuildcastConfig.fromYaml("allowedHosts: [buildcast.example.com, .example.org, 10.0.0.5, '[fd00::5]', '*']", "t").allowedHosts())
        .containsExactly("buildcast.example.com", ".example.org", "10.0.0.5", "[fd00::5]", "*");
    assertThat(BuildcastConfig.defaults().allowedHosts()).isEmpty();
    for (String bad : new String[] {"https://x.example", "x.example:8080", "a b", ""}) {
      assertThatThrownBy(() -> BuildcastConfig.fromYaml("allowedHosts: ['" + bad + "']", "t")).as(bad).hasMessageContaining("allowedHosts");
    }
  }
}
