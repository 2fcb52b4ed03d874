package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Addresses the HTTP adapter must turn into a failure, never an exception that would fail the job. */
class HttpImageFetcherTest {

  private static HttpImageFetcher fetcher(HttpClient client) {
    return new HttpImageFetcher(client, new ImageAddressGuard(List.of(), true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}));
  }

  @Test
  void fetch_portPastTheRange_isAFailureNotAnException() throws Exception {
    try (HttpClient client = HttpImageFetcher.newClient(Duration.ofSeconds(30))) {
      ImageFetcher.Outcome outcome = fetcher(client).fetch(new URI("http://127.0.0.1:99999/x.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isInstanceOf(ImageFetcher.Failed.class);
    }
  }

  @Test
  void fetch_refusedScheme_isAFailureWithoutARequest() throws Exception {
    try (HttpClient client = HttpImageFetcher.newClient(Duration.ofSeconds(30))) {
      ImageFetcher.Outcome outcome = fetcher(client).fetch(new URI("ftp://127.0.0.1/x.png"), Duration.ofSeconds(30), 1000);

      assertThat(outcome).isEqualTo(new ImageFetcher.Failed("refused: not an http(s) address"));
    }
  }
}
