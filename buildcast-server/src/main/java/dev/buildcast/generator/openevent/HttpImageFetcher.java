package dev.buildcast.generator.openevent;

import dev.buildcast.net.OutboundAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Downloads images with Jetty's HTTP client, whose only resolver is the {@link OutboundAddresses}
 * policy: the name is looked up once per connection, every address is checked, and the connection
 * goes to those addresses, so a DNS answer that changes after the check cannot reach an internal
 * address. Redirects are not left to the client: each hop's address is checked again, and at most
 * {@link RemoteImageSettings#MAX_REDIRECTS} are followed. The body is read with a cap, so an
 * endless or huge answer is cut off after the limit, not held in memory. One instance per job; close
 * it when the job's images are fetched.
 */
final class HttpImageFetcher implements ImageFetcher, AutoCloseable {

  private static final String ACCEPT = "image/png,image/jpeg,image/gif,image/webp,image/avif";

  private final HttpClient client;
  private final OutboundAddresses addresses;

  private HttpImageFetcher(HttpClient client, OutboundAddresses addresses) {
    this.client = client;
    this.addresses = addresses;
  }

  /** A started fetcher that connects through {@code addresses}, follows no redirect itself and keeps no cookies. */
  static HttpImageFetcher start(OutboundAddresses addresses, Duration connectTimeout) {
    return start(addresses, connectTimeout, new ClientConnector());
  }

  /** As {@link #start(OutboundAddresses, Duration)}, connecting with {@code connector} (tests record where it connects). */
  static HttpImageFetcher start(OutboundAddresses addresses, Duration connectTimeout, ClientConnector connector) {
    QueuedThreadPool threads = new QueuedThreadPool(4, 1);
    threads.setName("buildcast-images");
    threads.setDaemon(true);
    connector.setExecutor(threads);
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    client.setExecutor(threads);
    client.setSocketAddressResolver(addresses);
    client.setFollowRedirects(false);
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    // why no decoders: a compressed answer is not asked for, so the cap counts the bytes that travel
    client.getContentDecoderFactories().clear();
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Buildcast"));
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("the image download client did not start", e);
    }
    return new HttpImageFetcher(client, addresses);
  }

  @Override
  public Outcome fetch(URI address, Duration timeout, long maxBytes) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = address;
    for (int hop = 0; ; hop++) {
      Optional<String> refusal = refusal(current);
      if (refusal.isPresent()) return new Failed("refused: " + refusal.get());
      long left = deadline - System.nanoTime();
      if (left <= 0) return new Failed("no answer within " + seconds(timeout));
      Answer answer;
      try {
        answer = get(current, left, timeout, maxBytes);
      } catch (Failure failure) {
        return new Failed(failure.getMessage());
      }
      int status = answer.status();
      if (status >= 300 && status < 400 && status != 304) {
        if (answer.location() == null) return new Failed("HTTP " + status + " without a Location");
        if (hop >= RemoteImageSettings.MAX_REDIRECTS) {
          return new Failed("more than " + RemoteImageSettings.MAX_REDIRECTS + " redirects");
        }
        try {
          current = current.resolve(new URI(answer.location().strip()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          return new Failed("HTTP " + status + " to an address that is not a URL");
        }
        continue;
      }
      if (status < 200 || status > 299) return new Failed("HTTP " + status);
      return new Fetched(answer.body());
    }
  }

  /**
   * Why no request may be sent to {@code uri} before any lookup: the scheme, a user name, the host
   * list. Its addresses are checked by the client's resolver when it connects.
   */
  private Optional<String> refusal(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return Optional.of("not an http(s) address");
    if (uri.getHost() == null || uri.getHost().isEmpty()) return Optional.of("no host");
    if (uri.getRawUserInfo() != null) return Optional.of("the address carries a user name");
    return addresses.hostRefusal(uri.getHost());
  }

  /** One GET, waited for at most {@code leftNanos} of the caller's {@code timeout}; an interrupt aborts it. */
  private Answer get(URI uri, long leftNanos, Duration timeout, long maxBytes) throws Failure, InterruptedException {
    CappedAnswer listener = new CappedAnswer(maxBytes);
    Request request;
    try {
      request = client.newRequest(uri).method(HttpMethod.GET).followRedirects(false)
          .timeout(leftNanos, TimeUnit.NANOSECONDS).headers(h -> h.put(HttpHeader.ACCEPT, ACCEPT));
      request.send(listener);
    } catch (IllegalArgumentException e) {
      // why: the client refuses some addresses URI accepts (a port past 65535, say)
      throw new Failure("not an address a request can be sent to");
    }
    try {
      // why a little longer than the request's own timeout: the client reports its timeout itself
      return listener.result.get(leftNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      request.abort(e);
      throw new Failure("no answer within " + seconds(timeout));
    } catch (InterruptedException e) {
      request.abort(e);
      throw e;
    } catch (ExecutionException e) {
      throw new Failure(failure(e.getCause(), uri, timeout, maxBytes));
    }
  }

  /** Why a request failed, in words. */
  private static String failure(Throwable cause, URI uri, Duration timeout, long maxBytes) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof TooLarge) return "larger than " + maxBytes + " bytes";
      if (t instanceof OutboundAddresses.RefusedAddressException) return "refused: " + t.getMessage();
      if (t instanceof UnknownHostException) return "host " + uri.getHost() + " is unknown";
      if (t instanceof TimeoutException) return "no answer within " + seconds(timeout);
    }
    if (cause instanceof java.net.ConnectException) return "could not connect";
    if (cause instanceof javax.net.ssl.SSLException) return "TLS failed (" + cause.getClass().getSimpleName() + ")";
    if (cause instanceof IOException) return "the connection failed (" + cause.getClass().getSimpleName() + ")";
    return "failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
  }

  private static String seconds(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // why ignored: the job's images are fetched by now; a client that does not stop cleanly holds none of them
    }
  }

  /** What came back: the status, a redirect's target, a success's body. */
  private record Answer(int status, String location, byte[] body) {}

  /** Why one GET brought no answer, in words for the problem line. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** Aborts a response whose body passes its cap. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body too large");
    }
  }

  /**
   * Collects a success's body up to {@code maxBytes} and aborts past it (at once when the declared
   * length is larger). Any other answer completes at its headers and the exchange is aborted, so
   * a redirect's or an error's body is never read.
   */
  private static final class CappedAnswer implements Response.Listener {

    private final long maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<Answer> result = new CompletableFuture<>();

    CappedAnswer(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public void onHeaders(Response response) {
      int status = response.getStatus();
      if (status < 200 || status > 299) {
        result.complete(new Answer(status, response.getHeaders().get(HttpHeader.LOCATION), new byte[0]));
        response.abort(new IOException("body not wanted"));
        return;
      }
      if (response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > maxBytes) response.abort(new TooLarge());
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      if (result.isDone()) return;
      if (bytes.size() + (long) content.remaining() > maxBytes) {
        response.abort(new TooLarge());
        return;
      }
      byte[] chunk = new byte[content.remaining()];
      content.get(chunk);
      bytes.writeBytes(chunk);
    }

    @Override
    public void onComplete(Result outcome) {
      if (outcome.isFailed()) {
        result.completeExceptionally(outcome.getFailure());
      } else {
        result.complete(new Answer(outcome.getResponse().getStatus(), null, bytes.toByteArray()));
      }
    }
  }
}
