package dev.buildcast.generator.openevent;

import java.time.Duration;
import java.util.List;

/**
 * What the operator decides about images an export names by an http(s) address (the
 * {@code openEventSite.remoteImages:} configuration section). Off by default: a server without a
 * network, or one the operator does not want making requests on behalf of uploads, keeps linking
 * them as before.
 *
 * @param fetch whether remote images are downloaded into the site at all
 * @param maxBytesPerImage an answer longer than this is dropped
 * @param maxBytesPerJob all downloads of one job together stop at this
 * @param maxImages most distinct addresses fetched per job; the rest stay linked
 * @param requestTimeout longest one request (with its redirects' hops) may take
 * @param jobBudget longest all downloads of one job may take together
 * @param allowedHosts when not empty, the only hosts fetched from: a name, or {@code .domain} for
 *     the domain and its subdomains
 * @param allowPrivateAddresses whether a host may resolve to a loopback, private, link-local or
 *     other non-public address; off, so an upload cannot make the server read its own network
 */
public record RemoteImageSettings(
    boolean fetch,
    long maxBytesPerImage,
    long maxBytesPerJob,
    int maxImages,
    Duration requestTimeout,
    Duration jobBudget,
    List<String> allowedHosts,
    boolean allowPrivateAddresses) {

  public static final long DEFAULT_MAX_BYTES_PER_IMAGE = 10L * 1024 * 1024;
  public static final long DEFAULT_MAX_BYTES_PER_JOB = 200L * 1024 * 1024;
  public static final int DEFAULT_MAX_IMAGES = 1_000;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_JOB_BUDGET = Duration.ofMinutes(3);

  /** Redirects followed per image; each hop is checked like the first address. */
  static final int MAX_REDIRECTS = 3;

  public RemoteImageSettings {
    allowedHosts = List.copyOf(allowedHosts);
    if (maxBytesPerImage < 1 || maxBytesPerJob < 1 || maxImages < 1 || requestTimeout.isNegative() || requestTimeout.isZero()
        || jobBudget.isNegative() || jobBudget.isZero()) {
      throw new IllegalArgumentException("remote image limits must be positive");
    }
  }

  /** Nothing fetched; the limits are the defaults, for when the operator turns it on. */
  public static RemoteImageSettings off() {
    return new RemoteImageSettings(false, DEFAULT_MAX_BYTES_PER_IMAGE, DEFAULT_MAX_BYTES_PER_JOB, DEFAULT_MAX_IMAGES,
        DEFAULT_REQUEST_TIMEOUT, DEFAULT_JOB_BUDGET, List.of(), false);
  }

  /** These settings with fetching on or off. */
  public RemoteImageSettings withFetch(boolean on) {
    return new RemoteImageSettings(on, maxBytesPerImage, maxBytesPerJob, maxImages, requestTimeout, jobBudget, allowedHosts,
        allowPrivateAddresses);
  }
}
