package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.generator.InputKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildcastConfigTest {

  @Test
  void fromYaml_theIssueExample_readsEveryField() {
    BuildcastConfig c = BuildcastConfig.fromYaml("""
        maxConcurrentJobs: 4
        generators:
          - name: docs
            description: Build the docs
            command: [bash, /path/to/generate.sh, --fast]
            timeout: 30m
        """, "test");
    assertThat(c.maxConcurrentJobs()).isEqualTo(4);
    BuildcastConfig.GeneratorConfig g = c.generators().getFirst();
    assertThat(g.name()).isEqualTo("docs");
    assertThat(g.description()).isEqualTo("Build the docs");
    assertThat(g.command()).containsExactly("bash", "/path/to/generate.sh", "--fast");
    assertThat(g.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(g.input()).isEqualTo(InputKind.NONE);
  }

  @Test
  void fromYaml_openEventSiteRemoteImages_readsEveryKey() {
    BuildcastConfig c = BuildcastConfig.fromYaml("""
        openEventSite:
          remoteImages:
            fetch: true
            maxBytesPerImage: 2MiB
            maxBytesPerJob: 50MiB
            maxImages: 300
            requestTimeout: 5s
            jobBudget: 1m
            allowedHosts: [images.example.org, .cdn.example.net]
            allowPrivateAddresses: true
        """, "test");
    var images = c.openEventSite().remoteImages();
    assertThat(images.fetch()).isTrue();
    assertThat(images.maxBytesPerImage()).isEqualTo(2L << 20);
    assertThat(images.maxBytesPerJob()).isEqualTo(50L << 20);
    assertThat(images.maxImages()).isEqualTo(300);
    assertThat(images.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(images.jobBudget()).isEqualTo(Duration.ofMinutes(1));
    assertThat(images.allowedHosts()).containsExactly("images.example.org", ".cdn.example.net");
    assertThat(images.allowPrivateAddresses()).isTrue();
  }

  @Test
  void fromYaml_openEventSiteMissing_fetchesNoRemoteImages() {
    var images = BuildcastConfig.fromYaml("maxConcurrentJobs: 2\n", "test").openEventSite().remoteImages();
    assertThat(images.fetch()).isFalse();
    assertThat(images.allowPrivateAddresses()).isFalse();
    assertThat(images.maxBytesPerImage()).isEqualTo(10L << 20);
    assertThat(BuildcastConfig.defaults().openEventSite().remoteImages().fetch()).isFalse();
  }

  @Test
  void fromYaml_openEventSiteBadValues_nameTheKey() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("openEventSite: {remoteImages: {maxImages: 0}}\n", "test"))
        .hasMessageContaining("openEventSite.remoteImages.maxImages");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("openEventSite: {remoteImages: {requestTimeout: 0s}}\n", "test"))
        .hasMessageContaining("openEventSite.remoteImages.requestTimeout");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("openEventSite: {remoteImages: {allowedHosts: ['http://x.org/']}}\n", "test"))
        .hasMessageContaining("openEventSite.remoteImages.allowedHosts");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("openEventSite: {remoteImages: {fetchImages: true}}\n", "test"))
        .hasMessageContaining("fetchImages");
  }

  @Test
  void fromYaml_docsSite_readsEveryKeyAndTheTokenFromTheEnvironment() {
    BuildcastConfig c = BuildcastConfig.fromYaml(
        "docsSite: {allowLocalRepositories: true, sphinx: true, cloneMaxBytes: 10MiB, cloneTimeout: 30s, maxFiles: 500, publishTokenEnv: DOCS_TOKEN,"
            + " publishTokenHosts: [GitHub.com, git.example.org]}\n",
        "test");
    var settings = c.docsSite().settings(java.util.Map.of("DOCS_TOKEN", "t0k", "PATH", "/usr/bin"));
    assertThat(settings.allowLocalRepositories()).isTrue();
    assertThat(settings.sphinx()).isTrue();
    assertThat(settings.cloneMaxBytes()).isEqualTo(10L << 20);
    assertThat(settings.cloneTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.maxFiles()).isEqualTo(500);
    assertThat(settings.publishToken()).contains("t0k");
    assertThat(settings.publishTokenHosts()).containsExactly("github.com", "git.example.org");
    assertThat(settings.publishTokenMayGoTo("GITHUB.COM")).isTrue();
    assertThat(settings.publishTokenMayGoTo("evil.example")).isFalse();
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("docsSite: {publishTokenEnv: DOCS_TOKEN}\n", "test"))
        .hasMessageContaining("docsSite.publishTokenEnv needs docsSite.publishTokenHosts");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("docsSite: {publishTokenEnv: T, publishTokenHosts: [\"https://github.com\"]}\n", "test"))
        .hasMessageContaining("docsSite.publishTokenHosts holds 'https://github.com', which is not a host name");
    assertThatThrownBy(() -> c.docsSite().settings(java.util.Map.of())).hasMessageContaining("DOCS_TOKEN, which is not set");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("docsSite: {maxFiles: 0}\n", "test")).hasMessageContaining("docsSite.maxFiles");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("docsSite: {allowLocal: true}\n", "test")).hasMessageContaining("allowLocal");
    assertThat(BuildcastConfig.defaults().docsSite().allowLocalRepositories()).isFalse();
    assertThat(BuildcastConfig.defaults().docsSite().sphinx()).isFalse();
  }

  @Test
  void fromYaml_docsSiteSshKey_needsBothReadableFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("id"), "key");
    java.nio.file.Path hosts = java.nio.file.Files.writeString(dir.resolve("known_hosts"), "");

    BuildcastConfig c = BuildcastConfig.fromYaml(
        "docsSite: {publishSshKeyFile: '" + key + "', publishSshKnownHosts: '" + hosts + "'}\n", "test");

    assertThat(c.docsSite().settings(java.util.Map.of()).publishSsh()).contains(new dev.buildcast.generator.docs.DocsSiteSettings.SshKey(key, hosts));
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("docsSite: {publishSshKeyFile: '" + key + "'}\n", "test"))
        .hasMessageContaining("docsSite.publishSshKeyFile and docsSite.publishSshKnownHosts go together");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml(
        "docsSite: {publishSshKeyFile: '" + dir.resolve("missing") + "', publishSshKnownHosts: '" + hosts + "'}\n", "test"))
        .hasMessageContaining("docsSite.publishSshKeyFile names").hasMessageContaining("not a readable file");
    assertThat(BuildcastConfig.defaults().docsSite().publishSsh()).isEmpty();
  }

  @Test
  void fromYaml_empty_givesDefaults() {
    assertThat(BuildcastConfig.fromYaml("", "test")).isEqualTo(BuildcastConfig.defaults());
    assertThat(BuildcastConfig.defaults().maxConcurrentJobs()).isEqualTo(4);
  }

  @Test
  void fromYaml_optionalFields_areRead() {
    BuildcastConfig c = BuildcastConfig.fromYaml("""
        secretEnv: [TOKEN]
        allowedOrigins: ["https://ci.example"]
        generators:
          - name: site
            command: [make]
            input: zip
            timeout: 90s
            params: [{name: title, description: Title, required: true}]
            env: {LANG: C.UTF-8}
            passEnv: [DEPLOY_TOKEN, http_proxy]
        """, "test");
    assertThat(c.secretEnv()).containsExactly("TOKEN");
    assertThat(c.allowedOrigins()).containsExactly("https://ci.example");
    BuildcastConfig.GeneratorConfig g = c.generators().getFirst();
    assertThat(g.input()).isEqualTo(InputKind.ZIP);
    assertThat(g.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(g.params()).containsExactly(new BuildcastConfig.ParamConfig("title", "Title", true));
    assertThat(g.env()).containsEntry("LANG", "C.UTF-8");
    assertThat(g.passEnv()).containsExactly("DEPLOY_TOKEN", "http_proxy");
  }

  @Test
  void fromYaml_mistakes_areRefusedNamingTheKeyAndTheFix() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("maxConcurentJobs: 4", "f.yaml"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("f.yaml").hasMessageContaining("unknown key 'maxConcurentJobs'");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("maxConcurrentJobs: 0", "f")).hasMessageContaining("from 1 to 1000");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: a, command: []}]", "f")).hasMessageContaining("command must be a non-empty list");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: 'a b', command: [x]}]", "f")).hasMessageContaining("name is required");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: a, command: [x], timeout: soon}]", "f")).hasMessageContaining("'soon' is not a duration");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: a, command: [x], input: tarball}]", "f")).hasMessageContaining("none, file or zip");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: a, command: [x]}, {name: a, command: [y]}]", "f")).hasMessageContaining("two generators are named 'a'");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: a, command: [x]", "f")).hasMessageContaining("line");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("generators: [{name: a, command: [x], passEnv: ['A=B']}]", "f")).hasMessageContaining("passEnv");
  }

  @Test
  void load_missingFile_saysSo() {
    assertThatThrownBy(() -> BuildcastConfig.load(java.util.Optional.of(java.nio.file.Path.of("/nonexistent/b.yaml"))))
        .hasMessageContaining("/nonexistent/b.yaml does not exist");
    assertThat(BuildcastConfig.load(java.util.Optional.empty()).generators()).isEqualTo(List.of());
  }
}
