package dev.buildcast.config;

import dev.buildcast.generator.openevent.RemoteImageSettings;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code openEventSite:} section: the operator's settings of the built-in
 * {@code open-event-site} generator.
 *
 * @param remoteImages whether and how images the export names by an http(s) address are
 *     downloaded into the site ({@code openEventSite.remoteImages:}); off by default
 */
public record OpenEventSiteConfig(RemoteImageSettings remoteImages) {

  private static final Pattern HOST = Pattern.compile(
      "\\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

  public OpenEventSiteConfig {
    java.util.Objects.requireNonNull(remoteImages, "remoteImages");
  }

  public static OpenEventSiteConfig defaults() {
    return new OpenEventSiteConfig(RemoteImageSettings.off());
  }

  record Raw(RawRemoteImages remoteImages) {
    OpenEventSiteConfig check(String source) {
      return remoteImages == null ? defaults() : new OpenEventSiteConfig(remoteImages.check(source + ": openEventSite.remoteImages"));
    }
  }

  record RawRemoteImages(Boolean fetch, String maxBytesPerImage, String maxBytesPerJob, Integer maxImages, String requestTimeout,
      String jobBudget, List<String> allowedHosts, Boolean allowPrivateAddresses) {
    RemoteImageSettings check(String where) {
      RemoteImageSettings d = RemoteImageSettings.off();
      long perImage = maxBytesPerImage == null ? d.maxBytesPerImage() : Sizes.parse(maxBytesPerImage, where + ".maxBytesPerImage");
      long perJob = maxBytesPerJob == null ? d.maxBytesPerJob() : Sizes.parse(maxBytesPerJob, where + ".maxBytesPerJob");
      int images = maxImages == null ? d.maxImages() : maxImages;
      Duration timeout = requestTimeout == null ? d.requestTimeout() : Durations.parse(requestTimeout, where + ".requestTimeout");
      Duration budget = jobBudget == null ? d.jobBudget() : Durations.parse(jobBudget, where + ".jobBudget");
      if (perImage < 1) throw new ConfigException(where + ".maxBytesPerImage must be more than 0.");
      if (perJob < 1) throw new ConfigException(where + ".maxBytesPerJob must be more than 0.");
      if (images < 1 || images > 100_000) throw new ConfigException(where + ".maxImages must be from 1 to 100000, got " + images + ".");
      if (timeout.toSeconds() < 1) throw new ConfigException(where + ".requestTimeout must be at least 1s.");
      if (budget.toSeconds() < 1) throw new ConfigException(where + ".jobBudget must be at least 1s.");
      List<String> hosts = allowedHosts == null ? List.of() : allowedHosts;
      for (String host : hosts) {
        if (host == null || !HOST.matcher(host.strip()).matches()) {
          throw new ConfigException(where + ".allowedHosts: '" + host + "' is not a host name or address; write names like"
              + " images.example.org or .example.org (the domain and its subdomains), without scheme or port.");
        }
      }
      return new RemoteImageSettings(Boolean.TRUE.equals(fetch), perImage, perJob, images, timeout, budget,
          hosts.stream().map(String::strip).toList(), Boolean.TRUE.equals(allowPrivateAddresses));
    }
  }
}
