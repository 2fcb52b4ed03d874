package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  private static ClusterConfig cluster(String section) {
    return BuildcastConfig.fromYaml("cluster:\n" + section.indent(2), "test").cluster().orElseThrow();
  }

  private static final String DIRECTORY = "blobs: {type: directory, path: /shared/buildcast}\n";

  @Test
  void fromYaml_noClusterSection_runsAlone() {
    assertThat(BuildcastConfig.fromYaml("maxConcurrentJobs: 2\n", "test").cluster()).isEmpty();
    assertThat(BuildcastConfig.defaults().cluster()).isEmpty();
  }

  @Test
  void fromYaml_directoryBlobs_readsEveryKey() {
    ClusterConfig c = cluster("""
        nodeId: n1
        redis:
          url: redis://10.0.0.5:6380/2
          passwordEnv: BUILDCAST_REDIS_PASSWORD
          commandTimeout: 500ms
        lease: 4s
        blobs: {type: directory, path: /shared/buildcast}
        """);
    assertThat(c.nodeId()).contains("n1");
    assertThat(c.redis().address()).isEqualTo(new ClusterConfig.RedisUrl(URI.create("redis://10.0.0.5:6380/2")));
    assertThat(c.redis().passwordEnv()).contains("BUILDCAST_REDIS_PASSWORD");
    assertThat(c.redis().commandTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.lease()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.blobs()).isEqualTo(new ClusterConfig.DirectoryBlobs(Path.of("/shared/buildcast")));
  }

  @Test
  void fromYaml_onlyRequiredKeys_takesTheDefaults() {
    ClusterConfig c = cluster("redis: {url: redis://127.0.0.1:7000}\n" + DIRECTORY);
    assertThat(c.nodeId()).isEmpty();
    assertThat(c.redis().passwordEnv()).isEmpty();
    assertThat(c.redis().commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.redis().minReplicasAck()).isZero();
    assertThat(c.redis().ackTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.lease()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.archiveGrace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.mirrorCacheBytes()).isEqualTo(2L << 30);
    assertThat(c.finishTimeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void fromYaml_finishTimeout_isReadAndMustBeADuration() {
    assertThat(cluster("redis: {url: redis://127.0.0.1:7000}\nfinishTimeout: 2m\n" + DIRECTORY).finishTimeout())
        .isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> cluster("redis: {url: redis://127.0.0.1:7000}\nfinishTimeout: later\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.finishTimeout");
  }

  @Test
  void fromYaml_mirrorCache_isReadAsASizeAndMustBeOne() {
    assertThat(cluster("redis: {url: redis://127.0.0.1:7000}\nmirrorCache: 512MiB\n" + DIRECTORY).mirrorCacheBytes())
        .isEqualTo(512L << 20);
    assertThatThrownBy(() -> cluster("redis: {url: redis://127.0.0.1:7000}\nmirrorCache: lots\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.mirrorCache");
  }

  @Test
  void fromYaml_archiveGrace_isReadAndMustBeADuration() {
    assertThat(cluster("redis: {url: redis://127.0.0.1:7000}\narchiveGrace: 30s\n" + DIRECTORY).archiveGrace())
        .isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> cluster("redis: {url: redis://127.0.0.1:7000}\narchiveGrace: soon\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.archiveGrace");
  }

  @Test
  void fromYaml_s3Blobs_readsEveryKey() {
    ClusterConfig c = cluster("""
        redis: {url: rediss://redis.example.org:6379}
        blobs:
          type: s3
          endpoint: http://127.0.0.1:9000
          bucket: buildcast
          region: eu-central-1
          accessKeyEnv: S3_KEY
          secretKeyEnv: S3_SECRET
          pathStyle: true
          keyPrefix: prod/
        """);
    assertThat(((ClusterConfig.RedisUrl) c.redis().address()).url().getScheme()).isEqualTo("rediss");
    assertThat(c.blobs()).isEqualTo(new ClusterConfig.S3Blobs(URI.create("http://127.0.0.1:9000"), "buildcast", "eu-central-1",
        "S3_KEY", "S3_SECRET", true, "prod/"));
  }

  @Test
  void fromYaml_s3WithoutRegionOrPathStyle_takesUsEast1AndVirtualHosts() {
    ClusterConfig c = cluster("""
        redis: {url: redis://127.0.0.1:7000}
        blobs: {type: s3, endpoint: https://s3.example.org, bucket: b-1, accessKeyEnv: K, secretKeyEnv: S}
        """);
    ClusterConfig.S3Blobs s3 = (ClusterConfig.S3Blobs) c.blobs();
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.pathStyle()).isFalse();
    assertThat(s3.keyPrefix()).isEmpty();
  }

  @Test
  void fromYaml_badNodeId_namesTheKey() {
    assertThatThrownBy(() -> cluster("nodeId: n1.eu\nredis: {url: redis://127.0.0.1:7000}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.nodeId").hasMessageContaining("'n1.eu'");
  }

  @Test
  void fromYaml_missingRedis_namesTheKey() {
    assertThatThrownBy(() -> cluster(DIRECTORY)).isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis is required");
    assertThatThrownBy(() -> cluster("redis: {passwordEnv: P}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.url is required");
  }

  @Test
  void fromYaml_sentinelsAndReplicaAcks_readsEveryKey() {
    ClusterConfig c = cluster("""
        redis:
          sentinels: [10.0.0.5:26379, 'sentinel-2.example.org:26380', '[::1]:26381']
          masterName: buildcast
          minReplicasAck: 1
          ackTimeout: 250ms
        """ + DIRECTORY);
    assertThat(c.redis().address()).isEqualTo(new ClusterConfig.RedisSentinels(
        java.util.List.of("10.0.0.5:26379", "sentinel-2.example.org:26380", "[::1]:26381"), "buildcast"));
    assertThat(c.redis().minReplicasAck()).isEqualTo(1);
    assertThat(c.redis().ackTimeout()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void fromYaml_urlAndSentinelsTogether_orOneHalfOfSentinel_isRefusedNamingTheKeys() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1, sentinels: ['h:26379'], masterName: m}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("either url").hasMessageContaining("not both");
    assertThatThrownBy(() -> cluster("redis: {sentinels: ['h:26379']}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.masterName is required");
    assertThatThrownBy(() -> cluster("redis: {masterName: m}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.sentinels is required");
    assertThatThrownBy(() -> cluster("redis: {sentinels: [], masterName: m}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.sentinels is required");
    for (String bad : new String[] {"h", "h:0", "h:70000", "redis://h:26379", "h:1:2", ""}) {
      assertThatThrownBy(() -> cluster("redis: {sentinels: ['" + bad + "'], masterName: m}\n" + DIRECTORY))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.sentinels").hasMessageContaining("host:port");
    }
  }

  @Test
  void fromYaml_badReplicaAcks_namesTheKey() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1, minReplicasAck: -1}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.minReplicasAck");
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1, minReplicasAck: 1, ackTimeout: 2s}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.ackTimeout").hasMessageContaining("shorter");
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1, ackTimeout: soon}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.ackTimeout");
  }

  @Test
  void fromYaml_urlWithPassword_isRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> cluster("redis: {url: 'redis://:hunter2@127.0.0.1:7000'}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.url").hasMessageContaining("passwordEnv")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void fromYaml_notARedisUrl_namesTheKey() {
    for (String url : new String[] {"http://127.0.0.1:7000", "127.0.0.1:7000", "redis://127.0.0.1:7000/x", "redis://h:1?db=2"}) {
      assertThatThrownBy(() -> cluster("redis: {url: '" + url + "'}\n" + DIRECTORY))
          .as(url).isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.url").hasMessageContaining("redis://host:port");
    }
  }

  @Test
  void fromYaml_badPasswordEnv_namesTheKey() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1, passwordEnv: 'not a name'}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.redis.passwordEnv");
  }

  @Test
  void fromYaml_leaseTooShortOrNotADuration_namesTheKey() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\nlease: 500ms\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.lease must be at least 1s");
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\nlease: soon\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.lease");
  }

  @Test
  void fromYaml_blobsMissingOrUnknownType_namesTheKey() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.blobs is required");
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\nblobs: {type: nfs, path: /x}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.blobs.type must be directory or s3");
  }

  @Test
  void fromYaml_directoryBlobsWithoutAbsolutePathOrWithS3Keys_namesTheKey() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\nblobs: {type: directory}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.blobs.path is required");
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\nblobs: {type: directory, path: shared}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.blobs.path must be absolute");
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1}\nblobs: {type: directory, path: /x, bucket: b}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("belong to type s3");
  }

  @Test
  void fromYaml_s3BlobsMissingAKey_namesTheKey() {
    String base = "redis: {url: redis://h:1}\nblobs: {type: s3, endpoint: http://127.0.0.1:9000, bucket: b-1, accessKeyEnv: K,"
        + " secretKeyEnv: S";
    assertThat(cluster(base + "}\n").blobs()).isInstanceOf(ClusterConfig.S3Blobs.class);
    assertThatThrownBy(() -> cluster(base.replace("bucket: b-1,", "") + "}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.blobs.bucket is required");
    assertThatThrownBy(() -> cluster(base.replace(" secretKeyEnv: S", " secretKeyEnv: 'a b'") + "}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.blobs.secretKeyEnv");
    assertThatThrownBy(() -> cluster(base + ", path: /x}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("path belongs to type directory");
  }

  @Test
  void fromYaml_unknownClusterKey_isRefused() {
    assertThatThrownBy(() -> cluster("redis: {url: redis://h:1, replicas: 1}\n" + DIRECTORY))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'replicas'");
  }

  @Test
  void fromYaml_clusterSection_isOptionalOfTheCheckedSection() {
    assertThat(BuildcastConfig.fromYaml("cluster:\n  redis: {url: redis://h:1}\n  " + DIRECTORY, "test").cluster())
        .map(ClusterConfig::nodeId).contains(Optional.empty());
  }

  @Test
  void resolveNodeId_commandLineAndFile_commandLineWins() {
    ClusterConfig c = cluster("nodeId: n1\nredis: {url: redis://h:1}\n" + DIRECTORY);
    assertThat(c.resolveNodeId(Optional.of("n7"))).isEqualTo("n7");
    assertThat(c.resolveNodeId(Optional.empty())).isEqualTo("n1");
  }

  @Test
  void resolveNodeId_neither_namesBothWays() {
    ClusterConfig c = cluster("redis: {url: redis://h:1}\n" + DIRECTORY);
    assertThatThrownBy(() -> c.resolveNodeId(Optional.empty())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.nodeId").hasMessageContaining("--node-id");
  }

  @Test
  void fromYaml_clusterWithNotifications_keepsBoth() {
    BuildcastConfig config = BuildcastConfig.fromYaml("""
        notify:
          webhook: {allowedUrls: 'https://hooks\\.example\\.com/.*', secretEnv: HOOK_SECRET}
          email: {host: smtp.example.com, from: builds@example.com}
        cluster:
          redis: {url: redis://h:1}
          blobs: {type: directory, path: /x}
        """, "test");
    assertThat(config.cluster()).isPresent();
    assertThat(config.notifications().webhook()).isPresent();
    assertThat(config.notifications().email()).isPresent();
  }
}
