package dev.buildcast.generator.openevent;

import java.net.URI;
import java.time.Duration;

/**
 * Downloads one remote image's bytes. The HTTP adapter is {@link HttpImageFetcher}; tests use
 * fakes that answer from a table and step a clock.
 */
interface ImageFetcher {

  /** What one download gave: the bytes, or why there are none. */
  sealed interface Outcome permits Fetched, Failed {}

  /** The answer's body, at most the asked-for number of bytes. */
  record Fetched(byte[] body) implements Outcome {}

  /** Why nothing was downloaded ("HTTP 404", "no answer within 15s"), for the problem line. */
  record Failed(String reason) implements Outcome {}

  /**
   * @param timeout longest the download may take, redirects included
   * @param maxBytes a longer body is not kept and the download fails
   */
  Outcome fetch(URI address, Duration timeout, long maxBytes) throws InterruptedException;
}
