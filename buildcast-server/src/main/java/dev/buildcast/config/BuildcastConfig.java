package dev.buildcast.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.buildcast.generator.InputKind;
import dev.buildcast.upload.UploadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The YAML configuration, checked. Unknown keys are refused (a typo must not silently fall back to
 * a default), and every error names the key and what is expected.
 *
 * @param maxConcurrentJobs how many jobs run at once; the others wait in order
 * @param generators the command generators offered besides the built-in ones
 * @param secretEnv names of environment variables whose values are masked in every log
 * @param allowedOrigins origins allowed to use the API and Socket.IO besides the page's own
 * @param uploads the limits of uploads (the {@code uploads:} section)
 * @param notifications completion notifications (the {@code notify:} section)
 * @param logs the {@code logs:} section (per-job log limit)
 * @param retention the {@code retention:} section (how long finished jobs are kept)
 * @param limits the {@code limits:} section (per-address limits)
 * @param socket the {@code socket:} section (WebSocket compression)
 * @param allowedHosts host names the server answers to besides the loopback ones and the public
 *     URL's host ({@code Host} header; any port)
 * @param docsSite the {@code docsSite:} section (the built-in docs-site generator)
 * @param openEventSite the {@code openEventSite:} section (the built-in open-event-site generator)
 * @param proxyProtocol whether a connection may start with a PROXY protocol header (v1 or v2) from a
 *     load balancer, whose source address then counts as the client's (per-address limits); a
 *     connection without one counts its own address. Whoever reaches the port can send such a
 *     header, so only for a port that the balancer alone can reach
 * @param cluster the {@code cluster:} section when this node is one of several (docs/cluster.md);
 *     empty: the server runs alone, exactly as without it
 */
public record BuildcastConfig(
    int maxConcurrentJobs,
    List<GeneratorConfig> generators,
    List<String> secretEnv,
    List<String> allowedOrigins,
    UploadLimits uploads,
    NotifyConfig notifications,
    LogsConfig logs,
    RetentionConfig retention,
    LimitsConfig limits,
    SocketConfig socket,
    List<String> allowedHosts,
    DocsSiteConfig docsSite,
    OpenEventSiteConfig openEventSite,
    boolean proxyProtocol,
    Optional<ClusterConfig> cluster) {

  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  static final Pattern GENERATOR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  public BuildcastConfig {
    generators = List.copyOf(generators);
    secretEnv = List.copyOf(secretEnv);
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedHosts = List.copyOf(allowedHosts);
    java.util.Objects.requireNonNull(uploads, "uploads");
    java.util.Objects.requireNonNull(notifications, "notifications");
    java.util.Objects.requireNonNull(logs, "logs");
    java.util.Objects.requireNonNull(retention, "retention");
    java.util.Objects.requireNonNull(limits, "limits");
    java.util.Objects.requireNonNull(socket, "socket");
    java.util.Objects.requireNonNull(docsSite, "docsSite");
    java.util.Objects.requireNonNull(openEventSite, "openEventSite");
    java.util.Objects.requireNonNull(cluster, "cluster");
  }

  /** With the default upload limits, log limit, retention and per-address limits, and without notifications. */
  public BuildcastConfig(int maxConcurrentJobs, List<GeneratorConfig> generators, List<String> secretEnv, List<String> allowedOrigins) {
    this(maxConcurrentJobs, generators, secretEnv, allowedOrigins, UploadLimits.defaults(), NotifyConfig.none());
  }

  /** With the default log limit, retention, per-address limits and socket settings. */
  public BuildcastConfig(
      int maxConcurrentJobs, List<GeneratorConfig> generators, List<String> secretEnv, List<String> allowedOrigins, UploadLimits uploads,
      NotifyConfig notifications) {
    this(maxConcurrentJobs, generators, secretEnv, allowedOrigins, uploads, notifications,
        LogsConfig.defaults(), RetentionConfig.defaults(), LimitsConfig.defaults(), SocketConfig.defaults(), List.of(),
        DocsSiteConfig.defaults(), OpenEventSiteConfig.defaults(), false, Optional.empty());
  }

  /** A command generator from the configuration. */
  public record GeneratorConfig(
      String name,
      String description,
      List<String> command,
      Duration timeout,
      InputKind input,
      List<ParamConfig> params,
      Map<String, String> env,
      Optional<String> site,
      List<String> passEnv) {

    public GeneratorConfig {
      passEnv = List.copyOf(passEnv);
    }

    public GeneratorConfig(String name, String description, List<String> command, Duration timeout, InputKind input,
        List<ParamConfig> params, Map<String, String> env) {
      this(name, description, command, timeout, input, params, env, Optional.empty(), List.of());
    }
  }

  /** A declared parameter of a command generator. */
  public record ParamConfig(String name, String description, boolean required) {}

  public static BuildcastConfig defaults() {
    return new BuildcastConfig(4, List.of(), List.of(), List.of());
  }

  /** Reads and checks the file; with no file, the defaults. */
  public static BuildcastConfig load(Optional<Path> file) {
    if (file.isEmpty()) return defaults();
    Path path = file.get();
    if (!Files.isRegularFile(path)) throw new ConfigException("Config file " + path + " does not exist.");
    try {
      return fromYaml(Files.readString(path), path.toString());
    } catch (IOException e) {
      throw new ConfigException("Could not read config file " + path + ": " + e.getMessage(), e);
    }
  }

  static BuildcastConfig fromYaml(String yaml, String source) {
    if (yaml.isBlank()) return defaults();
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    RawConfig raw;
    try {
      raw = mapper.readValue(yaml, RawConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(source + ": unknown key '" + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ").", e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage() + location(e), e);
    }
    return raw == null ? defaults() : raw.check(source);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  record RawConfig(
      Integer maxConcurrentJobs, List<RawGenerator> generators, List<String> secretEnv, List<String> allowedOrigins, RawUploads uploads,
      @com.fasterxml.jackson.annotation.JsonProperty("notify") NotifyConfig.Raw notifications,

      LogsConfig.Raw logs,
      RetentionConfig.Raw retention,
      LimitsConfig.Raw limits,
      SocketConfig.Raw socket,
      List<String> allowedHosts,
      DocsSiteConfig.Raw docsSite,
      OpenEventSiteConfig.Raw openEventSite,
      Boolean proxyProtocol,
      ClusterConfig.Raw cluster) {
    BuildcastConfig check(String source) {
      int max = maxConcurrentJobs == null ? 4 : maxConcurrentJobs;
      if (max < 1 || max > 1000) throw new ConfigException(source + ": maxConcurrentJobs must be from 1 to 1000, got " + max + ".");
      List<RawGenerator> gens = generators == null ? List.of() : generators;
      Set<String> names = new HashSet<>();
      List<GeneratorConfig> checked = new java.util.ArrayList<>();
      for (int i = 0; i < gens.size(); i++) {
        GeneratorConfig g = gens.get(i).check(source + ": generators[" + i + "]");
        if (!names.add(g.name())) throw new ConfigException(source + ": two generators are named '" + g.name() + "'.");
        checked.add(g);
      }
      UploadLimits uploadLimits = uploads == null ? UploadLimits.defaults() : uploads.check(source + ": uploads");
      NotifyConfig notify = notifications == null ? NotifyConfig.none() : notifications.check(source + ": notify");
      return new BuildcastConfig(max, checked, orEmpty(secretEnv), orEmpty(allowedOrigins), uploadLimits,
          notify,
          logs == null ? LogsConfig.defaults() : logs.check(source),
          retention == null ? RetentionConfig.defaults() : retention.check(source),
          limits == null ? LimitsConfig.defaults() : limits.check(source),
          socket == null ? SocketConfig.defaults() : socket.check(source),
          checkedHosts(orEmpty(allowedHosts), source + ": allowedHosts"),
          docsSite == null ? DocsSiteConfig.defaults() : docsSite.check(source),
          openEventSite == null ? OpenEventSiteConfig.defaults() : openEventSite.check(source),
          Boolean.TRUE.equals(proxyProtocol),
          Optional.ofNullable(cluster).map(c -> c.check(source + ": cluster")));
    }
  }

  /** The {@code uploads:} section; sizes as {@code 512MiB}, durations as {@code 24h}. */
  record RawUploads(String maxBytes, Integer maxUnfinishedPerConnection, Integer maxUnfinishedPerAddress, String expireAfter,
      Integer zipMaxEntries, String zipMaxUnpackedBytes, String maxBytesPerAddress, Integer maxUploadsPerAddress) {
    UploadLimits check(String where) {
      UploadLimits d = UploadLimits.defaults();
      long max = maxBytes == null ? d.maxBytes() : Sizes.parse(maxBytes, where + ".maxBytes");
      if (maxUnfinishedPerConnection != null && maxUnfinishedPerAddress != null) {
        throw new ConfigException(where + ": maxUnfinishedPerConnection is the old name of maxUnfinishedPerAddress; keep only maxUnfinishedPerAddress.");
      }
      // why the old name still works: a configuration written for an earlier version keeps starting (it now counts per address)
      String key = maxUnfinishedPerConnection != null ? "maxUnfinishedPerConnection" : "maxUnfinishedPerAddress";
      Integer given = maxUnfinishedPerConnection != null ? maxUnfinishedPerConnection : maxUnfinishedPerAddress;
      int unfinished = given == null ? d.maxUnfinishedPerAddress() : given;
      if (unfinished < 1 || unfinished > 10_000) {
        throw new ConfigException(where + "." + key + " must be from 1 to 10000, got " + unfinished + ".");
      }
      long bytesPerAddress = maxBytesPerAddress == null ? d.maxBytesPerAddress() : Sizes.parse(maxBytesPerAddress, where + ".maxBytesPerAddress");
      int uploadsPerAddress = maxUploadsPerAddress == null ? d.maxUploadsPerAddress() : maxUploadsPerAddress;
      if (uploadsPerAddress < 1 || uploadsPerAddress > 1_000_000) {
        throw new ConfigException(where + ".maxUploadsPerAddress must be from 1 to 1000000, got " + uploadsPerAddress + ".");
      }
      Duration expire = expireAfter == null ? d.expireAfter() : Durations.parse(expireAfter, where + ".expireAfter");
      int entries = zipMaxEntries == null ? d.zipMaxEntries() : zipMaxEntries;
      if (entries < 1) throw new ConfigException(where + ".zipMaxEntries must be 1 or more, got " + entries + ".");
      long unpacked = zipMaxUnpackedBytes == null ? d.zipMaxUnpackedBytes() : Sizes.parse(zipMaxUnpackedBytes, where + ".zipMaxUnpackedBytes");
      return new UploadLimits(max, unfinished, expire, d.chunkSize(), entries, unpacked, bytesPerAddress, uploadsPerAddress);
    }
  }

  record RawGenerator(String name, String description, List<String> command, String timeout, String input, List<ParamConfig> params, Map<String, String> env, String site,
      List<String> passEnv) {
    GeneratorConfig check(String where) {
      if (name == null || !GENERATOR_NAME.matcher(name).matches()) {
        throw new ConfigException(where + ": name is required: letters, digits, '-' and '_' (at most 64), got '" + name + "'.");
      }
      String at = where + " (" + name + ")";
      if (command == null || command.isEmpty() || command.stream().anyMatch(s -> s == null || s.isEmpty())) {
        throw new ConfigException(at + ": command must be a non-empty list of arguments, e.g. [bash, /path/to/generate.sh].");
      }
      Duration t = timeout == null ? Duration.ofMinutes(30) : Durations.parse(timeout, at + ": timeout");
      InputKind kind = input == null ? InputKind.NONE : inputKind(input, at);
      for (ParamConfig p : orEmpty(params)) {
        if (p.name() == null || !p.name().matches("[A-Za-z0-9_]{1,64}")) {
          throw new ConfigException(at + ": parameter name '" + p.name() + "' must be letters, digits and underscore.");
        }
      }
      for (String variable : orEmpty(passEnv)) {
        if (variable == null || !ENV_NAME.matcher(variable).matches()) {
          throw new ConfigException(at + ": passEnv lists names of the server's environment variables (letters, digits, '_'), got '" + variable + "'.");
        }
      }
      return new GeneratorConfig(name, description == null ? "" : description, command, t, kind, orEmpty(params),
          env == null ? Map.of() : env, Optional.ofNullable(site).map(folder -> siteFolder(folder, at)), orEmpty(passEnv));
    }
  }

  /** Host names or addresses, {@code .domain} for a domain and its subdomains, or {@code *}; no scheme, no port. */
  private static List<String> checkedHosts(List<String> hosts, String where) {
    for (String host : hosts) {
      String h = host == null ? "" : host.strip();
      boolean ok = h.equals("*") || HOST_NAME.matcher(h).matches() || IPV6.matcher(h).matches();
      if (!ok) {
        throw new ConfigException(where + ": '" + host + "' is not a host name or address; write names like buildcast.example.com,"
            + " .example.com (and its subdomains), 10.0.0.5 or [fd00::5], without scheme or port, or * for any host.");
      }
    }
    return hosts.stream().map(String::strip).toList();
  }

  private static final Pattern HOST_NAME = Pattern.compile("\\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

  /** A site folder is a plain relative path inside the work folder: no way out of it, nothing absolute. */
  private static String siteFolder(String folder, String where) {
    String normal = folder.strip();
    boolean plain = !normal.isEmpty() && !normal.startsWith("/") && !normal.contains("\\")
        && Arrays.stream(normal.split("/")).noneMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."));
    if (!plain) {
      throw new ConfigException(where + ": site must be a folder inside the job's work folder, such as site or public/html, got '" + folder + "'.");
    }
    return normal;
  }

  private static InputKind inputKind(String text, String where) {
    try {
      return InputKind.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": input must be none, file or zip, got '" + text + "'.");
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
